import { afterAll, describe, expect, test } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { XCLUSTER_BIN } from '@xcluster/test-support/netns'
import { runCli } from './cli-run.js'

afterAll(removeTempDirs)

/** The CLI's answer to `env` with this config file. */
async function envWith(name: string, content: string) {
  const dir = await tempDir('odd')
  await writeFile(join(dir, name), content)
  return { dir, ...(await runCli(['env'], dir)) }
}

describe('inputs that were accepted but wrong are refused, naming the value and the rule', () => {
  test.each([
    ['nets: [] (a list where the roles go)', '{"nets":[]}', 'nets=[]: must be an object'],
    ['ports: 5', '{"ports":5}', 'ports=5: must be an object'],
    [
      'a NUL byte in append',
      '{"append":["a\\u0000b"]}',
      'append=["a\\u0000b"]: must be a list of words without spaces or control characters',
    ],
    [
      'node key "01"',
      '{"node":{"01":{"mem":256}}}',
      'node.01="01": must be a node id written as a plain number (such as 1)',
    ],
    [
      'node key "1e0"',
      '{"node":{"1e0":{"mem":256}}}',
      'node.1e0="1e0": must be a node id written as a plain number (such as 1)',
    ],
    [
      'node key " 1"',
      '{"node":{" 1":{"mem":256}}}',
      'node. 1=" 1": must be a node id written as a plain number (such as 1)',
    ],
    ['stateDir /', '{"stateDir":"/"}', 'stateDir="/": must be a directory of its own at least two levels below /'],
    [
      'stateDir /tmp',
      '{"stateDir":"/tmp"}',
      'stateDir="/tmp": must be a directory of its own at least two levels below /',
    ],
  ])('%s', async (_label, content, message) => {
    const result = await envWith('xcluster.config.json', content)
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining(message)])
  })

  test.each([
    ['a newline in append', '{"append":["a\\ninit=/bin/sh"]}', 'must be a list of words without spaces or control'],
    ['a control character in qemuArgs', '{"qemuArgs":["-x\\u0001"]}', 'must be a list of words without spaces or'],
    ['a space inside one kernel argument', '{"append":["a b"]}', 'must be a list of words without spaces'],
    ['a colon inside one overlay directory', '{"ovlPath":["/a:b"]}', 'must be a list of paths without colons'],
    ['qemu: "-version"', '{"qemu":"-version"}', 'qemu="-version": must be a program name or path'],
    ['node: {"1": null}', '{"node":{"1":null}}', 'node.1=null: must be an object of nets, mem, smp or append'],
    ['node 300 shown as it was written', '{"node":{"300":{"mem":256}}}', 'node.300={"mem":256}: node ids are 1-200'],
    [
      'a netem value of the wrong type in the faults',
      '{"faults":[{"at":"1s","netem":[2,1],"delay":123}]}',
      'step 1 {"at":"1s","netem":[2,1],"delay":123}: delay=123: must be text',
    ],
  ])('%s is refused when the config loads', async (_label, content, message) => {
    const result = await envWith('xcluster.config.json', content)
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining(message)])
  })

  test('a link-local or multicast IPv6 prefix is refused', async () => {
    const result = await runCli(['env'], await tempDir('odd'), { XCLUSTER_IPV6_PREFIX: 'fe80::/10' })
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining('XCLUSTER_IPV6_PREFIX="fe80::/10": must not be link-local (fe80::/10) or multicast'),
    ])
  })

  test('start --dry-run refuses what start refuses: too little memory, a missing overlay, a bad snapshot', async () => {
    const dir = await tempDir('odd')
    const dry = (...words: string[]) => runCli(['start', '--dry-run', ...words], dir, { XCLUSTER_KERNEL: 'built' })
    const cases = [
      [['--overlays=no-such-overlay'], 'overlay no-such-overlay not found'],
      [['--snapshot=../x'], 'snapshot name "../x": a letter or digit'],
      [['--snapshot=none-such'], 'no snapshot none-such'],
      [['stray'], 'start takes settings, not words: "stray"'],
    ] as const
    for (const [words, message] of cases)
      expect([await dry(...words).then((r) => [r.status, r.stderr])]).toEqual([[1, expect.stringContaining(message)]])
  })

  test('a mistyped setting flag gets the nearest one, with or without a value', async () => {
    const dir = await tempDir('odd')
    for (const word of ['--nmv=2', '--nmv'])
      expect((await runCli(['env', word], dir)).stderr).toBe(
        `xcluster env: ${word} is not an option of env (did you mean --nvm?)\n`,
      )
  })

  test('a config whose default export never settles says so and exits 1, not 13 with no word', async () => {
    for (const content of ['export default new Promise(() => {})\n', 'export default () => new Promise(() => {})\n']) {
      const dir = await tempDir('odd')
      await writeFile(join(dir, 'xcluster.config.mjs'), content)
      const result = await execa(XCLUSTER_BIN, ['env'], { cwd: dir, reject: false })
      expect([result.exitCode, result.stderr]).toEqual([1, expect.stringContaining('never settles')])
    }
  })

  test('raw ENOENT is no answer: kernel build --source and cplib name what is missing', async () => {
    const dir = await tempDir('odd')
    const tree = await runCli(['kernel', 'build', `--source=${dir}/none`, `--workspace=${dir}/ws`], dir)
    expect(tree.stderr).toContain(`--source=${dir}/none: ${dir}/none is not a kernel source tree (it has no Makefile)`)
    const lib = await runCli(['cplib', `--dest=${dir}/d`, `${dir}/none`], dir)
    expect([lib.status, lib.stderr]).toEqual([1, `xcluster cplib: ${dir}/none: no such file\n`])
    const root = await runCli(['cplib', '--dest=/', '/bin/ls'], dir)
    expect([root.status, root.stderr]).toEqual([
      1,
      'xcluster cplib: --dest=/: the files would be copied onto themselves; name a directory\n',
    ])
  })

  test('an empty config file and a module without a default export', async () => {
    const empty = await envWith('xcluster.config.json', '')
    expect([empty.status, empty.stderr]).toEqual([
      1,
      `xcluster env: cannot load ${empty.dir}/xcluster.config.json: it is empty: write a config object (\`{}\` for` +
        ` the defaults)\n`,
    ])
    const named = await envWith('xcluster.config.mjs', 'export const nodes = 2\n')
    expect([named.status, named.stderr]).toEqual([
      1,
      `xcluster env: cannot load ${named.dir}/xcluster.config.mjs: it has no default export: write \`export default` +
        ` defineConfig({ ... })\`\n`,
    ])
  })

  test('XCLUSTER_TMP=/ is refused', async () => {
    const result = await runCli(['env'], await tempDir('odd'), { XCLUSTER_TMP: '/' })
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining('XCLUSTER_TMP="/": must be a directory of its own'),
    ])
  })

  test('--__proto__=1 is an unknown option, and -o without a file is an error', async () => {
    const dir = await tempDir('odd')
    const proto = await runCli(['status', '--__proto__=1'], dir)
    expect([proto.status, proto.stderr]).toEqual([1, 'xcluster status: --__proto__=1 is not an option of status\n'])
    const output = await runCli(['status', '--svg', '-o'], dir)
    expect([output.status, output.stderr]).toEqual([
      1,
      "xcluster status: option '-o, --output <FILE>' argument missing\n",
    ])
  })

  test('a plugin whose kvmArgs tap returns a number is named', async () => {
    const plugin =
      "{ name: 'numbers', coreRange: '*', apply(c) { c.hooks.kvmArgs.tapPromise('numbers', async () => 5) } }"
    const result = await envWith(
      'xcluster.config.mjs',
      `export default { nodes: 1, routers: 0, plugins: [${plugin}] }\n`,
    )
    const start = await runCli(['start', '--dry-run'], result.dir)
    expect([start.status, start.stderr]).toEqual([
      1,
      'xcluster start: plugin numbers: its kvmArgs tap returned 5 for vm-001; it must return the argv, a list of' +
        ' strings\n',
    ])
  })

  test('eval "$(xcluster env)" keeps values with spaces, colons and quotes whole', async () => {
    const dir = await tempDir('odd')
    const ovlPath = `/a b:/c'd`
    const shell = await execa('bash', ['-c', `eval "$(${XCLUSTER_BIN} env)" && printf '%s' "$XCLUSTER_OVLPATH"`], {
      cwd: dir,
      env: { XCLUSTER_OVLPATH: ovlPath },
      reject: false,
    })
    expect([shell.exitCode, shell.stdout]).toEqual([0, ovlPath])
  })
})
