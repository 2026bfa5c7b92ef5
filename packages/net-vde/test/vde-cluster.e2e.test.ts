import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

const BOOT = 240_000

let ns: TestNetns
let dir: string
let stateDir: string
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })

/** The pids of the processes whose command line names a directory of this cluster's switches. */
async function switchPids(): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0')
    if (argv.some((word) => word.startsWith(`${stateDir}/vde/`))) pids.push(Number(entry))
  }
  return pids
}

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('vde')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-vde-'))
  stateDir = `/tmp/xcluster-root/${ns.name}`
  await writeFile(
    join(dir, 'xcluster.config.json'),
    JSON.stringify({ nodes: 2, routers: 0, testers: 0, plugins: ['@xcluster/net-vde'] }),
  )
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
  for (const pid of await switchPids()) process.kill(pid)
}, BOOT)

describe('the example network plugin: net 1 on a VDE switch of the cluster, net 0 on the default backend', () => {
  test(
    'two VMs talk over the switch; status and the picture name it; a dead switch is a problem; stop leaves nothing',
    async () => {
      const start = await xc('start')
      expect([start.exitCode, start.stderr]).toEqual([0, expect.stringContaining('up: vm-002')])
      expect(start.stdout).toMatch(new RegExp(`vde: net 1: vde_switch \\(pid \\d+\\) at ${stateDir}/vde/net1`))
      const [pid] = await switchPids()
      expect((await switchPids()).length).toBe(1)
      // Private to the cluster's owner: the control directory and its socket.
      expect((await stat(join(stateDir, 'vde', 'net1'))).mode & 0o777).toBe(0o700)

      expect((await xc('rsh', '1', 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
      expect((await xc('status', '--dot')).stdout).toContain('vde_switch 1')

      process.kill(pid, 'SIGKILL')
      const status = await xc('status')
      expect([status.exitCode, status.stderr]).toEqual([
        1,
        expect.stringContaining('the VDE switch of net 1 is gone: `xcluster start` starts the cluster again'),
      ])

      expect((await xc('start')).exitCode).toBe(0)
      expect((await switchPids()).length).toBe(1)
      expect((await xc('rsh', '2', 'ping -c1 -W5 192.168.1.1')).exitCode).toBe(0)

      expect((await xc('stop')).exitCode).toBe(0)
      expect([await switchPids(), await qemuPidsOf(stateDir)]).toEqual([[], []])
      expect(existsSync(join(stateDir, 'vde'))).toBe(false)
    },
    BOOT,
  )
})
