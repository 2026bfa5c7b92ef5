import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * What the initramfs loads: the virtio bus, disk, NIC and entropy source, the cdrom's file system, and the virtio
 * console (the port a clone is told who it is on).
 */
export const BOOT_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_net', 'virtio_rng', 'isofs', 'virtio_console']

/** The module files to insmod, dependencies first, from depmod's modules.dep. */
export async function moduleLoadOrder(modulesDir: string, wanted: string[]): Promise<string[]> {
  const dep = new Map<string, string[]>()
  for (const line of (await readFile(join(modulesDir, 'modules.dep'), 'utf8')).split('\n')) {
    const [file, deps] = line.split(':')
    if (file) dep.set(file, deps.trim() ? deps.trim().split(/\s+/) : [])
  }
  const byName = (name: string) =>
    [...dep.keys()].find((file) => file.endsWith(`/${name}.ko`) || file.endsWith(`/${name.replace(/_/g, '-')}.ko`))
  const order: string[] = []
  const visit = (file: string) => {
    if (order.includes(file)) return
    for (const d of dep.get(file) ?? []) visit(d)
    order.push(file)
  }
  for (const name of wanted) {
    const file = byName(name)
    // A module missing from modules.dep is built into this kernel.
    if (file) visit(file)
  }
  return order
}
