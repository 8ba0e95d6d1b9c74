// Option-value parsers shared by the commands, and the one sentence a refused value gets: "--order 64: expected ...".

import type { Argument, Command, Option } from 'commander';
import { InputError } from '../model.js';

/**
 * What a parser throws when it refuses a value: what the option takes and a value it would take. The
 * option and the value as typed go before it (nameRefusedValues), so the parser says neither.
 */
export function expected(what: string, example: string): InputError {
  return new InputError(`expected ${what}, e.g. ${example}.`);
}

/** A whole number of 0 or more: `what` says of what ("a whole number of pages"), `example` a use ("--min 1024"). */
export function wholeNumber(what: string, example: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw expected(what, example);
    return Number(text);
  };
}

/** A whole number from `min` to `max` (a sysctl's range); `what` says of what, from and to added. */
export function boundedNumber(min: number, max: number, example: string, what = 'a whole number'): (text: string) => number {
  return (text) => {
    const t = text.trim();
    if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) throw expected(`${what} from ${min} to ${max}`, example);
    return Number(t);
  };
}

/** --order: an allocation order from 0 to `max`. */
export function orderNumber(max: number): (text: string) => number {
  return (text) => {
    const t = text.trim();
    if (!/^\d+$/.test(t) || Number(t) > max) throw expected(`an order from 0 to ${max} (the block of 2^order pages)`, '--order 4');
    return Number(t);
  };
}

/** A value as the message shows it: as typed, quoted when it is empty or holds a space or a quote. */
export function shown(value: string): string {
  return /^[^\s"'`]+$/.test(value) ? value : JSON.stringify(value);
}

/** commander's code for a value .choices() refuses, and for InvalidArgumentError. */
const INVALID = 'commander.invalidArgument';

/**
 * Runs a parser; a value it refuses becomes "NAME VALUE: reason". A value outside .choices() is said as
 * "expected one of ...". Any other error is a bug in the parser and goes on as it is.
 */
function refusing<T>(name: string, value: string, choices: readonly string[] | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const code = (err as { code?: unknown } | undefined)?.code;
    if (code === INVALID && choices !== undefined) throw new InputError(`${name} ${shown(value)}: expected one of ${choices.join(', ')}.`);
    if (err instanceof InputError || code === INVALID) throw new InputError(`${name} ${shown(value)}: ${(err as Error).message}`);
    throw err;
  }
}

function wrapOption(option: Option): void {
  const parse = option.parseArg;
  if (parse === undefined) return;
  const name = option.long ?? option.short ?? option.name();
  const wrapped = (value: string, previous: unknown): unknown => refusing(name, value, option.argChoices, () => parse.call(option, value, previous));
  option.parseArg = wrapped as Option['parseArg'];
}

function wrapArgument(argument: Argument): void {
  const parse = argument.parseArg;
  if (parse === undefined) return;
  const wrapped = (value: string, previous: unknown): unknown =>
    refusing(argument.name(), value, argument.argChoices, () => parse.call(argument, value, previous));
  argument.parseArg = wrapped as Argument['parseArg'];
}

/**
 * Every option and argument of `cmd` and its commands that parses its value says a refused one in one
 * sentence naming it and the value: "--order 64: expected an order from 0 to 63 (...), e.g. --order 4."
 * Left to commander it would read "option '--order <n>' argument '64' is invalid." before the reason.
 * The sentence is an InputError, so it is written as every other one is (cli.ts) and the exit status is 2.
 */
export function nameRefusedValues(cmd: Command): void {
  cmd.options.forEach(wrapOption);
  cmd.registeredArguments.forEach(wrapArgument);
  cmd.commands.forEach(nameRefusedValues);
}
