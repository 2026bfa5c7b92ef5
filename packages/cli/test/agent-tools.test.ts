import { describe, expect, test } from '@jest/globals'
import { coreOperations } from '@xcluster/core/adapter'
import { OUTPUT_LIMIT, TOOL_NAMES, capped, toolOf } from '../src/mcp/agent-tools.js'
import { callWords } from '../src/served/operation-call.js'

const CORE_OPERATIONS = await coreOperations()
const operation = (name: string) => CORE_OPERATIONS.find((candidate) => candidate.name === name)!

describe("an agent's tools are the operations' declarations", () => {
  test('at most 15, none that holds a terminal or only the command line has', () => {
    expect(TOOL_NAMES.length).toBeLessThanOrEqual(15)
    expect(TOOL_NAMES).not.toContain('vm')
    for (const name of TOOL_NAMES.filter((name) => name !== 'topology')) expect(operation(name).cliOnly).toBeUndefined()
  })

  test("a tool's flags are its operation's, typed, with their help; destructive ones say so", () => {
    const netem = toolOf(operation('netem'))
    expect(netem.inputSchema.properties.flags.properties.delay).toEqual({
      type: 'string',
      description: operation('netem').flags.delay.help,
    })
    expect(netem.inputSchema.properties.flags.properties.clear.type).toBe('boolean')
    expect(netem.description).toContain('Usage: xcluster netem ID NET')
    expect(toolOf(operation('stop')).annotations).toEqual({ destructiveHint: true, readOnlyHint: false })
    expect(toolOf(operation('status')).annotations).toEqual({ destructiveHint: false, readOnlyHint: true })
  })
})

describe("a call's words are the command line's", () => {
  test('settings and flags first, then the arguments', () => {
    expect(callWords({ args: ['1', '1'], flags: { delay: '50ms', clear: false }, settings: { nvm: '2' } })).toEqual([
      '--nvm=2',
      '--delay=50ms',
      '--no-clear',
      '1',
      '1',
    ])
    expect(callWords(undefined)).toEqual([])
  })

  test('input of another shape is refused, naming where and why', () => {
    expect(() => callWords({ args: 'ls' })).toThrow(/^args: /)
    expect(() => callWords({ flags: { delay: 50 } })).toThrow(/^flags\.delay: /)
    expect(() => callWords({ command: 'rm -rf /' })).toThrow(/command/)
    expect(() => callWords({ args: Array(300).fill('x') })).toThrow(/^args: /)
  })

  test('an answer longer than the limit is cut, saying how much was left out', () => {
    expect(capped('short')).toBe('short')
    const cut = capped('x'.repeat(OUTPUT_LIMIT + 10))
    expect(cut.startsWith('x'.repeat(OUTPUT_LIMIT))).toBe(true)
    expect(cut.endsWith('[cut: 10 more characters; ask for less]')).toBe(true)
  })
})
