// What the kernel does next and what to change, per zone, from the fields a check result carries when it has them.

/**
 * THE ONE PLACE that names the "next step" fields. The check and report results are gaining them (the
 * compaction decision, whether a zone serves the request, a next step and an action); until their names
 * settle, this reads every spelling below and draws only those present, so a page never invents one.
 * When the fields are final, point these readers at them and drop the rest.
 */
export interface NextStepLines {
  /** What the kernel will do next for this zone (compact, reclaim, fall back to the next zone...). */
  nextStep?: string;
  /** What a person can change. */
  action?: string;
  /** Set when the result says the zone cannot serve this request at all. */
  doesNotServe?: true;
}

/** A field's text: a sentence as is, or the `text` (else `code`, else `decision`) of an object. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  for (const key of ['text', 'sentence', 'code', 'decision']) {
    const t = o[key];
    if (typeof t === 'string' && t.trim() !== '') return t;
  }
  return undefined;
}

/**
 * The next-step lines of one zone (or of a whole result, which may carry the same fields): from
 * `nextStep`, else `compaction.decision` (with `compaction.text` when given); `action`; `serves === false`.
 */
export function nextStepOf(zone: object): NextStepLines {
  const z = zone as Record<string, unknown>;
  const out: NextStepLines = {};
  const compaction = z.compaction;
  const decision =
    compaction !== null && typeof compaction === 'object'
      ? (textOf((compaction as Record<string, unknown>).text) ?? textOf((compaction as Record<string, unknown>).decision))
      : textOf(compaction);
  const next = textOf(z.nextStep) ?? (decision === undefined ? undefined : `Compaction: ${decision}`);
  if (next !== undefined) out.nextStep = next;
  const action = textOf(z.action);
  if (action !== undefined) out.action = action;
  if (z.serves === false) out.doesNotServe = true;
  return out;
}
