import type { LabEvent } from './event-ring.js'
import type { LabState, LabVm, Shaped } from './lab-state.js'

const vmLine = (vm: LabVm) =>
  `${vm.hostname} ${vm.state}${vm.linksDown.length > 0 ? ` (link down: net ${vm.linksDown.join(',')})` : ''}`

/** What one event says, in a line for a person (`xcluster events`). */
export function eventLine(event: LabEvent): string {
  const data = event.data as Record<string, unknown>
  const what = (() => {
    switch (event.kind) {
      case 'reset': {
        const state = event.data as LabState
        return state.vms.length === 0 ? `no VMs in ${state.stateDir}` : state.vms.map(vmLine).join(', ')
      }
      case 'state':
        return `${data.hostname} ${data.state}`
      case 'link':
        return `${data.hostname} net ${data.net} link ${data.up ? 'up' : 'down'}`
      case 'netem': {
        const shaped = event.data as Shaped
        return `${shaped.hostname} net ${shaped.net} netem ${shaped.netem || 'cleared'}`
      }
      case 'added':
        return `${vmLine(event.data as LabVm)} added`
      case 'removed':
        return `${data.hostname} removed`
      default:
        return `${event.kind} ${JSON.stringify(event.data)}`
    }
  })()
  return `${new Date().toISOString().slice(11, 23)} ${what}\n`
}
