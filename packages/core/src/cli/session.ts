import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configSearchDirs, loadConfigFile } from '../config/load.js'
import { resolveConfig } from '../config/resolve.js'
import type { ClusterConfig } from '../config/types.js'
import { XclusterError } from '../errors.js'
import { assertPrivateDirIfPresent } from '../host/trusted-path.js'
import { Cluster } from '../lifecycle/cluster.js'
import type { Plugin } from '../lifecycle/plugin.js'
import { resolvePlugins } from '../lifecycle/resolve-plugins.js'
import { type CommandInput, COMMON_FLAGS } from './command.js'
import { hookOf } from './hook-module.js'

/** Core's own package directory: its dependencies are the plugins every install brings. */
const CORE_PACKAGE = fileURLToPath(new URL('../..', import.meta.url))

/** The project of `dir`: the package.json directory the config search stops at, if there is one. */
function projectOf(dir: string, home: string): string | undefined {
  const root = configSearchDirs(dir, home).at(-1)!
  return existsSync(join(root, 'package.json')) ? root : undefined
}

/** Whose dependencies are plugin packages: the config's project, the working directory's, then core's. */
export function packageProjects(input: Pick<CommandInput, 'cwd' | 'host'>, configFile?: string): string[] {
  const dirs = [...(configFile ? [dirname(configFile)] : []), input.cwd].map((dir) => projectOf(dir, input.host.home))
  return [...new Set([...dirs.filter((dir) => dir !== undefined), CORE_PACKAGE])]
}

/** `--plugins=a,b` or XCLUSTER_PLUGINS=a,b: package names added after the config's plugins. */
function commandLinePlugins(input: CommandInput): string[] {
  const list = input.options.plugins ?? input.host.env.XCLUSTER_PLUGINS ?? ''
  return list.split(',').map((name) => name.trim()).filter(Boolean)
}

/**
 * The settings and plugins of a command: the config file is read, its plugins (then those of the
 * command line and of the hook module) resolved and checked, then every setting merged and validated with the plugins'
 * defaults under the user's.
 */
export async function configOf(input: CommandInput, command: string, flags: readonly string[]): Promise<{ config: ClusterConfig; plugins: Plugin[]; filepath?: string; projects: string[] }> {
  const file = await loadConfigFile({ cwd: input.cwd, home: input.host.home, configPath: input.options.config, command })
  const specs = file.config?.plugins ?? []
  if (!Array.isArray(specs)) throw new XclusterError(`plugins=${JSON.stringify(specs).slice(0, 80)}: must be a list of plugins or package names`)
  const projects = packageProjects(input, file.filepath)
  const hook = await hookOf(input, file)
  const plugins = await resolvePlugins({
    specs: [...specs, ...commandLinePlugins(input), ...(hook?.plugins ?? [])],
    projects,
    netns: input.host.netns,
    topology: input.options.topology ?? input.host.env.TOPOLOGY,
  })
  const config = resolveConfig({ file: file.config, plugins, options: input.options, commandOptions: [...COMMON_FLAGS, ...flags] }, input.host)
  return { config, plugins, filepath: file.filepath, projects }
}

/** The cluster of a command, its plugins applied. */
export async function clusterOf(input: CommandInput, command: string, flags: readonly string[]): Promise<Cluster> {
  const { config, plugins, projects } = await configOf(input, command, flags)
  // Everything in it is trusted later (pids to signal, sockets, logs): nobody else may write there.
  await assertPrivateDirIfPresent(config.stateDir, 'state directory')
  return new Cluster(config, plugins, { host: input.host, cwd: input.cwd, projects, log: (message) => input.stderr(`xcluster: ${message}\n`) })
}
