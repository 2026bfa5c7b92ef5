import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

// Four topologies booted one after the other, 5 to 8 VMs each, under software emulation.
const ALL_FOUR = 900_000

describe('xcluster topology test, on user-space networking', () => {
  let ns: TestNetns
  let dir: string
  beforeAll(async () => {
    await ensureTestImage()
    ns = await TestNetns.create('topotest')
    dir = await mkdtemp(join(tmpdir(), 'xcluster-topotest-'))
    await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({}))
  })
  afterAll(async () => ns?.remove(dir), 120_000)

  test(
    'xnet, dual-path, multihop and zones pass every check, and nothing keeps running',
    async () => {
      const run = await ns.xcluster(['topology', 'test', 'xnet', 'dual-path', 'multihop', 'zones'], { cwd: dir })
      // The whole report shows when a check failed.
      expect(`exit ${run.exitCode}\n${run.stdout}`).toMatch(/^exit 0\n/)
      expect(run.stdout).not.toContain('FAIL')
      expect(run.stdout).toMatch(
        /^topology test: (\d+) of \1 checks passed \(xnet 6\/6, dual-path 14\/14, multihop 6\/6, zones 16\/16\)$/m,
      )
      for (const check of [
        'PASS  dual-path: vm-001 pings 192.168.6.222',
        'PASS  zones: vm-001 pings 1000::1:192.168.4.20',
        'PASS  zones: vm-010 resolves vm-221.xcluster',
      ])
        expect(run.stdout).toContain(check)
      expect((await ns.xcluster(['status', '--json'], { cwd: dir })).stdout).toBe('[]')
    },
    ALL_FOUR,
  )

  test('bridge on user-space nets fails at once, saying it needs bridges, and boots nothing', async () => {
    const run = await ns.xcluster(['topology', 'test', 'bridge'], { cwd: dir })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('FAIL  bridge: needs bridges: a bridge inside a VM loops frames')
    expect(run.stderr).not.toContain('booting')
  })

  test('a topology without checks is refused, naming those that have them', async () => {
    const run = await ns.xcluster(['topology', 'test', 'nope'], { cwd: dir })
    expect([run.exitCode, run.stderr]).toEqual([
      1,
      expect.stringContaining('topology test: no checks for nope; the topologies with checks are xnet, dual-path'),
    ])
  })
})
