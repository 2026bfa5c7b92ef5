import { createHash } from 'node:crypto'
import { copyFile, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from './run.js'

/** xcluster's options, applied to tinyconfig: kept in the repository and shipped with the package. */
export const XCLUSTER_FRAGMENT = join(dirname(fileURLToPath(import.meta.url)), '..', 'kernel', 'xcluster.config')

/** The first line `make *config` writes: a file that has it is a whole config, anything else a fragment. */
const WHOLE_CONFIG = /^#\n# Automatically generated file; DO NOT EDIT\.\n/

/**
 * The config a build makes: xcluster's fragment on tinyconfig, that plus the user's fragment, or the user's whole
 * config.
 */
export interface KernelConfigSpec {
  /** `xcluster`, or the user's file as given. */
  label: string
  whole?: string
  fragments: string[]
  hash: string
}

export async function kernelConfigSpec(userFile?: string): Promise<KernelConfigSpec> {
  const user = userFile === undefined ? undefined : await readFile(userFile, 'utf8')
  const whole = user !== undefined && WHOLE_CONFIG.test(user)
  const fragments = whole ? [] : [XCLUSTER_FRAGMENT, ...(userFile === undefined ? [] : [userFile])]
  // The options only, in order: a comment changed or added builds nothing new.
  const hash = createHash('sha256')
  hash.update(whole ? 'whole\0' : 'tinyconfig\0')
  for (const file of whole ? [userFile!] : fragments)
    hash.update(JSON.stringify([...configValues(await readFile(file, 'utf8'))])).update('\0')
  return {
    label: userFile ?? 'xcluster',
    whole: whole ? userFile : undefined,
    fragments,
    hash: hash.digest('hex').slice(0, 16),
  }
}

/** The hash a kernel built with the user's config file is known by. */
export async function kernelConfigHash(userFile: string): Promise<string> {
  return (await kernelConfigSpec(userFile)).hash
}

/** `CONFIG_X=v` and `# CONFIG_X is not set` lines of a config file, as name -> value ('n' for not set). */
export function configValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line)
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line)
    if (set) values.set(set[1], set[2])
    else if (unset) values.set(unset[1], 'n')
  }
  return values
}

/**
 * The options the fragments ask for (a later fragment overrides an earlier one) that the final config does not have:
 * their dependencies are missing.
 */
export function unmetOptions(fragments: string[], final: string): string[] {
  const have = configValues(final)
  const wanted = new Map(fragments.flatMap((fragment) => [...configValues(fragment)]))
  return [...wanted]
    .filter(([name, value]) => (have.get(name) ?? 'n') !== value)
    .map(([name, value]) => `${name}=${value}`)
}

/** Writes `<objects>/.config` from the spec with the source's own Kconfig; returns the options it could not set. */
export async function configure(source: string, objects: string, spec: KernelConfigSpec): Promise<string[]> {
  const make = (target: string) => run('make', [`O=${objects}`, 'ARCH=x86_64', target], { cwd: source })
  if (spec.whole) {
    await copyFile(spec.whole, join(objects, '.config'))
    await make('olddefconfig')
    return []
  }
  await make('tinyconfig')
  await run(
    join(source, 'scripts', 'kconfig', 'merge_config.sh'),
    ['-m', '-O', objects, join(objects, '.config'), ...spec.fragments],
    { cwd: source },
  )
  await make('olddefconfig')
  const final = await readFile(join(objects, '.config'), 'utf8')
  const fragments = await Promise.all(spec.fragments.map((file) => readFile(file, 'utf8')))
  return unmetOptions(fragments, final)
}
