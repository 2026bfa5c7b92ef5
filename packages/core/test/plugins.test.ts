import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { resolveConfig } from '../src/config/resolve.js'
import { localHost } from '../src/host/host.js'
import { Cluster } from '../src/lifecycle/cluster.js'
import { assertCompatible, type Plugin } from '../src/contract/plugin.js'
import { resolvePlugins } from '../src/lifecycle/resolve-plugins.js'
import { vmArgv } from '../src/runtime/vm-argv.js'
import { runCli } from './cli-run.js'
import { testHost } from './host.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const plugin = (coreRange: string): Plugin => ({ name: 'p', coreRange, apply: () => {} })
/** The xcluster program's package, whose dependencies are the default plugins. */
const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli')
const clusterWith = (plugins: Plugin[]) =>
  new Cluster(resolveConfig({}, testHost()), plugins, { host: localHost({ USER: 'alice' }), cwd: '/', log: () => {} })
const names = (plugins: Plugin[]) => plugins.map((p) => p.name)

afterAll(removeTempDirs)

/**
 * A user's project with xcluster-plugin-trace installed (linked, as `npm i ../trace-plugin` does) and a JSON config.
 */
async function project(config: object, extraPackages: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('project')
  const dependencies = {
    'xcluster-plugin-trace': '^1.0.0',
    ...Object.fromEntries(Object.keys(extraPackages).map((name) => [name, '*'])),
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'my-cluster', private: true, dependencies }))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  await mkdir(join(dir, 'node_modules'))
  await symlink(fixture('trace-plugin'), join(dir, 'node_modules', 'xcluster-plugin-trace'))
  for (const [name, source] of Object.entries(extraPackages)) {
    await mkdir(join(dir, 'node_modules', name))
    await writeFile(
      join(dir, 'node_modules', name, 'package.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        peerDependencies: { '@xcluster/core': '^9.0.0' },
        xcluster: {},
      }),
    )
    await writeFile(join(dir, 'node_modules', name, 'index.js'), source)
  }
  return dir
}

describe('plugins declare the core range they support', () => {
  test('a plugin for ^0.1.0 fits core 0.1.0; one for ^9.0.0 is refused naming both versions', () => {
    expect(() => assertCompatible(plugin('^0.1.0'), '0.1.0')).not.toThrow()
    expect(() => assertCompatible(plugin('^9.0.0'), '0.1.0')).toThrow(
      'plugin p needs @xcluster/core ^9.0.0, but this is @xcluster/core 0.1.0',
    )
  })
  test('a plugin without a valid range is refused', () => {
    expect(() => assertCompatible(plugin('not a range'), '0.1.0')).toThrow(/declares no valid coreRange/)
  })
})

describe('hooks', () => {
  test('are frozen: a plugin cannot replace one', () => {
    const cluster = clusterWith([])
    expect(Object.isFrozen(cluster.hooks)).toBe(true)
    expect(Object.keys(cluster.hooks)).toEqual([
      'beforeNet',
      'netSetup',
      'kvmArgs',
      'launch',
      'overlays',
      'hostEndpoint',
      'picture',
      'hostLink',
      'report',
      'afterStart',
      'beforeStop',
      'nodeStopped',
      'afterStop',
    ])
  })
  test('a node whose net no backend answers fails with the net and the node', async () => {
    const cluster = clusterWith([])
    const [first] = cluster.plannedNodes()
    await expect(vmArgv(cluster.hooks, first, cluster.context([first], [first]))).rejects.toThrow(
      'no network backend attached net 0 of vm-001',
    )
  })
})

describe('plugin resolution', () => {
  const resolve = (specs: unknown[], netns?: string, topology?: string) =>
    resolvePlugins({ specs, projects: [cliDir], netns, user: 'alice', topology })

  test(
    "the default network backend is bridges inside the user's own netns <user>_xcluster<idx>, user-space elsewhere" +
      " (another user's cluster netns too); with topology and DNS, the backend taps last",
    async () => {
      expect(names(await resolve([], 'alice_xcluster1'))).toEqual([
        '@xcluster/ovl-network-topology',
        '@xcluster/dns-coredns',
        '@xcluster/net-bridge',
      ])
      expect(names(await resolve([]))).toEqual([
        '@xcluster/ovl-network-topology',
        '@xcluster/dns-coredns',
        '@xcluster/net-userspace',
      ])
      for (const elsewhere of [
        'xcluster-test',
        'bob_xcluster1',
        'alice_xcluster',
        'alice_xcluster1x',
        'xalice_xcluster1',
      ])
        expect([elsewhere, names(await resolve([], elsewhere)).at(-1)]).toEqual([elsewhere, '@xcluster/net-userspace'])
    },
  )
  test('tap order is explicit: enforce "pre" first, then the config\'s order, then "post" (the backends)', async () => {
    const plugin = (name: string, enforce?: 'pre' | 'post'): Plugin => ({
      name,
      coreRange: '*',
      enforce,
      apply: () => {},
    })
    const order = names(await resolve([plugin('late', 'post'), plugin('a'), plugin('early', 'pre'), plugin('b')]))
    expect(order).toEqual([
      'early',
      'a',
      'b',
      '@xcluster/ovl-network-topology',
      '@xcluster/dns-coredns',
      'late',
      '@xcluster/net-userspace',
    ])
    await expect(resolve([{ ...plugin('odd'), enforce: 'first' }])).rejects.toThrow(
      'plugin odd: enforce must be "pre" or "post", got "first"',
    )
  })
  test('two network backends are refused, naming both', async () => {
    const backend: Plugin = { name: 'my-backend', coreRange: '*', provides: ['net-backend'], apply: () => {} }
    await expect(resolve([backend, '@xcluster/net-bridge'])).rejects.toThrow(
      'two network backends: my-backend and @xcluster/net-bridge; keep one',
    )
  })
  test(
    "a configured plugin that provides a role keeps core from adding the default for it; order is the config's," +
      ' defaults after',
    async () => {
      const backend: Plugin = { name: 'my-backend', coreRange: '*', provides: ['net-backend'], apply: () => {} }
      expect(names(await resolve(['@xcluster/dns-coredns', backend]))).toEqual([
        '@xcluster/dns-coredns',
        'my-backend',
        '@xcluster/ovl-network-topology',
      ])
    },
  )
  test("--topology=NAME makes the topology plugin with that name, replacing the config's", async () => {
    const plugins = await resolve([['@xcluster/ovl-network-topology', { name: 'xnet' }]], undefined, 'diamond')
    expect(plugins.filter((p) => p.provides?.includes('topology'))).toHaveLength(1)
    await expect(resolve([], undefined, 'nosuch')).rejects.toThrow('topology nosuch does not exist')
  })
  test('a plugin given as its factory instead of its result is refused', async () => {
    await expect(resolve([() => ({})])).rejects.toThrow(
      'plugins: a function is not a plugin: a plugin is an object { name, coreRange, apply(cluster) }; call the' +
        ' plugin factory, e.g. bridge(), or name its package',
    )
  })
  test('a name that is not a package name, or not installed, says what to do', async () => {
    await expect(resolve(['../evil'])).rejects.toThrow('plugins: "../evil" is not a package name')
    await expect(resolve(['xcluster-plugin-nosuch'])).rejects.toThrow(
      /is not installed here: run `npm i -D xcluster-plugin-nosuch` in your project \(looked from/,
    )
  })
})

describe('plugins by package name', () => {
  test('from a JSON config, with options: the plugin taps its hooks as if imported', async () => {
    const dir = await project({ nodes: 1, routers: 0, nets: { vm: [0, 7] }, plugins: [['xcluster-plugin-trace', {}]] })
    const { status, stdout, stderr } = await runCli(['start', '--dry-run', '--json'], dir)
    expect([status, stderr]).toEqual([0, ''])
    expect(JSON.parse(stdout)[0].argv.join(' ')).toContain('-netdev hubport,id=net7,hubid=7')
  })
  test("from --plugins= and XCLUSTER_PLUGINS, after the config's plugins", async () => {
    const dir = await project({ nodes: 1, routers: 0, nets: { vm: [0, 7] } })
    for (const [args, env] of [
      [['--plugins=xcluster-plugin-trace'], {}],
      [[], { XCLUSTER_PLUGINS: 'xcluster-plugin-trace' }],
    ] as const) {
      const { status, stdout } = await runCli(['start', '--dry-run', '--json', ...args], dir, env)
      expect(status).toBe(0)
      expect(JSON.parse(stdout)[0].argv.slice(-2)).toEqual(['-device', 'virtio-rng-pci,id=rng-1'])
    }
  })
  test('env --json lists the resolved plugins in tap order, the default backend (post) last', async () => {
    const dir = await project({ nodes: 1, routers: 0, plugins: ['xcluster-plugin-trace'] })
    const { status, stdout } = await runCli(['env', '--json'], dir)
    expect(status).toBe(0)
    expect(JSON.parse(stdout).plugins).toEqual([
      { name: 'xcluster-plugin-trace', provides: [] },
      { name: '@xcluster/ovl-network-topology', provides: ['topology'] },
      { name: '@xcluster/dns-coredns', provides: ['dns'] },
      { name: '@xcluster/net-userspace', provides: ['net-backend'] },
    ])
  })
  test('a package whose declared core range does not fit is refused before any of its code runs', async () => {
    const dir = await project(
      { plugins: ['xcluster-plugin-old'] },
      { 'xcluster-plugin-old': 'throw new Error("the plugin\'s code ran")\n' },
    )
    const { status, stderr } = await runCli(['env'], dir)
    expect(status).toBe(1)
    expect(stderr).toBe(
      'xcluster env: plugin xcluster-plugin-old needs @xcluster/core ^9.0.0, but this is @xcluster/core 0.1.0:' +
        ' install a version of the plugin made for core 0.1.0\n',
    )
  })
})

describe('commands from plugin packages', () => {
  test("xcluster --help lists the commands of every installed plugin package, a third party's included", async () => {
    const { status, stdout } = await runCli(['--help'], await project({}))
    expect(status).toBe(0)
    expect(stdout).toContain('trace (xcluster-plugin-trace)')
    expect(stdout).toContain('nsadd (@xcluster/net-bridge)')
    expect(stdout).toContain('doctor (@xcluster/dns-coredns)')
  })
  test("xcluster <cmd> runs the package's command with the user's settings", async () => {
    const { status, stdout } = await runCli(['trace', 'hello', '--nvm=3'], await project({ nodes: 1 }))
    expect([status, stdout]).toEqual([0, 'trace hello: 3 nodes\n'])
  })
})

describe('each command reads the config file and the hook once', () => {
  /** A project whose config function and hook module each add a line to `loads` when they run. */
  async function countingProject(): Promise<{ dir: string; loads: () => Promise<string[]> }> {
    const dir = await project({})
    const log = join(dir, 'loads')
    await writeFile(log, '')
    await writeFile(
      join(dir, 'xcluster.config.mjs'),
      `import { appendFileSync } from 'node:fs'
export default ({ command }) => {
  appendFileSync(${JSON.stringify(log)}, 'config ' + command + '\\n')
  return { nodes: 1, hook: './hook.mjs' }
}
`,
    )
    await writeFile(
      join(dir, 'hook.mjs'),
      `import { appendFileSync } from 'node:fs'
appendFileSync(${JSON.stringify(log)}, 'hook\\n')
export const plugins = []
`,
    )
    await rm(join(dir, 'xcluster.config.json'))
    return { dir, loads: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean) }
  }

  test.each([
    [['trace', 'x'], 'trace'],
    [['status'], 'status'],
    [['env'], 'env'],
    [['start', '--dry-run'], 'start'],
    [['topology', 'show', 'xnet'], 'topology'],
  ])('xcluster %j: the config function runs once, the hook is imported once', async (argv, command) => {
    const { dir, loads } = await countingProject()
    const { status, stderr } = await runCli(argv, dir)
    expect([status, stderr]).toEqual([0, ''])
    expect((await loads()).sort()).toEqual([`config ${command}`, 'hook'])
  })
})

describe('a third-party plugin in a config file', () => {
  test('taps netSetup for its own net and kvmArgs for every node; the default backend does the rest', async () => {
    const { status, stdout, stderr } = await runCli(['start', '--dry-run', '--json'], fixture('with-trace-plugin'))
    expect(stderr).toBe('')
    expect(status).toBe(0)
    const [vm] = JSON.parse(stdout)
    expect(vm.nets).toEqual([0, 7])
    expect(vm.argv.join(' ')).toContain('-netdev user,id=net0')
    expect(vm.argv.join(' ')).toContain(
      '-netdev hubport,id=net7,hubid=7 -device virtio-net-pci,netdev=net7,mac=00:00:00:01:07:01',
    )
    expect(vm.argv.slice(-4)).toEqual([
      '-append',
      'console=ttyS0 acpi=noirq root=/dev/vda rw init=/init',
      '-device',
      'virtio-rng-pci,id=rng-1',
    ])
  })
  test('an incompatible core range is refused before its configure() runs and before anything starts', async () => {
    const { status, stdout, stderr } = await runCli(['start', '--dry-run'], fixture('incompatible-plugin'))
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain(
      'plugin xcluster-plugin-trace needs @xcluster/core ^9.0.0, but this is @xcluster/core 0.1.0',
    )
    expect(stderr).not.toContain('configure ran')
  })
})
