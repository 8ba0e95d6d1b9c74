// Physical lines of a pasted text, with a quoted-printable mail body (kept encoded by an archive) decoded.

/** One physical line, or several a quoted-printable soft break had split, with the lines it spans. */
export interface PhysicalLine {
  text: string;
  /** 1-based line of the input where it starts and where it ends. */
  line: number;
  endLine: number;
}

/**
 * A mail archive keeps a body in quoted-printable (RFC 2045): "=3D" for "=", "=C2=A0" for a no-break
 * space, and a "=" at a line end for a soft break. Kernel logs are full of "=" ("order=0", "= 12560kB"),
 * which an encoded body always escapes: so an escape, a soft break, and no "=" that is neither.
 */
export function looksQuotedPrintable(raw: string): boolean {
  return /=3D|=C2=A0/.test(raw) && /=\r?\n/.test(raw) && !/=(?![0-9A-F]{2}|\r?$)/m.test(raw);
}

const UTF8 = new TextDecoder('utf-8');
const ENCODE = new TextEncoder();

/** Decodes the "=XX" escapes of one quoted-printable line (soft breaks already joined) as UTF-8. */
export function decodeQuotedPrintable(text: string): string {
  if (!text.includes('=')) return text;
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    const hex = text[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 3;
      continue;
    }
    const next = text.indexOf('=', i + 1);
    const end = next === -1 ? text.length : next;
    for (const b of ENCODE.encode(text.slice(i, end))) bytes.push(b);
    i = end;
  }
  return UTF8.decode(new Uint8Array(bytes));
}

/** The physical lines of a text (LF or CRLF, a missing final newline is fine), quoted-printable undone. */
export function physicalLines(raw: string): PhysicalLine[] {
  const lines = raw.replace(/^\uFEFF/, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1]?.replace(/\r$/, '') === '') lines.pop();
  if (!looksQuotedPrintable(raw)) return lines.map((text, i) => ({ text, line: i + 1, endLine: i + 1 }));
  const out: PhysicalLine[] = [];
  let held: PhysicalLine | undefined;
  lines.forEach((rawLine, i) => {
    const text = rawLine.replace(/\r$/, '');
    const soft = text.endsWith('=');
    const piece = soft ? text.slice(0, -1) : text;
    if (held === undefined) held = { text: piece, line: i + 1, endLine: i + 1 };
    else {
      held.text += piece;
      held.endLine = i + 1;
    }
    if (!soft) {
      out.push({ ...held, text: decodeQuotedPrintable(held.text) });
      held = undefined;
    }
  });
  if (held !== undefined) out.push({ ...held, text: decodeQuotedPrintable(held.text) });
  return out;
}
