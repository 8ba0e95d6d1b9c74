// Option-value parsers shared by the commands: their errors become commander's "invalid argument", exit 2.

import { InvalidArgumentError } from 'commander';
import { InputError } from '../model.js';

/** Wraps a parser so its error message reaches the user as commander's invalid-argument message. */
export function optionParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message.replace(/^--[a-z-]+: /, ''));
    }
  };
}

/** A whole number of 0 or more; `what` names the option. */
export function wholeNumber(what: string): (text: string) => number {
  return optionParser((text: string): number => {
    if (!/^\d+$/.test(text.trim())) throw new InputError(`${what}: expected a whole number, found "${text}".`);
    return Number(text);
  });
}

/** A whole number from `min` to `max` (a sysctl's range); `what` names the option. */
export function boundedNumber(what: string, min: number, max: number): (text: string) => number {
  return optionParser((text: string): number => {
    const t = text.trim();
    if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) {
      throw new InputError(`${what}: expected a whole number from ${min} to ${max}, found "${text}".`);
    }
    return Number(t);
  });
}
