import { type ImageEntry, listImages, removeImage } from '@xcluster/image'
import { realpath } from 'node:fs/promises'
import { XclusterError } from '../../errors.js'
import { processesWithArgument } from '../../vm/processes.js'
import { ensureImage } from '../../workspace/ensure-image.js'
import { type CommandInput, defineCommand } from '../command.js'
import { configOf } from '../cluster-of.js'
import { ifPresent } from '../../host/if-present.js'

const DAY_MS = 86_400_000

/** Whether a qemu of this user boots a file of the image (its disk's backing file is there too). */
async function inUse(entry: ImageEntry): Promise<boolean> {
  return (await processesWithArgument([`${entry.dir}/vmlinuz`])).length > 0
}

function describe(entry: ImageEntry, current: string | undefined): string {
  const mib = (entry.bytes / 1048576).toFixed(0)
  return (
    `${entry.dir}  ${mib} MiB  used ${entry.lastUsed.toISOString().slice(0, 16).replace('T', ' ')} ` +
    ` ${entry.inputs.kernel ?? ''}${entry.dir === current ? '  (current)' : ''}\n`
  )
}

/** Removes images not used for `days`, keeping the current one and any a running VM boots. */
async function prune(
  input: CommandInput,
  workspace: string,
  days: number,
  current: string | undefined,
): Promise<number> {
  for (const entry of await listImages(workspace)) {
    if (entry.dir === current || Date.now() - entry.lastUsed.getTime() < days * DAY_MS || (await inUse(entry))) continue
    await removeImage(entry)
    input.stderr(`xcluster: removed ${describe(entry, current)}`)
  }
  return 0
}

export const imageCommand = defineCommand({
  name: 'image',
  summary: 'build the kernel, initramfs and root disk the VMs boot (--list, --prune)',
  usage: `[--force] | --list | --prune[=DAYS]`,
  help: `Builds into <workspace>/images/<key>, from Debian packages: the kernel of linux-image-cloud-amd64
(downloaded with apt-get download and unpacked, never installed), an initramfs that loads the
virtio modules, and a busybox + dropbear root disk (ext4 by mke2fs -d, then qcow2). The key is a
hash of every input (package versions, the image code, the ssh key): installs of different
versions keep an image each instead of rebuilding each other's. <workspace>/image links to the one
the last start used. Nothing happens when the image is current. --force rebuilds it.
`,
  flags: {
    force: { type: 'boolean', help: 'build it again even when current' },
    list: { type: 'boolean', help: 'every image: directory, size, when a start last used it, kernel' },
    prune: {
      type: 'optional',
      value: 'DAYS',
      help: 'remove images no start used for DAYS (7), never the current one or one a running VM boots',
    },
  },
  async run(input) {
    const { config } = await configOf(input)
    const current = await ifPresent(realpath(`${config.workspace}/image`))
    if (input.flags.list) {
      for (const entry of await listImages(config.workspace)) input.stdout(describe(entry, current))
      return 0
    }
    if (input.flags.prune !== undefined) {
      const days = input.flags.prune === true ? 7 : Number(input.flags.prune)
      if (!Number.isInteger(days) || days < 0 || days > 3650)
        throw new XclusterError(`--prune=${input.flags.prune}: must be a number of days from 0 to 3650`)
      return prune(input, config.workspace, days, current)
    }
    await ensureImage(
      input.host,
      config,
      (message) => input.stderr(`xcluster: ${message}\n`),
      input.flags.force === true,
    )
    return 0
  },
})
