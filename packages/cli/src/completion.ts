import {
  type Flags,
  type Operation,
  type OperationInput,
  XclusterError,
  defineOperation,
  overlayNamesOf,
} from '@xcluster/core/adapter'
import { COMMON_FLAGS, cliFlags } from './command-flags.js'
import { CLI_SUMMARIES } from './summaries.js'

/**
 * Each script asks `xcluster __complete WORD...` (the words so far, the last one being completed) for the candidates.
 */
const SCRIPTS: Record<string, string> = {
  bash: `# xcluster completion for bash: eval "$(xcluster completion bash)"
_xcluster() {
  local cur=\${COMP_WORDS[COMP_CWORD]} words line=\${COMP_LINE:0:COMP_POINT}
  read -ra words <<< "$line"
  [[ $line == *' ' ]] && words+=('')
  local candidate prefix=\${words[-1]%=*}=
  COMPREPLY=()
  # Each candidate is a line taken as it is: nothing in it is expanded (compgen -W would run a $(...) in a name).
  while IFS= read -r candidate; do
    # bash splits --flag=value at '=': complete the part after it.
    [[ $cur != *=* && \${words[-1]} == *=* ]] && candidate=\${candidate#"$prefix"}
    [[ $candidate == "\${cur#=}"* ]] && COMPREPLY+=("$candidate")
  done < <(xcluster __complete "\${words[@]:1}" 2>/dev/null)
  [[ \${COMPREPLY[0]} == *= ]] && compopt -o nospace
}
complete -F _xcluster xcluster
`,
  zsh: `# xcluster completion for zsh: eval "$(xcluster completion zsh)"
_xcluster() {
  local -a candidates
  # One candidate a line, each passed to compadd as one word: nothing in it is expanded.
  candidates=("\${(@f)$(xcluster __complete \${words[2,CURRENT]} 2>/dev/null)}")
  compadd -S '' -- "\${candidates[@]}"
}
compdef _xcluster xcluster
`,
  fish: `# xcluster completion for fish: xcluster completion fish | source
complete -c xcluster -f -a '(xcluster __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
}

export const completionOperation = defineOperation({
  name: 'completion',
  output: 'the completion script of the shell',
  summary: CLI_SUMMARIES.completion,
  usage: 'bash|zsh|fish',
  help: `Prints a script that completes xcluster's commands, their flags, the ids of the running VMs,
topology and overlay names. bash: eval "$(xcluster completion bash)" in ~/.bashrc; zsh: the same
with zsh; fish: xcluster completion fish | source.`,
  flags: {},
  stream: true,
  cliOnly: true,
  complete: () => Object.keys(SCRIPTS),
  async run(input) {
    const script = SCRIPTS[input.args[0] ?? '']
    if (!script || !Object.hasOwn(SCRIPTS, input.args[0]))
      throw new XclusterError(`say which shell: ${Object.keys(SCRIPTS).join(', ')}`)
    input.stdout(script)
    return 0
  },
})

const flagWords = (flags: Flags) =>
  Object.entries(flags).map(([name, spec]) => `--${name}${spec.type === 'string' ? '=' : ''}`)

/**
 * The candidates for the last of `words` (what follows `xcluster`): commands, then the command's
 * flags after a dash, values of --topology= and --overlays=, else what the command completes.
 */
export async function completions(
  words: string[],
  input: OperationInput,
  find: (name: string) => Promise<Operation | undefined>,
  commandNames: () => Promise<string[]>,
  settings: () => Promise<Flags>,
): Promise<string[]> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const at = before.findIndex((word) => !word.startsWith('-'))
  const command = at < 0 ? undefined : await find(before[at])
  const value = /^--(topology|overlays)=(.*)$/.exec(current)
  let candidates: string[]
  if (value) {
    const names =
      value[1] === 'topology'
        ? ((await (await find('topology'))?.complete?.(input, 1)) ?? [])
        : await overlayNamesOf(input)
    candidates = names.map((name) => `--${value[1]}=${name}`)
  } else if (current.startsWith('-'))
    candidates = flagWords({ ...(command && cliFlags(command)), ...COMMON_FLAGS, ...(await settings()) })
  else if (!command) candidates = await commandNames()
  else {
    const args = before.slice(at + 1).filter((word) => !word.startsWith('-'))
    candidates = command.verbatimArgs && args.length > 0 ? [] : ((await command.complete?.(input, args.length)) ?? [])
  }
  return candidates.filter((candidate) => candidate.startsWith(current))
}
