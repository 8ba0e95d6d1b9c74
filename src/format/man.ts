// The man page (roff, man macros), written at build time from the same commands, options and examples as --help.

import type { CommandSpec, OptionSpec, ProgramSpec } from './program.js';

/** Text as roff: backslashes and hyphens escaped, a leading dot or quote kept from reading as a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

/** An option as a tagged paragraph: the flags in bold, the value in italics, then its description. */
function option(o: OptionSpec): string {
  const flags = o.flags.replace(/([<[][^>\]]+[>\]])/g, '\u0000$1\u0001');
  const tag = roff(flags).replace(/\u0000/g, '\\fI').replace(/\u0001/g, '\\fR');
  return `.TP\n\\fB${tag}\\fR\n${roff(o.description)}`;
}

function examples(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  return `.PP\nExamples:\n.PP\n.nf\n.RS 4\n${lines.map((l) => roff(l.trim())).join('\n')}\n.RE\n.fi`;
}

/** A command's section; the default command's options are the page's OPTIONS, so they are not repeated. */
function command(c: CommandSpec, isDefault: boolean): string {
  const args = c.arguments.map((a) => `.TP\n\\fI${roff(a.term)}\\fR\n${roff(a.description)}`);
  return [
    `.SS ${roff(c.name)}`,
    `.B ${roff(c.usage)}`,
    '.PP',
    roff(c.description),
    ...args,
    ...(isDefault ? ['.PP', 'Its options are under OPTIONS above.'] : c.options.map(option)),
    examples(c.examples),
  ]
    .filter((s) => s !== '')
    .join('\n');
}

/** What no option says: where the input comes from, the exit statuses, the environment. */
const INPUT = `With no FILE and no \\-\\-proc, standard input is read when it is a file (buddyinfo < saved), a pipe
in a run started from a terminal (cat saved | buddyinfo), or a pipe in a run without a terminal that sends
within 0.1 s a buddyinfo, zoneinfo, pagetypeinfo or kernel log; in every other case (a terminal,
/dev/null, an empty input, a pipe without a terminal that stays silent, as ssh without \\-n and CI runners
give, or that sends other text, either said in a note) the live /proc is read. "\\-" always reads standard input; \\-\\-live
always reads /proc.`;

const EXIT = [
  ['0', 'success; for check, the allocation would succeed'],
  ['1', 'the verdict is a failure: check\'s allocation would not succeed'],
  ['2', 'bad usage or bad input, said in one line on standard error'],
  ['70', 'a bug in buddyinfo: the stack is printed with a request to report it'],
  ['130', 'interrupted with Ctrl\\-C'],
];

/** The whole page: name, synopsis, the default command's options, every command, input, exit status. */
export function manPage(p: ProgramSpec): string {
  const main = p.commands.find((c) => c.name === p.defaultCommand);
  const name = roff(p.name);
  return `${[
    `.TH ${p.name.toUpperCase()} 1 "" "${name} ${roff(p.version)}" "User Commands"`,
    '.SH NAME',
    `${name} \\- ${roff(p.description.replace(/^Analyse/, 'analyse'))}`,
    '.SH SYNOPSIS',
    `.B ${name}\n[\\fIoptions\\fR] [\\fIfile\\fR...]`,
    '.br',
    `.B ${name}\n\\fIcommand\\fR [\\fIoptions\\fR] [\\fIargs\\fR]`,
    '.SH DESCRIPTION',
    roff(p.description),
    '.PP',
    `Without a command, ${name} runs \\fB${roff(p.defaultCommand)}\\fR: the options below are its options.`,
    '.SH OPTIONS',
    ...(main?.options ?? []).map(option),
    ...p.options.filter((o) => !(main?.options ?? []).some((m) => m.flags === o.flags)).map(option),
    '.SH COMMANDS',
    ...p.commands.map((c) => command(c, c.name === p.defaultCommand)),
    '.SH INPUT',
    INPUT,
    '.SH EXIT STATUS',
    ...EXIT.map(([code, text]) => `.TP\n.B ${code}\n${text}`),
    '.SH ENVIRONMENT',
    '.TP\n.B NO_COLOR\nWhen set and not empty, no colour (\\-\\-color still forces it).',
    '.TP\n.B FORCE_COLOR\nColour even when standard output is not a terminal (0 or false: never).',
    '.SH FILES',
    '.TP\n.I /proc/buddyinfo, /proc/zoneinfo, /proc/pagetypeinfo, /proc/sys/vm/*\nWhat the live box is read from (pagetypeinfo is readable by root only from Linux 5.4).',
    '.SH SEE ALSO',
    '.BR proc (5)',
  ].join('\n')}\n`;
}
