import { CORE_CATALOG, type Operation, type OperationEntry } from '@xcluster/core/adapter'
import { completionOperation } from './completion.js'
import { CLI_SUMMARIES } from './summaries.js'

const own = (name: keyof typeof CLI_SUMMARIES, load: () => Promise<Operation>): OperationEntry => ({
  name,
  summary: CLI_SUMMARIES[name],
  load,
})

/**
 * Every operation of core is a command, and so are those only the command line has: completion, servers, events.
 * Each is loaded when it runs: `xcluster --help` reads none of them.
 */
export const COMMANDS: readonly OperationEntry[] = [
  ...CORE_CATALOG,
  // Its module is the command line's own (it completes every command's words): loaded already.
  own('completion', async () => completionOperation),
  own('mcp', async () => (await import('./mcp-command.js')).mcpOperation),
  own('ui', async () => (await import('./ui-command.js')).uiOperation),
  own('events', async () => (await import('./events-command.js')).eventsOperation),
]
