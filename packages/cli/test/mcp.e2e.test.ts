import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { TEST_ACCEL, TestNetns, XCLUSTER_BIN, ensureTestImage } from '@xcluster/test-support/netns'

const BOOT = 240_000
let ns: TestNetns
let dir: string
let client: Client

/** The text of a tool's answer, and whether it is an error. */
async function call(name: string, args: Record<string, unknown>) {
  const answer = (await client.callTool({ name, arguments: args })) as {
    content: { type: string; text: string }[]
    isError?: boolean
  }
  return { text: answer.content.map((part) => part.text).join(''), isError: answer.isError === true }
}

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('mcp')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-mcp-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, testers: 0 }))
  // An agent's client starts `xcluster mcp` in the project, as a user's does: here inside the test's netns.
  client = new Client({ name: 'xcluster-test', version: '1.0.0' })
  await client.connect(
    new StdioClientTransport({
      command: 'ip',
      args: ['netns', 'exec', ns.name, XCLUSTER_BIN, 'mcp'],
      cwd: dir,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, USER: 'root', XCLUSTER_ACCEL: TEST_ACCEL },
      stderr: 'pipe',
    }),
  )
}, BOOT)

afterAll(async () => {
  await client?.close()
  await ns?.remove(dir)
}, BOOT)

describe('xcluster mcp: the operations as tools of an agent', () => {
  test('lists at most 15 tools, each with its schema; the destructive ones say so', async () => {
    const { tools } = await client.listTools()
    expect(tools.length).toBeLessThanOrEqual(15)
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['status', 'start', 'stop', 'rsh', 'topology']),
    )
    expect(tools.find((tool) => tool.name === 'stop')?.annotations?.destructiveHint).toBe(true)
    expect(tools.find((tool) => tool.name === 'vm')).toBeUndefined()
  })

  test(
    'starts a cluster, reports it, runs a command in a VM and stops it',
    async () => {
      const started = await call('start', {})
      expect([started.isError, started.text]).toEqual([false, expect.stringContaining('"hostname": "vm-001"')])
      const status = await call('status', {})
      expect(JSON.parse(status.text)).toEqual([expect.objectContaining({ hostname: 'vm-001', state: 'running' })])
      expect(await call('rsh', { args: ['1', 'hostname'] })).toEqual({ text: 'vm-001\n', isError: false })
      const failing = await call('rsh', { args: ['1', 'exit 3'] })
      expect(failing).toEqual({ text: expect.stringContaining('exit status 3'), isError: true })
      const long = await call('rsh', { args: ['1', 'seq 1 5000'] })
      expect(long.text).toMatch(/\n\[cut: \d+ more characters; ask for less\]$/)
      expect((await call('stop', {})).isError).toBe(false)
      expect(JSON.parse((await call('status', {})).text)).toEqual([])
    },
    BOOT,
  )

  test('bad input is a clear error naming the value and the rule', async () => {
    // Read by the command line's own code: the same error as `xcluster status --nosuch`.
    expect(await call('status', { flags: { nosuch: true } })).toEqual({
      text: expect.stringContaining('--nosuch is not an option of status'),
      isError: true,
    })
    expect(await call('status', { flags: { svg: 'yes please' } })).toEqual({
      text: '--svg=yes please: --svg is yes or no (--svg, --no-svg, --svg=yes|no|true|false)',
      isError: true,
    })
    expect(await call('rsh', { args: '1 hostname' })).toEqual({
      text: expect.stringMatching(/^rsh: args: /),
      isError: true,
    })
    expect(await call('rsh', { args: ['1'] })).toEqual({
      text: expect.stringContaining('needs a command'),
      isError: true,
    })
    expect(await call('vm', { args: ['1'] })).toEqual({ text: expect.stringContaining('not a tool'), isError: true })
  })
})
