import { describe, expect, test } from '@jest/globals'
import { resolveConfig } from '../src/config/resolve.js'
import { configProblems } from '../../../test/support/config-problems.js'
import type { UserConfig } from '../src/config/user-config.js'
import { testHost } from './host.js'

const resolve = (file: UserConfig = {}, options: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  resolveConfig({ file, options }, testHost(env))

const problems = (file: UserConfig, options: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) => configProblems(() => resolve(file, options, env))

describe('defaults are the shell tool\'s', () => {
  test('4 nodes, 2 routers, 0 testers; nets vm 0,1, router 0,1,2, tester 0,2; 128 MiB, 2 cpus, mtu 1500', () => {
    const config = resolve()
    expect([config.nodes, config.routers, config.testers]).toEqual([4, 2, 0])
    expect(config.nets).toEqual({ vm: [0, 1], router: [0, 1, 2], tester: [0, 2] })
    expect([config.mem, config.smp, config.mtu]).toEqual([128, 2, 1500])
    expect(config.ports).toEqual({ telnet: 12000, ssh: 12300, k8s: 18080, k8sTls: 7443, mcastBase: 120, mcastPort: 27030 })
  })
  test('state lives per user and namespace; images in the workspace', () => {
    expect(resolve().stateDir).toBe('/tmp/xcluster-alice/main')
    expect(resolveConfig({}, testHost({}, { netns: 'alice_xcluster1' })).stateDir).toBe('/tmp/xcluster-alice/alice_xcluster1')
    expect(resolve({ workspace: '/w' }).kernel).toBe('/w/image/vmlinuz')
  })
  test('accel auto is kvm when /dev/kvm opens and tcg otherwise; XCLUSTER_ACCEL and --accel choose', () => {
    expect(resolveConfig({}, testHost({}, { kvm: true })).accel).toBe('kvm')
    expect(resolve().accel).toBe('tcg')
    expect(resolveConfig({}, testHost({ XCLUSTER_ACCEL: 'tcg' }, { kvm: true })).accel).toBe('tcg')
    expect(resolve({ accel: 'tcg' }, { accel: 'kvm' }).accel).toBe('kvm')
  })
})

describe('precedence: command line > environment > file > defaults', () => {
  test('--nvm beats __nvm beats nodes in the file', () => {
    expect(resolve({ nodes: 2 }).nodes).toBe(2)
    expect(resolve({ nodes: 2 }, {}, { __nvm: '3' }).nodes).toBe(3)
    expect(resolve({ nodes: 2 }, { nvm: '5' }, { __nvm: '3' }).nodes).toBe(5)
  })
  test('one role\'s nets from the command line keep the other roles\' nets from the file', () => {
    const config = resolve({ nets: { vm: [0, 1, 3], router: [0, 1, 3] } }, { 'nets-router': '0,1,2,4' })
    expect(config.nets).toEqual({ vm: [0, 1, 3], router: [0, 1, 2, 4], tester: [0, 2] })
  })
  test('per-node overrides merge field by field across sources', () => {
    const config = resolve({ node: { 201: { mem: 256, smp: 3 } } }, { mem201: '512' }, { __nets201: '0,1,3' })
    expect(config.node[201]).toEqual({ mem: 512, smp: 3, nets: [0, 1, 3] })
  })
  test('__append and __kvm_opt are split into words; __appendN is the node\'s own', () => {
    const config = resolve({}, {}, { __append: 'foo=1  quiet', __append201: 'bar=2', __kvm_opt: '-cpu qemu64 -rtc base=utc' })
    expect(config.append).toEqual(['foo=1', 'quiet'])
    expect(config.node[201].append).toEqual(['bar=2'])
    expect(config.qemuArgs).toEqual(['-cpu', 'qemu64', '-rtc', 'base=utc'])
  })
  test('port bases come from XCLUSTER_TELNET_BASE, XCLUSTER_SSH_BASE and XCLUSTER_MCAST_BASE', () => {
    const config = resolve({ ports: { mcastPort: 27031 } }, {}, { XCLUSTER_TELNET_BASE: '22000', XCLUSTER_SSH_BASE: '22300', XCLUSTER_MCAST_BASE: '130' })
    expect(config.ports).toMatchObject({ telnet: 22000, ssh: 22300, mcastBase: 130, mcastPort: 27031 })
  })
  test('values are parsed, never evaluated by a shell', () => {
    expect(resolve({}, { append: '$(touch /tmp/pwned) `id`' }).append).toEqual(['$(touch', '/tmp/pwned)', '`id`'])
  })
  test('unrelated environment variables are ignored', () => {
    expect(resolve({}, {}, { __graphic: 'yes', HOME: '/x', XCLUSTER_HOOK: '/h' }).nodes).toBe(4)
  })
})

describe('validation names the option, the value and the rule, all at once', () => {
  test('every problem is reported in one error', () => {
    expect(problems({ nodes: 201, mem: 8 }, { smp: '0' })).toEqual([
      'nodes=201: must be a whole number from 0 to 200',
      'mem=8: must be a whole number from 32 to 1048576',
      '--smp=0: must be a whole number from 1 to 64',
    ])
  })
  test('too many routers do not spill into the tester range', () => {
    expect(problems({}, { nrouters: '21' })).toEqual(['--nrouters=21: must be a whole number from 0 to 20'])
  })
  test('node ids are 1-240: 0, 241 and 250 are refused', () => {
    expect(problems({ node: { 0: { mem: 256 }, 241: { mem: 256 }, 250: { mem: 256 } } })).toEqual([
      'node.0="0": node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
      'node.241="241": node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
      'node.250="250": node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
    ])
  })
  test('net 0 comes first, nets are 0-255 and appear once', () => {
    expect(problems({ nets: { vm: [1, 0] } }, { 'nets-router': '0,1,1' }, { __nets221: '0,2,256' })).toEqual([
      'nets.vm=[1,0]: must start with net 0: the guest takes its name from the first NIC',
      '--nets-router=[0,1,1]: a net may appear only once',
      '__nets221=[0,2,256]: nets must be whole numbers from 0 to 255',
    ])
  })
  test('a nets list that is not numbers is refused where it is parsed', () => {
    expect(problems({}, { 'nets-vm': '0;1' })).toEqual(['--nets-vm="0;1": must be a comma-separated list of net numbers, e.g. 0,1,2'])
  })
  test('mtu, accel, ports and the IPv6 prefix have their ranges', () => {
    expect(problems({ mtu: 9000, accel: 'xen' as never, ipv6Prefix: 'fd00:', ports: { ssh: 65500 } }, { mtu: '100' })).toEqual([
      '--mtu=100: must be a whole number from 1280 to 65535',
      'accel="xen": must be kvm, tcg or auto',
      'ipv6Prefix="fd00:": must be an IPv6 prefix such as 1000::1:0.0.0.0/96 or fd00::/96',
      'ports.ssh=65500: must be a whole number from 1 to 65295',
    ])
  })
  test('multicast groups must stay within 224.0.0.255', () => {
    expect(problems({ ports: { mcastBase: 250 }, nets: { router: [0, 1, 9] } })).toEqual([
      'ports.mcastBase=250: 224.0.0.(base + net) must stay within 224.0.0.255, and net 9 is used',
    ])
  })
  test('unknown names are refused with a suggestion, in the file and on the command line', () => {
    expect(problems({ nodez: 3, node: { 1: { memory: 1 } } } as never, { nmv: '4' })).toEqual([
      'nodez=3: is not an option (did you mean "nodes"?)',
      'node.1.memory=1: is not an option (did you mean "mem"?)',
      '--nmv="4": is not an option (did you mean "nvm"?)',
    ])
  })
})
