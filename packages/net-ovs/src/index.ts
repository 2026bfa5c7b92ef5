export { default, default as ovs } from './ovs-plugin.js'
export { ovsBridgeName } from './bridges.js'
export { checkOptions } from './options.js'
export type { Datapath, OvsOptions } from './options.js'
// What other backends on Open vSwitch build on (@xcluster/net-ovn).
export { addressesOf, hostAddresses, moveAddresses } from './bridges.js'
export { clusterOvsAnswers, ownOvsEnvironment, startOwnOvs, stopOwnOvs } from './daemons.js'
export { linkExists } from './links.js'
export { vsctl } from './ovs-state.js'
