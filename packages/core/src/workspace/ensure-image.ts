import { access } from 'node:fs/promises'
import { buildImage, imageFiles } from '@xcluster/image'
import type { ClusterConfig } from '../config/types.js'
import { XclusterError } from '../errors.js'
import type { Host } from '../host/host.js'
import { ensureSshKey } from './ssh-key.js'

function usesWorkspaceImage(config: ClusterConfig): boolean {
  const built = imageFiles(config.workspace)
  return config.kernel === built.kernel && config.initrd === built.initrd && config.image === built.disk
}

/**
 * Makes sure the kernel, initramfs and root disk exist: the workspace's own image is built (or
 * rebuilt when its inputs changed); paths the user configured must exist.
 */
export async function ensureImage(host: Host, config: ClusterConfig, log: (message: string) => void, force = false): Promise<void> {
  if (usesWorkspaceImage(config)) {
    const key = await ensureSshKey(host, config.workspace)
    await buildImage({ workspace: config.workspace, authorizedKey: key.publicKey, force, log }).catch((error: Error) => {
      throw new XclusterError(`building the image in ${config.workspace}/image failed (it needs Debian's package mirror, so build it with \`xcluster image\` where the network reaches it): ${error.message}`)
    })
    return
  }
  for (const [option, path] of [['kernel', config.kernel], ['initrd', config.initrd], ['image', config.image]] as const) {
    await access(path).catch(() => {
      throw new XclusterError(`${option}=${path}: the file does not exist; build it or drop the option to use the workspace image`)
    })
  }
}
