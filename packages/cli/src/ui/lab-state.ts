// The lab as the page draws it, and the events that turn one picture of it into the next.

/** A VM's state on the page: booting (its qemu runs, the guest is not up yet), up, paused (stop-vm), down. */
export type VmState = 'booting' | 'up' | 'paused' | 'down'

/** One VM as `status --json` reports it, its state as the page names it. */
export interface LabVm {
  id: number
  hostname: string
  role: string
  state: VmState
  nets: number[]
  ipv4: (string | null)[]
  linksDown: number[]
  /** The template of a clone. */
  template: string | null
  /** Its qemu's pid, while it runs. */
  pid: number | null
  /** Each NIC's interface on the host (a tap), where it has one. */
  hostLinks: (string | null)[]
}

/** One NIC's shaping, as `netem --show` reports it. */
export interface Shaped {
  hostname: string
  net: number
  netem: string
}

export interface LabState {
  stateDir: string
  vms: LabVm[]
  shaped: Shaped[]
}

export interface Change {
  kind: 'added' | 'removed' | 'state' | 'link' | 'netem'
  data: unknown
}

const byHostname = <T extends { hostname: string }>(items: T[]) => new Map(items.map((item) => [item.hostname, item]))
const nicKey = (shaped: { hostname: string; net: number }) => `${shaped.hostname} ${shaped.net}`

/** What changed from `before` to `after`: VMs added and removed, each VM's state, each link, each NIC's netem. */
export function changes(before: LabState, after: LabState): Change[] {
  const [old, now] = [byHostname(before.vms), byHostname(after.vms)]
  const out: Change[] = []
  for (const vm of before.vms) if (!now.has(vm.hostname)) out.push({ kind: 'removed', data: { hostname: vm.hostname } })
  for (const vm of after.vms) {
    const was = old.get(vm.hostname)
    if (was === undefined) {
      out.push({ kind: 'added', data: vm })
      continue
    }
    if (was.state !== vm.state) out.push({ kind: 'state', data: { hostname: vm.hostname, state: vm.state } })
    for (const net of vm.nets) {
      const [down, wasDown] = [vm.linksDown.includes(net), was.linksDown.includes(net)]
      if (down !== wasDown) out.push({ kind: 'link', data: { hostname: vm.hostname, net, up: !down } })
    }
  }
  const [oldShaped, nowShaped] = [before.shaped, after.shaped].map((list) => new Map(list.map((s) => [nicKey(s), s])))
  for (const [key, shaped] of nowShaped)
    if (oldShaped.get(key)?.netem !== shaped.netem) out.push({ kind: 'netem', data: shaped })
  for (const [key, shaped] of oldShaped)
    if (!nowShaped.has(key))
      out.push({ kind: 'netem', data: { hostname: shaped.hostname, net: shaped.net, netem: '' } })
  return out
}

/** The state after one change seen before the next full look (a VM's state QMP reported, a link's file). */
export function applied(state: LabState, change: Change): LabState {
  const on = (hostname: string, changed: (vm: LabVm) => LabVm) => ({
    ...state,
    vms: state.vms.map((vm) => (vm.hostname === hostname ? changed(vm) : vm)),
  })
  if (change.kind === 'state') {
    const { hostname, state: vmState } = change.data as { hostname: string; state: VmState }
    return on(hostname, (vm) => ({ ...vm, state: vmState }))
  }
  if (change.kind === 'link') {
    const { hostname, net, up } = change.data as { hostname: string; net: number; up: boolean }
    const others = (vm: LabVm) => vm.linksDown.filter((n) => n !== net)
    return on(hostname, (vm) => ({ ...vm, linksDown: up ? others(vm) : [...others(vm), net].sort((a, b) => a - b) }))
  }
  return state
}
