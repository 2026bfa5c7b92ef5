export { default, default as userspace } from './userspace-plugin.js'
export { forwardedEndpoint, multicastGroup, socketNetArgs, userNetArgs } from './userspace-args.js'
