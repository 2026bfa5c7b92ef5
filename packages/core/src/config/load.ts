import { cosmiconfig } from 'cosmiconfig'
import { createJiti } from 'jiti'
import { XclusterError } from '../errors.js'
import type { ConfigInput, UserConfig } from './types.js'

const SEARCH_PLACES = ['xcluster.config.ts', 'xcluster.config.mts', 'xcluster.config.mjs', 'xcluster.config.js', 'xcluster.config.json']

// jiti runs TypeScript config files, and the sibling .ts files they import, without a build.
async function loadTypeScript(filepath: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false })
  return jiti.import(filepath, { default: true })
}

function explorer() {
  return cosmiconfig('xcluster', {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'global',
    loaders: { '.ts': loadTypeScript, '.mts': loadTypeScript, '.mjs': loadTypeScript, '.js': loadTypeScript },
  })
}

export interface LoadedConfig {
  /** The file read, undefined when none was found. */
  filepath: string | undefined
  config: UserConfig | undefined
}

/** Reads `--config` or the nearest xcluster.config.* from `cwd` upwards; a function export is called with the command. */
export async function loadConfigFile(options: { cwd: string; configPath?: string; command: string }): Promise<LoadedConfig> {
  let result
  try {
    result = options.configPath ? await explorer().load(options.configPath) : await explorer().search(options.cwd)
  } catch (error) {
    const where = options.configPath ?? `the config file above ${options.cwd}`
    throw new XclusterError(`cannot load ${where}: ${(error as Error).message}`)
  }
  if (!result) return { filepath: undefined, config: undefined }
  const exported = result.config as ConfigInput | undefined
  const config = typeof exported === 'function' ? await exported({ command: options.command }) : exported
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new XclusterError(`${result.filepath} must export a config object (use defineConfig({...})), got ${JSON.stringify(config)}`)
  }
  return { filepath: result.filepath, config }
}
