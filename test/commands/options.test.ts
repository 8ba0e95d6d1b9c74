// A refused option value is one sentence naming the option and the value as typed, with exit status 2.

import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { expected, nameRefusedValues } from '../../src/commands/options.js';
import { InputError } from '../../src/model.js';
import { fakeIo } from '../helpers/io.js';

async function run(argv: string[]) {
  const io = fakeIo({ files: { 'b.txt': 'Node 0, zone Normal 1 1\n' } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('nameRefusedValues', () => {
  /** A program of one command with a parsed option, a choices option and a parsed argument, each refusing "bad". */
  function program(): Command {
    const prog = new Command('p').exitOverride();
    prog
      .command('c')
      .argument('[size]', 'a size', (v: string) => {
        if (v === 'bad') throw expected('a size', 'c 4K');
        return v;
      })
      .option('--level <n>', 'a level', (v: string) => {
        if (v === 'bad') throw expected('a level', '--level 2');
        return Number(v);
      })
      .addOption(new Option('--mode <m>', 'a mode').choices(['fast', 'slow']))
      .option('--broken <x>', 'a parser with a bug', () => {
        throw new TypeError('a bug');
      })
      .action(() => undefined);
    nameRefusedValues(prog);
    return prog;
  }
  const refusal = async (argv: string[]): Promise<unknown> => program().parseAsync(argv, { from: 'user' }).then(() => undefined, (e: unknown) => e);

  it('says the option as typed and the value, then the reason the parser gave', async () => {
    const e = await refusal(['c', '--level', 'bad']);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe('--level bad: expected a level, e.g. --level 2.');
    expect(((await refusal(['c', '--level=bad'])) as Error).message).toBe('--level bad: expected a level, e.g. --level 2.');
  });

  it('names a choice option its choices, and an argument by its name', async () => {
    expect(((await refusal(['c', '--mode', 'medium'])) as Error).message).toBe('--mode medium: expected one of fast, slow.');
    expect(((await refusal(['c', 'bad'])) as Error).message).toBe('size bad: expected a size, e.g. c 4K.');
  });

  it('quotes a value that is empty or holds a space', async () => {
    expect(((await refusal(['c', '--mode', ''])) as Error).message).toBe('--mode "": expected one of fast, slow.');
    expect(((await refusal(['c', '--mode', 'very fast'])) as Error).message).toBe('--mode "very fast": expected one of fast, slow.');
  });

  it("lets a parser's own bug through as it is", async () => {
    const e = await refusal(['c', '--broken', 'x']);
    expect(e).toBeInstanceOf(TypeError);
  });
});

describe('refused values on the command line', () => {
  it.each([
    [['check', '--order', '64', 'b.txt'], '--order 64: expected an order from 0 to 63 (the block of 2^order pages), e.g. --order 4.'],
    [['check', '--min', '-5', 'b.txt'], '--min -5: expected a whole number of pages, e.g. --min 1024.'],
    [['check', '--mark', 'medium', 'b.txt'], '--mark medium: expected one of min, low, high.'],
    [['check', '--flag', 'ALLOC_NOPE', 'b.txt'], '--flag ALLOC_NOPE: expected an alloc flag such as ALLOC_OOM or ALLOC_HIGH, e.g. --flag ALLOC_OOM.'],
    [['check', '--lowmem-reserve-ratio', '256,x', 'b.txt'], '--lowmem-reserve-ratio 256,x: expected whole numbers, one per zone type, e.g. --lowmem-reserve-ratio 256,256,32,0,0.'],
    [['--page-size', '3K', 'b.txt'], '--page-size 3K: expected a page size that is a power of two (512 bytes or more), e.g. --page-size 16K.'],
    [['history', '--order', '', 'b.txt'], '--order "": expected an order from 0 to 16 (the block of 2^order pages), e.g. --order 4.'],
    [['watch', '--interval', '50ms'], '--interval 50ms: expected a duration of 100ms or more, with ms, s, m or h (a bare number is seconds), e.g. --interval 5s.'],
    [['watch', 'soon'], 'interval soon: expected a duration of 100ms or more, with ms, s, m or h (a bare number is seconds), e.g. --interval 5s.'],
    [['report', '--extfrag-threshold', '1001', 'b.txt'], '--extfrag-threshold 1001: expected a whole number from 0 to 1000, e.g. --extfrag-threshold 500.'],
  ])('%j', async (argv, sentence) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`buddyinfo: ${sentence}\n`);
  });

  it('an unknown option still gets its suggestion and the pointer to --help', async () => {
    const r = await run(['check', '--ordr', '4', 'b.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: unknown option \'--ordr\'\n(Did you mean --order?)\n(run "buddyinfo --help" for usage)\n');
  });
});

describe('an option given without its value', () => {
  it('says which option wants a value and how it is written, exit 2', async () => {
    const io = fakeIo({});
    expect(await main(['check', '--order'], io)).toBe(2);
    expect(io.err()).toBe('buddyinfo: --order needs a value: --order <n>.\n(run "buddyinfo --help" for usage)\n');
  });
});
