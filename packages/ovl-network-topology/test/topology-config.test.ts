import { describe, expect, test } from '@jest/globals'
import { configProblems } from '@xcluster/test-support/config-problems'
import type { TopologySpec } from '../src/index.js'
import { configWith, planLines } from './plans.js'

const problems = configProblems

describe('a topology sets defaults and refuses contradictions', () => {
  test('its counts and nets are defaults the user may leave alone', () => {
    const config = configWith('multihop')
    expect([config.routers, config.node[202].nets]).toEqual([3, [0, 3, 4]])
  })
  test('an explicit router count that contradicts it is an error naming the option as spelled', () => {
    expect(problems(() => configWith('dual-path', {}, { nrouters: '2' }))).toEqual([
      '--nrouters=2: topology dual-path needs exactly 4 routers',
    ])
    expect(problems(() => configWith('dual-path', { routers: 3 }))).toEqual([
      'routers=3: topology dual-path needs exactly 4 routers',
    ])
  })
  test('explicit nets that contradict it, for a role or a node, are errors', () => {
    expect(problems(() => configWith('dual-path', { nets: { vm: [0, 1] }, node: { 202: { nets: [0, 4] } } }))).toEqual([
      'nets.vm=[0,1]: topology dual-path attaches vms to nets 0,1,4 first',
      'node.202.nets=[0,4]: topology dual-path attaches node 202 to nets 0,4,5 first',
    ])
  })
  test('too few testers for evil_tester is an error', () => {
    expect(problems(() => configWith('evil_tester', { testers: 1 }))).toEqual([
      'testers=1: topology evil_tester needs at least 2 testers',
    ])
  })
  test("settings it does not care about are the user's", () => {
    expect(configWith('dual-path', { mem: 256, nodes: 2 }).mem).toBe(256)
  })
})

describe("a topology of the user's own, in the same data form", () => {
  const twoNets: TopologySpec = {
    name: 'two-nets',
    description: 'vms on net 1 and net 7, one router between them',
    routers: 1,
    roles: {
      vm: { nets: [0, 1], setup: { routes: [{ to: 7, via: { node: 201, net: 1 } }] } },
      router: { nets: [0, 1, 7], setup: { forward: true } },
      tester: { nets: [0, 7], setup: { routes: [{ to: 1, via: { node: 201, net: 7 } }] } },
    },
  }
  test('is planned like the built-in ones', () => {
    expect(planLines(twoNets as never, { nodes: 1, testers: 1 })['vm-221']).toContain(
      'route 192.168.1.0/24 192.168.7.201',
    )
  })
  test('is refused when a route names a gateway that is not on that net', () => {
    const broken: TopologySpec = {
      ...twoNets,
      name: 'broken',
      roles: { ...twoNets.roles, vm: { nets: [0, 1], setup: { routes: [{ to: 7, via: { node: 201, net: 2 } }] } } },
    }
    expect(problems(() => planLines(broken as never, { nodes: 1 }))).toEqual([
      'topology broken, vm-001="via net 2": vm-001 is not on net 2',
      'topology broken, vm-001="192.168.2.201": the gateway vm-201 has no address on net 2',
    ])
  })
  test('is refused when a route names a node that is not in the cluster', () => {
    const farRouter: TopologySpec = {
      ...twoNets,
      name: 'far-router',
      roles: { ...twoNets.roles, vm: { nets: [0, 1], setup: { routes: [{ to: 7, via: { node: 205, net: 1 } }] } } },
    }
    expect(problems(() => planLines(farRouter as never, { nodes: 1 }))).toEqual([
      'topology far-router, vm-001="192.168.1.205": the gateway vm-205 is not in the cluster',
    ])
  })
})
