import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

const BOOT = 240_000
const name = `e2e-${process.pid}`

let ns: TestNetns
let dir: string
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
const rsh = (id: number, command: string) => xc('rsh', String(id), command)
const pids = async () => (await xc('status')).stdout.match(/pid \d+/g)

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('snap')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-snap-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0, testers: 0, mem: 64 }))
  expect((await xc('start')).exitCode).toBe(0)
  // What the snapshot must bring back: a file in vm-001, a TCP listener in vm-002.
  expect((await rsh(1, 'echo kept-by-the-snapshot > /root/file')).exitCode).toBe(0)
  const listen = 'setsid nc -ll -p 7000 -e echo from-the-listener </dev/null >/dev/null 2>&1 & sleep 0.5'
  expect((await rsh(2, listen)).exitCode).toBe(0)
  const save = await xc('snapshot', 'save', name)
  expect([save.exitCode, save.stderr]).toEqual([0, ''])
}, BOOT)

afterAll(async () => {
  await xc('snapshot', 'delete', name)
  await ns?.remove(dir)
}, BOOT)

describe('a cluster saved and brought back from a snapshot', () => {
  test(
    'stopped and started from the snapshot, it has the file, the listener, its net and the right time',
    async () => {
      expect((await xc('stop')).exitCode).toBe(0)
      const start = await xc('start', `--snapshot=${name}`)
      expect([start.exitCode, start.stderr]).toEqual([0, expect.not.stringContaining('error')])
      expect((await rsh(1, 'cat /root/file')).stdout).toBe('kept-by-the-snapshot')
      expect((await rsh(1, 'nc -w5 192.168.1.2 7000 </dev/null')).stdout).toBe('from-the-listener')
      expect((await rsh(1, 'ping -c1 -W5 192.168.1.2')).exitCode).toBe(0)
      // The guests' clocks stood still from the save: set again at the restore.
      const guest = Number((await rsh(2, 'date +%s')).stdout)
      expect(Math.abs(guest - Date.now() / 1000)).toBeLessThan(30)
    },
    BOOT,
  )

  test('list shows it with its VMs and size, in a private directory under the workspace', async () => {
    expect((await xc('snapshot', 'list')).stdout).toMatch(
      new RegExp(`^${name} {2}\\S+ {2}\\d+ MiB {2}vm-001 vm-002$`, 'm'),
    )
    expect(existsSync(join(homedir(), '.cache/xcluster/snapshots', name, 'vm-002.mem'))).toBe(true)
  })

  test(
    'a snapshot of another kernel is refused naming it, and the running cluster is left as it was',
    async () => {
      const before = await pids()
      const start = await xc('start', `--snapshot=${name}`, '--kernel=cloud')
      expect([start.exitCode, start.stderr]).toEqual([
        1,
        expect.stringMatching(
          new RegExp(`snapshot ${name} was taken of another cluster:\\n {2}kernel: the snapshot has `),
        ),
      ])
      expect(await pids()).toEqual(before)
    },
    BOOT,
  )

  test('an unknown or ill-named snapshot is refused naming what there is', async () => {
    const unknown = await xc('snapshot', 'restore', 'no-such-snapshot')
    expect([unknown.exitCode, unknown.stderr]).toEqual([
      1,
      expect.stringContaining(`no snapshot no-such-snapshot (there are:`),
    ])
    const bad = await xc('snapshot', 'save', '../x')
    expect([bad.exitCode, bad.stderr]).toEqual([1, expect.stringContaining('snapshot name "../x": a letter or digit')])
  })
})
