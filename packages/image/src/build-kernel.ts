import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import {
  type BuiltKernel,
  type KernelInputs,
  kernelFiles,
  kernelsDir,
  listKernels,
  writeKernelRecord,
} from './built-kernels.js'
import { configure, kernelConfigSpec } from './kernel-config.js'
import { type KernelSource, tarballTop } from './kernel-source.js'
import { run } from './run.js'
import { dirEntries, ifPresent } from './if-present.js'

export interface KernelBuildOptions {
  workspace: string
  source: KernelSource
  /** The user's config (`__kcfg`): a whole .config, or a fragment added to xcluster's. */
  config?: string
  /**
   * Where the objects go (`__kobj`); default `<workspace>/kernels/work/<source>/objects`, kept so the next build is
   * incremental.
   */
  objects?: string
  force?: boolean
  log: (line: string) => void
}

const PROGRESS_EVERY_MS = 30_000
const LOG_TAIL_LINES = 25
/** A line kbuild prints for each file it makes: `  CC      kernel/fork.o`. */
const MADE_FILE = /^\s+(CC|AS|LD|AR|HOSTCC|OBJCOPY)\s/

const keyOf = (inputs: KernelInputs) => createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16)
const minutes = (ms: number) =>
  `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`

async function compilerVersion(): Promise<string> {
  return (await run('gcc', ['--version'])).split('\n')[0]
}

/** The lock of an objects directory, inside it: beside it (`--kobj=DIR`) another user could hold it for ever. */
const lockOf = (objects: string) => join(objects, '.xcluster-build.lock')

/** A lock file in the objects directory holding the builder's pid: two builds never share an objects directory. */
async function lockObjects(objects: string): Promise<() => Promise<void>> {
  const lock = lockOf(objects)
  await mkdir(objects, { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' })
      return () => rm(lock, { force: true })
    } catch {
      const pid = Number((await ifPresent(readFile(lock, 'utf8'))) ?? '')
      const alive =
        Number.isInteger(pid) &&
        pid > 0 &&
        (() => {
          try {
            process.kill(pid, 0)
            return true
          } catch {
            return false
          }
        })()
      if (alive) throw new Error(`another kernel build (pid ${pid}) uses ${objects}: wait for it to finish`)
      await rm(lock, { force: true })
    }
  }
  throw new Error(`cannot lock ${objects}`)
}

/** `make bzImage` with a progress line every 30 s; on failure the error has the log's tail. */
async function compile(
  source: string,
  objects: string,
  logFile: string,
  expected: number,
  log: (line: string) => void,
): Promise<number> {
  const { execa } = await import('execa')
  const jobs = availableParallelism()
  const started = Date.now()
  let made = 0
  const out = createWriteStream(logFile)
  const child = execa('nice', ['-n', '10', 'make', `O=${objects}`, 'ARCH=x86_64', `-j${jobs}`, 'bzImage'], {
    cwd: source,
    reject: false,
    all: true,
    buffer: false,
  })
  child.all!.on('data', (chunk: Buffer) => {
    out.write(chunk)
    for (const line of chunk.toString().split('\n')) if (MADE_FILE.test(line)) made++
  })
  const timer = setInterval(() => {
    const share = expected > 0 ? ` of about ${expected} (${Math.min(99, Math.round((100 * made) / expected))}%)` : ''
    log(`kernel: compiling, ${made} files${share}, ${minutes(Date.now() - started)}`)
  }, PROGRESS_EVERY_MS)
  const result = await child.finally(() => clearInterval(timer))
  await new Promise((done) => out.end(done))
  if (result.exitCode !== 0) {
    const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n')
    throw new Error(`make bzImage failed (exit ${result.exitCode}); the end of ${logFile}:\n${tail}`)
  }
  log(`kernel: compiled ${made} files in ${minutes(Date.now() - started)}`)
  return made
}

/**
 * Builds a bzImage into `<workspace>/kernels/<key of its inputs>` unless it is there: source
 * version, config and compiler make the key. A tree of the user's is always made again (make
 * sees what changed); Debian's tarball is unpacked for the build and removed after it.
 */
export async function buildKernel(options: KernelBuildOptions): Promise<BuiltKernel> {
  const { source, workspace, log } = options
  const spec = await kernelConfigSpec(options.config)
  const inputs: KernelInputs = {
    source: source.id,
    version: source.version,
    config: spec.label,
    configHash: spec.hash,
    compiler: await compilerVersion(),
  }
  const key = keyOf(inputs)
  const kernels = await listKernels(workspace)
  const built = kernels.find((kernel) => kernel.key === key)
  if (built && !options.force && !source.tree) {
    log(`kernel: ${built.dir} is built from these inputs already (--force builds it again)`)
    return built
  }
  const sourceKey = createHash('sha256')
    .update(source.tree ?? source.id)
    .digest('hex')
    .slice(0, 16)
  const work = join(kernelsDir(workspace), 'work', sourceKey)
  const objects = options.objects ?? join(work, 'objects')
  const unlock = await lockObjects(objects)
  const unpacked = source.tarball ? join(work, 'source') : undefined
  try {
    let tree = source.tree
    if (source.tarball) {
      log(`kernel: unpacking ${source.tarball}`)
      await rm(unpacked!, { recursive: true, force: true })
      await mkdir(unpacked!, { recursive: true })
      // tar keeps the files' times: objects kept from the last build stay newer than their sources.
      await run('tar', ['xf', source.tarball, '-C', unpacked!])
      tree = join(unpacked!, tarballTop(source.tarball))
    }
    log(
      `kernel: configuring ${source.version} with` +
        ` ${spec.whole ? `the whole config ${spec.whole}` : `tinyconfig + ${spec.fragments.join(' + ')}`}`,
    )
    const unmet = await configure(tree!, objects, spec)
    if (unmet.length > 0)
      log(
        `kernel: options the config asks for that ${source.version} cannot set (a dependency is off or missing):` +
          ` ${unmet.join(' ')}`,
      )
    log(`kernel: compiling in ${objects} (10-15 minutes on 2 cores the first time; log in ${work}/build.log)`)
    const compiled = await compile(
      tree!,
      objects,
      join(work, 'build.log'),
      Math.max(0, ...kernels.map((kernel) => kernel.compiled)),
      log,
    )
    const dir = join(kernelsDir(workspace), key)
    const staging = `${dir}.building-${process.pid}`
    await rm(staging, { recursive: true, force: true })
    await mkdir(staging, { recursive: true })
    await copyFile(join(objects, 'arch', 'x86', 'boot', 'bzImage'), kernelFiles(staging).bzImage)
    await copyFile(join(objects, '.config'), kernelFiles(staging).config)
    await writeKernelRecord(staging, inputs, compiled)
    await rm(dir, { recursive: true, force: true })
    await rename(staging, dir)
    log(`kernel: ready in ${dir}`)
    return (await listKernels(workspace)).find((kernel) => kernel.key === key)!
  } finally {
    if (unpacked) await rm(unpacked, { recursive: true, force: true })
    await unlock()
  }
}

/** Removes the kept objects of builds older than `days` (none of a build that runs); returns their directories. */
export async function pruneKernelWork(workspace: string, days: number): Promise<string[]> {
  const root = join(kernelsDir(workspace), 'work')
  const removed: string[] = []
  for (const key of await dirEntries(root)) {
    const dir = join(root, key)
    const last = await stat(join(dir, 'build.log')).catch(() => stat(dir))
    if (Date.now() - last.mtimeMs < days * 86_400_000 || (await ifPresent(stat(lockOf(join(dir, 'objects')))))) continue
    await rm(dir, { recursive: true, force: true })
    removed.push(dir)
  }
  return removed
}
