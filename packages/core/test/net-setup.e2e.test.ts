import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clusterFilesIn, qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

const script = (name: string) => fileURLToPath(new URL(`./fixtures/net-setup/${name}`, import.meta.url))
const BOOT = 240_000

let ns: TestNetns
let dir: string
const xc = (args: string[], env: Record<string, string> = {}) => ns.xcluster(args, { cwd: dir, env })

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('netsetup')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-netsetup-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0 }))
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
}, BOOT)

describe('__net_setup in a namespace with only lo', () => {
  test(
    "a script in the shell tool's style boots two VMs that ping each other over net 1",
    async () => {
      const start = await xc(['start'], { __net_setup: script('userspace.sh') })
      expect([start.exitCode, start.stderr]).toEqual([
        0,
        expect.stringMatching(/up: vm-001$[\s\S]*up: vm-002$|up: vm-002$[\s\S]*up: vm-001$/m),
      ])
      expect((await xc(['rsh', '1', 'ping -c1 -W5 192.168.1.2'])).exitCode).toBe(0)
      expect((await xc(['stop'])).exitCode).toBe(0)
    },
    BOOT,
  )

  test(
    'a failing script starts nothing and leaves nothing',
    async () => {
      const start = await xc(['start'], { __net_setup: script('fails.sh') })
      expect(start.exitCode).toBe(1)
      expect(start.stderr).toContain(
        `__net_setup ${script('fails.sh')} 1 1 (vm-001, net 1) failed with exit status 3; nothing was started. Its` +
          ` stderr:\nno bridge for net 1 of vm 1`,
      )
      const stateDir = `/tmp/xcluster-root/${ns.name}`
      expect(await qemuPidsOf(stateDir)).toEqual([])
      expect(await clusterFilesIn(stateDir)).toEqual([])
    },
    BOOT,
  )
})
