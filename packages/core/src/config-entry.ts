// What a config file imports: `defineConfig` and the types of a config, without the rest of core. A command reads the
// config file before it knows whether it needs a cluster; through `@xcluster/core` the file loaded all of core
// (about 70 ms), through `@xcluster/core/config` it loads this.
export { defineConfig } from './config/define-config.js'
export type { ConfigEnv, ConfigInput, UserConfig } from './contract/user-config.js'
