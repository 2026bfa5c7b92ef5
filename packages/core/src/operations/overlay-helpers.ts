import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { basename, delimiter, dirname, join, resolve } from 'node:path'
import { PATH, PATH_RULE } from '../config/setting-kinds.js'
import { XclusterError } from '../errors.js'
import { isExecutableFile } from '../host/executable.js'
import { assertNoForeignLinks, whyUntrusted } from '../host/trusted-path.js'
import { overlayNamesOf } from './completion-words.js'
import { type OperationInput, defineOperation } from '../contract/operation.js'
import { configOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

// Helpers of overlay tar scripts, which run them as $XCLUSTER: command-line only (no HTTP API, no agent tool). What
// they print on stdout is their answer alone: tar scripts often write the archive there.

const DEST = {
  dest: { type: 'string', value: 'DIR', help: 'the directory the files go under, at their paths' },
} as const

/** The destination of the files: given, a path, made if missing, and nobody else's to write in. */
async function destination(input: OperationInput, dest: string | undefined, command: string): Promise<string> {
  if (dest === undefined) throw new XclusterError(`${command} needs --dest=DIR: the directory the files go under`)
  if (!PATH.test(dest)) throw new XclusterError(`--dest=${JSON.stringify(dest)}: ${PATH_RULE}`)
  const dir = resolve(input.cwd, dest)
  // Files go under DIR at their own paths: under / they would be copied onto themselves.
  if (dir === '/')
    throw new XclusterError(`--dest=${dest}: the files would be copied onto themselves; name a directory`)
  await assertNoForeignLinks(dir, 'destination')
  // Nothing is made inside another user's tree: the nearest directory that exists is checked first.
  let existing = dir
  while (!existsSync(existing)) existing = dirname(existing)
  const above = await whyUntrusted(existing)
  if (above) throw new XclusterError(`refusing --dest=${dest}: ${above}; files written there could be changed`)
  await mkdir(dir, { recursive: true })
  const problem = await whyUntrusted(dir)
  if (problem) throw new XclusterError(`refusing --dest=${dest}: ${problem}; files written there could be changed`)
  return dir
}

/** A file named on the command line, checked for the path rule; relative to the working directory. */
function fileArg(word: string): string {
  if (!PATH.test(word)) throw new XclusterError(`${JSON.stringify(word)}: ${PATH_RULE}`)
  return word
}

/** A file that must exist, relative to the working directory. */
function existingFile(input: OperationInput, word: string): string {
  const file = resolve(input.cwd, fileArg(word))
  if (!existsSync(file)) throw new XclusterError(`${word}: no such file`)
  return file
}

/** A program by path, or by name along PATH, as the shell finds it; undefined when there is none. */
async function findProgram(input: OperationInput, name: string): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [resolve(input.cwd, name)]
    : (input.host.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name))
  for (const path of candidates) if (await isExecutableFile(path)) return path
  return undefined
}

/** Copies the shared libraries of `file` under `dir`; a library the loader cannot find is an error naming it. */
async function copyLibraries(dir: string, file: string): Promise<void> {
  const { copyUnder, sharedLibraries } = await import('@xcluster/image')
  const { paths, missing } = await sharedLibraries(file)
  if (missing.length > 0) throw new XclusterError(`${file} needs ${missing.join(', ')}, which the loader cannot find`)
  for (const lib of paths) await copyUnder(dir, lib)
}

export const ovldOperation = defineOperation({
  name: 'ovld',
  output: `the overlay's directory, on standard output`,
  summary: SUMMARIES.ovld,
  usage: 'NAME',
  help: `Prints the directory (or tar file) of overlay NAME as start finds it: along the overlay path
(ovlPath, XCLUSTER_OVLPATH), then among your project's overlay packages. One line on stdout and
nothing else, so a tar script can reuse another overlay's files: cp -r "$($XCLUSTER ovld other)/default" .`,
  flags: {},
  stream: true,
  cliOnly: true,
  complete: (input) => overlayNamesOf(input),
  async run(input) {
    const [name, ...rest] = input.args
    if (!name || rest.length > 0)
      throw new XclusterError('ovld takes one overlay name: `xcluster ovld network-topology`')
    const { config, projects } = await configOf(input)
    const { resolveOverlay } = await import('../overlay/resolve-overlay.js')
    const overlay = await resolveOverlay(name, { ovlPath: config.ovlPath, cwd: input.cwd, projects })
    input.stdout(`${overlay.tarScript ? dirname(overlay.tarScript) : overlay.path}\n`)
    return 0
  },
})

export const installProgOperation = defineOperation({
  name: 'install_prog',
  output: 'nothing on standard output: the programs and their libraries under --dest',
  summary: SUMMARIES.install_prog,
  usage: '--dest=DIR PROG...',
  help: `Copies each PROG (a path, or a name found on PATH) to DIR/bin, and every shared library it
needs, as the machine's dynamic loader resolves them (the loader too), under DIR at the same paths,
so that the program runs in a VM whose overlay is DIR. A PROG that is not found is a warning on
stderr, as in the shell tool; nothing is printed on stdout.`,
  flags: { ...DEST, root: { type: 'string', value: 'DIR', help: "the shell tool's spelling of --dest" } },
  stream: true,
  cliOnly: true,
  async run(input) {
    const dir = await destination(input, input.flags.dest ?? input.flags.root, 'install_prog')
    for (const name of input.args.map(fileArg)) {
      const program = await findProgram(input, name)
      if (!program) {
        input.stderr(`xcluster install_prog: ${name} not found (as a path or on PATH): skipped\n`)
        continue
      }
      const { copyUnder } = await import('@xcluster/image')
      await copyUnder(dir, `/bin/${basename(program)}`, program)
      await copyLibraries(dir, program)
    }
    return 0
  },
})

export const cplibOperation = defineOperation({
  name: 'cplib',
  output: 'nothing on standard output: the libraries under --dest',
  summary: SUMMARIES.cplib,
  usage: '--dest=DIR FILE...',
  help: `Copies every shared library each FILE (a program or a library) needs, as the machine's dynamic
loader resolves them, under DIR at the same paths. Nothing is printed on stdout.`,
  flags: DEST,
  stream: true,
  cliOnly: true,
  async run(input) {
    const files = input.args.map((word) => existingFile(input, word))
    const dir = await destination(input, input.flags.dest, 'cplib')
    for (const file of files) await copyLibraries(dir, file)
    return 0
  },
})

export const cploaderOperation = defineOperation({
  name: 'cploader',
  output: 'nothing on standard output: the loader under --dest',
  summary: SUMMARIES.cploader,
  usage: '--dest=DIR',
  help: `Copies the dynamic loader (/lib64/ld-linux-x86-64.so.2 here) under DIR at its path. Nothing
is printed on stdout.`,
  flags: DEST,
  stream: true,
  cliOnly: true,
  async run(input) {
    const { copyUnder, systemLoader } = await import('@xcluster/image')
    await copyUnder(await destination(input, input.flags.dest, 'cploader'), await systemLoader())
    return 0
  },
})
