import { describe, expect, test } from '@jest/globals'
import { clusterIds } from '@xcluster/core'
import { TOPOLOGIES, templateAddress } from '../src/index.js'
import { configWith, planLines } from './plans.js'

describe('xnet, the default', () => {
  const plans = planLines('xnet', { nodes: 2, routers: 2, testers: 1 })
  test('a vm addresses eth1 on net 1 and routes by ECMP through every router, IPv4 and IPv6', () => {
    expect(plans['vm-001']).toEqual([
      'addr eth1 192.168.1.1/24',
      'addr eth1 1000::1:192.168.1.1/120',
      'route default 192.168.1.201 192.168.1.202',
      'route default 1000::1:192.168.1.201 1000::1:192.168.1.202',
    ])
  })
  test('a router forwards, masquerades nets 1 and 2 out of eth0, has IPv4 and IPv6 default routes to the host', () => {
    expect(plans['vm-201']).toEqual([
      'forward',
      'addr eth1 192.168.1.201/24',
      'addr eth1 1000::1:192.168.1.201/120',
      'addr eth2 192.168.2.201/24',
      'addr eth2 1000::1:192.168.2.201/120',
      'route default 192.168.0.250',
      'route default 1000::1:192.168.0.250',
      'nat 192.168.1.0/24',
      'nat 1000::1:192.168.1.0/120',
      'nat 192.168.2.0/24',
      'nat 1000::1:192.168.2.0/120',
    ])
  })
  test('a tester routes by ECMP through the routers on net 2', () => {
    expect(plans['vm-221']).toContain('route default 192.168.2.201 192.168.2.202')
  })
  test('without routers the vms get no default route', () => {
    expect(planLines('xnet', { nodes: 1, routers: 0 })['vm-001']).toEqual([
      'addr eth1 192.168.1.1/24',
      'addr eth1 1000::1:192.168.1.1/120',
    ])
  })
})

describe('dual-path: two disjoint paths (reference 11.2)', () => {
  const plans = planLines('dual-path', { nodes: 1 })
  test('needs 4 routers and 2 testers, with the nets of each', () => {
    const config = configWith('dual-path')
    expect(clusterIds(config)).toEqual([1, 2, 3, 4, 201, 202, 203, 204, 221, 222])
    expect([
      config.nets.vm,
      config.node[201].nets,
      config.node[202].nets,
      config.node[203].nets,
      config.node[204].nets,
      config.nets.tester,
    ]).toEqual([
      [0, 1, 4],
      [0, 1, 3],
      [0, 4, 5],
      [0, 3, 2],
      [0, 5, 6],
      [0, 2, 6],
    ])
  })
  test('a vm defaults via 1.201, sends what leaves eth2 by table 300 via 4.202, and reaches net 6 via 4.202', () => {
    expect(plans['vm-001']).toEqual(
      expect.arrayContaining([
        'rule eth2 300',
        'route default 192.168.1.201',
        'route table 300 default 192.168.4.202',
        'route 192.168.6.0/24 192.168.4.202',
      ]),
    )
  })
  test('201 and 203 are path A with NAT; 202 and 204 are path B without', () => {
    expect(plans['vm-201']).toEqual(
      expect.arrayContaining([
        'route 192.168.2.0/24 192.168.3.203',
        'route 192.168.6.0/24 192.168.3.203',
        'nat 192.168.1.0/24',
      ]),
    )
    expect(plans['vm-203']).toEqual(
      expect.arrayContaining([
        'route 192.168.1.0/24 192.168.3.201',
        'route 192.168.4.0/24 192.168.3.201',
        'nat 192.168.2.0/24',
      ]),
    )
    expect(plans['vm-202']).toEqual(
      expect.arrayContaining(['route 192.168.6.0/24 192.168.5.204', 'route 192.168.2.0/24 192.168.5.204']),
    )
    expect(plans['vm-204']).toEqual(
      expect.arrayContaining(['route 192.168.4.0/24 192.168.5.202', 'route 192.168.1.0/24 192.168.5.202']),
    )
    expect(plans['vm-202'].filter((l) => l.startsWith('nat'))).toEqual([])
  })
  test('a tester defaults via 2.203 and reaches net 4 via 6.204', () => {
    expect(plans['vm-221']).toEqual(
      expect.arrayContaining([
        'route default 192.168.2.203',
        'rule eth2 300',
        'route table 300 default 192.168.6.204',
        'route 192.168.4.0/24 192.168.6.204',
      ]),
    )
  })
})

describe('the other topologies of the reference', () => {
  test('multihop chains 201-202-203', () => {
    const plans = planLines('multihop', { nodes: 1, testers: 1 })
    expect(plans['vm-001']).toContain('route default 192.168.1.201')
    expect(plans['vm-202']).toEqual(
      expect.arrayContaining([
        'route 192.168.1.0/24 192.168.3.201',
        'route 192.168.2.0/24 192.168.4.203',
        'route default 192.168.0.250',
      ]),
    )
    expect(plans['vm-221']).toContain('route default 192.168.2.203')
  })
  test('zones: vms 10-19 on net 3 via 3.201, 20-29 on net 4 via 4.201, planned for scaleout', () => {
    const plans = planLines('zones', { nodes: 1 })
    expect(plans['vm-010']).toEqual(
      expect.arrayContaining(['addr eth1 192.168.3.10/24', 'route default 192.168.3.201']),
    )
    expect(plans['vm-020']).toEqual(
      expect.arrayContaining(['addr eth1 192.168.4.20/24', 'route default 192.168.4.201']),
    )
    expect(plans['vm-201'].filter((l) => l.startsWith('nat') && !l.includes(':'))).toEqual([
      'nat 192.168.1.0/24',
      'nat 192.168.2.0/24',
      'nat 192.168.3.0/24',
      'nat 192.168.4.0/24',
    ])
    expect(configWith('zones').node[201]).toEqual({ mem: 192, smp: 3 })
  })
  test('backend: vms route via the frontend net 3', () => {
    const plans = planLines('backend', { nodes: 1, testers: 1 })
    expect(plans['vm-001']).toEqual(
      expect.arrayContaining(['addr eth1 192.168.1.1/24', 'addr eth2 192.168.3.1/24', 'route default 192.168.3.201']),
    )
    expect(plans['vm-221']).toContain('route default 192.168.2.201')
  })
  test('bridge: vm-201 bridges eth1 and eth2 as br1 on net 1; testers on net 2 take net 1 addresses', () => {
    const plans = planLines('bridge', { nodes: 1, testers: 1 })
    expect(plans['vm-201']).toEqual(
      expect.arrayContaining(['bridge br1 00:00:01:01:01:c9 eth1 eth2', 'addr br1 192.168.1.201/24']),
    )
    expect(plans['vm-221']).toEqual(
      expect.arrayContaining(['addr eth1 192.168.1.221/24', 'route default 192.168.1.201']),
    )
  })
  test('multilan leaves nets 3-5 unaddressed', () => {
    expect(
      planLines('multilan', { nodes: 1 })['vm-001'].filter((l) => l.startsWith('addr') && !l.includes(':')),
    ).toEqual(['addr eth1 192.168.1.1/24'])
  })
  test('multilan-router addresses nets 3-5 of the vms and vm-202 from the template', () => {
    const plans = planLines('multilan-router', { nodes: 1 }, { addressTemplate: '169.254.0.0/20/24' })
    expect(plans['vm-001']).toEqual(
      expect.arrayContaining([
        'addr eth2 169.254.3.1/24',
        'addr eth2 1000::1:169.254.3.1/120',
        'addr eth4 169.254.5.1/24',
      ]),
    )
    expect(plans['vm-202']).toEqual(expect.arrayContaining(['addr eth5 169.254.5.202/24']))
  })
  test('evil_tester: vm-222 routes between nets 3 and 2; the routers reach net 2 through it', () => {
    const plans = planLines('evil_tester', { nodes: 1 })
    expect(plans['vm-201']).toContain('route 192.168.2.0/24 192.168.3.222')
    expect(plans['vm-222']).toEqual(expect.arrayContaining(['forward', 'route default 192.168.3.201 192.168.3.202']))
    expect(plans['vm-221']).toContain('route default 192.168.2.222')
  })
  test('diamond: ECMP across the middle routers', () => {
    const plans = planLines('diamond', { nodes: 1 })
    expect(plans['vm-201']).toContain('route 192.168.2.0/24 192.168.3.203 192.168.4.204')
    expect(plans['vm-202']).toContain('route 192.168.1.0/24 192.168.5.203 192.168.6.204')
    expect(plans['vm-203']).toEqual(
      expect.arrayContaining(['route 192.168.1.0/24 192.168.3.201', 'route 192.168.2.0/24 192.168.5.202']),
    )
    expect(plans['vm-221']).toContain('route default 192.168.2.202')
  })
  test('x-diamond: 206 reaches net 1 via 6.204 and net 2 via 8.202', () => {
    const plans = planLines('x-diamond', { nodes: 1 })
    expect(plans['vm-206']).toEqual(
      expect.arrayContaining(['route 192.168.1.0/24 192.168.6.204', 'route 192.168.2.0/24 192.168.8.202']),
    )
    expect(plans['vm-202']).toContain('route 192.168.1.0/24 192.168.7.205 192.168.8.206')
  })
  test('every topology plans its own sample cluster without a missing gateway', () => {
    for (const spec of TOPOLOGIES) expect(() => planLines(spec.name)).not.toThrow()
  })
})

describe("the address template (the shell tool's mkadr)", () => {
  test.each([
    ['192.168.128.0/17/24', 3, 12, '192.168.131.12'],
    ['169.254.0.0/20/24', 3, 1, '169.254.3.1'],
    ['169.254.0.0/20/24', 5, 202, '169.254.5.202'],
  ])('%s net %i host %i is %s', (template, net, host, address) => {
    expect(templateAddress(template, net, host)).toEqual({ address, length: 24 })
  })
  test('a net or host too large is refused', () => {
    expect(() => templateAddress('169.254.0.0/20/24', 16, 1)).toThrow('Net too large [16]')
    expect(() => templateAddress('169.254.0.0/20/24', 3, 256)).toThrow('Host too large [256]')
  })
})
