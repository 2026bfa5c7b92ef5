export { default, default as ovs } from './ovs-plugin.js'
export { ovsBridgeName } from './bridges.js'
export { checkOptions } from './options.js'
export type { Datapath, OvsOptions } from './options.js'
