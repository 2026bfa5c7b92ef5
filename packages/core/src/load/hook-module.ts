import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { importUserModule } from '../config/load.js'
import { XclusterError, messageOf } from '../errors.js'
import { assertTrustedModulePath } from '../host/module-path.js'
import { assertTrustedFile } from '../host/trusted-path.js'

/** A command as a hook module exports it: a name and a run function; the command line fills in the rest. */
export type HookCommand = { name: string; run: unknown } & Record<string, unknown>

/** What a hook module adds to every command: plugins (checked later like the config's) and commands. */
export interface HookModule {
  file: string
  plugins: unknown[]
  commands: HookCommand[]
}

const MODULE_ENDINGS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']
const COMMAND_NAME = /^[a-z][a-z0-9-]{0,39}$/
const SHELL = /^#!\s*\S*\b(sh|bash|dash|ash|ksh|zsh)\b|^cmd_\w+\s*\(\)/m

const PORTING =
  `port it to a module: each cmd_NAME() becomes an entry of \`export const commands = [{ name: 'NAME',` +
  ` summary, usage, help, flags: {}, async run(input) { ... } }]\` (clusterOf(input) from '@xcluster/core' gives` +
  ` the cluster: start, stop, status), and what it changed in the lifecycle becomes \`export const plugins = [{ name,` +
  ` coreRange: '^0.1.0', apply(cluster) { cluster.hooks.launch.tapPromise(...) } }]\`; see "Hook modules" in` +
  ' docs/running.md'

function checkCommands(file: string, value: unknown): HookCommand[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > 100)
    throw new XclusterError(`hook ${file}: \`commands\` must be a list of at most 100 commands`)
  for (const command of value as Partial<HookCommand>[]) {
    const name = command?.name
    if (typeof name !== 'string' || !COMMAND_NAME.test(name))
      throw new XclusterError(
        `hook ${file}: command name ${JSON.stringify(name)?.slice(0, 60)} must be lower-case letters, digits and` +
          ` dashes, starting with a letter`,
      )
    if (typeof command.run !== 'function')
      throw new XclusterError(`hook ${file}: command ${name} has no run(input) function`)
  }
  return value as HookCommand[]
}

/**
 * Loads a hook module: a JavaScript or TypeScript file nobody else can write; the shell tool's hook script is refused
 * with how to port it.
 */
export async function loadHook(file: string, home: string): Promise<HookModule> {
  const what = `the hook ${file} (XCLUSTER_HOOK or hook in the config)`
  if (!existsSync(file)) throw new XclusterError(`${what} does not exist`)
  if (!(await stat(file)).isFile()) throw new XclusterError(`${what} is not a file`)
  await assertTrustedFile(file, what)
  await assertTrustedModulePath(file, what)
  const head = (await readFile(file, 'utf8')).slice(0, 65536)
  if (extname(file) === '.sh' || SHELL.test(head))
    throw new XclusterError(
      `${what} is a shell script, as the shell tool's hooks were; xcluster loads JavaScript or` +
        ` TypeScript modules: ${PORTING}`,
    )
  if (!MODULE_ENDINGS.includes(extname(file)))
    throw new XclusterError(`${what} must be a module ending in ${MODULE_ENDINGS.join(', ')}`)
  let exported: Record<string, unknown>
  try {
    exported = await importUserModule(file, home, what)
  } catch (error) {
    throw new XclusterError(`cannot load ${what}: ${messageOf(error)}`)
  }
  const plugins = exported.plugins ?? []
  if (!Array.isArray(plugins) || plugins.length > 100)
    throw new XclusterError(`hook ${file}: \`plugins\` must be a list of at most 100 plugins`)
  return { file, plugins, commands: checkCommands(file, exported.commands) }
}
