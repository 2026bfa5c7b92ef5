// The command line of @xcluster/core: what a plugin package's commands build on, and main.
export type { Command, CommandInput } from './command.js'
export { main } from './main.js'
export { sshTarget } from './remote-shell.js'
export { clusterOf, configOf } from './session.js'
