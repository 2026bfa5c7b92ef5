import type { TopologySpec } from '../spec.js'
import { diamond, xDiamond } from './diamond-family.js'
import { dualPath, multihop, zones } from './path-family.js'
import { backend, bridge, evilTester, multilan, multilanRouter, xnet } from './xnet-family.js'

/** Every topology of the shell tool, by name. */
export const TOPOLOGIES: readonly TopologySpec[] = [
  xnet,
  dualPath,
  multihop,
  zones,
  backend,
  bridge,
  multilan,
  multilanRouter,
  evilTester,
  diamond,
  xDiamond,
]
