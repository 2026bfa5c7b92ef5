// The command line of @xcluster/core: what a plugin package's commands build on, and main.
export {
  type Command,
  type CommandInput,
  type FlagSpec,
  type Flags,
  type FlagValues,
  defineCommand,
} from './command.js'
export { main } from './main.js'
export { PICTURE_FLAGS, printPicture, wantsPicture } from './print-picture.js'
export { remoteQuote } from '../vm/ssh.js'
export { clusterOf, configOf } from './cluster-of.js'
