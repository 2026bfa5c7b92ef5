export { default, default as ovn } from './ovn-plugin.js'
export type { OvnOptions } from './ovn-options.js'
export { operations } from './host-agent.js'
