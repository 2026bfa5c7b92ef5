import type { FlagSpec, Operation } from '@xcluster/core/adapter'
import { z } from '@xcluster/image/zod'

// The operations an agent gets as tools (`xcluster mcp`), each described and typed by its declaration. At most 15;
// none that holds a terminal (vm: a console is a person's) or that only the command line has.

/** Which operations are tools, in the order they are listed (topology: when its package is installed). */
export const TOOL_NAMES = [
  'status',
  'env',
  'start',
  'stop',
  'scaleout',
  'scalein',
  'reset-vm',
  'link',
  'netem',
  'rsh',
  'rcp',
  'tcpdump',
  'snapshot',
  'faults',
  'topology',
] as const

/** Tools that end or replace what runs (start restarts a running cluster): a client asks before it calls them. */
const DESTRUCTIVE = new Set(['start', 'stop', 'scalein', 'reset-vm', 'snapshot'])
const READ_ONLY = new Set(['status', 'env'])

/** What an agent's output is cut to: a tool's answer goes into its context. */
export const OUTPUT_LIMIT = 4000

function flagSchema(spec: FlagSpec): { type: string | string[]; description: string } {
  const type = spec.type === 'boolean' ? 'boolean' : spec.type === 'optional' ? ['string', 'boolean'] : 'string'
  return { type, description: spec.help }
}

/** An operation as an MCP tool: its name, what its help says, the JSON schema of its words, its hints. */
export function toolOf(operation: Operation) {
  const flags = Object.entries(operation.flags).map(([name, spec]) => [name, flagSchema(spec)] as const)
  return {
    name: operation.name,
    description:
      `${operation.summary}.\nUsage: xcluster ${operation.name} ${operation.usage}\n${operation.help}\n` +
      `Output: ${operation.output}`,
    inputSchema: {
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
    },
    annotations: { destructiveHint: DESTRUCTIVE.has(operation.name), readOnlyHint: READ_ONLY.has(operation.name) },
  }
}

const word = z.string().max(4096)
const callInput = z
  .object({
    args: z.array(word).max(256).optional(),
    flags: z.record(z.string().max(64), z.union([word, z.boolean()])).optional(),
    settings: z.record(z.string().max(64), word).optional(),
  })
  .strict()

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

/** `text` cut to OUTPUT_LIMIT characters, saying how much was left out. */
export function capped(text: string): string {
  if (text.length <= OUTPUT_LIMIT) return text
  return `${text.slice(0, OUTPUT_LIMIT)}\n[cut: ${text.length - OUTPUT_LIMIT} more characters; ask for less]`
}
