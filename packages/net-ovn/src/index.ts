export { default, default as ovn } from './ovn-plugin.js'
export type { OvnOptions } from './ovn-options.js'
// Its setting, `hosts`: importing the package's types adds it to a config's (PluginSettings).
export { HOSTS_SETTING, type HostEntry } from './hosts-setting.js'
export { operations } from './host-agent.js'
