import { copyFile, mkdir, writeFile, chmod } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Kernel } from './kernel.js'
import { BOOT_MODULES, moduleLoadOrder } from './modules.js'
import { BUSYBOX } from './guest-programs.js'
import { pipeBytes } from './run.js'

/**
 * Builds initrd.img: busybox, the boot modules in load order (for the kernel release they belong to), and an /init
 * that mounts /dev/vda.
 */
export async function buildInitramfs(kernel: Kernel, guestDir: string, stage: string, output: string): Promise<void> {
  const modulesDir = join(kernel.root, 'lib', 'modules', kernel.release)
  await mkdir(join(stage, 'bin'), { recursive: true })
  await mkdir(join(stage, 'modules'), { recursive: true })
  await copyFile(BUSYBOX, join(stage, 'bin', 'busybox'))
  await copyFile(join(guestDir, 'initramfs', 'init'), join(stage, 'init'))
  await chmod(join(stage, 'init'), 0o755)
  const order = await moduleLoadOrder(modulesDir, BOOT_MODULES)
  for (const file of order) await copyFile(join(modulesDir, file), join(stage, 'modules', basename(file)))
  await writeFile(join(stage, 'modules', 'order'), `${order.map((file) => basename(file)).join('\n')}\n`)
  await writeFile(join(stage, 'modules', 'release'), `${kernel.release}\n`)
  const cpio = await pipeBytes(['find', ['.']], ['cpio', ['-o', '-H', 'newc', '--quiet']], stage)
  await writeFile(output, gzipSync(cpio))
}
