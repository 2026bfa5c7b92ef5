export { default, default as bridge } from './bridge-plugin.js'
export { bridgeName, tapName } from './names.js'
export { tapNetArgs } from './tap-args.js'
