import { ensureImage } from '../../workspace/ensure-image.js'
import type { Command } from '../command.js'
import { configOf } from '../session.js'

export const imageCommand: Command = {
  name: 'image',
  summary: 'build the kernel, initramfs and root disk the VMs boot',
  help: `Usage: xcluster image [--force]

Builds into <workspace>/image, from Debian packages: the kernel of linux-image-cloud-amd64
(downloaded with apt-get download and unpacked, never installed), an initramfs that loads the
virtio modules, and a busybox + dropbear root disk (ext4 by mke2fs -d, then qcow2). Nothing
happens when the image is current; it is rebuilt when an input changes. --force rebuilds.`,
  flags: ['force'],
  async run(input) {
    const { config } = await configOf(input, 'image', this.flags)
    await ensureImage(input.host, config, (message) => input.stderr(`xcluster: ${message}\n`), input.options.force === 'yes')
    return 0
  },
}
