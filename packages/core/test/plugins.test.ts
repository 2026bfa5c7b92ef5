import { describe, expect, test } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../src/config/resolve.js'
import { Cluster } from '../src/lifecycle/cluster.js'
import { defaultBackendName } from '../src/lifecycle/default-plugins.js'
import { assertCompatible, type Plugin } from '../src/lifecycle/plugin.js'
import { runCli } from './cli-run.js'
import { testHost } from './host.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const plugin = (coreRange: string): Plugin => ({ name: 'p', coreRange, apply: () => {} })

describe('plugins declare the core range they support', () => {
  test('a plugin for ^0.1.0 fits core 0.1.0; one for ^9.0.0 is refused naming both versions', () => {
    expect(() => assertCompatible(plugin('^0.1.0'), '0.1.0')).not.toThrow()
    expect(() => assertCompatible(plugin('^9.0.0'), '0.1.0')).toThrow('plugin p needs @xcluster/core ^9.0.0, but this is @xcluster/core 0.1.0')
  })
  test('a plugin without a valid range is refused', () => {
    expect(() => assertCompatible(plugin('not a range'), '0.1.0')).toThrow(/declares no valid coreRange/)
  })
})

describe('hooks', () => {
  test('are frozen: a plugin cannot replace one', () => {
    const cluster = new Cluster(resolveConfig({}, testHost()), [])
    expect(Object.isFrozen(cluster.hooks)).toBe(true)
    expect(Object.keys(cluster.hooks)).toEqual(['beforeNet', 'netSetup', 'kvmArgs', 'overlays', 'hostEndpoint', 'report', 'afterStart', 'beforeStop', 'nodeStopped', 'afterStop'])
  })
  test('a node whose net no backend answers fails with the net and the node', async () => {
    const cluster = new Cluster(resolveConfig({}, testHost()), [])
    const context = { config: cluster.config, nodes: cluster.nodes, stateDir: '/st', netns: undefined, cdrom: undefined, log: () => {} }
    await expect(cluster.argvOf(cluster.nodes[0], context)).rejects.toThrow('no network backend attached net 0 of vm-001')
  })
})

describe('the default network backend', () => {
  test('is bridges inside a netns named <user>_xcluster<idx>, user-space elsewhere', () => {
    expect(defaultBackendName('alice_xcluster1')).toBe('bridge')
    expect(defaultBackendName('xcluster12')).toBe('bridge')
    expect(defaultBackendName(undefined)).toBe('userspace')
    expect(defaultBackendName('xcluster-test')).toBe('userspace')
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
    expect(vm.argv.join(' ')).toContain('-netdev hubport,id=net7,hubid=7 -device virtio-net-pci,netdev=net7,mac=00:00:00:01:07:01')
    expect(vm.argv.slice(-4)).toEqual(['-append', 'console=ttyS0 root=/dev/vda rw init=/init', '-device', 'virtio-rng-pci,id=rng-1'])
  })
  test('declaring an incompatible core range is refused before anything starts', async () => {
    const { status, stdout, stderr } = await runCli(['start', '--dry-run'], fixture('incompatible-plugin'))
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain('plugin xcluster-plugin-trace needs @xcluster/core ^9.0.0, but this is @xcluster/core 0.1.0')
  })
})
