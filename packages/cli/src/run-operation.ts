import { type Operation, type StreamInput, isStream } from '@xcluster/core/adapter'

/**
 * Runs an operation on the command line: a stream writes as it goes; a result is printed as JSON with `--json` (and
 * handed to `keepJson` as it is), else as its text, its notes on stderr; the exit status is the result's either way.
 * Returns the exit status.
 */
export async function runOperation(
  operation: Operation,
  input: StreamInput,
  keepJson: (json: unknown) => void = () => undefined,
): Promise<number> {
  if (isStream(operation)) return operation.run(input)
  const result = await operation.run(input)
  const { text, notes = [], exit = 0 } = operation.present(result, input)
  if (input.flags.json) {
    const json = operation.json ? operation.json(result) : result
    keepJson(json)
    input.stdout(`${JSON.stringify(json, null, 2)}\n`)
    return exit
  }
  input.stdout(text)
  for (const note of notes) input.stderr(`xcluster: ${note}\n`)
  return exit
}
