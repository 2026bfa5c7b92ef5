import { copyFile, mkdir, symlink, lstat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { run } from './run.js'

/** Busybox from busybox-static: one static binary, every applet a symlink to it. */
export const BUSYBOX = '/bin/busybox'

/** Dynamically linked programs copied into the guest with the libraries they need. */
export const GUEST_PROGRAMS = ['/usr/sbin/dropbear', '/usr/bin/iperf3']

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false)
}

async function copyInto(stage: string, path: string): Promise<void> {
  const target = join(stage, path)
  await mkdir(dirname(target), { recursive: true })
  await copyFile(path, target)
}

/** Copies a program and every shared library `ldd` names, to the same paths under `stage`. */
export async function copyProgram(stage: string, program: string): Promise<void> {
  await copyInto(stage, program)
  const libraries = (await run('ldd', [program]))
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((lib): lib is string => lib !== undefined)
  for (const lib of libraries) await copyInto(stage, lib)
}

/** Installs busybox at /bin/busybox and links each of its applets to it. */
export async function installBusybox(stage: string): Promise<void> {
  await copyInto(stage, BUSYBOX)
  for (const applet of (await run(BUSYBOX, ['--list-full'])).split('\n').filter(Boolean)) {
    const link = join(stage, applet)
    if (await exists(link)) continue
    await mkdir(dirname(link), { recursive: true })
    await symlink(BUSYBOX, link)
  }
}
