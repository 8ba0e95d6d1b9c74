// --format and --output for check, report and history: text, JSON or one HTML page, to stdout or a file.

import type { Command } from 'commander';
import { errnoText } from '../input/sources.js';
import type { Io } from '../io.js';
import { InputError } from '../model.js';
import { shown } from './options.js';

export type PageFormat = 'text' | 'json' | 'html';
export const PAGE_FORMATS: readonly PageFormat[] = ['text', 'json', 'html'];

/** The commands whose --format takes PAGE_FORMATS, so help and completion offer those. */
export const PAGE_COMMANDS = new WeakSet<Command>();

/** Adds --format and --output to a command. */
export function pageOptions(cmd: Command): Command {
  PAGE_COMMANDS.add(cmd);
  return cmd
    .option('--format <format>', 'text, json (the same as --json) or html (one self-contained page that opens offline)')
    .option('--output <file>', 'write to FILE instead of standard output: a temporary file in the same folder, renamed into place');
}

/** Reads --format and --json together; a bad or contradicting value is one sentence and exit status 2. */
export function resolvePageFormat(json: boolean, format: string | undefined): PageFormat {
  if (format === undefined) return json ? 'json' : 'text';
  const f = format.trim().toLowerCase() as PageFormat;
  if (!PAGE_FORMATS.includes(f)) throw new InputError(`--format ${shown(format)}: expected one of ${PAGE_FORMATS.join(', ')}.`);
  if (json && f !== 'json') throw new InputError(`--json asks for JSON but --format asks for ${f}: give one of them.`);
  return f;
}

/** Prints the text, or writes it atomically to --output. */
export async function emit(io: Io, output: string | undefined, text: string): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await io.writeOutput(output, text);
  } catch (err) {
    // Ctrl-C while a FIFO waits for its reader: the run stops as interrupted, not as a failed write.
    if (io.interrupt.aborted) throw err;
    throw new InputError(`cannot write ${output}: ${errnoText(err, 'its folder does not exist', 'it is a folder')}.`, output);
  }
}
