import { type Operation, isStream } from '../contract/operation.js'

/** An operation and the package that declares it (`core`, or a plugin package's directory name). */
export interface DeclaredOperation {
  operation: Operation
  pkg: string
}

/**
 * What an adapter makes of it: a result (JSON), a stream (a program's output as it comes), a terminal (a console, a
 * shell: a person's), or none but the CLI.
 */
export function operationKind(operation: Operation): 'result' | 'stream' | 'terminal' | 'command line only' {
  if (operation.cliOnly) return 'command line only'
  if (operation.terminal) return 'terminal'
  return isStream(operation) ? 'stream' : 'result'
}

/**
 * The operations' reference (the table of docs/operations.md): a row per operation with its package, kind and what
 * it gives, in parentheses when that is no JSON result.
 */
export function operationsMarkdown(declared: readonly DeclaredOperation[]): string {
  const rows = declared.map(({ operation, pkg }) => {
    const kind = operationKind(operation)
    const output = operation.output.replaceAll('|', '\\|')
    return `| \`${operation.name}\` | ${pkg} | ${kind} | ${kind === 'result' ? output : `(${output})`} |`
  })
  return ['| command | package | kind | output (`--json` of a result) |', '|---|---|---|---|', ...rows].join('\n')
}
