import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { access, mkdtemp, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterFilesIn, qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { TestNetns, XCLUSTER_BIN, ensureTestImage } from '@xcluster/test-support/netns'

let ns: TestNetns
let dir: string
let stateDir: string
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('fail')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-fail-'))
  stateDir = `/tmp/xcluster-root/${ns.name}`
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0 }))
}, 120_000)

afterAll(async () => {
  await ns?.remove(dir)
}, 120_000)

describe('the image', () => {
  test('is not rebuilt while its inputs are unchanged', async () => {
    const disk = join(homedir(), '.cache', 'xcluster', 'image', 'hd.qcow2')
    const before = (await stat(disk)).mtimeMs
    const again = await execa(XCLUSTER_BIN, ['image'], { reject: false, cwd: '/' })
    expect(again.exitCode).toBe(0)
    expect(again.stderr).not.toContain('building')
    expect((await stat(disk)).mtimeMs).toBe(before)
  })
})

describe('a start that cannot succeed leaves nothing behind', () => {
  test('a missing image is named, and no state directory is made', async () => {
    const start = await xc('start', '--image=/nonexistent/hd.qcow2')
    expect(start.exitCode).toBe(1)
    expect(start.stderr).toContain('image=/nonexistent/hd.qcow2: the file does not exist')
    await expect(access(stateDir)).rejects.toThrow()
  })

  test('a mem the kernel cannot boot in is refused with the minimum, before anything is made', async () => {
    // 32 MiB holds neither Debian's cloud kernel (85) nor the built one.
    const start = await xc('start', '--mem=32')
    expect(start.exitCode).toBe(1)
    expect(start.stderr).toMatch(
      /mem is too small for \S+: it unpacks itself into memory and needs at least \d+ MiB; vm-001 \(32\): set mem/,
    )
    await expect(access(stateDir)).rejects.toThrow()
  })

  test('a missing overlay names the paths searched', async () => {
    const start = await xc('start', '--overlays=nosuch')
    expect(start.exitCode).toBe(1)
    expect(start.stderr).toContain('overlay nosuch not found; searched:')
    await expect(access(stateDir)).rejects.toThrow()
  })

  test('a VM that does not come up in time fails the start with its id and console, and is ended', async () => {
    const start = await xc('start', '--boot-timeout=1')
    expect(start.exitCode).toBe(1)
    expect(start.stderr).toContain('vm-001 was not up after 1 s (bootTimeout); last console lines:')
    expect(await qemuPidsOf(stateDir)).toEqual([])
    expect(await clusterFilesIn(stateDir)).toEqual([])
    // The DNS service this start began is gone too.
    expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
  }, 60_000)

  test('a start that cannot boot leaves a running cluster as it was: VMs, DNS and files', async () => {
    try {
      expect((await xc('start')).exitCode).toBe(0)
      const before = { vms: await qemuPidsOf(stateDir), status: (await xc('status')).stdout }
      for (const bad of ['--overlays=typo', '--mem=32', '--image=/nonexistent/hd.qcow2']) {
        const start = await xc('start', bad)
        expect(start.exitCode).toBe(1)
        expect({ vms: await qemuPidsOf(stateDir), status: (await xc('status')).stdout }).toEqual(before)
      }
    } finally {
      await xc('stop')
    }
  }, 120_000)

  test('an id outside the role ranges is refused', async () => {
    const scaleout = await xc('scaleout', '245')
    expect(scaleout.exitCode).toBe(1)
    expect(scaleout.stderr).toContain('node id 245 is out of range')
  })
})
