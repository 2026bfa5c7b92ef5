import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { configFilePath, configSearchDirs } from '../config/config-search.js'
import type { LoadedConfig } from '../config/load.js'
import type { Setting } from '../config/settings.js'
import type { Cluster } from '../lifecycle/cluster.js'
import type { HookModule } from './hook-module.js'
import type { LoadOptions, LoadedCluster, SessionFiles, SessionOptions } from './load-options.js'

/** The project of `dir`: the package.json directory the config search stops at, if there is one. */
function projectOf(dir: string, home: string): string | undefined {
  const root = configSearchDirs(dir, home).at(-1)!
  return existsSync(join(root, 'package.json')) ? root : undefined
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

/**
 * The hook's path: XCLUSTER_HOOK (from the working directory), else the config's `hook` (from the config file's
 * directory).
 */
export function hookPath(cwd: string, env: NodeJS.ProcessEnv, file: LoadedConfig | undefined): string | undefined {
  if (env.XCLUSTER_HOOK) return resolve(cwd, env.XCLUSTER_HOOK)
  const fromConfig = file?.config?.hook
  return typeof fromConfig === 'string' && file?.filepath ? resolve(dirname(file.filepath), fromConfig) : undefined
}

/**
 * One command's view of the user's project: its config file and hook module, each loaded once
 * however many times the command asks, and the clusters they make.
 */
export class Session implements SessionFiles {
  private file?: Promise<LoadedConfig>
  private hookModule?: Promise<HookModule | undefined>

  constructor(readonly options: SessionOptions) {}

  /** The config file, read once; with none, nothing that reads one is loaded. */
  configFile(): Promise<LoadedConfig> {
    const { cwd, host, configPath, command } = this.options
    this.file ??= (async () => {
      const filepath = configFilePath(cwd, host.home, configPath)
      if (filepath === undefined) return { filepath: undefined, config: undefined }
      return (await import('../config/load.js')).loadConfigFile({ filepath, configPath, home: host.home, command })
    })()
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
      return path === undefined ? undefined : (await import('./hook-module.js')).loadHook(path, host.home)
    })()
    return this.hookModule
  }

  /** Whose dependencies are plugin packages: the config's project, the working directory's, then core's. */
  async projects(): Promise<string[]> {
    return packageProjects(this.options, (await this.configFile()).filepath)
  }

  /**
   * The settings and plugins: the config file's plugins (then those of `load` and of the hook module) resolved and
   * checked, then every setting merged and validated (`resolve-load.ts`, loaded when a command first asks).
   */
  async load(load: LoadOptions = {}): Promise<LoadedCluster> {
    return (await import('./resolve-load.js')).resolveLoad(this, load)
  }

  /**
   * The settings of the plugins a load would use, after core's (the command line reads a plugin's `--hosts` by it);
   * core's alone while those plugins cannot be resolved: the load that follows says why.
   */
  async settings(load: Pick<LoadOptions, 'plugins' | 'topology'>): Promise<readonly Setting[]> {
    return (await import('./resolve-load.js')).loadSettings(this, load)
  }

  /** The cluster of a load, its plugins applied. */
  async cluster(load: LoadOptions = {}): Promise<Cluster> {
    return (await import('./resolve-load.js')).loadedCluster(this, load)
  }
}
