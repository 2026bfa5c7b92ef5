import { afterAll, describe, expect, test } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from '../../core/test/cli-run.js'

const TOPOLOGY = fileURLToPath(new URL('../src/index.ts', import.meta.url))

afterAll(removeTempDirs)

// Loading a config in TypeScript (jiti) takes seconds when the suite's VMs keep the cores busy.
const CONFIG_TS = 120_000

/** A project whose config has a topology of its own, `two-nets`. */
async function projectWithOwnTopology(): Promise<string> {
  const dir = await tempDir('topology-show')
  await writeFile(
    join(dir, 'xcluster.config.ts'),
    `import topology from '${TOPOLOGY}'
export default {
  nodes: 2,
  plugins: [topology({
    name: 'two-nets', description: 'vms on 1, testers on 7, one router', routers: 1, testers: 1,
    roles: {
      vm: { nets: [0, 1], setup: { routes: [{ to: 7, via: { node: 201, net: 1 } }] } },
      router: { nets: [0, 1, 7], setup: { forward: true } },
      tester: { nets: [0, 7], setup: { routes: [{ to: 1, via: { node: 201, net: 7 } }] } },
    },
  })],
}
`,
  )
  return dir
}

describe('topology show', () => {
  test(
    "shows the config's own topology by its name, as text and as a picture",
    async () => {
      const dir = await projectWithOwnTopology()
      const text = await runCli(['topology', 'show', 'two-nets'], dir)
      expect([text.status, text.stderr]).toEqual([0, ''])
      expect(text.stdout).toContain('# vm-221\naddr eth1 192.168.7.221/24')
      const dot = await runCli(['topology', 'show', 'two-nets', '--dot'], dir)
      expect(dot.stdout).toContain('(topology two-nets)')
      expect(dot.stdout).toContain('net1 -- vm201 ')
      expect(dot.stdout).toContain(
        'vm201 -- net7 [id="vm-201-net7", label="eth2\\n192.168.7.201/24\\n1000::1:192.168.7.201/120"]',
      )
    },
    CONFIG_TS,
  )

  test(
    "a name that is neither built in nor the config's is refused, listing both",
    async () => {
      const dir = await projectWithOwnTopology()
      const shown = await runCli(['topology', 'show', 'nope'], dir)
      expect(shown.status).toBe(1)
      expect(shown.stderr).toContain('topology nope does not exist; there are: xnet, dual-path')
      expect(shown.stderr).toContain("and your config's two-nets")
    },
    CONFIG_TS,
  )

  test(
    "draws a topology's own addresses: bridge's tester on net 2 has a net-1 address, the router's NICs" + ' are in br1',
    async () => {
      const dir = await tempDir('topology-show')
      const dot = (await runCli(['topology', 'show', 'bridge', '--dot', '--ntesters=1'], dir)).stdout
      expect(dot).toContain(
        'net2 -- vm221 [id="vm-221-net2", label="eth1\\n192.168.1.221/24\\n1000::1:192.168.1.221/120"]',
      )
      expect(dot).toContain('vm201 -- net2 [id="vm-201-net2", label="eth2\\nin br1\\n192.168.1.201/24')
    },
  )

  test('--svg and --dot together are refused', async () => {
    const dir = await tempDir('topology-show')
    const both = await runCli(['topology', 'show', 'xnet', '--svg', '--dot'], dir)
    expect([both.status, both.stderr]).toEqual([1, expect.stringContaining('--svg and --dot: choose one')])
  })
})
