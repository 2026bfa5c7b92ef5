import type { ConfigEnv, UserConfig } from '../contract/user-config.js'

/** Types a config file's export and returns it unchanged: an object, a promise of one, or a function of the command. */
export function defineConfig(config: UserConfig): UserConfig
export function defineConfig(config: Promise<UserConfig>): Promise<UserConfig>
export function defineConfig(
  config: (env: ConfigEnv) => UserConfig | Promise<UserConfig>,
): (env: ConfigEnv) => UserConfig | Promise<UserConfig>
export function defineConfig<T>(config: T): T {
  return config
}
