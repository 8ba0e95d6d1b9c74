// Node lists as the kernel prints them (%*pbl: "0", "0-1", "0,2-3", "(null)").

/** Nodes a mems_allowed or nodemask list names ("0", "0-1", "0,2-3"); undefined when it allows all. */
export function parseNodeList(text: string | undefined): Set<number> | undefined {
  if (text === undefined || text === '' || text === '(null)') return undefined;
  const out = new Set<number>();
  for (const part of text.replace(/[()]/g, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let n = lo; n <= hi; n++) out.add(n);
  }
  return out;
}
