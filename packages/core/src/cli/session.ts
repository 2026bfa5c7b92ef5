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
import { type ClusterRecord, readClusterRecord } from '../runtime/cluster-record.js'
import type { CommandInput } from './command.js'
import { COMMON_FLAGS } from './parse-words.js'
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

/** The plugins given by package name, as the record keeps them. */
function packageSpecs(specs: unknown[]): ClusterRecord['packages'] {
  return specs.flatMap((spec) => {
    if (typeof spec === 'string') return [[spec, undefined] as ClusterRecord['packages'][number]]
    if (Array.isArray(spec) && typeof spec[0] === 'string') return [[spec[0], JSON.parse(JSON.stringify(spec[1] ?? null)) ?? undefined] as ClusterRecord['packages'][number]]
    return []
  })
}

/** What a command resolved: settings, plugins, and what a start records for the commands after it. */
export interface CommandConfig {
  config: ClusterConfig
  plugins: Plugin[]
  filepath?: string
  projects: string[]
  record: ClusterRecord
}

/**
 * The settings and plugins of a command: the config file is read, its plugins (then those of the
 * command line and of the hook module) resolved and checked, then every setting merged and validated with the plugins'
 * defaults under the user's. While a cluster runs, the plugin packages and topology it was started
 * with join every command; a plugin it ran with that this command cannot have is refused by name.
 */
export async function configOf(input: CommandInput): Promise<CommandConfig> {
  const file = await loadConfigFile({ cwd: input.cwd, home: input.host.home, configPath: input.options.config, command: input.command })
  const specs = file.config?.plugins ?? []
  if (!Array.isArray(specs)) throw new XclusterError(`plugins=${JSON.stringify(specs).slice(0, 80)}: must be a list of plugins or package names`)
  const projects = packageProjects(input, file.filepath)
  const hook = await hookOf(input, file)
  const chosen = [...specs, ...commandLinePlugins(input)]
  const resolve = async (extra: ClusterRecord['packages'], topology: string | undefined) => {
    const plugins = await resolvePlugins({ specs: [...chosen, ...extra, ...(hook?.plugins ?? [])], projects, netns: input.host.netns, topology })
    const config = resolveConfig({ file: file.config, plugins, options: input.options, commandOptions: Object.keys(COMMON_FLAGS) }, input.host)
    return { plugins, config }
  }
  const topology = input.options.topology ?? input.host.env.TOPOLOGY
  let { plugins, config } = await resolve([], topology)
  // Everything in it is trusted later (the record, pids to signal, sockets, logs): nobody else may write there.
  await assertPrivateDirIfPresent(config.stateDir, 'state directory')
  const recorded = await readClusterRecord(config.stateDir)
  const named = new Set(packageSpecs(chosen).map(([name]) => name))
  const extra = recorded?.packages.filter(([name]) => !named.has(name)) ?? []
  if (recorded) {
    if (extra.length > 0 || (topology === undefined && recorded.topology !== undefined)) ({ plugins, config } = await resolve(extra, topology ?? recorded.topology))
    const missing = recorded.plugins.filter((name) => !plugins.some((plugin) => plugin.name === name))
    if (missing.length > 0) {
      throw new XclusterError(`the cluster in ${config.stateDir} runs with ${missing.join(', ')}, which this command does not have: use the config (or hook) it was started with`)
    }
  }
  const record: ClusterRecord = { packages: [...packageSpecs(chosen), ...extra], topology: topology ?? recorded?.topology, plugins: plugins.map((plugin) => plugin.name) }
  return { config, plugins, filepath: file.filepath, projects, record }
}

/** The cluster of a command, its plugins applied. */
export async function clusterOf(input: CommandInput): Promise<Cluster> {
  const { config, plugins, projects, record } = await configOf(input)
  return new Cluster(config, plugins, { host: input.host, cwd: input.cwd, projects, record, log: (message) => input.stderr(`xcluster: ${message}\n`) })
}
