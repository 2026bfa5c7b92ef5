import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { access, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { TestNetns, XCLUSTER_BIN, ensureTestImage, ensureTestKernel } from '@xcluster/test-support/netns'

// The kernel `xcluster kernel build` makes from Debian's linux-source with xcluster's config: built
// once per machine (10-15 minutes; scripts/test builds it before the suite) and cached.
const BUILD = 30 * 60_000
const BOOT = 240_000
const WORKSPACE = join(homedir(), '.cache', 'xcluster')

let ns: TestNetns
let dir: string
let bzImage: string
let start: Awaited<ReturnType<typeof xc>>
const made: string[] = []
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
const rsh = (command: string) => xc('rsh', '1', command)

beforeAll(async () => {
  await ensureTestImage()
  bzImage = await ensureTestKernel()
  ns = await TestNetns.create('kern')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-kern-'))
  await writeFile(
    join(dir, 'xcluster.config.json'),
    JSON.stringify({ nodes: 1, routers: 0, testers: 0, mem: 64, kernel: 'built' }),
  )
  start = await xc('start')
}, BUILD)

afterAll(async () => {
  await ns?.remove(dir)
  for (const path of made) await rm(path, { recursive: true, force: true })
  if (dir) await rm(dir, { recursive: true, force: true })
}, BOOT)

describe("a VM of 64 MiB on the cluster's own kernel", () => {
  test(
    'boots it, and start and status say which kernel it is',
    async () => {
      expect(start.stderr).toMatch(/^xcluster: up: vm-001$/m)
      expect(start.exitCode).toBe(0)
      const status = await xc('status')
      expect(status.stdout).toMatch(
        new RegExp(`^kernel built 6\\.1\\.\\d+ \\(xcluster's config\\) ${bzImage}: vm-001$`, 'm'),
      )
      expect((await rsh('uname -r')).stdout.trim()).toMatch(/^6\.1\.\d+$/)
      expect(Number(/MemTotal:\s+(\d+) kB/.exec((await rsh('cat /proc/meminfo')).stdout)![1])).toBeLessThan(64 * 1024)
    },
    BOOT,
  )

  test(
    'has everything built in: the initramfs loads no module',
    async () => {
      const consoleLog = await readFile(`/tmp/xcluster-root/${ns.name}/vm-001.log`, 'utf8')
      expect(consoleLog).toMatch(/Run \/init as init process/)
      expect(consoleLog).not.toMatch(/insmod/)
      expect((await rsh('cat /proc/modules | wc -l')).stdout.trim()).toBe('0')
    },
    BOOT,
  )

  test(
    'runs what users run in VMs: netem, NAT, cgroup v2, overlayfs, BPF JIT, tunnels, IPVS, SCTP',
    async () => {
      const script = [
        'tc qdisc add dev eth0 root netem delay 1ms',
        'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
        'mkdir -p /mnt/cg && mount -t cgroup2 none /mnt/cg && cat /mnt/cg/cgroup.controllers',
        'mkdir -p /tmp/l /tmp/u /tmp/w /tmp/m && mount -t overlay overlay -o' +
          ' lowerdir=/tmp/l,upperdir=/tmp/u,workdir=/tmp/w /tmp/m',
        'cat /proc/sys/net/core/bpf_jit_enable',
        'ip link add d0 type dummy && ip link add vx0 type vxlan id 5 dstport 4789 dev eth0 && ip link add br9' +
          ' type bridge',
        'test -e /proc/net/ip_vs && test -e /proc/sys/net/sctp && echo features-ok',
      ].join(' && ')
      const result = await rsh(script)
      expect(result.stderr).toBe('')
      expect(result.stdout).toMatch(/\bmemory\b.*\bpids\b|\bpids\b.*\bmemory\b/)
      expect(result.stdout).toMatch(/^1$/m)
      expect(result.stdout).toMatch(/features-ok/)
    },
    BOOT,
  )

  test(
    "a mem below the kernel's minimum is refused, naming the minimum, before anything starts",
    async () => {
      const refused = await xc('start', '--no-restart', '--mem=32')
      expect(refused.exitCode).toBe(1)
      expect(refused.stderr).toMatch(
        new RegExp(`mem is too small for ${bzImage}: .*needs at least (\\d+) MiB; vm-001 \\(32\\)`),
      )
      const minimum = Number(/needs at least (\d+) MiB/.exec(refused.stderr)![1])
      expect(minimum).toBeGreaterThan(32)
      expect(minimum).toBeLessThanOrEqual(64)
    },
    BOOT,
  )
})

describe("the shell tool's kernel settings", () => {
  test(
    '__kver picks the built kernel of that version, and is refused naming it when none was built',
    async () => {
      const plan = async (env: Record<string, string>) =>
        ns.xcluster(['start', '--dry-run', '--json'], { cwd: dir, env })
      const [vm] = JSON.parse((await plan({ __kver: 'linux-6.1' })).stdout)
      expect(vm.argv[vm.argv.indexOf('-kernel') + 1]).toBe(bzImage)
      const none = await plan({ __kver: '5.10' })
      expect(none.exitCode).toBe(1)
      expect(none.stderr).toMatch(/no kernel was built for __kver=5\.10: `xcluster kernel build` builds one/)
    },
    BOOT,
  )

  test(
    '__kcfg adds a fragment, built in the objects of __kobj (only what changed), and a start with them boots' +
      ' that kernel',
    async () => {
      // The objects the cached build kept: named as __kobj, the build makes only what the fragment changes.
      // (A copy would not do: kbuild's tools keep absolute paths, and a moved objects directory builds anew.)
      const work = join(WORKSPACE, 'kernels', 'work')
      const kept = await Promise.all(
        (await readdir(work)).map((key) =>
          access(join(work, key, 'objects', 'arch', 'x86', 'boot', 'bzImage')).then(
            () => join(work, key, 'objects'),
            () => undefined,
          ),
        ),
      )
      const kobj = kept.find((path) => path !== undefined)!
      const fragment = join(dir, 'cake.config')
      await writeFile(fragment, 'CONFIG_NET_SCH_CAKE=y\n')
      const build = await execa(XCLUSTER_BIN, ['kernel', 'build', `--kcfg=${fragment}`, `--kobj=${kobj}`], {
        cwd: dir,
        reject: false,
      })
      const built = build.stdout.trim()
      if (built) made.push(dirname(built))
      expect(build.stderr).toMatch(/compiling in .*objects/)
      expect(build.exitCode).toBe(0)
      expect(Number(/compiled (\d+) files/.exec(build.stderr)![1])).toBeLessThan(300)
      expect(await readFile(join(kobj, '.config'), 'utf8')).toMatch(/^CONFIG_NET_SCH_CAKE=y$/m)
      expect((await stat(built)).size).toBeGreaterThan(1_000_000)

      // A cluster of its own: the other tests keep theirs on xcluster's config.
      const other = await TestNetns.create('kcfg')
      const otherDir = join(dir, 'kcfg')
      await mkdir(otherDir)
      await writeFile(
        join(otherDir, 'xcluster.config.json'),
        JSON.stringify({ nodes: 1, routers: 0, testers: 0, mem: 64 }),
      )
      const oxc = (...args: string[]) => other.xcluster(args, { cwd: otherDir })
      try {
        const withConfig = await oxc('start', `--kcfg=${fragment}`)
        expect(withConfig.exitCode).toBe(0)
        expect((await oxc('status')).stdout).toMatch(
          new RegExp(`^kernel built 6\\.1\\.\\d+ \\(${fragment}\\) ${built}: vm-001$`, 'm'),
        )
        expect((await oxc('rsh', '1', 'tc qdisc add dev eth0 root cake && tc qdisc show dev eth0')).stdout).toMatch(
          /qdisc cake/,
        )
        const [vm] = JSON.parse((await oxc('start', '--dry-run', '--json', `--kobj=${kobj}`)).stdout)
        expect(vm.argv[vm.argv.indexOf('-kernel') + 1]).toBe(join(kobj, 'arch', 'x86', 'boot', 'bzImage'))
        expect(vm.kernel).toBe(`built in ${kobj}`)
      } finally {
        await other.remove(otherDir)
      }
    },
    BUILD,
  )
})
