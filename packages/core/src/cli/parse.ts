/** `xcluster [--opt[=v]]... <command> [--opt[=v]]... [args...]`: options stop at the first plain word or `--`. */
export interface ParsedCommandLine {
  command: string | undefined
  options: Record<string, string>
  args: string[]
}

function takeOptions(words: string[], options: Record<string, string>): string[] {
  let k = 0
  for (; k < words.length; k++) {
    const word = words[k]
    if (word === '--') return words.slice(k + 1)
    if (word === '-h') {
      options.help = 'yes'
      continue
    }
    // `-o FILE`, as tcpdump and Graphviz spell it: the output file.
    // A -o at the end names no file: left empty, for the command to refuse.
    if (word === '-o') {
      options.output = words[++k] ?? ''
      continue
    }
    if (!word.startsWith('--')) break
    const eq = word.indexOf('=')
    // `--flag` alone means yes, as in the shell tool.
    if (eq < 0) options[word.slice(2)] = 'yes'
    else options[word.slice(2, eq)] = word.slice(eq + 1)
  }
  return words.slice(k)
}

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  // No prototype: `--__proto__=1` is an option like any other (and then refused as unknown).
  const options: Record<string, string> = Object.create(null)
  const rest = takeOptions(argv, options)
  const [command, ...afterCommand] = rest
  return { command, options, args: command === undefined ? [] : takeOptions(afterCommand, options) }
}

/** Moves `--opt[=v]` words that follow a command's arguments into its options (`doctor dns --json`). */
export function optionsAmongArgs(args: string[], options: Record<string, string>): string[] {
  const rest: string[] = []
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--') return [...rest, ...args.slice(k + 1)]
    if (args[k].startsWith('--')) takeOptions([args[k]], options)
    else if (args[k] === '-o') takeOptions(args.slice(k, ++k + 1), options)
    else rest.push(args[k])
  }
  return rest
}
