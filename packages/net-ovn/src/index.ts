export { default, default as ovn } from './ovn-plugin.js'
export type { OvnOptions } from './ovn-options.js'
export { commands } from './host-agent.js'
