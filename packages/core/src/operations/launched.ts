import type { Presentation } from '../contract/operation.js'
import type { LaunchResult } from '../lifecycle/cluster.js'
import { type StatusReport, presentStatus } from './status-rows.js'

/** A VM a start or scaleout refused because it runs. */
export type Refusal = { hostname: string; pid: number }

/** What a start or scaleout that booted VMs did: the VMs it refused, and the cluster's status after. */
export type Launched = { refused: Refusal[]; status: StatusReport }

export function launched(result: LaunchResult, status: StatusReport): Launched {
  return { refused: result.refused.map(({ node, pid }) => ({ hostname: node.hostname, pid })), status }
}

/** The status, a note per VM refused before its own notes; a refusal makes the exit status 1. */
export function presentLaunched({ refused, status }: Launched): Presentation {
  const shown = presentStatus(status)
  return {
    text: shown.text,
    notes: [
      ...refused.map(({ hostname, pid }) => `${hostname} is already running (pid ${pid}); not started again`),
      ...(shown.notes ?? []),
    ],
    exit: refused.length > 0 ? 1 : 0,
  }
}
