import type { ConfigInput } from './user-config.js'

/** Types a config file's export; returns it unchanged. */
export function defineConfig<T extends ConfigInput>(config: T): T {
  return config
}
