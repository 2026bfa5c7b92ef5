import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfigFile } from '../config/load.js'
import { resolveConfig } from '../config/resolve.js'
import type { ClusterConfig, UserConfig } from '../config/types.js'
import { importPackage } from '../lifecycle/import-package.js'
import type { Plugin } from '../lifecycle/plugin.js'
import { Cluster } from '../lifecycle/cluster.js'
import type { ClusterContext } from '../lifecycle/context.js'
import { withNetBackend } from '../lifecycle/default-backend.js'
import type { Node } from '../node/node.js'
import { type CommandInput, COMMON_FLAGS } from './command.js'

const TOPOLOGY_PACKAGE = '@xcluster/ovl-network-topology'

/**
 * The config's plugins with a topology: `--topology=NAME` or `TOPOLOGY=NAME` replaces the
 * config's for a quick try; without any, xnet when the topology package is installed, not strict:
 * the user's counts and nets win, and nodes that do not fit it get no plan.
 */
async function withTopology(file: UserConfig, input: CommandInput, searchFrom: string[]): Promise<UserConfig> {
  const plugins = Array.isArray(file.plugins) ? file.plugins : []
  const chosen = input.options.topology ?? input.host.env.TOPOLOGY
  if (!chosen && plugins.some((plugin) => plugin?.topology)) return file
  const load = importPackage<{ default: (name: string, options?: { strict?: boolean }) => Plugin }>(TOPOLOGY_PACKAGE, searchFrom, `--topology=${chosen}`)
  const module = chosen ? await load : await load.catch(() => undefined)
  if (!module) return file
  return { ...file, plugins: [...plugins.filter((plugin) => !plugin?.topology), module.default(chosen ?? 'xnet', { strict: chosen !== undefined })] }
}

const DNS_PACKAGE = '@xcluster/dns-coredns'

/** The config's plugins with DNS: the config's dns(), else the package's default when it is installed. */
async function withDns(file: UserConfig, searchFrom: string[]): Promise<UserConfig> {
  const plugins = Array.isArray(file.plugins) ? file.plugins : []
  if (plugins.some((plugin) => plugin?.name === DNS_PACKAGE)) return file
  const module = await importPackage<{ default: () => Plugin }>(DNS_PACKAGE, searchFrom, 'DNS').catch(() => undefined)
  return module ? { ...file, plugins: [...plugins, module.default()] } : file
}

/** Reads and validates the settings of a command: file, environment, command line. */
export async function configOf(input: CommandInput, command: string, flags: readonly string[]): Promise<{ config: ClusterConfig; filepath?: string }> {
  const file = await loadConfigFile({ cwd: input.cwd, configPath: input.options.config, command })
  const searchFrom = packageSearchPath(input, file.filepath)
  const withPlugins = await withDns(await withTopology(file.config ?? {}, input, searchFrom), searchFrom)
  const config = resolveConfig({ file: withPlugins, options: input.options, commandOptions: [...COMMON_FLAGS, ...flags] }, input.host)
  return { config, filepath: file.filepath }
}

/** Where xcluster packages a config does not import are looked for: the config's project, the working directory, core's own. */
export function packageSearchPath(input: CommandInput, configFile?: string): string[] {
  return [...(configFile ? [dirname(configFile)] : []), input.cwd, dirname(fileURLToPath(import.meta.url))]
}

/** The cluster of a command, with its plugins applied and a network backend in place. */
export async function clusterOf(input: CommandInput, command: string, flags: readonly string[]): Promise<Cluster> {
  const { config, filepath } = await configOf(input, command, flags)
  return new Cluster(config, await withNetBackend(config.plugins, input.host.netns, packageSearchPath(input, filepath)))
}

export function contextOf(cluster: Cluster, input: CommandInput, nodes: Node[], cdrom: string | undefined): ClusterContext {
  return {
    config: cluster.config,
    nodes,
    stateDir: cluster.config.stateDir,
    netns: input.host.netns,
    cdrom,
    log: (message) => input.stderr(`xcluster: ${message}\n`),
  }
}
