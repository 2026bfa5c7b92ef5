import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli-run.js'

const overlay = fileURLToPath(new URL('./fixtures/overlays/eth1-from-hostname', import.meta.url))

let dir: string
const env = () => ({ XCLUSTER_TMP: join(dir, 'state') })
const config = (settings: object) => writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(settings))

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xcluster-mkcdrom-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the overlays xcluster mkcdrom chooses are said, and never silently beat the config', () => {
  test('a start says it uses the choice of mkcdrom, and how to drop it', async () => {
    await config({ nodes: 1, routers: 0, testers: 0 })
    const chosen = await runCli(['mkcdrom', overlay], dir, env())
    expect([chosen.status, chosen.stderr]).toEqual([0, expect.stringContaining(`cdrom.iso holds ${overlay}`)])
    const start = await runCli(['start', '--dry-run'], dir, env())
    expect([start.status, start.stderr]).toEqual([
      0,
      expect.stringContaining(
        `overlays chosen by \`xcluster mkcdrom\`: ${overlay} (\`xcluster mkcdrom\` alone drops them)`,
      ),
    ])
  })

  test('a config that names its overlays, even none, is what a start uses; an earlier choice: unused', async () => {
    await config({ nodes: 1, routers: 0, testers: 0 })
    const chosen = await runCli(['mkcdrom', overlay], dir, env())
    expect([chosen.status, chosen.stderr]).toEqual([0, expect.stringContaining(`cdrom.iso holds ${overlay}`)])
    await config({ nodes: 1, routers: 0, testers: 0, overlays: [] })
    const start = await runCli(['start', '--dry-run'], dir, env())
    expect([start.status, start.stderr]).toEqual([
      0,
      expect.stringContaining(
        `the config names its overlays: the choice of \`xcluster mkcdrom\` (${overlay}) is not used`,
      ),
    ])
  })

  test('mkcdrom refuses to choose where the config names the overlays, naming them and what to do', async () => {
    await config({ nodes: 1, routers: 0, testers: 0, overlays: [] })
    const chosen = await runCli(['mkcdrom', overlay], dir, env())
    expect([chosen.status, chosen.stderr]).toEqual([
      1,
      `xcluster mkcdrom: the config names its overlays (none), which every start uses: add ${overlay} there, or` +
        ' remove overlays from it to choose them with mkcdrom\n',
    ])
  })
})
