import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError, messageOf } from '../errors.js'
import { assertTrustedModulePath } from '../host/module-path.js'
import { guardedJiti } from './guarded-jiti.js'
import { assertTrustedModule } from '../host/trusted-module.js'
import { assertTrustedFile, ensurePrivateDir } from '../host/trusted-path.js'
import type { ConfigInput, UserConfig } from '../contract/user-config.js'

const compileCache = (home: string) => join(home, '.cache', 'xcluster', 'config-cache')

// jiti runs TypeScript config files, and the sibling .ts files they import, without a build. Its
// compiled copies are kept in a directory only this user can write (never a shared one such as
// /tmp/jiti, where another user could plant code), so a second run skips the compile. Every file it
// compiles is checked first, each import as it is loaded, not only the file named; `interop` lets a
// config import a CommonJS-compiled default.
async function importWithJiti(filepath: string, home: string, interop: boolean, what: string): Promise<unknown> {
  const cacheDir = compileCache(home)
  await ensurePrivateDir(cacheDir, 'config compile cache')
  const jiti = guardedJiti({ interopDefault: interop, moduleCache: false, fsCache: cacheDir }, what)
  return jiti.import(filepath, interop ? { default: true } : {})
}

/**
 * Every export of a JavaScript or TypeScript module of the user's (a hook file); the caller has checked who may write
 * it.
 */
export async function importUserModule(filepath: string, home: string, what: string): Promise<Record<string, unknown>> {
  assertTrustedModule(filepath, what)
  return (await importWithJiti(filepath, home, false, what)) as Record<string, unknown>
}

/**
 * The default export of a config module. jiti hands back the module itself when it has no default
 * (a namespace of Node's, or exports its compiler marked `__esModule`): that is an error that says
 * what to write, not a config.
 */
async function defaultExport(filepath: string, home: string, what: string): Promise<unknown> {
  assertTrustedModule(filepath, what)
  const value = await importWithJiti(filepath, home, true, what)
  const isModule =
    typeof value === 'object' &&
    value !== null &&
    ('__esModule' in value || Object.prototype.toString.call(value) === '[object Module]')
  if (isModule) throw new Error('it has no default export: write `export default defineConfig({ ... })`')
  return value
}

/**
 * `value` once it settles; one that never can (nothing left that would settle it: Node would exit with status 13 and
 * no word) is an error naming `what`.
 */
async function settled<T>(value: T | Promise<T>, what: string): Promise<Awaited<T>> {
  let onIdle = () => {}
  const stuck = new Promise<never>((_, reject) => {
    onIdle = () => reject(new XclusterError(`${what} never settles: it awaits something that nothing will ever finish`))
  })
  process.once('beforeExit', onIdle)
  try {
    return await Promise.race([value, stuck])
  } finally {
    process.off('beforeExit', onIdle)
  }
}

/**
 * What a file of the user's exports (JSON parsed, a module's default export), refused before it is read when another
 * user could have written it or what it imports: `what` names it in errors (`the config file`).
 */
export async function trustedExport(filepath: string, home: string, what: string): Promise<unknown> {
  await assertTrustedFile(filepath, `${what} ${filepath}`)
  if (!filepath.endsWith('.json')) await assertTrustedModulePath(filepath, `${what} ${filepath}`)
  try {
    const exported = await settled(exportedBy(filepath, home, `${what} ${filepath}`), `${what} ${filepath}`)
    if (exported === undefined) throw new Error('it is empty')
    return exported
  } catch (error) {
    throw new XclusterError(`cannot load ${filepath}: ${(error as Error).message}`)
  }
}

/** What a config file exports: JSON parsed, a module run through jiti (loaded only when there is a config file). */
async function exportedBy(filepath: string, home: string, what: string): Promise<unknown> {
  if (!filepath.endsWith('.json')) return defaultExport(filepath, home, what)
  const text = await readFile(filepath, 'utf8')
  if (text.trim() === '') throw new Error('it is empty')
  return JSON.parse(text)
}

export interface LoadedConfig {
  /** The file read, undefined when none was found. */
  filepath: string | undefined
  config: UserConfig | undefined
}

/**
 * Reads `--config` or the nearest xcluster.config.* of the project; a function export is called
 * with the command. A file another user could have written is refused before it runs.
 */
export async function loadConfigFile(options: {
  /** The file: `--config` from the working directory, else the one the search found. */
  filepath: string
  configPath?: string
  home: string
  command: string
}): Promise<LoadedConfig> {
  const { filepath } = options
  if (!existsSync(filepath))
    throw new XclusterError(`cannot load ${filepath} (--config=${options.configPath}): no such file`)
  const exported = (await trustedExport(filepath, options.home, 'the config file').catch((error: Error) => {
    throw error.message.endsWith(': it is empty')
      ? new XclusterError(`${error.message}: write a config object (\`{}\` for the defaults)`)
      : error
  })) as ConfigInput
  let config: unknown
  try {
    const value = typeof exported === 'function' ? exported({ command: options.command }) : exported
    config = await settled(value, `the default export of ${filepath}`)
  } catch (error) {
    throw new XclusterError(`the config function of ${filepath} failed: ${messageOf(error)}`)
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new XclusterError(
      `${filepath} must export a config object (use defineConfig({...})), got` +
        ` ${typeof config === 'function' ? 'a function' : String(JSON.stringify(config)).slice(0, 80)}`,
    )
  }
  return { filepath, config: config as UserConfig | undefined }
}
