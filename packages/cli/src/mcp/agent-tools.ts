import type { Operation } from '@xcluster/core/adapter'
import { callSchema } from '../served/operation-call.js'

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

/** An operation as an MCP tool: its name, what its help says, the JSON schema of its words, its hints. */
export function toolOf(operation: Operation) {
  return {
    name: operation.name,
    description:
      `${operation.summary}.\nUsage: xcluster ${operation.name} ${operation.usage}\n${operation.help}\n` +
      `Output: ${operation.output}`,
    inputSchema: callSchema(operation),
    annotations: { destructiveHint: DESTRUCTIVE.has(operation.name), readOnlyHint: READ_ONLY.has(operation.name) },
  }
}

/** `text` cut to OUTPUT_LIMIT characters, saying how much was left out. */
export function capped(text: string): string {
  if (text.length <= OUTPUT_LIMIT) return text
  return `${text.slice(0, OUTPUT_LIMIT)}\n[cut: ${text.length - OUTPUT_LIMIT} more characters; ask for less]`
}
