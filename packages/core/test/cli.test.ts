import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { execa } from 'execa'
import { fileURLToPath } from 'node:url'
import { XCLUSTER_BIN } from '@xcluster/test-support/netns'
import { runCli } from './cli-run.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const json = async (argv: string[], cwd: string, env?: NodeJS.ProcessEnv) => {
  const result = await runCli(argv, cwd, env)
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout)
}

describe('xcluster start --dry-run', () => {
  test("prints every node's command line, one line each, under its hostname", async () => {
    const { status, stdout } = await runCli(['start', '--dry-run', '--nvm=2', '--nrouters=1'], fixture('json-config'))
    expect(status).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(
      lines
        .filter((l) => l.startsWith('# '))
        .map((l) => l.replace(/ boots (Debian's cloud kernel|built \S+ \(.*\))$/, '')),
    ).toEqual(['# vm-001', '# vm-002', '# vm-201'])
    expect(lines[1]).toMatch(
      /^qemu-system-x86_64 -name vm-001 .* -append 'console=ttyS0 acpi=noirq root=\/dev\/vda rw init=\/init'$/,
    )
  })
  test("a plugin's setting is an option while the plugin is in use: --hosts of net-ovn", async () => {
    const without = await runCli(['start', '--dry-run', '--hosts=sim:2'], fixture('json-config'))
    expect([without.status, without.stderr]).toEqual([1, 'xcluster start: --hosts=sim:2 is not an option of start\n'])
    const ovn = ['--plugins=@xcluster/net-ovn']
    const env = await json(['env', '--json', ...ovn, '--hosts=sim:2'], fixture('json-config'))
    expect(env.hosts).toBe('sim:2')
    const bad = await runCli(['env', ...ovn, '--hosts=sim:9'], fixture('json-config'))
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringContaining('--hosts="sim:9": must be sim:N')])
    const help = (await runCli(['start', '--help', ...ovn], fixture('json-config'))).stdout
    expect(help).toMatch(/Settings of the plugins in use:\n +--hosts=HOSTS +XCLUSTER_HOSTS +the hosts OVN spreads/)
    const completed = (await runCli(['__complete', 'start', ...ovn, '--ho'], fixture('json-config'))).stdout
    expect(completed.split('\n')).toContain('--hosts=')
  })

  test('--json gives id, hostname, role, nets, macs and argv of each node', async () => {
    const [vm] = await json(['start', '--dry-run', '--json', '--nvm=1', '--nrouters=0'], fixture('json-config'))
    expect(vm).toMatchObject({
      id: 1,
      hostname: 'vm-001',
      role: 'vm',
      nets: [0, 1],
      macs: ['00:00:00:01:00:01', '00:00:00:01:01:01'],
      mem: 192,
    })
    expect(vm.argv[0]).toBe('qemu-system-x86_64')
    expect(vm.argv[vm.argv.indexOf('-kernel') + 1]).not.toBe('default')
    expect(vm.kernel).toMatch(/^(Debian's cloud kernel|built \S+ \(.*\))$/)
  })
  test('a .ts config with sibling .ts imports is found from a subdirectory', async () => {
    const nodes = await json(['start', '--dry-run', '--json'], fixture('ts-siblings/sub'))
    expect(nodes.map((n: { id: number }) => n.id)).toEqual([1, 2, 201, 221])
    expect(nodes[2].mem).toBe(256)
    expect(nodes[3].nets).toEqual([0, 2, 6])
  })
  test('--config names the file; a config function gets the command', async () => {
    const start = await json(
      ['start', '--dry-run', '--json', `--config=${fixture('function-config/xcluster.config.mjs')}`],
      '/',
    )
    expect(start).toHaveLength(3)
    const env = await json(['env', '--json'], fixture('function-config'))
    expect(env.nodes).toBe(1)
  })
  test('a config that exports a promise is awaited', async () => {
    expect((await json(['env', '--json'], fixture('promise-config'))).nodes).toBe(2)
  })
  test('the environment and options of the shell tool apply on top of the file', async () => {
    const nodes = await json(['start', '--dry-run', '--json', '--nrouters=0', '--mem2=512'], fixture('json-config'), {
      __nvm: '2',
      __nets2: '0,1,4',
    })
    expect(nodes.map((n: { hostname: string; nets: number[]; mem: number }) => [n.hostname, n.nets, n.mem])).toEqual([
      ['vm-001', [0, 1], 192],
      ['vm-002', [0, 1, 4], 512],
    ])
  })
})

describe('errors', () => {
  test('a bad config exits 1 with every problem on stderr and nothing on stdout', async () => {
    const { status, stdout, stderr } = await runCli(['start', '--dry-run', '--json'], fixture('bad-config'))
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain('nodes=300: must be a whole number from 0 to 200')
    expect(stderr).toContain('nets.vm=[1,0]: must start with net 0')
  })
  test('an unknown option is refused with a suggestion', async () => {
    const { status, stderr } = await runCli(['start', '--dry-rnu'], fixture('json-config'))
    expect(status).toBe(1)
    expect(stderr).toBe('xcluster start: --dry-rnu is not an option of start (did you mean --dry-run?)\n')
  })
  test('an unknown command is refused with a suggestion', async () => {
    const { status, stderr } = await runCli(['strat'], '/')
    expect(status).toBe(1)
    expect(stderr).toContain('strat is not a command (did you mean "start"?)')
  })
  test('a missing --config file is named', async () => {
    const { status, stderr } = await runCli(['env', '--config=/nonexistent/xcluster.config.ts'], '/')
    expect(status).toBe(1)
    expect(stderr).toContain('cannot load /nonexistent/xcluster.config.ts')
  })
})

describe('xcluster env and help', () => {
  test(
    "env prints the effective settings as NAME='value' lines under the shell tool's names; --json under the" +
      " config's",
    async () => {
      const { status, stdout } = await runCli(['env', '--smp=3'], fixture('json-config'))
      expect(status).toBe(0)
      expect(stdout).toContain("__smp='3'\n")
      expect(stdout).toContain("__mem='192'\n")
      expect((await json(['env', '--json'], fixture('json-config'))).configFile).toBe(
        fixture('json-config/xcluster.config.json'),
      )
    },
  )
  test('eval "$(xcluster env)" in bash sets __nvm, __mem and XCLUSTER_WORKSPACE', async () => {
    const script = `eval "$(${XCLUSTER_BIN} env --nvm=3)"; echo "$__nvm $__mem $XCLUSTER_WORKSPACE $XCLUSTER"`
    const { stdout } = await execa('bash', ['-c', script], {
      cwd: fixture('json-config'),
      env: { HOME: '/home/alice', USER: 'alice' },
    })
    expect(stdout).toBe(`3 192 /home/alice/.cache/xcluster ${XCLUSTER_BIN}`)
  })
  test('every command has --help; bare xcluster lists the commands', async () => {
    for (const command of ['start', 'env']) {
      const { status, stdout } = await runCli([command, '--help'], '/')
      expect(status).toBe(0)
      expect(stdout).toMatch(new RegExp(`^Usage: xcluster ${command}`))
    }
    const bare = await runCli([], '/')
    expect(bare.status).toBe(1)
    expect(bare.stderr).toContain('Commands:')
  })
})

describe('hook modules: XCLUSTER_HOOK, or hook in the config', () => {
  const example = fileURLToPath(new URL('../../../examples/hooks/nice-launch.ts', import.meta.url))
  const hooks = (name: string) => fixture(`hooks/${name}`)
  test('--help lists the commands of the hook with their summaries', async () => {
    const { status, stdout } = await runCli(['--help'], '/', { XCLUSTER_HOOK: example })
    expect(status).toBe(0)
    expect(stdout).toContain(`From the hook ${example}:`)
    expect(stdout).toMatch(/ mystart +start the cluster afresh, every qemu under nice -n 10/)
  })
  test('`hook` in the config file names it too, relative to the file; its command has its own --help', async () => {
    const dir = await tempDir('hook')
    await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ hook: relative(dir, example) }))
    const { status, stdout } = await runCli(['mystart', '--help'], dir)
    expect(status).toBe(0)
    expect(stdout).toMatch(/^Usage: xcluster mystart/)
  })
  test("its plugins are resolved and checked with the config's", async () => {
    const env = await json(['env', '--json'], '/', { XCLUSTER_HOOK: example })
    expect(env.plugins.map((p: { name: string }) => p.name)).toContain('nice-launch')
    expect(env.hook).toBe(example)
  })
  test('a hook written for the shell tool is refused with how to port it', async () => {
    const { status, stderr } = await runCli(['mystart'], '/', { XCLUSTER_HOOK: hooks('shell-hook') })
    expect(status).toBe(1)
    expect(stderr).toContain(`the hook ${hooks('shell-hook')} (XCLUSTER_HOOK or hook in the config) is a shell script`)
    expect(stderr).toContain('each cmd_NAME() becomes an entry of `export const commands')
  })
  test("a hook command named like one of xcluster's own is refused, since it would never run", async () => {
    const { status, stderr } = await runCli(['mystart'], '/', { XCLUSTER_HOOK: hooks('start-clash.mjs') })
    expect(status).toBe(1)
    expect(stderr).toContain("command start is one of xcluster's own")
  })
  test('a hook file that does not exist is named', async () => {
    const { status, stderr } = await runCli(['env'], '/', { XCLUSTER_HOOK: '/nonexistent/hook.ts' })
    expect(status).toBe(1)
    expect(stderr).toContain('the hook /nonexistent/hook.ts (XCLUSTER_HOOK or hook in the config) does not exist')
  })
})

describe('status of no cluster', () => {
  // A project whose installed packages both want to be the default DNS: resolving its plugins fails, naming both.
  const clashingProject = async () => {
    const project = await tempDir('status')
    const plugin = join(project, 'node_modules', 'xcluster-dns-too')
    await mkdir(plugin, { recursive: true })
    await writeFile(join(project, 'package.json'), JSON.stringify({ dependencies: { 'xcluster-dns-too': '1.0.0' } }))
    await writeFile(
      join(plugin, 'package.json'),
      JSON.stringify({
        name: 'xcluster-dns-too',
        version: '1.0.0',
        peerDependencies: { '@xcluster/core': '*' },
        xcluster: { provides: ['dns'], default: { where: 'everywhere' } },
      }),
    )
    return project
  }
  test('with no state directory, status answers without resolving a plugin; with one, it resolves them', async () => {
    const project = await clashingProject()
    const stateDir = join(project, 'state')
    const env = { XCLUSTER_TMP: stateDir }
    expect(await runCli(['status'], project, env)).toEqual({ status: 0, stdout: `no VMs in ${stateDir}\n`, stderr: '' })
    expect(await json(['status', '--json'], project, env)).toEqual([])
    await mkdir(stateDir, { mode: 0o700 })
    const loaded = await runCli(['status'], project, env)
    expect([loaded.status, loaded.stderr]).toEqual([1, expect.stringContaining('each want to be the default dns here')])
  })
  test('a config file without plugins is read, and the plugins are resolved only when it names some', async () => {
    const project = await clashingProject()
    const stateDir = join(project, 'state')
    const env = { XCLUSTER_TMP: stateDir }
    await writeFile(join(project, 'xcluster.config.json'), JSON.stringify({ nodes: 2, plugins: [] }))
    expect(await runCli(['status'], project, env)).toEqual({ status: 0, stdout: `no VMs in ${stateDir}\n`, stderr: '' })
    // A setting it cannot read sends it to the full load, which fails (here at the clashing plugins): never "no VMs".
    await writeFile(join(project, 'xcluster.config.json'), JSON.stringify({ nodes: -1 }))
    const bad = await runCli(['status'], project, env)
    expect([bad.status, bad.stdout]).toEqual([1, ''])
    await writeFile(join(project, 'xcluster.config.json'), JSON.stringify({ plugins: ['xcluster-not-installed'] }))
    const named = await runCli(['status'], project, env)
    expect([named.status, named.stderr]).toEqual([1, expect.stringContaining('xcluster-not-installed, which is not')])
  })
  test("a setting status cannot read is an error, as when it loads the cluster's plugins", async () => {
    const { status, stderr } = await runCli(['status', '--state-dir=/tmp'], await tempDir('status'))
    expect([status, stderr]).toEqual([1, expect.stringContaining('--state-dir="/tmp": must be a directory of its own')])
  })
})

afterAll(removeTempDirs)
