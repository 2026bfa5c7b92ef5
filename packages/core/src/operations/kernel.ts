import { existsSync } from 'node:fs'
import type { BuiltKernel, KernelSource } from '@xcluster/image'
import { join, resolve } from 'node:path'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import { assertTrustedFile, ensurePrivateDir } from '../host/trusted-path.js'
import { processesWithArgument } from '../vm/processes.js'
import { type Flags, type OperationInput, defineOperation } from '../contract/operation.js'
import { configOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

const DAY_MS = 86_400_000
const FLAGS = {
  source: { type: 'string', value: 'DIR', help: "build from this kernel tree (default: Debian's linux-source)" },
  force: { type: 'boolean', help: 'build again even when that kernel is built already' },
} as const satisfies Flags
const SOURCE_PACKAGE_HINT =
  'install one with `apt-get install linux-source-6.1` (scripts/setup does), or name a kernel tree with --source=DIR'

/**
 * The tree `--source`, or `$KERNELDIR/$__kver` (the shell tool's layout), or Debian's linux-source (matching __kver).
 */
async function sourceOf(input: OperationInput<typeof FLAGS>, config: ClusterConfig): Promise<KernelSource> {
  const { debianKernelSources, treeSource, versionMatches } = await import('@xcluster/image')
  const kernelDir = input.host.env.KERNELDIR
  const version = config.kernelVersion
  const tree =
    input.flags.source ??
    (kernelDir && version ? join(kernelDir, version.startsWith('linux-') ? version : `linux-${version}`) : undefined)
  if (tree !== undefined) {
    if (!existsSync(join(resolve(tree), 'Makefile')))
      throw new XclusterError(`--source=${tree}: ${resolve(tree)} is not a kernel source tree (it has no Makefile)`)
    // Its Makefiles run as you: nobody else may have written them.
    await assertTrustedFile(join(resolve(tree), 'Makefile'), `the kernel tree ${tree}`)
    const source = await treeSource(resolve(tree)).catch((error: Error) => {
      throw new XclusterError(`--source=${tree}: ${error.message}`)
    })
    if (version && !versionMatches(source.version, version))
      throw new XclusterError(`__kver=${version}: the tree ${tree} holds ${source.version}`)
    return source
  }
  const sources = await debianKernelSources()
  const source = sources.find((candidate) => version === undefined || versionMatches(candidate.version, version))
  if (!source) {
    const have = sources.map((candidate) => candidate.version).join(', ')
    throw new XclusterError(
      `no Debian kernel source${version ? ` of version ${version}` : ''} in` +
        ` /usr/src${have ? ` (there: ${have})` : ''}: ${SOURCE_PACKAGE_HINT}`,
    )
  }
  return source
}

async function build(input: OperationInput<typeof FLAGS>, config: ClusterConfig): Promise<string> {
  const source = await sourceOf(input, config)
  if (config.kernelConfig !== undefined)
    await assertTrustedFile(config.kernelConfig, `the kernel config ${config.kernelConfig}`)
  if (config.kernelObjects !== undefined) await ensurePrivateDir(config.kernelObjects, 'kernel objects directory')
  await ensurePrivateDir(join(config.workspace, 'kernels'), 'kernels directory')
  const { buildKernel } = await import('@xcluster/image')
  const kernel = await buildKernel({
    workspace: config.workspace,
    source,
    config: config.kernelConfig,
    objects: config.kernelObjects,
    force: input.flags.force === true,
    log: input.progress,
  }).catch((error: Error) => {
    throw new XclusterError(`kernel build failed: ${error.message}`)
  })
  return kernel.bzImage
}

/** A built kernel as `kernel list` shows it. */
type KernelRow = { bzImage: string; built: string; mib: number; builtAt: string; lastUsed: string; chosen: boolean }

async function rowOf(kernel: BuiltKernel, chosen: string | undefined): Promise<KernelRow> {
  const { describeBuilt } = await import('../workspace/choose-kernel.js')
  return {
    bzImage: kernel.bzImage,
    built: describeBuilt(kernel),
    mib: Number((kernel.bytes / 1048576).toFixed(1)),
    builtAt: kernel.builtAt.toISOString(),
    lastUsed: kernel.lastUsed.toISOString(),
    chosen: kernel.bzImage === chosen,
  }
}

function describe(row: KernelRow): string {
  const at = (date: string) => date.slice(0, 16).replace('T', ' ')
  return (
    `${row.bzImage}  ${row.built}  ${row.mib.toFixed(1)} MiB  built ${at(row.builtAt)}  used` +
    ` ${at(row.lastUsed)}${row.chosen ? '  (a start boots it)' : ''}`
  )
}

/**
 * Removes built kernels no start used for `days`, never the one a start picks now or one a running VM boots; returns
 * what it removed, kernels and kept objects.
 */
async function prune(config: ClusterConfig, days: number, chosen: string | undefined): Promise<string[]> {
  const { listKernels, pruneKernelWork, removeKernel } = await import('@xcluster/image')
  const removed: string[] = []
  for (const kernel of await listKernels(config.workspace)) {
    const booted = (await processesWithArgument([kernel.bzImage])).length > 0
    if (kernel.bzImage === chosen || booted || Date.now() - kernel.lastUsed.getTime() < days * DAY_MS) continue
    await removeKernel(kernel)
    removed.push(describe(await rowOf(kernel, chosen)))
  }
  for (const dir of await pruneKernelWork(config.workspace, days)) removed.push(`the objects in ${dir}`)
  return removed
}

export const kernelOperation = defineOperation({
  name: 'kernel',
  output: '`{ built }`, `{ listed }` or `{ removed }`',
  summary: SUMMARIES.kernel,
  usage: `build [--source=DIR] [--kcfg=FILE] [--kobj=DIR] [--kver=V] [--force]
       xcluster kernel list
       xcluster kernel prune [DAYS]`,
  help: `build   builds a bzImage from Debian's linux-source-X.Y (in /usr/src; scripts/setup installs it),
        from --source=DIR, or from $KERNELDIR/$__kver as the shell tool did. The config is
        tinyconfig with xcluster's options (packages/image/kernel/xcluster.config: everything
        built in, no modules to load), plus the fragment --kcfg=FILE (__kcfg) names, or that file
        alone when it is a whole .config (\`make *config\` wrote it). Objects are kept in
        --kobj=DIR (__kobj), default <workspace>/kernels/work/..., so the next build only makes
        what changed. The kernel goes to <workspace>/kernels/<key of source, config, compiler>,
        and its path is printed. Nothing happens when that kernel is built already (--force
        builds it again); a tree of yours is always made again. The first build takes 10-15
        minutes on 2 cores.
list    every built kernel: path, version, config, size, when built and last booted
prune   removes built kernels no start booted for DAYS (default 7), never the one a start
        picks now or one a running VM boots, and kept objects of builds older than DAYS

A start boots the newest built kernel once one exists (kernel: 'built'); kernel: 'cloud'
(--kernel=cloud, XCLUSTER_KERNEL=cloud) boots Debian's cloud kernel, --kver and --kcfg pick
among built kernels, --kobj boots DIR/arch/x86/boot/bzImage.`,
  flags: FLAGS,
  complete: (_input, index) => (index === 0 ? ['build', 'list', 'prune'] : []),
  async run(input): Promise<{ built: string } | { listed: KernelRow[] } | { removed: string[] }> {
    const [verb, ...rest] = input.args
    const valid = (verb === 'prune' && rest.length <= 1) || (['build', 'list'].includes(verb) && rest.length === 0)
    if (!valid)
      throw new XclusterError(
        `say build, list or prune [DAYS]${verb ? `, not "${input.args.join(' ')}"` : ''} (\`xcluster kernel --help\`)`,
      )
    if (input.flags.source !== undefined && verb !== 'build')
      throw new XclusterError(`--source is an option of \`kernel build\`, not of \`kernel ${verb}\``)
    const { config } = await configOf(input)
    if (verb === 'build') return { built: await build(input, config) }
    const { imageFiles, listKernels } = await import('@xcluster/image')
    const { chooseKernel } = await import('../workspace/choose-kernel.js')
    const chosen = await chooseKernel(config, imageFiles(config.workspace).kernel).then(
      (kernel) => kernel.path,
      () => undefined,
    )
    if (verb === 'list')
      return { listed: await Promise.all((await listKernels(config.workspace)).map((kernel) => rowOf(kernel, chosen))) }
    const days = rest[0] === undefined ? 7 : Number(rest[0])
    if (!/^\d{1,4}$/.test(rest[0] ?? '7') || days > 3650)
      throw new XclusterError(`prune ${rest[0]}: DAYS must be a whole number from 0 to 3650`)
    return { removed: await prune(config, days, chosen) }
  },
  present(result) {
    if ('built' in result) return { text: `${result.built}\n` }
    if ('listed' in result) return { text: result.listed.map((row) => `${describe(row)}\n`).join('') }
    return { text: '', notes: result.removed.map((what) => `removed ${what}`) }
  },
})
