// Reports whose lines are not in one run: a header interrupted by another report, a dump whose header was cut off.

import type { Builder } from './report-builder.js';
import type { FailureReport } from './report-types.js';

/** Frames that only the allocation-failure path prints: warn_alloc (4.9+), warn_alloc_failed (to 4.8). */
const WARN_ALLOC_FRAME = /\bwarn_alloc(?:_failed)?\+0x/;
/** Frames of the OOM killer's dump: dump_header, oom_kill_process, out_of_memory. */
const OOM_FRAME = /\b(?:dump_header|oom_kill_process|out_of_memory|pagefault_out_of_memory)\+0x/;

/**
 * Watches the stack a dump_stack prints, so a Mem-Info block whose header is not in the excerpt (the
 * poster started at the CPU: line) can still be called an allocation failure or an OOM.
 */
export class StackWatch {
  private kind: 'allocation-failure' | 'oom' | undefined;

  /** A new report or stack starts: what was seen belongs to the one before. */
  reset(): void {
    this.kind = undefined;
  }

  line(text: string): void {
    // The OOM killer's own frames win: an OOM reached from the allocator's slow path has both.
    if (OOM_FRAME.test(text)) this.kind = 'oom';
    else if (WARN_ALLOC_FRAME.test(text)) this.kind ??= 'allocation-failure';
  }

  /** What the stack before a header-less dump shows it to be, if anything; consumed once asked. */
  take(): 'allocation-failure' | 'oom' | undefined {
    const k = this.kind;
    this.kind = undefined;
    return k;
  }
}

/**
 * Headers whose dump has not started when the next report begins. Two tasks failing at once interleave
 * on the console: a stall warning, then another task's whole OOM report, then the stall's own cpuset line,
 * stack and Mem-Info (kernel printk is per line, not per report). A header stays here until a line
 * naming its task (its cpuset line) takes it back up, or the input ends.
 */
export class Interrupted {
  private readonly waiting: { b: Builder; reason: { next: number } }[] = [];

  /** Keeps a header that has shown nothing of its dump yet; false when it has begun it (it is finished). */
  hold(b: Builder, reason: { next: number }): boolean {
    if (!b.header || b.zones.size > 0 || b.memInfoLine !== undefined) return false;
    this.waiting.push({ b, reason });
    return true;
  }

  /** The held header of this task, taken back up; undefined when none waits. */
  resume(comm: string): Builder | undefined {
    // One that already had its cpuset line, or a memory cgroup's lines, was not waiting for them.
    const i = this.waiting.findIndex((w) => w.b.report.process === comm && w.b.report.cpuset === undefined && !w.b.memcg);
    if (i < 0) return undefined;
    const [w] = this.waiting.splice(i, 1);
    return w?.b;
  }

  /** At the end of the input: every header still waiting, finished with the reason it stopped. */
  drain(finalize: (b: Builder, reason: { next: number }) => FailureReport): FailureReport[] {
    return this.waiting.splice(0).map((w) => finalize(w.b, w.reason));
  }
}
