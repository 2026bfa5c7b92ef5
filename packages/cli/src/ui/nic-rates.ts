import { readFile } from 'node:fs/promises'
import type { LabVm } from './lab-state.js'

/** What a NIC moved per second, from the VM's side: what it sent and what it received (bytes). */
export interface NicRate {
  sent: number
  received: number
}

/** Each VM's NICs' rates, in the order of its nets: null where the NIC has no interface on the host ("n/a"). */
export type Rates = Record<string, (NicRate | null)[]>

/** The counters of the interfaces of the network namespace process `pid` runs in (/proc/PID/net/dev), by name. */
export async function interfaceCounters(pid: number): Promise<Map<string, { rx: number; tx: number }>> {
  const text = await readFile(`/proc/${pid}/net/dev`, 'utf8').catch(() => '')
  const counters = new Map<string, { rx: number; tx: number }>()
  for (const line of text.split('\n').slice(2)) {
    const [name, rest] = line.split(':')
    if (rest === undefined) continue
    const fields = rest.trim().split(/\s+/).map(Number)
    counters.set(name.trim(), { rx: fields[0], tx: fields[8] })
  }
  return counters
}

/**
 * Rates of the NICs that have an interface on the host (a tap of a bridge, OVS or OVN), from its counters read
 * where the VM's qemu runs (the namespace of its taps): what the tap receives is what the VM sent.
 */
export class NicRates {
  private last = new Map<string, { rx: number; tx: number; at: number }>()

  async sample(vms: LabVm[]): Promise<Rates> {
    const now = performance.now()
    const next = new Map<string, { rx: number; tx: number; at: number }>()
    const rates: Rates = {}
    for (const vm of vms) {
      const counters = vm.pid !== null && vm.hostLinks.some(Boolean) ? await interfaceCounters(vm.pid) : new Map()
      rates[vm.hostname] = vm.hostLinks.map((link) => {
        const counted = link === null ? undefined : counters.get(link)
        if (link === null || counted === undefined) return null
        const key = `${vm.pid} ${link}`
        next.set(key, { ...counted, at: now })
        const before = this.last.get(key)
        if (before === undefined) return { sent: 0, received: 0 }
        const seconds = (now - before.at) / 1000
        return { sent: (counted.rx - before.rx) / seconds, received: (counted.tx - before.tx) / seconds }
      })
    }
    this.last = next
    return rates
  }
}
