import type { LoadedConfig } from '../config/load.js'
import type { Plugin } from '../contract/plugin.js'
import type { ClusterConfig } from '../contract/settings.js'
import type { Host } from '../host/host.js'
import type { ClusterRecord } from '../runtime/cluster-record.js'
import type { HookModule } from './hook-module.js'

/** Options every command has that are not cluster settings. */
export const COMMON_OPTIONS = ['config', 'topology', 'plugins', 'help']

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

/** What a load reads from its session: where it runs, its config file, hook module and projects, each read once. */
export interface SessionFiles {
  readonly options: SessionOptions
  configFile(): Promise<LoadedConfig>
  hook(): Promise<HookModule | undefined>
  projects(): Promise<string[]>
}
