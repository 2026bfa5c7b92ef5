import { describe, expect, test } from '@jest/globals'
import { parseWords } from '../../cli/src/parse-words.js'
import { rshOperation } from '../src/operations/rsh.js'
import { startOperation } from '../src/operations/start.js'
import { statusOperation } from '../src/operations/status.js'
import { tcpdumpOperation } from '../src/operations/tcpdump.js'
import { runCli } from './cli-run.js'
import { coreOperations } from '../src/operations/catalog.js'

const CORE_OPERATIONS = await coreOperations()

describe('flags are read the same way by every command', () => {
  test.each(CORE_OPERATIONS.map((operation) => [operation.name, operation] as const))(
    '%s without words has no arguments, flags or options (the command line reads none for it)',
    (_name, operation) => {
      expect(parseWords(operation, [])).toEqual({ args: [], flags: {}, options: {} })
    },
  )
  test.each([
    [['--dry-run'], true],
    [['--dry-run=yes'], true],
    [['--dry-run=true'], true],
    [['--dry-run=no'], false],
    [['--dry-run=false'], false],
    [['--no-dry-run'], false],
    [[], undefined],
  ])('start %j: dry-run is %s', (words, value) => {
    expect(parseWords(startOperation, words).flags['dry-run']).toBe(value)
  })

  test('a boolean given another value is refused naming it', () => {
    expect(() => parseWords(startOperation, ['--dry-run=maybe'])).toThrow(
      '--dry-run=maybe: --dry-run is yes or no (--dry-run, --no-dry-run, --dry-run=yes|no|true|false)',
    )
  })

  test('an unknown flag is refused in one line naming the nearest', () => {
    expect(() => parseWords(startOperation, ['--dry-rn'])).toThrow(
      '--dry-rn is not an option of start (did you mean --dry-run?)',
    )
    expect(() => parseWords(startOperation, ['--__proto__=1'])).toThrow('--__proto__=1 is not an option of start')
  })

  test('-o FILE is the output before and after the arguments; a -o at the end names no file and is refused', () => {
    expect(parseWords(statusOperation, ['-o', 'a.svg', '--svg']).flags).toEqual({ output: 'a.svg', svg: true })
    const capture = parseWords(tcpdumpOperation, ['2', 'eth1', '-o', 'x.pcap', 'icmp'])
    expect([capture.args, capture.flags]).toEqual([['2', 'eth1', 'icmp'], { output: 'x.pcap' }])
    expect(() => parseWords(statusOperation, ['-o'])).toThrow("option '-o, --output <FILE>' argument missing")
  })

  test('a flag given an empty value is refused: --config= is not the default config', () => {
    expect(() => parseWords(startOperation, ['--config='])).toThrow(
      '--config= names nothing: give it a value (--config=FILE)',
    )
    expect(() => parseWords(statusOperation, ['--output='])).toThrow(
      '--output= names nothing: give it a value (--output=FILE)',
    )
  })

  test('cluster settings, per-node ones too, go on as text for the config; yes/no settings as yes or no', () => {
    expect(
      parseWords(startOperation, ['--nvm=2', '--nets-vm', '0,1,3', '--mem201=256', '--telnet', '--config=x.ts'])
        .options,
    ).toEqual({
      nvm: '2',
      'nets-vm': '0,1,3',
      mem201: '256',
      telnet: 'yes',
      config: 'x.ts',
    })
    expect(parseWords(startOperation, ['--telnet=no']).options).toEqual({ telnet: 'no' })
  })

  test('rsh passes every word after the VM id on as it is', () => {
    expect(parseWords(rshOperation, ['--nvm=2', '1', 'ls', '-l', '--mem=3', '--']).args).toEqual([
      '1',
      'ls',
      '-l',
      '--mem=3',
      '--',
    ])
  })
})

describe('the command line', () => {
  test('an unknown command is one line with the nearest command', async () => {
    const { status, stdout, stderr } = await runCli(['strat'], '/')
    expect([status, stdout, stderr]).toEqual([
      1,
      '',
      'xcluster strat: strat is not a command (did you mean "start"?); `xcluster help` lists them\n',
    ])
  })

  test('--help is made from the flags', async () => {
    const { status, stdout } = await runCli(['tcpdump', '--help'], '/')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^Usage: xcluster tcpdump ID IFACE/)
    expect(stdout).toMatch(/-o, --output <FILE> +the pcap file on the host/)
    expect(stdout).not.toContain('--nvm')
  })
})
