import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type LoadedConfig, configSearchDirs, loadConfigFile } from '../config/load.js'
import { resolveConfig } from '../config/resolve.js'
import { settingsTable } from '../config/plugin-settings.js'
import { SETTINGS, type Setting } from '../config/settings.js'
import type { ClusterConfig } from '../contract/settings.js'
import { assertTrustedWorkspace } from '../workspace/trusted-workspace.js'
import { XclusterError } from '../errors.js'
import { type Host, localHost } from '../host/host.js'
import { assertPrivateDirIfPresent } from '../host/trusted-path.js'
import { Cluster } from '../lifecycle/cluster.js'
import type { Plugin, PluginSpec } from '../contract/plugin.js'
import { resolvePlugins } from '../lifecycle/resolve-plugins.js'
import { type ClusterRecord, readClusterRecord } from '../runtime/cluster-record.js'
import { type HookModule, hookPath, loadHook } from './hook-module.js'
import { jsonCopy } from '../schema/read-json.js'
import { parseTimeline } from '../faults/timeline.js'

/** Options every command has that are not cluster settings. */
const COMMON_OPTIONS = ['config', 'topology', 'plugins', 'help']

/** The project of `dir`: the package.json directory the config search stops at, if there is one. */
function projectOf(dir: string, home: string): string | undefined {
  const root = configSearchDirs(dir, home).at(-1)!
  return existsSync(join(root, 'package.json')) ? root : undefined
}

/** Where a session runs: the working directory, the host, the command a config function is told, `--config`. */
export interface SessionOptions {
  cwd: string
  host: Host
  /** What the config file's function is called with (`({ command }) => ...`). */
  command: string
  /** A config file named explicitly (`--config=FILE`), else the nearest xcluster.config.* is used. */
  configPath?: string
  /**
   * A package directory whose dependencies are plugin packages too, after the project's: the xcluster program's, with
   * the default cluster's plugins.
   */
  defaultPlugins?: string
}

/**
 * Whose dependencies are plugin packages: the config file's project, the working directory's, then
 * `defaultPlugins`'s.
 */
export function packageProjects(
  options: Pick<SessionOptions, 'cwd' | 'host' | 'defaultPlugins'>,
  configFile?: string,
): string[] {
  const dirs = [...(configFile ? [dirname(configFile)] : []), options.cwd].map((dir) =>
    projectOf(dir, options.host.home),
  )
  return [...new Set([...dirs, options.defaultPlugins].filter((dir) => dir !== undefined))]
}

/** What one load adds on top of the config file: the command line's settings, plugins and topology. */
export interface LoadOptions {
  /** Settings as the command line spells them, without `--`: `{ nvm: '2', 'nets-vm': '0,1,3' }`. */
  settings?: Record<string, string>
  /** Plugin package names added after the config's (`--plugins`, XCLUSTER_PLUGINS). */
  plugins?: string[]
  /** A topology by name (`--topology`, TOPOLOGY). */
  topology?: string
  /** Where the cluster says what it does; default: nowhere. */
  log?: (message: string) => void
  /**
   * The settings the running cluster was started with join under these (`start --no-restart`, `scaleout`): what is
   * booted into a running cluster is booted as the rest of it was (its size, MTU, memory), not as today's defaults.
   */
  asStarted?: boolean
}

/** What a load resolved: settings, plugins, and what a start records for the commands after it. */
export interface LoadedCluster {
  config: ClusterConfig
  plugins: Plugin[]
  filepath?: string
  projects: string[]
  record: ClusterRecord
}

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
 * One command's view of the user's project: its config file and hook module, each loaded once
 * however many times the command asks, and the clusters they make.
 */
export class Session {
  private file?: Promise<LoadedConfig>
  private hookModule?: Promise<HookModule | undefined>

  constructor(readonly options: SessionOptions) {}

  /** The config file, read once. */
  configFile(): Promise<LoadedConfig> {
    const { cwd, host, configPath, command } = this.options
    this.file ??= loadConfigFile({ cwd, home: host.home, configPath, command })
    return this.file
  }

  /**
   * The hook module (XCLUSTER_HOOK, else the config's `hook`), loaded once; the config file is read only when
   * XCLUSTER_HOOK does not name it.
   */
  hook(): Promise<HookModule | undefined> {
    const { cwd, host } = this.options
    this.hookModule ??= (async () => {
      const path = hookPath(cwd, host.env, host.env.XCLUSTER_HOOK ? undefined : await this.configFile())
      return path === undefined ? undefined : loadHook(path, host.home)
    })()
    return this.hookModule
  }

  /** Whose dependencies are plugin packages: the config's project, the working directory's, then core's. */
  async projects(): Promise<string[]> {
    return packageProjects(this.options, (await this.configFile()).filepath)
  }

  /**
   * The settings and plugins: the config file's plugins (then those of `load` and of the hook
   * module) resolved and checked, then every setting merged and validated with the plugins'
   * defaults under the user's. While a cluster runs, the plugin packages and topology it was started
   * with join; a plugin it ran with that this load cannot have is refused by name.
   */
  async load(load: LoadOptions = {}): Promise<LoadedCluster> {
    const { host } = this.options
    const file = await this.configFile()
    // A timeline in the config is checked with the rest of it, not first when `faults run` reads it.
    if (file.config?.faults !== undefined) parseTimeline(file.config.faults, `faults of ${file.filepath}`)
    const specs = file.config?.plugins ?? []
    if (!Array.isArray(specs))
      throw new XclusterError(
        `plugins=${JSON.stringify(specs).slice(0, 80)}: must be a list of plugins or package names`,
      )
    const projects = await this.projects()
    const chosen = [...specs, ...(load.plugins ?? [])]
    const resolve = async (extra: ClusterRecord['packages'], topology: string | undefined, started = {}) => {
      const plugins = await this.pluginsOf([...chosen, ...extra], topology)
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
  async settings(load: Pick<LoadOptions, 'plugins' | 'topology'>): Promise<readonly Setting[]> {
    try {
      const specs = (await this.configFile()).config?.plugins ?? []
      return settingsTable(
        await this.pluginsOf([...(Array.isArray(specs) ? specs : []), ...(load.plugins ?? [])], load.topology),
      )
    } catch {
      return SETTINGS
    }
  }

  /** The plugins of `specs`, the hook module's after them, resolved for this host and the projects. */
  private async pluginsOf(specs: PluginSpec[], topology: string | undefined): Promise<Plugin[]> {
    const { host } = this.options
    const hook = await this.hook()
    return resolvePlugins({
      specs: [...specs, ...(hook?.plugins ?? [])],
      projects: await this.projects(),
      netns: host.netns,
      user: host.user,
      topology,
    })
  }

  /** The cluster of a load, its plugins applied. */
  async cluster(load: LoadOptions = {}): Promise<Cluster> {
    const { config, plugins, projects, record } = await this.load(load)
    const { host, cwd } = this.options
    return new Cluster(config, plugins, { host, cwd, projects, record, log: load.log ?? (() => {}) })
  }
}

/**
 * A cluster as a program gets it without the command line: the config file of `cwd`'s project
 * (or `configPath`), the hook module, the plugins, the settings given; nothing is started.
 * `const cluster = await loadCluster({ cwd: '/my/project', settings: { nvm: '2' } }); await cluster.start()`
 */
export async function loadCluster(options: Partial<SessionOptions> & LoadOptions = {}): Promise<Cluster> {
  const {
    cwd = process.cwd(),
    host = localHost(process.env),
    command = 'api',
    configPath,
    defaultPlugins,
    ...load
  } = options
  return new Session({ cwd, host, command, configPath, defaultPlugins }).cluster(load)
}
