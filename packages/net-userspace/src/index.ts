export { default, default as userspace } from './userspace-plugin.js'
export { multicastGroup, socketNetArgs, userNetArgs } from './userspace-args.js'
