import { readdir } from 'node:fs/promises'
import { execa } from 'execa'

/** The qemu processes whose pidfile lies in `stateDir`, from /proc. */
export async function qemuPidsOf(stateDir: string): Promise<number[]> {
  const result = await execa('pgrep', ['-f', '--', `-pidfile ${stateDir}/`], { reject: false })
  return result.stdout.split('\n').filter(Boolean).map(Number)
}

/** The files of VMs (vm-NNN.*) and the cdrom left in a state directory. */
export async function clusterFilesIn(stateDir: string): Promise<string[]> {
  const files = await readdir(stateDir).catch((): string[] => [])
  return files.filter((f) => /^vm-\d{3}\./.test(f) || f === 'cdrom.iso')
}
