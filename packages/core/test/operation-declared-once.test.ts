import { describe, expect, test } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli-run.js'
import { operationsMarkdown } from '../src/operations/operations-markdown.js'

const env = { XCLUSTER_HOOK: fileURLToPath(new URL('./fixtures/hooks/greet.mjs', import.meta.url)) }
const xc = (...argv: string[]) => runCli(argv, '/', env)

describe('an operation declared once is a whole command', () => {
  test('xcluster --help lists it with its summary, and its own --help its usage and flags', async () => {
    expect((await xc('--help')).stdout).toMatch(/ greet +greet the VMs a number of times/)
    const help = (await xc('greet', '--help')).stdout
    expect(help).toMatch(/^Usage: xcluster greet \[--times=N\] NAME/)
    expect(help).toMatch(/--times <N> +how many greetings/)
    expect(help).toMatch(/--json +the result as JSON: `\{ name, times \}`: whom it greeted, how many times/)
  })

  test('its flags are read and checked by the declaration; its result is text, or JSON with --json', async () => {
    expect(await xc('greet', '--times=2', 'cluster')).toEqual({
      status: 0,
      stdout: 'hello cluster, hello cluster\n',
      stderr: '',
    })
    expect(JSON.parse((await xc('greet', '--json', 'cluster')).stdout)).toEqual({ name: 'cluster', times: 1 })
    const typo = await xc('greet', '--tims=2')
    expect([typo.status, typo.stderr]).toEqual([1, expect.stringContaining('did you mean --times?')])
  })

  test('completion offers its name, its flags and its words', async () => {
    expect((await xc('__complete', 'gre')).stdout.split('\n')).toContain('greet')
    expect((await xc('__complete', 'greet', '--t')).stdout.split('\n')).toContain('--times=')
    expect((await xc('__complete', 'greet', '')).stdout.split('\n')).toEqual(['world', 'cluster', ''])
  })
  test("the operations' reference has its row, with what it gives", async () => {
    const { commands } = await import(env.XCLUSTER_HOOK)
    expect(operationsMarkdown([{ operation: commands[0], pkg: 'a-hook' }]).split('\n')).toContain(
      '| `greet` | a-hook | result | `{ name, times }`: whom it greeted, how many times |',
    )
  })
})
