import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { XclusterError } from '../errors.js'
import type { Plugin } from './plugin.js'

/** A netns made by `xcluster nsadd` is named `<user>_xcluster<idx>`: there the nets are bridges. */
export function defaultBackendName(netns: string | undefined): 'bridge' | 'userspace' {
  return netns !== undefined && /xcluster\d+$/.test(netns) ? 'bridge' : 'userspace'
}

async function importBackend(name: string, searchFrom: string[]): Promise<Plugin> {
  const pkg = `@xcluster/net-${name}`
  for (const dir of searchFrom) {
    let resolved: string
    try {
      resolved = createRequire(join(dir, 'noop.js')).resolve(pkg)
    } catch {
      continue
    }
    const module = (await import(pathToFileURL(resolved).href)) as { default: () => Plugin }
    return module.default()
  }
  throw new XclusterError(`the ${name} network backend needs ${pkg}, which is not installed here: run \`npm i -D ${pkg}\` (searched from ${searchFrom.join(', ')})`)
}

/**
 * The plugins with a network backend: the configured one when a plugin declares `netBackend`,
 * else the default for this namespace, found in the user's project (then next to core).
 */
export async function withNetBackend(plugins: Plugin[], netns: string | undefined, searchFrom: string[]): Promise<Plugin[]> {
  if (plugins.some((plugin) => plugin.netBackend)) return plugins
  return [...plugins, await importBackend(defaultBackendName(netns), searchFrom)]
}
