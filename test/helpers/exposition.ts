// A small, strict reader of the Prometheus text format, written from the format's description, for tests.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  line: number;
}

export interface ParsedFamily {
  name: string;
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unescapeHelp(s: string): string {
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Reads `{a="x",b="y"}` from position i of line; returns the labels and the position after `}`. */
function readLabels(line: string, start: number, lineNo: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const fail = (what: string): never => {
    throw new Error(`line ${lineNo}: ${what}: ${line}`);
  };
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) fail('label without "="');
    const key = line.slice(i, eq).trim();
    if (!LABEL.test(key)) fail(`bad label name "${key}"`);
    if (key in labels) fail(`label "${key}" twice`);
    if (line[eq + 1] !== '"') fail('label value not quoted');
    let j = eq + 2;
    let value = '';
    for (;;) {
      const ch = line[j];
      if (ch === undefined) fail('unterminated label value');
      if (ch === '"') break;
      if (ch === '\\') {
        const next = line[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else fail(`bad escape \\${next ?? ''}`);
        j += 2;
        continue;
      }
      value += ch;
      j++;
    }
    labels[key] = value;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') fail('expected "," or "}" after a label');
  }
  return { labels, end: i + 1 };
}

/** Go's ParseFloat spellings the format allows. */
function readValue(text: string, lineNo: number): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${lineNo}: bad value "${text}"`);
  return Number(text);
}

/**
 * Parses exposition text, enforcing what the format requires: a final newline, at most one HELP and one
 * TYPE per metric and both before its samples, each family's samples together, each series once.
 * Timestamps are refused (the textfile collector drops them).
 */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the last line does not end with a newline');
  const families = new Map<string, ParsedFamily>();
  const series = new Set<string>();
  let current: ParsedFamily | undefined;
  /** The family a line belongs to; a name seen before under another family means it was not grouped. */
  const enter = (name: string, lineNo: number): ParsedFamily => {
    if (current?.name === name) return current;
    if (families.has(name)) throw new Error(`line ${lineNo}: metric ${name} is not grouped together`);
    current = { name, samples: [] };
    families.set(name, current);
    return current;
  };
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, i) => {
      const lineNo = i + 1;
      if (line.trim() === '') return;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (meta) {
        const [, kind, name = '', rest = ''] = meta;
        if (!NAME.test(name)) throw new Error(`line ${lineNo}: bad metric name "${name}"`);
        const f = enter(name, lineNo);
        if (f.samples.length > 0) throw new Error(`line ${lineNo}: ${kind} after the samples of ${name}`);
        if (kind === 'HELP') {
          if (f.help !== undefined) throw new Error(`line ${lineNo}: a second HELP for ${name}`);
          f.help = unescapeHelp(rest);
        } else {
          if (f.type !== undefined) throw new Error(`line ${lineNo}: a second TYPE for ${name}`);
          if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
            throw new Error(`line ${lineNo}: bad type "${rest}"`);
          }
          f.type = rest;
        }
        return;
      }
      if (line.startsWith('#')) return;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
      if (!m?.[1]) throw new Error(`line ${lineNo}: not a sample: ${line}`);
      const name = m[1];
      let rest = line.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) {
        const r = readLabels(line, name.length, lineNo);
        labels = r.labels;
        rest = line.slice(r.end);
      }
      const fields = rest.trim().split(/\s+/);
      if (fields.length !== 1 || fields[0] === '') throw new Error(`line ${lineNo}: expected one value (no timestamp): ${line}`);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (series.has(key)) throw new Error(`line ${lineNo}: series repeated: ${line}`);
      series.add(key);
      enter(name, lineNo).samples.push({ name, labels, value: readValue(fields[0] ?? '', lineNo), line: lineNo });
    });
  return families;
}

/** The value of the one sample of `name` whose labels are exactly `labels`, or undefined. */
export function valueOf(
  families: Map<string, ParsedFamily>,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return families.get(name)?.samples.find((s) => JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}
