import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { GUEST_PROGRAMS } from './guest-programs.js'
import { cachedKernelPackage } from './kernel.js'
import { ifPresent } from './if-present.js'

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

/** The installed version of each Debian package, from dpkg's status file read once ('missing' when not installed). */
async function debianVersions(packages: string[]): Promise<Record<string, string>> {
  const versions = Object.fromEntries(packages.map((pkg) => [pkg, 'missing']))
  const status = (await ifPresent(readFile('/var/lib/dpkg/status', 'utf8'))) ?? ''
  for (const stanza of status.split('\n\n')) {
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1]
    const pkg = field('Package')
    if (pkg && pkg in versions && field('Status')?.endsWith(' installed')) versions[pkg] = field('Version') ?? 'missing'
  }
  return versions
}

/**
 * Everything the image is made from; when any of it changes, the image is rebuilt. `workspace` keeps what is slow to
 * ask.
 */
export async function imageInputs(
  sourceDirs: string[],
  authorizedKey: string,
  workspace: string,
): Promise<Record<string, string>> {
  const kernel = await cachedKernelPackage(join(workspace, 'kernel-package.json'))
  const v = await debianVersions([
    'busybox-static',
    'dropbear-bin',
    'iperf3',
    'iproute2',
    'iputils-ping',
    'iptables',
    'bash-static',
    'dnsmasq-base',
    'tcpdump',
  ])
  return {
    kernel: `${kernel.name}=${kernel.version}`,
    busybox: v['busybox-static'],
    dropbear: v['dropbear-bin'],
    iperf3: v.iperf3,
    programs: GUEST_PROGRAMS.map((p) => p.path).join(','),
    iproute2: v.iproute2,
    iputils: v['iputils-ping'],
    bash: v['bash-static'],
    iptables: v.iptables,
    dnsmasq: v['dnsmasq-base'],
    tcpdump: v.tcpdump,
    sources: await treeHash(sourceDirs),
    key: createHash('sha256').update(authorizedKey).digest('hex').slice(0, 16),
  }
}
