import { resolveConfig } from '../config/resolve.js'
import { settingsTable } from '../config/plugin-settings.js'
import { SETTINGS, type Setting } from '../config/settings.js'
import { assertTrustedWorkspace } from '../workspace/trusted-workspace.js'
import { XclusterError } from '../errors.js'
import { assertPrivateDirIfPresent } from '../host/trusted-path.js'
import { Cluster } from '../lifecycle/cluster.js'
import type { Plugin, PluginSpec } from '../contract/plugin.js'
import { resolvePlugins } from '../lifecycle/resolve-plugins.js'
import { type ClusterRecord, readClusterRecord } from '../runtime/cluster-record.js'
import { jsonCopy } from '../schema/read-json.js'
import { parseTimeline } from '../faults/timeline.js'
import { COMMON_OPTIONS, type LoadOptions, type LoadedCluster, type SessionFiles } from './load-options.js'

// What a session resolves when a command first needs its cluster: the plugins, the settings, the record. Loaded then,
// not when the command line starts: `xcluster --help` and completion never need it.

/** The plugins given by package name, as the record keeps them. */
function packageSpecs(specs: unknown[]): ClusterRecord['packages'] {
  return specs.flatMap((spec) => {
    if (typeof spec === 'string') return [[spec, undefined] as ClusterRecord['packages'][number]]
    if (Array.isArray(spec) && typeof spec[0] === 'string')
      return [[spec[0], jsonCopy(spec[1])] as ClusterRecord['packages'][number]]
    return []
  })
}

/**
 * The settings and plugins: the config file's plugins (then those of `load` and of the hook
 * module) resolved and checked, then every setting merged and validated with the plugins'
 * defaults under the user's. While a cluster runs, the plugin packages and topology it was started
 * with join; a plugin it ran with that this load cannot have is refused by name.
 */
export async function resolveLoad(session: SessionFiles, load: LoadOptions = {}): Promise<LoadedCluster> {
  const { host } = session.options
  const file = await session.configFile()
  // A timeline in the config is checked with the rest of it, not first when `faults run` reads it.
  if (file.config?.faults !== undefined) parseTimeline(file.config.faults, `faults of ${file.filepath}`)
  const specs = file.config?.plugins ?? []
  if (!Array.isArray(specs))
    throw new XclusterError(`plugins=${JSON.stringify(specs).slice(0, 80)}: must be a list of plugins or package names`)
  const projects = await session.projects()
  const chosen = [...specs, ...(load.plugins ?? [])]
  const resolve = async (extra: ClusterRecord['packages'], topology: string | undefined, started = {}) => {
    const plugins = await sessionPlugins(session, [...chosen, ...extra], topology)
    const config = resolveConfig(
      { file: file.config, plugins, options: { ...started, ...load.settings }, commandOptions: COMMON_OPTIONS },
      host,
    )
    return { plugins, config }
  }
  const topology = load.topology
  let { plugins, config } = await resolve([], topology)
  // Everything in it is trusted later (the record, pids to signal, sockets, logs): nobody else may write there.
  await assertPrivateDirIfPresent(config.stateDir, 'state directory')
  await assertTrustedWorkspace(config.workspace)
  const recorded = await readClusterRecord(config.stateDir)
  const named = new Set(packageSpecs(chosen).map(([name]) => name))
  const extra = recorded?.packages.filter(([name]) => !named.has(name)) ?? []
  const started = load.asStarted ? (recorded?.settings ?? {}) : {}
  if (recorded) {
    if (
      extra.length > 0 ||
      (topology === undefined && recorded.topology !== undefined) ||
      Object.keys(started).length > 0
    )
      ({ plugins, config } = await resolve(extra, topology ?? recorded.topology, started))
    const missing = recorded.plugins.filter((name) => !plugins.some((plugin) => plugin.name === name))
    if (missing.length > 0) {
      throw new XclusterError(
        `the cluster in ${config.stateDir} runs with ${missing.join(', ')}, which this command does not have: use` +
          ` the config (or hook) it was started with`,
      )
    }
  }
  const given = Object.entries(load.settings ?? {}).filter(([name]) => !COMMON_OPTIONS.includes(name))
  const record: ClusterRecord = {
    packages: [...packageSpecs(chosen), ...extra],
    topology: topology ?? recorded?.topology,
    plugins: plugins.map((plugin) => plugin.name),
    settings: { ...started, ...Object.fromEntries(given) },
  }
  return { config, plugins, filepath: file.filepath, projects, record }
}

/**
 * The settings of the plugins a load would use, after core's (the command line reads a plugin's `--hosts` by it);
 * core's alone while those plugins cannot be resolved: the load that follows says why.
 */
export async function loadSettings(
  session: SessionFiles,
  load: Pick<LoadOptions, 'plugins' | 'topology'>,
): Promise<readonly Setting[]> {
  try {
    const specs = (await session.configFile()).config?.plugins ?? []
    return settingsTable(
      await sessionPlugins(session, [...(Array.isArray(specs) ? specs : []), ...(load.plugins ?? [])], load.topology),
    )
  } catch {
    return SETTINGS
  }
}

/** The plugins of `specs`, the hook module's after them, resolved for this host and the projects. */
async function sessionPlugins(
  session: SessionFiles,
  specs: PluginSpec[],
  topology: string | undefined,
): Promise<Plugin[]> {
  const { host } = session.options
  const hook = await session.hook()
  return resolvePlugins({
    specs: [...specs, ...(hook?.plugins ?? [])],
    projects: await session.projects(),
    netns: host.netns,
    user: host.user,
    topology,
  })
}

/** The cluster of a load, its plugins applied. */
export async function loadedCluster(session: SessionFiles, load: LoadOptions = {}): Promise<Cluster> {
  const { config, plugins, projects, record } = await resolveLoad(session, load)
  const { host, cwd } = session.options
  return new Cluster(config, plugins, { host, cwd, projects, record, log: load.log ?? (() => {}) })
}
