import { importPackage } from './import-package.js'
import type { Plugin } from './plugin.js'

/** A netns made by `xcluster nsadd` is named `<user>_xcluster<idx>`: there the nets are bridges. */
export function defaultBackendName(netns: string | undefined): 'bridge' | 'userspace' {
  return netns !== undefined && /xcluster\d+$/.test(netns) ? 'bridge' : 'userspace'
}

/**
 * The plugins with a network backend: the configured one when a plugin declares `netBackend`,
 * else the default for this namespace, found in the user's project (then next to core).
 */
export async function withNetBackend(plugins: Plugin[], netns: string | undefined, searchFrom: string[]): Promise<Plugin[]> {
  if (plugins.some((plugin) => plugin.netBackend)) return plugins
  const name = defaultBackendName(netns)
  const backend = await importPackage<{ default: () => Plugin }>(`@xcluster/net-${name}`, searchFrom, `the ${name} network backend`)
  return [...plugins, backend.default()]
}
