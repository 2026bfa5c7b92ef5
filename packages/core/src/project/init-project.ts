import { existsSync } from 'node:fs'
import { lstat, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { assertNoForeignLinks, assertOwnFile } from '../host/trusted-path.js'
import { parseJsonAs } from '../schema/read-json.js'
import { writeUserFile } from '../host/user-file.js'
import { basename, join, resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { CORE_VERSION } from '../version.js'
import { CONFIG_TEMPLATE, TSCONFIG_TEMPLATE } from './config-template.js'
import { ifPresent } from '../host/if-present.js'

/** What `xcluster init` did to each file of the project. */
export interface InitReport {
  dir: string
  written: string[]
  completed: string[]
  kept: string[]
}

type PackageJson = Record<string, unknown> & {
  scripts?: Record<string, string>
  devDependencies?: Record<string, string>
  dependencies?: Record<string, string>
}

const SCRIPTS = { start: 'xcluster start', stop: 'xcluster stop', status: 'xcluster status' }
const DEV_DEPENDENCIES = {
  '@xcluster/cli': `^${CORE_VERSION}`,
  '@xcluster/core': `^${CORE_VERSION}`,
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
}
const CONFIG_NAMES = [
  'xcluster.config.ts',
  'xcluster.config.mts',
  'xcluster.config.mjs',
  'xcluster.config.js',
  'xcluster.config.json',
]

/** A valid npm package name made from a directory name. */
function packageNameOf(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 100)
  return name || 'my-cluster'
}

const packageJsonSchema = z.looseObject({
  scripts: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
})

/** The project's package.json: a regular file of yours (never read through a link), a JSON object. */
async function readPackageJson(file: string): Promise<PackageJson | undefined> {
  if (!(await ifPresent(lstat(file)))) return undefined
  await assertOwnFile(file, `${file} (xcluster init completes it)`)
  return parseJsonAs(
    packageJsonSchema,
    await readFile(file, 'utf8'),
    `${file} is not a package.json xcluster init can complete (fix it, then run \`xcluster init\` again; nothing was` +
      ' changed)',
  )
}

/** The user's package.json with what is missing added; an existing value is never changed. */
function completePackage(existing: PackageJson | undefined, dir: string): PackageJson {
  const pkg: PackageJson = existing
    ? structuredClone(existing)
    : { name: packageNameOf(dir), version: '0.1.0', private: true, type: 'module' }
  pkg.scripts = { ...SCRIPTS, ...pkg.scripts }
  const declared = { ...pkg.dependencies, ...pkg.devDependencies }
  const missing = Object.entries(DEV_DEPENDENCIES).filter(([name]) => !(name in declared))
  if (missing.length > 0) pkg.devDependencies = { ...pkg.devDependencies, ...Object.fromEntries(missing) }
  return pkg
}

/**
 * Makes `dir` an xcluster project, in an empty directory or an existing npm project: writes or
 * completes package.json (ESM when new, start/stop/status scripts, core and TypeScript as dev
 * dependencies), a strict tsconfig.json and a typed config file, never overwriting what is there.
 * Everything is checked before the first file is written.
 */
export async function initProject(target: string): Promise<InitReport> {
  const dir = resolve(target)
  const info = await ifPresent(stat(dir))
  if (info && !info.isDirectory())
    throw new XclusterError(
      `${dir} is not a directory: name a directory (made when missing), or none for the working directory`,
    )
  if (info && info.uid !== (process.geteuid?.() ?? 0))
    throw new XclusterError(
      `${dir} is owned by uid ${info.uid}, not by you: xcluster init makes a project only in a directory of yours`,
    )
  const report: InitReport = { dir, written: [], completed: [], kept: [] }
  const packageFile = join(dir, 'package.json')
  const existing = await readPackageJson(packageFile)
  const pkg = completePackage(existing, dir)
  // A package that is not ESM gets an .mts config, so `tsc` reads its imports as ES modules.
  const configName = pkg.type === 'module' ? 'xcluster.config.ts' : 'xcluster.config.mts'
  const present = CONFIG_NAMES.find((name) => existsSync(join(dir, name)))

  await assertNoForeignLinks(dir, 'project directory')
  await mkdir(dir, { recursive: true })
  if (!existing) report.written.push('package.json')
  else if (JSON.stringify(pkg) !== JSON.stringify(existing)) report.completed.push('package.json')
  else report.kept.push('package.json')
  if (!existing || report.completed.includes('package.json'))
    await writeUserFile(packageFile, (file) => file.writeFile(`${JSON.stringify(pkg, null, 2)}\n`))
  if (existsSync(join(dir, 'tsconfig.json'))) report.kept.push('tsconfig.json')
  else {
    await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG_TEMPLATE, null, 2)}\n`, { flag: 'wx' })
    report.written.push('tsconfig.json')
  }
  if (present) report.kept.push(present)
  else {
    await writeFile(join(dir, configName), CONFIG_TEMPLATE, { flag: 'wx' })
    report.written.push(configName)
  }
  return report
}
