import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfigFile } from '../config/load.js'
import { resolveConfig } from '../config/resolve.js'
import type { ClusterConfig } from '../config/types.js'
import { assertPrivateDirIfPresent } from '../host/trusted-path.js'
import { Cluster } from '../lifecycle/cluster.js'
import type { ClusterContext } from '../lifecycle/context.js'
import { withDns, withNetBackend, withTopology } from '../lifecycle/default-plugins.js'
import type { Node } from '../node/node.js'
import { type CommandInput, COMMON_FLAGS } from './command.js'

/** Reads and validates the settings of a command: file, environment, command line. */
export async function configOf(input: CommandInput, command: string, flags: readonly string[]): Promise<{ config: ClusterConfig; filepath?: string }> {
  const file = await loadConfigFile({ cwd: input.cwd, home: input.host.home, configPath: input.options.config, command })
  const searchFrom = packageSearchPath(input, file.filepath)
  const chosenTopology = input.options.topology ?? input.host.env.TOPOLOGY
  const withPlugins = await withDns(await withTopology(file.config ?? {}, chosenTopology, searchFrom), searchFrom)
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
  // Everything in it is trusted later (pids to signal, sockets, logs): nobody else may write there.
  await assertPrivateDirIfPresent(config.stateDir, 'state directory')
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
