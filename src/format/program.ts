// The command line described as data (commands, arguments, options, examples): what completion and man render.

/** What an option's value can be, for completion: fixed words, a folder, a file, or anything. */
export type ValueKind = readonly string[] | 'dir' | 'file' | 'any';

export interface OptionSpec {
  /** As the help shows them: "-q, --quiet", "--order <n>". */
  flags: string;
  /** Every name: ["-q", "--quiet"]. */
  names: string[];
  description: string;
  /** The value's placeholder ("n", "dir") when the option takes one. */
  value?: string;
  values?: ValueKind;
}

export interface ArgumentSpec {
  /** "[file...]", "<before>". */
  term: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  /** "buddyinfo check [options] [file...]". */
  usage: string;
  arguments: ArgumentSpec[];
  options: OptionSpec[];
  /** Example lines of its help, "$ " and all, with the headings between them. */
  examples: string[];
}

export interface ProgramSpec {
  name: string;
  version: string;
  description: string;
  /** The command run when the first word names none. */
  defaultCommand: string;
  /** The program's own options (--version, --help). */
  options: OptionSpec[];
  commands: CommandSpec[];
}
