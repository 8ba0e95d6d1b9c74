// Browser code: the page's colours for canvases, read from its style sheet so dark mode and print follow it.

/** A custom property of the page's style sheet (colours are set there for light and dark). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Whether the reader's setting asks for dark colours. */
export function dark(): boolean {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/**
 * One colour per order, from cool (small blocks) to warm (large): neighbours differ in hue and lightness,
 * so the stacked areas stay apart in grey print too.
 */
export function orderColour(order: number, orders: number, alpha = 1): string {
  const t = orders <= 1 ? 0 : order / (orders - 1);
  const hue = 250 - t * 215;
  const light = dark() ? 38 + t * 30 : 70 - t * 35;
  return `hsla(${hue.toFixed(0)}, 70%, ${light.toFixed(0)}%, ${alpha})`;
}

/** Diagonal hatching in a colour: fails are drawn hatched, passes solid, so the shape carries the verdict. */
export function hatch(ctx: CanvasRenderingContext2D, colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  const size = Math.round(8 * (window.devicePixelRatio || 1));
  tile.width = size;
  tile.height = size;
  const t = tile.getContext('2d');
  if (t === null) return colour;
  t.strokeStyle = colour;
  t.lineWidth = Math.max(1.5, size / 5);
  t.beginPath();
  t.moveTo(0, size);
  t.lineTo(size, 0);
  t.moveTo(-size / 2, size / 2);
  t.lineTo(size / 2, -size / 2);
  t.moveTo(size / 2, size * 1.5);
  t.lineTo(size * 1.5, size / 2);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? colour;
}

/** The axis styling every chart shares. */
export function axisColours(): { stroke: string; grid: { stroke: string; width: number }; ticks: { stroke: string; width: number } } {
  const line = cssVar('--line');
  return { stroke: cssVar('--fg'), grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
}

/** An axis' tick labels: uPlot leaves out some ticks of a log scale as null, which get no label. */
export function ticks(label: (v: number) => string): (u: unknown, splits: number[]) => string[] {
  return (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : label(v)));
}

/**
 * Tick steps for an axis of bytes: powers of two, so every label is a whole binary unit (4 MiB, 8 MiB)
 * where uPlot's decimal steps gave 4.8 MiB and 9.5 MiB. A log scale ignores them (its ticks are powers).
 */
export const BYTE_INCRS: number[] = Array.from({ length: 63 }, (_, k) => 2 ** k);
