/** One check of a booted topology: a ping (IPv4, and IPv6 at the prefix's twin) or a name lookup. */
export type TopologyCheck = { from: number; ping: string } | { from: number; resolve: string }

/** How `topology test` boots a topology and what it checks there. */
export interface TopologyTest {
  /** Cluster settings for the test (smaller than the topology's defaults where the checks allow). */
  nodes: number
  testers?: number
  /** Nodes the topology has only after a scaleout (zones' 10-29). */
  scaleOut?: number[]
  checks: TopologyCheck[]
  /** Why the topology needs real bridges (taps on the host) and cannot run on user-space nets. */
  needsTaps?: string
}

/** The shell tool's base test: across the routers both ways, and the cluster's names from both ends. */
const base = (vm = '192.168.1.2', tester = '192.168.2.221'): TopologyCheck[] => [
  { from: 1, ping: tester },
  { from: 221, ping: vm },
  { from: 1, resolve: 'vm-221.xcluster' },
  { from: 221, resolve: 'vm-002.xcluster' },
]

/**
 * The checks of `network-topology.sh test` (reference 11.3), with names of the cluster instead of
 * a public one (tests send nothing off the machine), and checks of the same kind for bridge and
 * x-diamond, which the shell tool did not test.
 */
export const TOPOLOGY_TESTS: Record<string, TopologyTest> = {
  xnet: { nodes: 2, testers: 1, checks: base() },
  'dual-path': {
    nodes: 2,
    checks: [
      ...base(),
      { from: 1, ping: '192.168.6.221' },
      { from: 1, ping: '192.168.6.222' },
      { from: 221, ping: '192.168.4.1' },
      { from: 222, ping: '192.168.4.1' },
    ],
  },
  multihop: { nodes: 2, testers: 1, checks: base() },
  zones: {
    nodes: 2,
    testers: 1,
    scaleOut: [10, 20],
    checks: [
      ...base(),
      { from: 10, ping: '192.168.2.221' },
      { from: 1, ping: '192.168.3.10' },
      { from: 20, ping: '192.168.2.221' },
      { from: 1, ping: '192.168.4.20' },
      { from: 10, resolve: 'vm-221.xcluster' },
      { from: 20, resolve: 'vm-221.xcluster' },
    ],
  },
  // vm's net 1 is the backend, with no router on it: the frontend (net 3) is what the tester reaches.
  backend: {
    nodes: 2,
    testers: 1,
    checks: [
      { from: 1, ping: '192.168.2.221' },
      { from: 221, ping: '192.168.3.2' },
      { from: 1, resolve: 'vm-221.xcluster' },
    ],
  },
  // The router bridges nets 1 and 2: the tester, on net 2, has a net-1 address.
  bridge: {
    nodes: 2,
    testers: 1,
    needsTaps:
      'a bridge inside a VM loops frames on user-space (multicast socket) nets, which hand every frame back to its' +
      ' sender; run it in the cluster netns (`xcluster nsadd 1`, then `xcluster nsenter 1`) on bridges or OVS',
    checks: [
      { from: 1, ping: '192.168.1.221' },
      { from: 221, ping: '192.168.1.2' },
      { from: 221, ping: '192.168.1.201' },
      { from: 1, resolve: 'vm-221.xcluster' },
    ],
  },
  multilan: { nodes: 2, testers: 1, checks: base() },
  'multilan-router': { nodes: 2, testers: 1, checks: base() },
  evil_tester: { nodes: 2, checks: base() },
  diamond: { nodes: 2, checks: base() },
  'x-diamond': { nodes: 2, checks: base() },
}
