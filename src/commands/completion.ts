// `buddyinfo completion bash|zsh`: prints a shell completion script made from the program's own commands.

import { Argument, type Command } from 'commander';
import type { CliContext } from './context.js';
import { describeProgram } from './help.js';

export function register(prog: Command, ctx: CliContext): void {
  prog
    .command('completion')
    .description('print a completion script for bash or zsh, made from these commands and options')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(buddyinfo completion bash)                               this shell
  $ buddyinfo completion bash > /etc/bash_completion.d/buddyinfo      every bash, as root
  $ buddyinfo completion zsh > "\${fpath[1]}/_buddyinfo"               zsh, from its next start`,
    )
    .action(async (shell: 'bash' | 'zsh') => {
      // Loaded when asked for, so no other command pays for it.
      const { bashCompletion, zshCompletion } = await import('../format/completion.js');
      const spec = describeProgram(prog, ctx.version, ctx.defaultCommand);
      ctx.io.stdout.write(shell === 'bash' ? bashCompletion(spec) : zshCompletion(spec));
      ctx.exit(0);
    });
}
