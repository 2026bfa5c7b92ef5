import { describe, expect, test } from '@jest/globals'
import { EventRing } from '../src/ui/event-ring.js'
import { type LabState, type LabVm, applied, changes } from '../src/ui/lab-state.js'

const vm = (hostname: string, more: Partial<LabVm> = {}): LabVm => ({
  id: Number(hostname.slice(3)),
  hostname,
  role: 'vm',
  state: 'up',
  nets: [0, 1],
  ipv4: [],
  linksDown: [],
  template: null,
  pid: 100,
  hostLinks: [null, null],
  ...more,
})
const lab = (vms: LabVm[], shaped: LabState['shaped'] = []): LabState => ({ stateDir: '/s', vms, shaped })

describe('the events of the lab', () => {
  test('a ring answers what a client missed, or nothing it can use when it is too far behind', () => {
    const ring = new EventRing(3, 'e')
    const first = ring.push('state', 1)
    const events = [2, 3, 4].map((n) => ring.push('state', n))
    expect(ring.since(events[0].id)?.map((event) => event.data)).toEqual([3, 4])
    expect(ring.since(ring.lastId())).toEqual([])
    expect(ring.since(first.id)).toBeUndefined()
    expect(ring.since('another-server.2')).toBeUndefined()
    expect(ring.lastId()).toBe('e.4')
  })

  test("changes: VMs added and removed, a VM's state, a link, a NIC's netem set and cleared", () => {
    const before = lab([vm('vm-001'), vm('vm-002')], [{ hostname: 'vm-001', net: 1, netem: 'delay 10ms' }])
    const after = lab(
      [vm('vm-001', { linksDown: [1] }), vm('vm-003', { state: 'booting' })],
      [{ hostname: 'vm-003', net: 1, netem: 'loss 1%' }],
    )
    expect(changes(before, after)).toEqual([
      { kind: 'removed', data: { hostname: 'vm-002' } },
      { kind: 'link', data: { hostname: 'vm-001', net: 1, up: false } },
      { kind: 'added', data: after.vms[1] },
      { kind: 'netem', data: { hostname: 'vm-003', net: 1, netem: 'loss 1%' } },
      { kind: 'netem', data: { hostname: 'vm-001', net: 1, netem: '' } },
    ])
    expect(changes(after, after)).toEqual([])
  })

  test('a state QMP reported is the state the next look compares with', () => {
    const before = lab([vm('vm-001'), vm('vm-002')])
    const paused = applied(before, { kind: 'state', data: { hostname: 'vm-002', state: 'paused' } })
    expect(paused.vms.map((v) => v.state)).toEqual(['up', 'paused'])
    expect(changes(paused, lab([vm('vm-001'), vm('vm-002', { state: 'paused' })]))).toEqual([])
    const down = applied(before, { kind: 'link', data: { hostname: 'vm-001', net: 1, up: false } })
    expect(down.vms.map((v) => v.linksDown)).toEqual([[1], []])
    expect(applied(down, { kind: 'link', data: { hostname: 'vm-001', net: 1, up: true } })).toEqual(before)
  })
})
