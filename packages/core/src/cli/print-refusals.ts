import type { LaunchResult } from '../lifecycle/cluster.js'
import type { CommandInput } from './command.js'

/** One line per VM a start or scaleout refused because it runs. */
export function printRefusals(refused: LaunchResult['refused'], command: string, input: CommandInput): void {
  for (const { node, pid } of refused)
    input.stderr(`xcluster ${command}: ${node.hostname} is already running (pid ${pid}); not started again\n`)
}
