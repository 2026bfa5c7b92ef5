import type { PluginSpec } from '../lifecycle/plugin.js'
import type { UserSettings } from './types.js'

/** What a user writes in `xcluster.config.ts`: settings, and the plugins by object or by package name. */
export interface UserConfig extends UserSettings {
  /** Network backends, topologies, DNS, your own: `bridge()`, `'@xcluster/net-bridge'`, `['my-plugin', { ... }]`. */
  plugins?: PluginSpec[]
}

/** `defineConfig` takes this: an object, or a function of the command that returns one. */
export type ConfigInput = UserConfig | ((env: { command: string }) => UserConfig | Promise<UserConfig>)
