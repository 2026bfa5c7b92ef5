import { afterAll, describe, expect, test } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { minimumMemory } from '../src/qemu/kernel-memory.js'

const MiB = 1024 * 1024

/** The start of a bzImage: boot protocol 2.15, the given preferred load address and init_size. */
async function bzImage(dir: string, prefAddress: number, initSize: number): Promise<string> {
  const header = Buffer.alloc(0x300)
  header.write('HdrS', 0x202, 'latin1')
  header.writeUInt16LE(0x20f, 0x206)
  header.writeBigUInt64LE(BigInt(prefAddress), 0x258)
  header.writeUInt32LE(initSize, 0x260)
  const file = join(dir, 'vmlinuz')
  await writeFile(file, header)
  return file
}

describe('the memory a kernel needs', () => {
  test('is where it unpacks itself (load address + init_size), the initramfs and a margin for the guest', async () => {
    const dir = await tempDir('kmem')
    const initrd = join(dir, 'initrd.img')
    await writeFile(initrd, Buffer.alloc(MiB + 1))
    // Debian's cloud kernel of 6.1: loaded at 16 MiB, init_size 51.5 MiB.
    expect(await minimumMemory(await bzImage(dir, 16 * MiB, 51.5 * MiB), initrd)).toBe(
      Math.ceil(16 + 51.5 + 1 + 1 / MiB) + 16,
    )
  })
  test('is not guessed for a file that is no bzImage', async () => {
    const dir = await tempDir('kmem')
    await writeFile(join(dir, 'vmlinux'), 'ELF...')
    await writeFile(join(dir, 'initrd'), '')
    expect(await minimumMemory(join(dir, 'vmlinux'), join(dir, 'initrd'))).toBeUndefined()
  })
})

afterAll(removeTempDirs)
