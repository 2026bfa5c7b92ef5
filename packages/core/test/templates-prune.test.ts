import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './cli-run.js'
import { partialTemplateDir } from '../src/clone/template-store.js'

let top: string
let workspace: string
const DAY_MS = 86_400_000

/** A template as a start leaves it, last used `daysAgo` days ago. */
async function template(key: string, daysAgo: number): Promise<string> {
  const dir = join(workspace, 'templates', key)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  for (const name of ['memory', 'state', 'disk', 'consoleLog'])
    await writeFile(join(dir, `template.${name}`), 'x'.repeat(1024), { mode: 0o600 })
  await writeFile(join(dir, 'made.json'), `{"key":"${key}"}\n`, { mode: 0o600 })
  const then = new Date(Date.now() - daysAgo * DAY_MS)
  await utimes(join(dir, 'made.json'), then, then)
  return dir
}

const image = (...args: string[]) =>
  runCli(['image', ...args], top, { XCLUSTER_WORKSPACE: workspace, XCLUSTER_TMP: join(top, 'state') })

beforeEach(async () => {
  top = await mkdtemp(join(tmpdir(), 'xcluster-templates-'))
  workspace = join(top, 'workspace')
  await mkdir(join(workspace, 'templates'), { recursive: true, mode: 0o700 })
})

afterEach(async () => {
  await rm(top, { recursive: true, force: true })
})

describe('templates of cloned VMs are listed and pruned with the images', () => {
  test('image --list shows each template with its size and when a start last cloned from it', async () => {
    const dir = await template('0123456789abcdef', 2)
    const list = await image('--list')
    expect(list.status).toBe(0)
    expect(list.stdout).toMatch(
      new RegExp(`^${dir} {2}0 MiB {2}used \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d {2}\\(a template`, 'm'),
    )
    expect(JSON.parse((await image('--list', '--json')).stdout).templates).toEqual([
      { dir, mib: 0, lastUsed: expect.any(String) },
    ])
  })

  test('--prune removes templates no start used for DAYS, but not one a running clone maps', async () => {
    const [mapped, old, recent] = [
      await template('aaaaaaaaaaaaaaaa', 10),
      await template('bbbbbbbbbbbbbbbb', 10),
      await template('cccccccccccccccc', 1),
    ]
    // A process whose command line maps the template's memory, as a clone's qemu does.
    const clone = execa('node', ['-e', 'setTimeout(() => {}, 60000)', `mem-path=${mapped}/template.memory,share=off`])
    try {
      await new Promise((done) => setTimeout(done, 300))
      const pruned = await image('--prune=7')
      expect(pruned.status).toBe(0)
      expect(pruned.stderr).toContain(`removed ${old}`)
      expect([existsSync(mapped), existsSync(old), existsSync(recent)]).toEqual([true, false, true])
    } finally {
      clone.kill()
      await clone.catch(() => undefined)
    }
  })

  test('--prune removes the notes older than DAYS that a shape could not be cloned, and only those', async () => {
    const note = async (key: string, daysAgo: number) => {
      const file = join(workspace, 'templates', `${key}.unclonable`)
      await writeFile(file, 'its kernel has no virtio console\n', { mode: 0o600 })
      const then = new Date(Date.now() - daysAgo * DAY_MS)
      await utimes(file, then, then)
      return file
    }
    const [old, recent] = [await note('dddddddddddddddd', 10), await note('eeeeeeeeeeeeeeee', 1)]
    const pruned = await image('--prune=7')
    expect(pruned.status).toBe(0)
    expect(pruned.stderr).toContain(`removed ${old}  (the note that a shape could not be cloned`)
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true])
  })

  test('--prune keeps a template a snapshot of clones needs, however long unused', async () => {
    const dir = await template('dddddddddddddddd', 30)
    const snapshot = join(workspace, 'snapshots', 's1')
    await mkdir(snapshot, { recursive: true, mode: 0o700 })
    const nic = {
      index: 0,
      ifname: 'eth0',
      net: 0,
      mac: '00:00:00:01:00:01',
      ipv4: '192.168.0.1',
      ipv6: '1000::1:c0a8:1',
    }
    const node = { id: 1, role: 'vm', hostname: 'vm-001', nics: [nic], mem: 128, smp: 1, append: [] }
    const manifest = {
      name: 's1',
      created: '2026-12-07T01:00:00.000Z',
      nodes: [node],
      plugins: [],
      kernel: '/k/bzImage',
      initrd: '/k/initrd.img',
      image: '/k/hd.qcow2',
      templates: [{ id: 1, key: 'dddddddddddddddd' }],
    }
    await writeFile(join(snapshot, 'snapshot.json'), JSON.stringify(manifest), { mode: 0o600 })
    expect((await image('--prune=7')).status).toBe(0)
    expect(existsSync(dir)).toBe(true)
    await rm(snapshot, { recursive: true })
    expect((await image('--prune=7')).stderr).toContain(`removed ${dir}`)
    expect(existsSync(dir)).toBe(false)
  })

  test("the next template made ends a killed start's half-made one (its qemu too), not a running start's", async () => {
    const gone = execa('true')
    await gone
    const [abandoned, removed, busy] = [
      `aaaaaaaaaaaaaaaa.partial-${gone.pid}`,
      `dddddddddddddddd.partial-${gone.pid}`,
      `bbbbbbbbbbbbbbbb.partial-${process.pid}`,
    ].map((name) => join(workspace, 'templates', name))
    for (const dir of [abandoned, busy]) await mkdir(dir, { mode: 0o700 })
    // Template qemus as a killed start left them: their command line names their directory, there or already gone.
    const qemus = [abandoned, removed, busy].map((dir) =>
      execa('node', ['-e', 'setTimeout(() => {}, 60000)', '--', '-pidfile', `${dir}/template.pid`]),
    )
    const ended = qemus.map((qemu) => qemu.catch((error: { signal?: string }) => error))
    try {
      await new Promise((done) => setTimeout(done, 300))
      const made = await partialTemplateDir(workspace, 'cccccccccccccccc')
      expect([(await ended[0]).signal, (await ended[1]).signal, qemus[2].exitCode]).toEqual([
        'SIGTERM',
        'SIGTERM',
        null,
      ])
      expect([existsSync(abandoned), existsSync(busy), existsSync(made)]).toEqual([false, true, true])
    } finally {
      for (const qemu of qemus) qemu.kill('SIGKILL')
    }
  })
})
