import { open, stat } from 'node:fs/promises'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'

const MiB = 1024 * 1024
/** What the running guest needs beyond the unpacked kernel: page tables, its programs, the services of the image. */
const RUNNING_MARGIN_MIB = 16

/**
 * The memory below which the kernel cannot boot: a bzImage unpacks itself at its preferred load
 * address into `init_size` bytes (boot protocol 2.10+: setup header fields at 0x258 and 0x260),
 * and qemu puts the initramfs at the top of memory. With less, it stops before printing a line.
 */
export async function minimumMemory(kernel: string, initrd: string): Promise<number | undefined> {
  const header = Buffer.alloc(0x268)
  const file = await open(kernel, 'r')
  try {
    await file.read(header, 0, header.length, 0)
  } finally {
    await file.close()
  }
  if (header.toString('latin1', 0x202, 0x206) !== 'HdrS' || header.readUInt16LE(0x206) < 0x20a) return undefined
  const unpacked = Number(header.readBigUInt64LE(0x258)) + header.readUInt32LE(0x260)
  const initrdSize = (await stat(initrd)).size
  return Math.ceil((unpacked + initrdSize) / MiB) + RUNNING_MARGIN_MIB
}

/** Refuses, before anything starts, nodes whose memory the kernel cannot boot in, naming them and the minimum. */
export async function assertMemoryFits(nodes: Node[], kernel: string, initrd: string): Promise<void> {
  const minimum = await minimumMemory(kernel, initrd)
  if (minimum === undefined) return
  const small = nodes.filter((node) => node.mem < minimum)
  if (small.length === 0) return
  const named = small.map((node) => `${node.hostname} (${node.mem})`).join(', ')
  throw new XclusterError(
    `mem is too small for ${kernel}: it unpacks itself into memory and needs at least ${minimum} MiB; ${named}: set` +
      ` mem (--mem, __mem, --memI) to ${minimum} or more`,
  )
}
