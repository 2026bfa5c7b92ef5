import type { UserConfig } from '../config/types.js'
import { importPackage } from './import-package.js'
import type { Plugin } from './plugin.js'

/*
 * The plugins core adds when the config has none of their kind: a network backend always, a
 * topology and DNS when their packages are installed.
 */

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

const TOPOLOGY_PACKAGE = '@xcluster/ovl-network-topology'

/**
 * The config's plugins with a topology: `--topology=NAME` or `TOPOLOGY=NAME` replaces the
 * config's for a quick try; without any, xnet when the topology package is installed, not strict:
 * the user's counts and nets win, and nodes that do not fit it get no plan.
 */
export async function withTopology(file: UserConfig, chosen: string | undefined, searchFrom: string[]): Promise<UserConfig> {
  const plugins = Array.isArray(file.plugins) ? file.plugins : []
  if (!chosen && plugins.some((plugin) => plugin?.topology)) return file
  const load = importPackage<{ default: (name: string, options?: { strict?: boolean }) => Plugin }>(TOPOLOGY_PACKAGE, searchFrom, `--topology=${chosen}`)
  const module = chosen ? await load : await load.catch(() => undefined)
  if (!module) return file
  return { ...file, plugins: [...plugins.filter((plugin) => !plugin?.topology), module.default(chosen ?? 'xnet', { strict: chosen !== undefined })] }
}

const DNS_PACKAGE = '@xcluster/dns-coredns'

/** The config's plugins with DNS: the config's dns(), else the package's default when it is installed. */
export async function withDns(file: UserConfig, searchFrom: string[]): Promise<UserConfig> {
  const plugins = Array.isArray(file.plugins) ? file.plugins : []
  if (plugins.some((plugin) => plugin?.name === DNS_PACKAGE)) return file
  const module = await importPackage<{ default: () => Plugin }>(DNS_PACKAGE, searchFrom, 'DNS').catch(() => undefined)
  return module ? { ...file, plugins: [...plugins, module.default()] } : file
}
