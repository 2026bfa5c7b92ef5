import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { GUEST_PROGRAMS } from './guest-programs.js'
import { kernelPackage } from './kernel.js'
import { run } from './run.js'

async function treeHash(dirs: string[]): Promise<string> {
  const hash = createHash('sha256')
  const walk = async (root: string, dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(root, path)
      else hash.update(`${relative(root, path)}\0${(await stat(path)).mode}\0`).update(await readFile(path))
    }
  }
  for (const dir of dirs) await walk(dir, dir)
  return hash.digest('hex').slice(0, 16)
}

async function debianVersion(pkg: string): Promise<string> {
  return run('dpkg-query', ['-W', '-f=${Version}', pkg]).catch(() => 'missing')
}

/** Everything the image is made from; when any of it changes, the image is rebuilt. */
export async function imageInputs(sourceDirs: string[], authorizedKey: string): Promise<Record<string, string>> {
  const kernel = await kernelPackage()
  return {
    kernel: `${kernel.name}=${kernel.version}`,
    busybox: await debianVersion('busybox-static'),
    dropbear: await debianVersion('dropbear-bin'),
    iperf3: await debianVersion('iperf3'),
    programs: GUEST_PROGRAMS.map((p) => p.path).join(','),
    iproute2: await debianVersion('iproute2'),
    iputils: await debianVersion('iputils-ping'),
    bash: await debianVersion('bash-static'),
    iptables: await debianVersion('iptables'),
    sources: await treeHash(sourceDirs),
    key: createHash('sha256').update(authorizedKey).digest('hex').slice(0, 16),
  }
}
