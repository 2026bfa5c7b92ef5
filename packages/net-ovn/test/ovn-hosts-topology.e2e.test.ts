import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { clusterNetnsProject, removeClusterNetnsProject } from '@xcluster/test-support/cluster-netns'
import { type TestNetns, ensureTestImage, xclusterInClusterNetns } from '@xcluster/test-support/netns'

const BOOT = 300_000
const user = `xt${process.pid}`

let host: TestNetns
let dir: string
const xc = xclusterInClusterNetns(user, () => dir)

beforeAll(async () => {
  await ensureTestImage()
  // A config of other counts: the test boots the topology's own.
  ;({ host, dir } = await clusterNetnsProject('ovnt', user, {
    nodes: 3,
    testers: 1,
    mem: 64,
    plugins: ['@xcluster/net-ovn'],
  }))
}, BOOT)

afterAll(() => removeClusterNetnsProject(host, dir, user), BOOT)

describe('topologies across simulated hosts', () => {
  test(
    'topology test dual-path passes across two hosts: routers on one host route for VMs on the other',
    async () => {
      const run = await xc('topology', 'test', 'dual-path', '--hosts=sim:2')
      // A failing check shows with what the VM said.
      expect(run.stdout.split('\n').filter((line) => /^(FAIL|\s+\|)/.test(line))).toEqual([])
      expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('14 of 14 checks passed (dual-path')])
      expect(run.stderr).toMatch(/vm-20\d: on host h1 \(sim\)/)
      expect(run.stderr).toMatch(/vm-20\d: on host h2 \(sim\)/)
    },
    BOOT,
  )
})
