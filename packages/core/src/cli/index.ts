// The command line of @xcluster/core: what a plugin package's commands build on, and main.
export type { Command, CommandInput } from './command.js'
export { main } from './main.js'
export { PICTURE_FLAGS, PICTURE_HELP, printPicture, wantsPicture } from './print-picture.js'
export { remoteQuote, sshTarget } from './remote-shell.js'
export { clusterOf, configOf } from './session.js'
