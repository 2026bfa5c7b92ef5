import { cp, lstat, mkdir, rm, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { run } from './run.js'
import { copyUnder, sharedLibraries } from './shared-libraries.js'

/** Busybox from busybox-static: one static binary, every applet a symlink to it. */
export const BUSYBOX = '/bin/busybox'

/** A host program copied into the guest with its libraries, plus the names it answers to and the plugins it loads. */
export interface GuestProgram {
  path: string
  links?: string[]
  dirs?: string[]
}

/**
 * Dynamically linked programs the guest gets from the host's Debian packages. They are copied
 * before busybox links its applets, so a name they take stays theirs.
 */
export const GUEST_PROGRAMS: GuestProgram[] = [
  // The shell. Busybox's ash runs its own applet for a name (`ip`, `ping`) even where a real
  // program sits on PATH; bash has no applets, so as /bin/sh and root's shell it runs what PATH
  // finds, on the console, over ssh and in rc and overlay scripts alike, and busybox serves only
  // the names nothing else has. Static: under emulation, linking a dynamic shell at each script's
  // start cost 50 ms more (dash 68 ms, bash-static 28 ms, busybox 18 ms an exec).
  { path: '/bin/bash-static', links: ['/bin/sh', '/bin/bash'] },
  // iproute2 whole (ECMP routes and policy rules need it; people type these all day) and iputils ping.
  { path: '/bin/ip', links: ['/sbin/ip'] },
  { path: '/bin/ss' },
  { path: '/sbin/bridge' },
  { path: '/sbin/tc', dirs: ['/usr/lib/x86_64-linux-gnu/tc'] },
  { path: '/bin/ping', links: ['/bin/ping4', '/bin/ping6'] },
  { path: '/usr/sbin/dropbear' },
  { path: '/usr/bin/iperf3' },
  // Each VM's local resolver (the DNS plugin starts it) and packet capture (`xcluster tcpdump`).
  { path: '/usr/sbin/dnsmasq' },
  { path: '/usr/bin/tcpdump' },
  {
    path: '/usr/sbin/xtables-nft-multi',
    links: ['/usr/sbin/iptables', '/usr/sbin/ip6tables'],
    dirs: ['/usr/lib/x86_64-linux-gnu/xtables'],
  },
]

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  )
}

/**
 * Copies a program, every shared library the loader resolves for it, its links and plugin directories, to the same
 * paths under `stage`.
 */
export async function copyProgram(stage: string, program: GuestProgram): Promise<void> {
  await copyUnder(stage, program.path)
  for (const lib of (await sharedLibraries(program.path)).paths) await copyUnder(stage, lib)
  for (const link of program.links ?? []) {
    await mkdir(dirname(join(stage, link)), { recursive: true })
    await rm(join(stage, link), { force: true })
    await symlink(program.path, join(stage, link))
  }
  for (const dir of program.dirs ?? []) await cp(dir, join(stage, dir), { recursive: true })
}

/** Links each busybox applet to /bin/busybox where no program sits already. */
export async function installBusybox(stage: string): Promise<void> {
  await copyUnder(stage, BUSYBOX)
  for (const applet of (await run(BUSYBOX, ['--list-full'])).split('\n').filter(Boolean)) {
    const link = join(stage, applet)
    if (await exists(link)) continue
    await mkdir(dirname(link), { recursive: true })
    await symlink(BUSYBOX, link)
  }
}
