import type { TopologySpec } from '../spec.js'
import { at, leaf, router } from './parts.js'

export const xnet: TopologySpec = {
  name: 'xnet',
  description: 'the default: vms on net 1, testers on net 2, ECMP through every router',
  roles: {
    vm: { nets: [0, 1], setup: leaf({ routers: 1 }) },
    router: { nets: [0, 1, 2], setup: router([1, 2]) },
    tester: { nets: [0, 2], setup: leaf({ routers: 2 }) },
  },
}

export const multilan: TopologySpec = {
  name: 'multilan',
  description: 'xnet, and vms also attached to nets 3, 4, 5 left without addresses',
  routers: 2,
  roles: {
    vm: { nets: [0, 1, 3, 4, 5], setup: leaf({ routers: 1 }, { unaddressed: [3, 4, 5] }) },
    router: { nets: [0, 1, 2], setup: router([1, 2]) },
    tester: { nets: [0, 2], setup: leaf({ routers: 2 }) },
  },
}

export const multilanRouter: TopologySpec = {
  name: 'multilan-router',
  description: 'multilan, and vm-202 also on nets 3-5; those nets take addresses from the template when one is given',
  routers: 2,
  roles: {
    vm: { nets: [0, 1, 3, 4, 5], setup: leaf({ routers: 1 }, { templateNets: [3, 4, 5] }) },
    router: { nets: [0, 1, 2], setup: router([1, 2]) },
    tester: { nets: [0, 2], setup: leaf({ routers: 2 }) },
  },
  groups: [{ ids: 202, nets: [0, 1, 2, 3, 4, 5], setup: { ...router([1, 2]), templateNets: [3, 4, 5] } }],
}

export const evilTester: TopologySpec = {
  name: 'evil_tester',
  description: 'vm-222 is a tester that routes: the routers reach net 2 through it over net 3',
  testers: 2,
  minTesters: 2,
  roles: {
    vm: { nets: [0, 1], setup: leaf({ routers: 1 }) },
    router: { nets: [0, 1, 3], setup: router([1, 2], [{ to: 2, via: at(222, 3) }]) },
    tester: { nets: [0, 2], setup: leaf(at(222, 2)) },
  },
  groups: [{ ids: 222, nets: [0, 3, 2], setup: { forward: true, routes: [{ to: 'default', via: { routers: 3 } }] } }],
}

export const backend: TopologySpec = {
  name: 'backend',
  description: 'vms reach the routers on a frontend net 3; net 1 is a backend with no router',
  routers: 2,
  roles: {
    vm: { nets: [0, 1, 3], setup: leaf(at(201, 3)) },
    router: { nets: [0, 3, 2], setup: router([3, 2]) },
    tester: { nets: [0, 2], setup: leaf(at(201, 2)) },
  },
}

export const bridge: TopologySpec = {
  name: 'bridge',
  description: 'vm-201 bridges nets 1 and 2 into one segment; testers on net 2 are addressed on net 1',
  routers: 1,
  roles: {
    vm: { nets: [0, 1], setup: leaf(at(201, 1)) },
    router: { nets: [0, 1, 2], setup: { ...router([1]), bridge: { name: 'br1', members: [1, 2], net: 1 } } },
    tester: { nets: [0, 2], setup: leaf(at(201, 1), { addressAs: { 2: 1 } }) },
  },
}
