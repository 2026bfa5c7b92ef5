import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

const BOOT = 240_000

let ns: TestNetns
let dir: string
let templates: string
let started: Awaited<ReturnType<typeof xc>>
/** The kernel the config's start boots (the other describes start Debian's cloud kernel). */
let kernel: string | null
/** The templates this file's starts name (each has this file's kernel word: its own), removed after it. */
const own = new Set<string>()
const xc = async (...args: string[]) => {
  const run = await ns.xcluster(args, { cwd: dir })
  for (const [, key] of run.stderr.matchAll(/template ([0-9a-f]{16})/g)) own.add(key)
  return run
}
const rsh = async (id: number, command: string) => (await xc('rsh', String(id), command)).stdout
const status = async (): Promise<{ id: number; template: string | null; state: string; kernel: string | null }[]> =>
  JSON.parse((await xc('status', '--json')).stdout)

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('clone')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-clone-'))
  // A kernel word of this file's own: its template is its own too, made here and removed after it.
  const config = { nodes: 2, routers: 0, testers: 0, clone: true, append: [`xcluster.test=${ns.name}`] }
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  templates = join(JSON.parse((await xc('env', '--json')).stdout).workspace, 'templates')
  started = await xc('start')
  kernel = (await status())[0]?.kernel ?? null
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
  for (const key of own)
    for (const name of [key, `${key}.unclonable`]) await rm(join(templates, name), { recursive: true, force: true })
}, BOOT)

describe('VMs cloned from a booted template of their shape', () => {
  // In any order: after the tests that boot them or start the cloud kernel, the VMs are the config's clones again.
  beforeEach(async () => {
    const vms = await status()
    if (vms.some((vm) => vm.template === null || vm.state !== 'running' || vm.kernel !== kernel)) await xc('start')
  }, BOOT)

  test('start makes one template for both VMs and starts each as a clone of it; status --json says so', async () => {
    expect(started.exitCode).toBe(0)
    expect(started.stderr).toMatch(/^xcluster: making the template [0-9a-f]{16} of vm-001, vm-002/m)
    expect(started.stderr).toMatch(/^xcluster: cloning vm-001 from the template [0-9a-f]{16}$/m)
    const vms = await status()
    expect(vms.map((vm) => vm.state)).toEqual(['running', 'running'])
    expect(vms[0].template).toMatch(/^[0-9a-f]{16}$/)
    expect(vms[1].template).toBe(vms[0].template)
    expect((await xc('image', '--list')).stdout).toContain(`${join(templates, vms[0].template!)}  `)
  })

  test('two clones differ in name, MACs, addresses, ssh host key and disk, and reach each other', async () => {
    const identity = 'hostname; cat /sys/class/net/eth*/address; ip -4 -o addr show; md5sum < /etc/dropbear/*ed25519*'
    const [one, two] = [await rsh(1, identity), await rsh(2, identity)]
    expect(one).toMatch(/^vm-001\n00:00:00:01:00:01\n00:00:00:01:01:01\n/)
    expect(two).toMatch(/^vm-002\n00:00:00:01:00:02\n00:00:00:01:01:02\n/)
    // The kernel's random addresses too (dummy0, bond0): each clone has its own, as each booted VM has.
    const random = 'cat /sys/class/net/dummy0/address /sys/class/net/bond0/address'
    const [mine, theirs] = [await rsh(1, random), await rsh(2, random)]
    expect(mine.split('\n')).toHaveLength(2)
    for (const [k, mac] of mine.split('\n').entries()) expect(theirs.split('\n')[k]).not.toBe(mac)
    // Taking its identity went without a complaint of the guest's tools.
    expect(await readFile(`/tmp/xcluster-root/${ns.name}/vm-001.log`, 'utf8')).not.toMatch(/^(ip|date|base64): /m)
    expect(one).toContain('inet 192.168.1.1/24')
    expect(two).toContain('inet 192.168.1.2/24')
    expect(one.split('\n').at(-1)).not.toBe(two.split('\n').at(-1))
    // What one clone writes on its disk, the other does not see.
    await rsh(1, 'echo mine > /root/written-by-vm-001; sync')
    expect(await rsh(2, 'cat /root/written-by-vm-001 2>/dev/null || echo absent')).toBe('absent')
    expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
  })

  test("each clone's disk is its own, over the template's disk", async () => {
    const stateDir = JSON.parse((await xc('env', '--json')).stdout).stateDir
    const [{ template }] = await status()
    for (const vm of ['vm-001', 'vm-002']) {
      const { stdout } = await execa('qemu-img', ['info', '-U', '--output=json', join(stateDir, `${vm}.qcow2`)])
      expect(JSON.parse(stdout)['backing-filename']).toBe(join(templates, template!, 'template.disk'))
    }
  })

  test('a snapshot of clones brings them back as clones of their template', async () => {
    const name = `clones-${ns.name}`
    const [{ template }] = await status()
    try {
      await rsh(1, 'echo saved > /root/saved; sync')
      expect((await xc('snapshot', 'save', name)).exitCode).toBe(0)
      expect((await xc('stop')).exitCode).toBe(0)
      const restored = await xc('start', `--snapshot=${name}`)
      expect(restored.exitCode).toBe(0)
      expect(restored.stderr).toMatch(/^xcluster: restoring vm-001$/m)
      expect((await status()).map((vm) => vm.template)).toEqual([template, template])
      expect(await rsh(1, 'hostname; cat /root/saved')).toBe('vm-001\nsaved')
      expect(await rsh(2, 'hostname')).toBe('vm-002')
    } finally {
      await xc('snapshot', 'delete', name)
    }
  })

  test('a reset clone comes back as itself', async () => {
    expect((await xc('reset-vm', '2')).exitCode).toBe(0)
    expect(await rsh(2, 'hostname; cat /sys/class/net/eth0/address')).toBe('vm-002\n00:00:00:01:00:02')
  })
})

describe("Debian's cloud kernel", () => {
  test('clones too: its initramfs loads virtio_console', async () => {
    expect((await xc('start', '--kernel=cloud')).exitCode).toBe(0)
    expect((await status()).map((vm) => vm.template)).toEqual([expect.any(String), expect.any(String)])
    expect(await rsh(2, 'hostname')).toBe('vm-002')
  })
})

describe('booting instead', () => {
  test('a guest without virtio console (its module kept out) boots the VMs; later starts know it', async () => {
    const words = `--append=xcluster.test=${ns.name} modprobe.blacklist=virtio_console`
    const first = await xc('start', '--kernel=cloud', words)
    expect(first.exitCode).toBe(0)
    expect(first.stderr).toMatch(/^xcluster: no template for vm-001, vm-002: .*has no virtio console.*; they boot$/m)
    expect(first.stderr).toMatch(/^xcluster: booting vm-001$/m)
    const again = await xc('start', '--kernel=cloud', words)
    expect(again.stderr).not.toMatch(/making the template/)
    expect(again.stderr).toMatch(
      /^xcluster: no template for vm-001, vm-002: the template [0-9a-f]{16}: .*virtio console/m,
    )
    expect((await status()).map((vm) => vm.template)).toEqual([null, null])
  })

  test('--clone=no boots the VMs', async () => {
    const booted = await xc('start', '--clone=no')
    expect(booted.exitCode).toBe(0)
    expect(booted.stderr).toMatch(/^xcluster: booting vm-001$/m)
    expect((await status()).map((vm) => vm.template)).toEqual([null, null])
    expect(await rsh(1, 'hostname')).toBe('vm-001')
  })
})
