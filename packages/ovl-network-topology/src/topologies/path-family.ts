import type { TopologySpec } from '../spec.js'
import { at, leaf, router } from './parts.js'

export const dualPath: TopologySpec = {
  name: 'dual-path',
  description: 'two disjoint paths: net1-201-net3-203-net2 and net4-202-net5-204-net6',
  routers: 4,
  testers: 2,
  roles: {
    vm: {
      nets: [0, 1, 4],
      setup: leaf(at(201, 1), {
        rules: [{ net: 4, table: 300 }],
        routes: [
          { to: 'default', via: at(202, 4), table: 300 },
          { to: 6, via: at(202, 4) },
        ],
      }),
    },
    router: { nets: [0, 1, 2], setup: router([]) },
    tester: {
      nets: [0, 2, 6],
      setup: leaf(at(203, 2), {
        rules: [{ net: 6, table: 300 }],
        routes: [
          { to: 'default', via: at(204, 6), table: 300 },
          { to: 4, via: at(204, 6) },
        ],
      }),
    },
  },
  groups: [
    {
      ids: 201,
      nets: [0, 1, 3],
      setup: router(
        [1],
        [
          { to: 2, via: at(203, 3) },
          { to: 6, via: at(203, 3) },
        ],
      ),
    },
    {
      ids: 202,
      nets: [0, 4, 5],
      setup: router(
        [],
        [
          { to: 6, via: at(204, 5) },
          { to: 2, via: at(204, 5) },
        ],
      ),
    },
    {
      ids: 203,
      nets: [0, 3, 2],
      setup: router(
        [2],
        [
          { to: 1, via: at(201, 3) },
          { to: 4, via: at(201, 3) },
        ],
      ),
    },
    {
      ids: 204,
      nets: [0, 5, 6],
      setup: router(
        [],
        [
          { to: 4, via: at(202, 5) },
          { to: 1, via: at(202, 5) },
        ],
      ),
    },
  ],
}

export const multihop: TopologySpec = {
  name: 'multihop',
  description: 'a chain of three routers: net1-201-net3-202-net4-203-net2',
  routers: 3,
  roles: {
    vm: { nets: [0, 1], setup: leaf(at(201, 1)) },
    router: { nets: [0, 1, 2], setup: router([]) },
    tester: { nets: [0, 2], setup: leaf(at(203, 2)) },
  },
  groups: [
    { ids: 201, nets: [0, 1, 3], setup: router([1], [{ to: 2, via: at(202, 3) }]) },
    {
      ids: 202,
      nets: [0, 3, 4],
      setup: router(
        [],
        [
          { to: 1, via: at(201, 3) },
          { to: 2, via: at(203, 4) },
        ],
      ),
    },
    { ids: 203, nets: [0, 4, 2], setup: router([2], [{ to: 1, via: at(202, 4) }]) },
  ],
}

export const zones: TopologySpec = {
  name: 'zones',
  description: 'vms 10-19 in zone net 3, vms 20-29 in zone net 4, the others on net 1; every router on every net',
  roles: {
    vm: { nets: [0, 1], setup: leaf(at(201, 1)) },
    router: { nets: [0, 1, 2, 3, 4], setup: router([1, 2, 3, 4]), mem: 192, smp: 3 },
    tester: { nets: [0, 2], setup: leaf(at(201, 2)) },
  },
  groups: [
    { ids: [10, 19], nets: [0, 3], setup: leaf(at(201, 3)) },
    { ids: [20, 29], nets: [0, 4], setup: leaf(at(201, 4)) },
  ],
}
