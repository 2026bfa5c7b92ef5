import { describe, expect, test } from '@jest/globals'
import { resolveConfig } from '../src/config/resolve.js'
import type { UserConfig } from '../src/contract/user-config.js'
import type { ClusterContext } from '../src/contract/context.js'
import { clusterIds, nodeOf } from '../src/node/node.js'
import { kernelCommandLine, qemuArgv } from '../src/qemu/argv.js'
import { localHost } from '../src/host/host.js'
import { testHost } from './host.js'

const configOf = (file: UserConfig = {}, env: NodeJS.ProcessEnv = {}) => resolveConfig({ file }, testHost(env))
const contextOf = (file: UserConfig = {}, env: NodeJS.ProcessEnv = {}, cdrom?: string): ClusterContext => {
  const config = configOf(file, env)
  return {
    config,
    nodes: [],
    targets: [],
    host: localHost({ USER: 'alice' }),
    stateDir: config.stateDir,
    netns: undefined,
    cdrom,
    log: () => {},
    attachedBy: async () => undefined,
  }
}
const wordAfter = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1]

describe('every VM', () => {
  test("gets a virtio-rng fed by the host's /dev/urandom, so its random pool is ready at boot", () => {
    const context = contextOf()
    const argv = qemuArgv(nodeOf(context.config, 1), context, [])
    expect(wordAfter(argv, '-object')).toBe('rng-random,filename=/dev/urandom,id=rng0')
    expect(wordAfter(argv, '-device')).toBe('virtio-rng-pci,rng=rng0')
  })
  test('under TCG, a VM of 64 MiB or less gets a translation cache of 24 MiB: small VMs are for host memory', () => {
    const context = contextOf({ accel: 'tcg', mem: 128, node: { 2: { mem: 64 } } })
    expect(wordAfter(qemuArgv(nodeOf(context.config, 1), context, []), '-accel')).toBe('tcg')
    expect(wordAfter(qemuArgv(nodeOf(context.config, 2), context, []), '-accel')).toBe('tcg,tb-size=24')
    const kvm = contextOf({ accel: 'kvm', mem: 64 })
    expect(wordAfter(qemuArgv(nodeOf(kvm.config, 1), kvm, []), '-accel')).toBe('kvm')
  })
})

describe('the nodes of a cluster', () => {
  test('start makes vms 1.., routers 201.. and testers 221..', () => {
    expect(clusterIds(configOf({ nodes: 2, routers: 1, testers: 2 }))).toEqual([1, 2, 201, 221, 222])
  })
  test('each role has its own nets; __nets221=0,2,6 orders the NICs net0, net2, net6', () => {
    const config = configOf({ testers: 1 }, { __nets221: '0,2,6' })
    expect(nodeOf(config, 1).nics.map((n) => n.net)).toEqual([0, 1])
    expect(nodeOf(config, 201).nics.map((n) => n.net)).toEqual([0, 1, 2])
    expect(nodeOf(config, 221).nics.map((n) => [n.ifname, n.mac])).toEqual([
      ['eth0', '00:00:00:01:00:dd'],
      ['eth1', '00:00:00:01:02:dd'],
      ['eth2', '00:00:00:01:06:dd'],
    ])
  })
  test('node 3 on net 1 is eth1 with 192.168.1.3 and 1000::1:192.168.1.3', () => {
    const nic = nodeOf(configOf(), 3).nics[1]
    expect(nic).toEqual({
      index: 1,
      ifname: 'eth1',
      net: 1,
      mac: '00:00:00:01:01:03',
      ipv4: '192.168.1.3',
      ipv6: '1000::1:192.168.1.3',
    })
  })
  test("per-node mem and smp replace the cluster's; per-node append comes after it", () => {
    const node = nodeOf(
      configOf({ mem: 256, append: ['foo=1'], node: { 201: { mem: 384, smp: 3, append: ['bar=2'] } } }),
      201,
    )
    expect([node.mem, node.smp, node.append]).toEqual([384, 3, ['foo=1', 'bar=2']])
  })
  test('an id outside the role ranges is refused with the ranges', () => {
    expect(() => nodeOf(configOf(), 241)).toThrow(
      'node id 241 is out of range: ids are 1-200 (vms), 201-220 (routers), 221-240 (testers)',
    )
  })
})

describe('the qemu command line of a node', () => {
  test(
    "-append is ONE word: root and init, mtuN per net when the mtu is not 1500, the cluster's args, then" +
      " the node's",
    () => {
      const context = contextOf({ mtu: 9000, append: ['foo=1'], node: { 201: { append: ['bar=2', 'baz=3'] } } })
      const argv = qemuArgv(nodeOf(context.config, 201), context, [])
      expect(argv.filter((w) => w === '-append')).toHaveLength(1)
      expect(argv[argv.length - 1]).toBe(
        'console=ttyS0 acpi=noirq root=/dev/vda rw init=/init mtu0=9000 mtu1=9000 mtu2=9000 foo=1 bar=2 baz=3',
      )
    },
  )
  test('with mtu 1500 there are no mtu words', () => {
    expect(kernelCommandLine(nodeOf(configOf(), 1), 1500)).toBe('console=ttyS0 acpi=noirq root=/dev/vda rw init=/init')
  })
  test("mem, smp, the node's own disk over the state directory, the kernel and initrd", () => {
    const context = contextOf({
      node: { 201: { mem: 256, smp: 3 } },
      workspace: '/ws',
      stateDir: '/srv/st',
      kernel: '/ws/image/vmlinuz',
    })
    const argv = qemuArgv(nodeOf(context.config, 201), context, [])
    expect(argv[0]).toBe('qemu-system-x86_64')
    expect([wordAfter(argv, '-m'), wordAfter(argv, '-smp')]).toEqual(['256', '3'])
    expect(wordAfter(argv, '-kernel')).toBe('/ws/image/vmlinuz')
    expect(wordAfter(argv, '-initrd')).toBe('/ws/image/initrd.img')
    expect(wordAfter(argv, '-drive')).toBe('file=/srv/st/vm-201.qcow2,if=virtio,format=qcow2')
  })
  test('monitor, both QMP sockets and the console are unix sockets in the state directory; nothing on TCP', () => {
    const context = contextOf({ stateDir: '/srv/st' })
    const argv = qemuArgv(nodeOf(context.config, 1), context, [])
    expect(wordAfter(argv, '-monitor')).toBe('unix:/srv/st/vm-001.monitor,server=on,wait=off')
    expect(argv.filter((_, k) => argv[k - 1] === '-qmp')).toEqual([
      'unix:/srv/st/vm-001.qmp,server=on,wait=off',
      'unix:/srv/st/vm-001.events,server=on,wait=off',
    ])
    expect(wordAfter(argv, '-chardev')).toBe(
      'socket,id=console,path=/srv/st/vm-001.console,server=on,wait=off,logfile=/srv/st/vm-001.log',
    )
    expect(wordAfter(argv, '-serial')).toBe('chardev:console')
    expect(argv.join(' ')).not.toMatch(/telnet|tcp:/)
  })
  test('the cdrom is attached read-only when there is one', () => {
    const context = contextOf({}, {}, '/srv/st/cdrom.iso')
    const argv = qemuArgv(nodeOf(context.config, 1), context, [])
    expect(argv).toContain('file=/srv/st/cdrom.iso,if=virtio,media=cdrom,readonly=on')
    expect(qemuArgv(nodeOf(context.config, 1), contextOf(), []).join(' ')).not.toContain('cdrom')
  })
  test('the accelerator is explicit: tcg, or kvm with the host cpu', () => {
    const tcg = contextOf({ accel: 'tcg' })
    expect(wordAfter(qemuArgv(nodeOf(tcg.config, 1), tcg, []), '-accel')).toBe('tcg')
    const kvm = contextOf({ accel: 'kvm' })
    const argv = qemuArgv(nodeOf(kvm.config, 1), kvm, [])
    expect([wordAfter(argv, '-accel'), wordAfter(argv, '-cpu')]).toEqual(['kvm', 'host'])
  })
  test('NIC words come before the extra qemu args, which come before -append', () => {
    const context = contextOf({ qemuArgs: ['-rtc', 'base=utc'] })
    const argv = qemuArgv(nodeOf(context.config, 1), context, ['-netdev', 'X'])
    expect(argv.slice(-6)).toEqual([
      '-netdev',
      'X',
      '-rtc',
      'base=utc',
      '-append',
      'console=ttyS0 acpi=noirq root=/dev/vda rw init=/init',
    ])
  })
})
