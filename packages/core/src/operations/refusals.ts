import type { LaunchResult } from '../lifecycle/cluster.js'

/** A VM a start or scaleout refused because it runs. */
export type Refusal = { hostname: string; pid: number }

export function refusalsOf(refused: LaunchResult['refused']): Refusal[] {
  return refused.map(({ node, pid }) => ({ hostname: node.hostname, pid }))
}

/** One note per VM refused. */
export function refusalNotes(refused: Refusal[]): string[] {
  return refused.map(({ hostname, pid }) => `${hostname} is already running (pid ${pid}); not started again`)
}
