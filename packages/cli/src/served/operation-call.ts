import { spawn } from 'node:child_process'
import {
  type Operation,
  type StreamInput,
  coreOperations,
  isStream,
  messageOf,
  operationPackages,
  packageOperation,
} from '@xcluster/core/adapter'
import { z } from '@xcluster/image/zod'
import { commandInput } from '../command-input.js'
import { readWords } from '../parse-words.js'
import { runOperation } from '../run-operation.js'

// How the page (`xcluster ui`) and agents (`xcluster mcp`) call an operation: as the command line would, in a session
// of its own, with its output kept instead of written to a terminal.

/** The operations a page or an agent may call: core's and the installed packages', none that holds a terminal. */
export async function servedOperations(input: StreamInput): Promise<Operation[]> {
  const packages = await operationPackages(input)
  const names = packages.flatMap((pkg) => pkg.manifest.commands ?? [])
  const fromPackages = await Promise.all(names.map((name) => packageOperation(name, packages, input)))
  return [...(await coreOperations()), ...fromPackages.filter((operation) => operation !== undefined)].filter(
    (operation) => !operation.cliOnly && !operation.terminal,
  )
}

const word = z.string().max(4096)
const callInput = z
  .object({
    args: z.array(word).max(256).optional(),
    flags: z.record(z.string().max(64), z.union([word, z.boolean()])).optional(),
    settings: z.record(z.string().max(64), word).optional(),
  })
  .strict()

/** The JSON schema of a call's input: `{ args, flags, settings }`, its flags by the operation's declaration. */
export function callSchema(operation: Operation) {
  const flags = Object.entries(operation.flags).map(([name, spec]) => {
    const type = spec.type === 'boolean' ? 'boolean' : spec.type === 'optional' ? ['string', 'boolean'] : 'string'
    return [name, { type, description: spec.help }] as const
  })
  return {
    type: 'object' as const,
    properties: {
      args: {
        type: 'array',
        items: { type: 'string' },
        description: `the words after \`xcluster ${operation.name}\`, without its flags: ${operation.usage}`,
      },
      flags: { type: 'object', properties: Object.fromEntries(flags), additionalProperties: false },
      settings: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'cluster settings as the command line spells them, without `--`: { "nvm": "2" }',
      },
    },
    additionalProperties: false,
  }
}

/**
 * The words of a call as the command line would read them (the same code then checks them): its settings and flags
 * first, `--name=value` or `--name`/`--no-name`, then its args. Input of another shape is refused naming what is wrong.
 */
export function callWords(input: unknown): string[] {
  const parsed = callInput.safeParse(input ?? {})
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the input'}: ${issue.message}`).join('; '),
    )
  const { args = [], flags = {}, settings = {} } = parsed.data
  const option = ([name, value]: [string, string | boolean]) =>
    value === true ? `--${name}` : value === false ? `--no-${name}` : `--${name}=${value}`
  return [...Object.entries(settings).map(option), ...Object.entries(flags).map(option), ...args]
}

/** A program run to its end with its output kept (a page or an agent has no terminal to attach it to). */
function runKept(
  file: string,
  args: readonly string[],
  keep: (text: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((done) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], signal })
    child.stdout.on('data', (chunk) => keep(String(chunk)))
    child.stderr.on('data', (chunk) => keep(String(chunk)))
    child.on('error', (error) => {
      if (!signal?.aborted) keep(`${file}: ${error.message}\n`)
      done(1)
    })
    child.on('close', (code) => done(code ?? 1))
  })
}

/** What a call gave: everything it wrote, in order; a result operation's result (what `--json` prints); its status. */
export interface CallOutcome {
  output: string
  result?: unknown
  exit: number
  /** Why it stopped, when it threw (bad input, a failed step): its output ends before this. */
  error?: string
}

/**
 * Runs `xcluster NAME WORDS` as the command line would, in a session of its own, with the settings and options the
 * serving command was given first (`xcluster ui --state-dir=D` serves the cluster in D; the call's own words come
 * after and win); a result operation answers with its JSON (`--json`). Each piece of output goes to `keep` as it
 * comes (a fault timeline's steps as they fire); `signal` ends the program it attached (a capture's lines).
 */
export async function callOperation(
  operation: Operation,
  words: string[],
  base: StreamInput,
  keep: (text: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<CallOutcome> {
  let output = ''
  let result: unknown
  const write = (text: string) => {
    output += text
    keep(text)
  }
  const { cwd, host, defaultPlugins } = base.session.options
  words = [...Object.entries(base.options).map(([name, value]) => `--${name}=${value}`), ...words]
  const input = commandInput(operation.name, words, { cwd, host, defaultPlugins }, { stdout: write, stderr: write })
  input.host = { ...host, attach: (file, args) => runKept(file, args, write, signal) }
  try {
    Object.assign(input, await readWords(operation, isStream(operation) ? words : ['--json', ...words], input))
    if (operation.name === 'rsh' && input.args.length < 2) throw new Error('rsh needs a command: args ["ID", "CMD"]')
    const exit = await runOperation(operation, input, (json) => {
      result = json
    })
    return { output, result, exit }
  } catch (error) {
    return { output, exit: 1, error: messageOf(error) }
  }
}
