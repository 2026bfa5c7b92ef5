// The command line of @xcluster/core: main, which reads a command line and runs its operation.
export { main } from './main.js'
