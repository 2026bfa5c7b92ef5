import { access } from 'node:fs/promises'
import { ProgramMissing, buildImage, imageFiles, markKernelUsed } from '@xcluster/image'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import type { Host } from '../host/host.js'
import { type ChosenKernel, chooseKernel } from './choose-kernel.js'
import { ensureSshKey } from './ssh-key.js'

function usesWorkspaceImage(config: ClusterConfig): boolean {
  const built = imageFiles(config.workspace)
  return config.initrd === built.initrd && config.image === built.disk
}

/** The kernel, initramfs and root disk a run boots. */
export type ImagePaths = Pick<ClusterConfig, 'kernel' | 'initrd' | 'image'>

/**
 * Makes sure the kernel, initramfs and root disk exist and returns their paths, with the kernel
 * chosen (see chooseKernel): the workspace's own image for today's inputs is built when missing
 * (its real directory is returned, so VMs keep their backing files whatever another install
 * does); paths the user configured must exist.
 */
export async function ensureImage(
  host: Host,
  config: ClusterConfig,
  log: (message: string) => void,
  force = false,
): Promise<{ paths: ImagePaths; kernel: ChosenKernel }> {
  let image = { kernel: imageFiles(config.workspace).kernel, initrd: config.initrd, image: config.image }
  if (usesWorkspaceImage(config)) {
    const key = await ensureSshKey(host, config.workspace)
    const built = await buildImage({ workspace: config.workspace, authorizedKey: key.publicKey, force, log }).catch(
      (error: Error) => {
        // A program that is missing is said as such; anything else may be the mirror out of reach.
        if (error instanceof ProgramMissing)
          throw new XclusterError(`building the image in ${config.workspace}/images: ${error.message}`)
        throw new XclusterError(
          `building the image in ${config.workspace}/images failed (it needs Debian's package mirror, so build it` +
            ` with \`xcluster image\` where the network reaches it): ${error.message}`,
        )
      },
    )
    image = { kernel: built.kernel, initrd: built.initrd, image: built.disk }
  }
  for (const [option, path] of [
    ['initrd', image.initrd],
    ['image', image.image],
  ] as const) {
    await access(path).catch(() => {
      throw new XclusterError(
        `${option}=${path}: the file does not exist; build it or drop the option to use the workspace image`,
      )
    })
  }
  const kernel = await chooseKernel(config, image.kernel)
  if (kernel.built) await markKernelUsed(kernel.built)
  return { paths: { ...image, kernel: kernel.path }, kernel }
}
