// The top-level help, and the program described as data for the completion scripts and the man page.

import { Help, type Argument, type Command, type Option } from 'commander';
import { GFP_PROFILES } from '../analysis/gfp-request.js';
import type { OptionSpec, ProgramSpec, ValueKind } from '../format/program.js';
import { SHOW_FORMATS } from './show.js';
import { PAGE_COMMANDS, PAGE_FORMATS } from './page-output.js';

/**
 * `buddyinfo --help` lists what `buddyinfo` alone accepts: the default command's arguments and options
 * beside --version and --help, then every command with its summary. Set after the commands are
 * registered, so the commands keep commander's own help.
 */
export function topLevelHelp(prog: Command, defaultName: string, summaries: Readonly<Record<string, string>>): void {
  const main = prog.commands.find((c) => c.name() === defaultName);
  for (const cmd of prog.commands) {
    const summary = summaries[cmd.name()];
    if (summary !== undefined) cmd.summary(summary);
  }
  if (main === undefined) return;
  prog.usage(`[options] [${main.registeredArguments.map((a) => a.name()).join(' ')}...]\n       buddyinfo <command> [options] [args]`);
  prog.configureHelp({
    visibleOptions(this: Help, cmd: Command): Option[] {
      const own = Help.prototype.visibleOptions.call(this, cmd);
      return cmd === prog ? [...main.options.filter((o) => !o.hidden), ...own] : own;
    },
    visibleArguments(this: Help, cmd: Command): Argument[] {
      return Help.prototype.visibleArguments.call(this, cmd === prog ? main : cmd);
    },
    // "diff <before> <after>", without "[options]": the list stays one line per command at 80 columns.
    subcommandTerm(this: Help, cmd: Command): string {
      return [cmd.name(), ...cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' ');
    },
  });
}

/** Values completion can offer for options that take one; an option with choices offers those. */
const VALUES: Readonly<Record<string, ValueKind>> = {
  '--proc': 'dir',
  '--output': 'file',
  '--format': SHOW_FORMATS,
  '--gfp': GFP_PROFILES,
};

function optionSpec(o: Option, cmd?: Command): OptionSpec {
  const names = [o.short, o.long].filter((n): n is string => n !== undefined);
  const spec: OptionSpec = { flags: o.flags, names, description: o.description };
  if (o.required || o.optional) {
    spec.value = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? 'value';
    const page = o.long === '--format' && cmd !== undefined && PAGE_COMMANDS.has(cmd);
    spec.values = o.argChoices ?? (page ? PAGE_FORMATS : VALUES[o.long ?? '']) ?? 'any';
  }
  return spec;
}

/** A command's help as printed, examples included (they are added as text after commander's part). */
function helpText(cmd: Command): string {
  let text = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s: string) => void (text += s), getOutHelpWidth: () => 80 });
  cmd.outputHelp();
  cmd.configureOutput(saved);
  return text;
}

/** The example lines at the end of a help text, with their headings ("From a clone ..."). */
function examplesOf(help: string): string[] {
  const at = help.lastIndexOf('\nExamples:\n');
  if (at < 0) return [];
  return help
    .slice(at + '\nExamples:\n'.length)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

/** The program as data, from the same commander objects its --help is printed from. */
export function describeProgram(prog: Command, version: string, defaultName: string): ProgramSpec {
  const help = new Help();
  const own = help.visibleOptions(prog).filter((o) => !prog.commands.some((c) => c.name() === defaultName && c.options.includes(o)));
  return {
    name: prog.name(),
    version,
    description: prog.description(),
    defaultCommand: defaultName,
    options: own.map((o) => optionSpec(o)),
    commands: prog.commands.map((cmd) => ({
      name: cmd.name(),
      summary: cmd.summary() || cmd.description(),
      description: cmd.description(),
      usage: help.commandUsage(cmd),
      arguments: cmd.registeredArguments.map((a) => ({ term: help.argumentTerm(a), description: a.description })),
      options: help.visibleOptions(cmd).map((o) => optionSpec(o, cmd)),
      examples: examplesOf(helpText(cmd)),
    })),
  };
}
