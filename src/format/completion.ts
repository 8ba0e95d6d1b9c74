// Shell completion scripts for bash and zsh, written from the program's commands and options.

import type { CommandSpec, OptionSpec, ProgramSpec } from './program.js';

/** A word list as one single-quoted shell word. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The bash `case "$cmd:$prev"` arms that complete an option's value: its words, a folder, a file, or
 * nothing. Keyed by command, since one option name takes other values elsewhere (show's --format has
 * table and prometheus, check's has text); the default command's arms have an empty command.
 */
function bashValueArms(groups: readonly { cmd: string; options: readonly OptionSpec[] }[]): string[] {
  const arms = new Map<string, string>();
  for (const g of groups) {
    for (const o of g.options) {
      if (o.values === undefined) continue;
      const action =
        o.values === 'dir'
          ? 'COMPREPLY=($(compgen -d -- "$cur"))'
          : o.values === 'file'
            ? 'COMPREPLY=($(compgen -f -- "$cur"))'
            : o.values === 'any'
              ? 'COMPREPLY=()'
              : `COMPREPLY=($(compgen -W ${quoted(o.values.join(' '))} -- "$cur"))`;
      for (const name of o.names) if (!arms.has(`${g.cmd}:${name}`)) arms.set(`${g.cmd}:${name}`, action);
    }
  }
  return [...arms].map(([key, action]) => `    ${key}) ${action}; return ;;`);
}

/**
 * bash: commands as the first word; then the options of the command typed (the default command's
 * when none is), the values of the option before the cursor, and files.
 */
export function bashCompletion(p: ProgramSpec): string {
  const names = p.commands.map((c) => c.name);
  const main = p.commands.find((c) => c.name === p.defaultCommand);
  const optionsOf = (c: CommandSpec | undefined, extra: readonly OptionSpec[] = []): string =>
    [...new Set([...(c?.options ?? []), ...extra].flatMap((o) => o.names))].join(' ');
  const groups = [...p.commands.map((c) => ({ cmd: c.name, options: c.options })), { cmd: '', options: [...(main?.options ?? []), ...p.options] }];
  const fn = `_${p.name.replace(/\W/g, '_')}`;
  return `# bash completion for ${p.name} ${p.version}, printed by \`${p.name} completion bash\`.
# Install: ${p.name} completion bash > /etc/bash_completion.d/${p.name}   (or: source <(${p.name} completion bash) in ~/.bashrc)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd=
  # Only the first word names a command: after an option, a command's name is a FILE of the default one.
  if ((COMP_CWORD > 1)); then
    case \${COMP_WORDS[1]} in
      ${names.join('|')}|help) cmd=\${COMP_WORDS[1]} ;;
    esac
  fi
  case "$cmd:$prev" in
${bashValueArms(groups).join('\n')}
  esac
  local opts
  case $cmd in
${p.commands.map((c) => `    ${c.name}) opts=${quoted(optionsOf(c))} ;;`).join('\n')}
    *) opts=${quoted(optionsOf(main, p.options))} ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -z $cmd && $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${quoted([...names, 'help'].join(' '))} -- "$cur") $(compgen -f -- "$cur"))
  elif [[ $cmd == help ]]; then
    COMPREPLY=($(compgen -W ${quoted(names.join(' '))} -- "$cur"))
  elif [[ $cmd == completion ]]; then
    COMPREPLY=($(compgen -W 'bash zsh' -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F ${fn} ${p.name}
`;
}

/**
 * Text for a zsh description: one line of at most 70 columns, brackets made parentheses (a "]" would
 * end an _arguments explanation), colons made dashes (a ":" ends a _describe name), quotes escaped.
 */
function zshText(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  const short = line.length > 70 ? `${line.slice(0, 67).replace(/\s+\S*$/, '')}...` : line;
  return short.replace(/\[/g, '(').replace(/]/g, ')').replace(/:/g, ' -').replace(/'/g, `'\\''`);
}

/** One _arguments spec per option name: "--mark[the watermark]:mark:(min low high)". */
function zshSpecs(options: readonly OptionSpec[]): string[] {
  return options.flatMap((o) => {
    const value =
      o.values === undefined
        ? ''
        : `:${o.value ?? 'value'}:${o.values === 'dir' ? '_files -/' : o.values === 'file' ? '_files' : o.values === 'any' ? ' ' : `(${o.values.join(' ')})`}`;
    return o.names.map((n) => `'${n}[${zshText(o.description)}]${value}'`);
  });
}

/** zsh: the same, through _arguments, with each command's summary shown beside its name. */
export function zshCompletion(p: ProgramSpec): string {
  const main = p.commands.find((c) => c.name === p.defaultCommand);
  const args = (c: CommandSpec | undefined, extra: readonly OptionSpec[] = []): string =>
    [...zshSpecs([...(c?.options ?? []), ...extra]), c?.name === 'completion' ? "'1:shell:(bash zsh)'" : "'*:file:_files'"].join(' \\\n        ');
  return `#compdef ${p.name}
# zsh completion for ${p.name} ${p.version}, printed by \`${p.name} completion zsh\`.
# Install: ${p.name} completion zsh > "\${fpath[1]}/_${p.name}", then start a new shell.
_${p.name}() {
  local -a commands
  commands=(
${p.commands.map((c) => `    '${c.name}:${zshText(c.summary)}'`).join('\n')}
    'help:show the help of a command'
  )
  local cmd=
  if (( CURRENT > 2 )); then
    case \${words[2]} in
      ${p.commands.map((c) => c.name).join('|')}|help) cmd=\${words[2]} ;;
    esac
  fi
  if [[ -n $cmd ]]; then
    shift words
    (( CURRENT-- ))
  fi
  case $cmd in
${p.commands.map((c) => `    ${c.name})\n      _arguments -s \\\n        ${args(c)} ;;`).join('\n')}
    help)
      (( CURRENT == 2 )) && _describe -t commands '${p.name} command' commands ;;
    *)
      if (( CURRENT == 2 )) && [[ \${words[CURRENT]} != -* ]]; then
        _describe -t commands '${p.name} command' commands
      fi
      _arguments -s \\
        ${args(main, p.options)} ;;
  esac
}
_${p.name} "$@"
`;
}
