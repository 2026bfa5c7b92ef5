import type { FaultStep } from './faults.js'
import type { PluginSpec } from './plugin.js'
import type { UserSettings } from './settings.js'

/** What a user writes in `xcluster.config.ts`: settings, and the plugins by object or by package name. */
export interface UserConfig extends UserSettings {
  /** Network backends, topologies, DNS, your own: `bridge()`, `'@xcluster/net-bridge'`, `['my-plugin', { ... }]`. */
  plugins?: PluginSpec[]
  /** A fault timeline `xcluster faults run` runs against the running cluster: link flaps, netem, VM stops, checks. */
  faults?: FaultStep[]
}

/** What a config function is called with: the command being run (`start`, `status`, ...). */
export interface ConfigEnv {
  command: string
}

/** What a config file exports: an object, a promise of one, or a function of the command that returns either. */
export type ConfigInput = UserConfig | Promise<UserConfig> | ((env: ConfigEnv) => UserConfig | Promise<UserConfig>)
