import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { type BuiltKernel, kernelConfigHash, listKernels, versionMatches } from '@xcluster/image'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'

/** The kernel a start boots, and how to say it. */
export interface ChosenKernel {
  path: string
  /** e.g. `built 6.1.192 (xcluster's config)` or `Debian's cloud kernel`. */
  label: string
  /** What the start tells the user, when the default picked a built kernel. */
  note?: string
  /** The built kernel chosen, which a start marks used (prune keeps it). */
  built?: BuiltKernel
}

const CLOUD = "Debian's cloud kernel"

export function describeBuilt(kernel: BuiltKernel): string {
  return (
    `built ${kernel.inputs.version}` +
    ` (${kernel.inputs.config === 'xcluster' ? "xcluster's config" : kernel.inputs.config})`
  )
}

/** What the user asked for, in the shell tool's words, for errors. */
function wanted(config: ClusterConfig): string {
  const parts = [
    config.kernelVersion && `__kver=${config.kernelVersion}`,
    config.kernelConfig && `__kcfg=${config.kernelConfig}`,
  ].filter(Boolean)
  return parts.length > 0 ? ` for ${parts.join(' ')}` : ''
}

/**
 * The built kernels of kernelVersion (any when unset) made with kernelConfig, or with xcluster's own
 * config when that is unset (a kernel built with a config of the user's is booted only when asked
 * for), newest first.
 */
async function matchingKernels(config: ClusterConfig): Promise<BuiltKernel[]> {
  const configHash = config.kernelConfig === undefined ? undefined : await kernelConfigHash(config.kernelConfig)
  const sameConfig = (kernel: BuiltKernel) =>
    configHash === undefined ? kernel.inputs.config === 'xcluster' : kernel.inputs.configHash === configHash
  return (await listKernels(config.workspace)).filter(
    (kernel) =>
      sameConfig(kernel) &&
      (config.kernelVersion === undefined || versionMatches(kernel.inputs.version, config.kernelVersion)),
  )
}

async function mustExist(path: string, setting: string): Promise<string> {
  await access(path).catch(() => {
    throw new XclusterError(
      `${setting}: ${path} does not exist; build it (\`xcluster kernel build\`) or drop the setting`,
    )
  })
  return path
}

/**
 * The kernel the VMs boot: a path as given; `cloud`, the image's; `built` (or kernelVersion,
 * kernelConfig), the newest matching built kernel; `kernelObjects`, the bzImage there; `default`,
 * the newest kernel built with xcluster's config once one exists, else the image's cloud kernel.
 */
export async function chooseKernel(config: ClusterConfig, cloudKernel: string): Promise<ChosenKernel> {
  const choice = config.kernel
  if (choice === 'cloud') return { path: cloudKernel, label: CLOUD }
  if (choice !== 'built' && choice !== 'default') return { path: await mustExist(choice, 'kernel'), label: choice }
  if (config.kernelObjects !== undefined) {
    const path = await mustExist(
      join(config.kernelObjects, 'arch', 'x86', 'boot', 'bzImage'),
      `kernelObjects (__kobj=${config.kernelObjects})`,
    )
    return { path, label: `built in ${config.kernelObjects}` }
  }
  const [kernel] = await matchingKernels(config)
  const asked = choice === 'built' || config.kernelVersion !== undefined || config.kernelConfig !== undefined
  if (!kernel && asked) {
    const built = (await listKernels(config.workspace)).map(describeBuilt)
    throw new XclusterError(
      `no kernel was built${wanted(config)}: \`xcluster kernel build\` builds one (10-15 minutes on 2` +
        ` cores)${built.length > 0 ? `; built: ${built.join(', ')}` : ''}`,
    )
  }
  if (!kernel) return { path: cloudKernel, label: CLOUD }
  const note = asked
    ? undefined
    : `booting the ${describeBuilt(kernel)} kernel ${kernel.bzImage}; kernel 'cloud' (--kernel=cloud,` +
      ` XCLUSTER_KERNEL=cloud) boots ${CLOUD}`
  return { path: kernel.bzImage, label: describeBuilt(kernel), note, built: kernel }
}

/** How `status` names the kernel at `path`. */
export async function kernelLabel(path: string, config: ClusterConfig, cloudKernel: string): Promise<string> {
  if (path === cloudKernel || path.startsWith(join(config.workspace, 'images'))) return CLOUD
  const kernel = (await listKernels(config.workspace)).find((candidate) => candidate.bzImage === path)
  return kernel ? describeBuilt(kernel) : path
}
