// The one kernel choice every command makes: which release's rules to replay, where that came from, overrides.

import { InputError } from '../model.js';
import { parseRelease, seriesOf, type Release } from './release.js';
import { RULE_NAMES, RULE_VALUES, rulesOf, type RuleName, type Rules } from './rules.js';

/** The release replayed when neither the user nor the input names one: today's rules. */
export const NEWEST_RELEASE = '6.18';
/** The release `--algorithm legacy` stands for when nothing else names one: the last with the loop. */
const LAST_LEGACY = '4.3';

/** The release whose GFP bit values read a mode typed or printed for this choice: the one replayed, else the newest. */
export function gfpRelease(k: KernelChoice): string {
  return k.release ?? NEWEST_RELEASE;
}

/** Where the release came from, most trusted first. */
export type KernelOrigin = 'option' | 'input' | 'live' | 'shape' | 'algorithm' | 'default';

/** What every analysis is handed: the rules to replay and, for output, how they were chosen. */
export interface KernelChoice {
  /** The release replayed, as written ("6.1.157", "3.10.0-1160.45.1.el7.x86_64"); null when none is known. */
  release: string | null;
  origin: KernelOrigin;
  /** In words: "--kernel", "saved.txt, line 4", "the running kernel", the report shape's reason. */
  from: string;
  /** A distribution or vendor string: replayed by its base release's upstream rules, sublevel ignored. */
  distribution: boolean;
  rules: Rules;
  /** Per axis, why it has its value: the boundary that decided, or "--rules". */
  rulesFrom: Record<RuleName, string>;
  /** Axes set by --rules (and the axes that follow them). */
  overridden: RuleName[];
  /** Sentences the user should read (a distribution kernel, an override that disagrees...). */
  notes: string[];
}

/** What the user asked for on the command line. */
export interface KernelAsk {
  kernel?: string;
  algorithm?: 'legacy' | 'modern';
  /** --rules, as typed: "flags=6.3", "highatomic=free,reserveIndex=preferred" (repeatable). */
  rules?: readonly string[];
}

/** What the inputs say. */
export interface KernelEvidence {
  /** A release the input states (a log's CPU: or Linux version line, a version file, live uname). */
  stated?: { version: string; origin: string; live?: boolean; upstream?: string };
  /** A release the shape of a report implies, when nothing states one, with the reason. */
  shape?: { release: string; why: string };
}

const ALGORITHM: Record<'legacy' | 'modern', Rules['algorithm'][]> = {
  legacy: ['legacy-loop'],
  modern: ['any-list', 'strict-lists'],
};

/** Chooses the release and its rules: --kernel, else a stated release, else a report's shape, else the newest. */
export function chooseKernel(ask: KernelAsk, evidence: KernelEvidence = {}): KernelChoice {
  const notes: string[] = [];
  let base: { release: Release | undefined; origin: KernelOrigin; from: string; upstream?: Release };
  if (ask.kernel !== undefined) {
    base = { release: parseRelease(ask.kernel), origin: 'option', from: '--kernel' };
    if (ask.algorithm !== undefined) {
      const algorithm = rulesOf(base.release as Release).rules.algorithm;
      if (!ALGORITHM[ask.algorithm].includes(algorithm)) {
        throw new InputError(
          `--kernel ${ask.kernel} uses the ${algorithm === 'legacy-loop' ? 'legacy' : 'modern'} check, not --algorithm ${ask.algorithm}: give one of the two.`,
        );
      }
    }
  } else if (evidence.stated !== undefined && usable(evidence.stated.version, notes, evidence.stated.origin)) {
    const s = evidence.stated;
    base = { release: parseRelease(s.version), origin: s.live ? 'live' : 'input', from: s.origin };
    const upstream = s.upstream === undefined ? undefined : parseRelease(s.upstream);
    if (upstream !== undefined && !base.release?.upstream) base.upstream = upstream;
  } else if (evidence.shape !== undefined) {
    base = { release: parseRelease(evidence.shape.release), origin: 'shape', from: evidence.shape.why };
  } else {
    base = { release: undefined, origin: 'default', from: 'no kernel release in the input' };
  }
  if (ask.algorithm !== undefined && ask.kernel === undefined) {
    const current = rulesOf(base.release ?? parseRelease(NEWEST_RELEASE)).rules.algorithm;
    if (!ALGORITHM[ask.algorithm].includes(current)) {
      if (base.release !== undefined) {
        notes.push(`--algorithm ${ask.algorithm} replaces the rules of ${base.release.text} (${base.from}).`);
      }
      base = {
        release: parseRelease(ask.algorithm === 'legacy' ? LAST_LEGACY : NEWEST_RELEASE),
        origin: 'algorithm',
        from: `--algorithm ${ask.algorithm}`,
      };
    }
  }
  const release = base.release ?? parseRelease(NEWEST_RELEASE);
  const { rules, from } = rulesOf(base.upstream ?? release);
  const choice: KernelChoice = {
    release: base.release?.text ?? null,
    origin: base.origin,
    from: base.from,
    distribution: base.release !== undefined && !base.release.upstream && base.upstream === undefined,
    rules,
    rulesFrom: from,
    overridden: [],
    notes,
  };
  if (base.release === undefined) {
    notes.push(
      `No kernel release in the input, so today's (${NEWEST_RELEASE}) rules are replayed; --kernel VERSION names the box's release.`,
    );
  }
  if (base.upstream !== undefined) {
    notes.push(
      `${release.text} names its upstream release, ${base.upstream.text}, in its banner: replayed by the upstream rules of ${base.upstream.text}; distributions may backport more (--rules AXIS=VALUE overrides one axis).`,
    );
  }
  if (choice.distribution) {
    notes.push(
      `${release.text} is a distribution or vendor kernel: it is replayed by the upstream rules of ${seriesOf(release)}, ` +
        'but distributions backport allocator changes on their own schedule; --kernel X.Y.Z or --rules AXIS=VALUE ' +
        '(e.g. --rules flags=6.3) replays other rules.',
    );
  }
  const explicit = new Set<RuleName>();
  for (const text of ask.rules ?? []) applyOverrides(choice, text, explicit);
  return choice;
}

/** A stated release the replay can use; otherwise a note, and the next evidence is used. */
function usable(version: string, notes: string[], origin: string): boolean {
  try {
    parseRelease(version);
    return true;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    notes.push(`The kernel release "${version}" (${origin}) is not one the replay can use: ${err.message}`);
    return false;
  }
}

/**
 * The axes that only mean something together with the flag model: who gets ALLOC_HARDER (legacy model)
 * and who gets ALLOC_HIGHATOMIC (6.3 model). `--rules flags=6.3` on a 5.14 distribution kernel must
 * bring the 6.3 model's answers to both, as 5.15.171 has them, unless they are given too.
 */
const FOLLOWS_FLAGS: readonly RuleName[] = ['harderFrom', 'highatomicFlag'];

/** Applies one --rules argument ("flags=6.3,highatomic=free"): an axis value, or a release to take it from. */
function applyOverrides(choice: KernelChoice, text: string, explicit: Set<RuleName>): void {
  const rules = choice.rules as unknown as Record<RuleName, unknown>;
  const set = (name: RuleName, value: unknown, why: string): void => {
    rules[name] = value;
    choice.rulesFrom[name] = why;
    if (!choice.overridden.includes(name)) choice.overridden.push(name);
  };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([A-Za-z-]+)\s*=\s*(\S+)$/.exec(part);
    const name = m ? RULE_NAMES.find((n) => n.toLowerCase() === (m[1] as string).replace(/-/g, '').toLowerCase()) : undefined;
    if (!m || name === undefined) {
      throw new InputError(`--rules: expected AXIS=VALUE with AXIS one of ${RULE_NAMES.join(', ')}, found "${part}".`);
    }
    const { value, release } = ruleValue(name, m[2] as string);
    set(name, value, `--rules ${part}`);
    explicit.add(name);
    if (name !== 'flags') continue;
    // The dependent axes follow: from the release named, else from the model's own defaults.
    const from = release === undefined ? undefined : rulesOf(release).rules;
    for (const dep of FOLLOWS_FLAGS) {
      if (explicit.has(dep)) continue;
      const fallback =
        dep === 'harderFrom'
          ? value === 'min-reserve'
            ? 'none'
            : choice.rules.algorithm === 'legacy-loop'
              ? 'cannot-sleep'
              : 'gfp-atomic'
          : value === 'legacy'
            ? 'none'
            : choice.rules.highatomicFlag === 'none'
              ? 'non-blocking'
              : choice.rules.highatomicFlag;
      set(dep, from?.[dep] ?? fallback, `follows --rules ${part}`);
    }
  }
}

/** An axis value as typed: one of the axis's values, yes/no for a switch, or a release whose value it takes. */
function ruleValue(name: RuleName, text: string): { value: Rules[RuleName]; release?: Release } {
  const allowed = RULE_VALUES[name] as readonly unknown[];
  const lower = text.toLowerCase();
  const literal = allowed.find((v) => String(v).toLowerCase() === lower);
  if (literal !== undefined) return { value: literal as Rules[RuleName] };
  if (typeof allowed[0] === 'boolean') {
    if (['yes', 'on', '1'].includes(lower)) return { value: true };
    if (['no', 'off', '0'].includes(lower)) return { value: false };
  }
  if (/^v?\d+\.\d+/.test(text)) {
    const release = parseRelease(text);
    return { value: rulesOf(release).rules[name], release };
  }
  throw new InputError(
    `--rules ${name}: expected one of ${allowed.map(String).join(', ')}, or a release such as 6.3 to take its value from, found "${text}".`,
  );
}
