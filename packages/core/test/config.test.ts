import { describe, expect, test } from '@jest/globals'
import { resolveConfig } from '../src/config/resolve.js'
import { shellAssignments, shellVariables } from '../src/config/shell-variables.js'
import type { ClusterConfig } from '../src/contract/settings.js'
import { configProblems } from '@xcluster/test-support/config-problems'
import type { UserConfig } from '../src/contract/user-config.js'
import type { Plugin } from '../src/contract/plugin.js'
import { testHost } from './host.js'

const resolve = (file: UserConfig = {}, options: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  resolveConfig({ file, options }, testHost(env))

const problems = (file: UserConfig, options: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  configProblems(() => resolve(file, options, env))

describe("defaults are the shell tool's", () => {
  test('4 nodes, 2 routers, 0 testers; nets vm 0,1, router 0,1,2, tester 0,2; 128 MiB, 2 cpus, mtu 1500', () => {
    const config = resolve()
    expect([config.nodes, config.routers, config.testers]).toEqual([4, 2, 0])
    expect(config.nets).toEqual({ vm: [0, 1], router: [0, 1, 2], tester: [0, 2] })
    expect([config.mem, config.smp, config.mtu]).toEqual([128, 2, 1500])
    expect(config.ports).toEqual({
      telnet: 12000,
      ssh: 12300,
      k8s: 18080,
      k8sTls: 7443,
      mcastBase: 120,
      mcastPort: 27030,
    })
  })
  test('state lives per user and namespace; images in the workspace', () => {
    expect(resolve().stateDir).toBe('/tmp/xcluster-alice/main')
    expect(resolveConfig({}, testHost({}, { netns: 'alice_xcluster1' })).stateDir).toBe(
      '/tmp/xcluster-alice/alice_xcluster1',
    )
    expect(resolve({ workspace: '/w' }).kernel).toBe('default')
    expect(resolve({ workspace: '/w' }).initrd).toBe('/w/image/initrd.img')
  })
  test("a plugin may not move the state directory: where a cluster lives is the user's", () => {
    const mover: Plugin = {
      name: 'mover',
      coreRange: '*',
      configure: () => ({ defaults: { stateDir: '/tmp/elsewhere' }, issues: [] }),
      apply: () => {},
    }
    expect(configProblems(() => resolveConfig({ plugins: [mover] }, testHost({})))).toEqual([
      'stateDir (set by the plugin mover)="/tmp/elsewhere": a plugin may not move the state directory: set it in' +
        ' the config, XCLUSTER_TMP or --state-dir',
    ])
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
  test("one role's nets from the command line keep the other roles' nets from the file", () => {
    const config = resolve({ nets: { vm: [0, 1, 3], router: [0, 1, 3] } }, { 'nets-router': '0,1,2,4' })
    expect(config.nets).toEqual({ vm: [0, 1, 3], router: [0, 1, 2, 4], tester: [0, 2] })
  })
  test('per-node overrides merge field by field across sources', () => {
    const config = resolve({ node: { 201: { mem: 256, smp: 3 } } }, { mem201: '512' }, { __nets201: '0,1,3' })
    expect(config.node[201]).toEqual({ mem: 512, smp: 3, nets: [0, 1, 3] })
  })
  test("__append and __kvm_opt are split into words; __appendN is the node's own", () => {
    const config = resolve(
      {},
      {},
      { __append: 'foo=1  quiet', __append201: 'bar=2', __kvm_opt: '-cpu qemu64 -rtc base=utc' },
    )
    expect(config.append).toEqual(['foo=1', 'quiet'])
    expect(config.node[201].append).toEqual(['bar=2'])
    expect(config.qemuArgs).toEqual(['-cpu', 'qemu64', '-rtc', 'base=utc'])
  })
  test('port bases come from XCLUSTER_TELNET_BASE, XCLUSTER_SSH_BASE and XCLUSTER_MCAST_BASE', () => {
    const config = resolve(
      { ports: { mcastPort: 27031 } },
      {},
      { XCLUSTER_TELNET_BASE: '22000', XCLUSTER_SSH_BASE: '22300', XCLUSTER_MCAST_BASE: '130' },
    )
    expect(config.ports).toMatchObject({ telnet: 22000, ssh: 22300, mcastBase: 130, mcastPort: 27031 })
  })
  test('values are parsed, never evaluated by a shell', () => {
    expect(resolve({}, { append: '$(touch /tmp/pwned) `id`' }).append).toEqual(['$(touch', '/tmp/pwned)', '`id`'])
  })
  test("unrelated environment variables, and an overlay's own __x, are ignored", () => {
    expect(resolve({}, {}, { __k8sver: 'v1.31', HOME: '/x', ARCHIVE: '/a', KERNELDIR: '/k' }).nodes).toBe(4)
  })
})

describe('each __* and XCLUSTER_* setting of the shell tool (reference 1.2, 1.3, 6, 7, 8.8) is read or refused', () => {
  const HONOURED: [string, string, (c: ClusterConfig) => unknown, unknown][] = [
    ['__nvm', '3', (c) => c.nodes, 3],
    ['__nrouters', '1', (c) => c.routers, 1],
    ['__ntesters', '1', (c) => c.testers, 1],
    ['__nets_vm', '0,1,3', (c) => c.nets.vm, [0, 1, 3]],
    ['__nets_router', '0,1,2,4', (c) => c.nets.router, [0, 1, 2, 4]],
    ['__nets_tester', '0,2,6', (c) => c.nets.tester, [0, 2, 6]],
    ['__mem', '256', (c) => c.mem, 256],
    ['__smp', '3', (c) => c.smp, 3],
    ['__mtu', '9000', (c) => c.mtu, 9000],
    ['__append', 'foo=1 bar', (c) => c.append, ['foo=1', 'bar']],
    ['__kvm_opt', '-no-hpet', (c) => c.qemuArgs, ['-no-hpet']],
    ['__kvm', '/usr/bin/qemu-system-x86_64', (c) => c.qemu, '/usr/bin/qemu-system-x86_64'],
    ['__machine', 'q35', (c) => c.machine, 'q35'],
    ['__kbin', '/k/bzImage', (c) => c.kernel, '/k/bzImage'],
    ['XCLUSTER_KERNEL', 'cloud', (c) => c.kernel, 'cloud'],
    ['__kver', 'linux-6.1.192', (c) => c.kernelVersion, 'linux-6.1.192'],
    ['__kcfg', '/k/xdp.config', (c) => c.kernelConfig, '/k/xdp.config'],
    ['__kobj', '/k/obj', (c) => c.kernelObjects, '/k/obj'],
    ['__image', '/k/hd.img', (c) => c.image, '/k/hd.img'],
    ['__cdrom', '/k/cd.iso', (c) => c.cdrom, '/k/cd.iso'],
    ['__net_setup', '/usr/local/bin/net-setup.sh', (c) => c.netSetupScript, '/usr/local/bin/net-setup.sh'],
    ['__nets201', '0,1,3', (c) => c.node[201].nets, [0, 1, 3]],
    ['__mem1', '512', (c) => c.node[1].mem, 512],
    ['__smp1', '4', (c) => c.node[1].smp, 4],
    ['__append1', 'x=1', (c) => c.node[1].append, ['x=1']],
    ['XCLUSTER_WORKSPACE', '/w', (c) => c.workspace, '/w'],
    ['XCLUSTER_TMP', '/srv/st', (c) => c.stateDir, '/srv/st'],
    ['XCLUSTER_OVLPATH', '/a:/b', (c) => c.ovlPath, ['/a', '/b']],
    ['XCLUSTER_TELNET_BASE', '22000', (c) => c.ports.telnet, 22000],
    ['XCLUSTER_SSH_BASE', '22300', (c) => c.ports.ssh, 22300],
    ['XCLUSTER_K8S_PORT', '28080', (c) => c.ports.k8s, 28080],
    ['XCLUSTER_MCAST_BASE', '130', (c) => c.ports.mcastBase, 130],
    ['XCLUSTER_HOOK', '/h/hook.mjs', (c) => c.hook, '/h/hook.mjs'],
    ['XOVLS', 'iptools env', (c) => c.overlays, ['iptools', 'env']],
  ]
  test.each(HONOURED)('%s=%s is honoured', (name, value, read, expected) => {
    expect(read(resolve({}, {}, { [name]: value }))).toEqual(expected)
  })
  test('__kver is a version, nothing else', () => {
    expect(problems({}, {}, { __kver: '6.1;reboot' })).toEqual([
      '__kver="6.1;reboot": must be a kernel version such as 6.1, 6.1.192 or linux-6.1.192',
    ])
  })
  // Read by the commands that use them: nsadd (__ipv4_base, __ipv6_prefix), overlay tar scripts (XCLUSTER).
  test.each(['__ipv4_base', '__ipv6_prefix', 'XCLUSTER'])('%s is no cluster setting and is not refused', (name) => {
    expect(resolve({}, {}, { [name]: '172.31.0.0/24' }).nodes).toBe(4)
  })
  const REFUSED = [
    '__bbver',
    '__loader',
    '__cached',
    '__base_libs',
    '__ipver',
    '__dropbearver',
    '__diskimver',
    '__bootable',
    '__graphic',
    '__bg',
    '__nets',
    'XCLUSTER_HOME',
    'XCLUSTER_MONITOR_BASE',
    'XCLUSTER_LAYOUT',
    'XCLUSTER_OFFSET',
  ]
  test.each(REFUSED)('%s is refused, naming it and what to do instead', (name) => {
    const [problem, ...more] = problems({}, {}, { [name]: 'yes' })
    expect(more).toEqual([])
    expect(problem).toMatch(
      new RegExp(`^${name}="yes": is a setting of the shell tool that xcluster does not use: \\S.{20,}`),
    )
  })
  test('the refused ones are refused as options too, and __kvm takes one program', () => {
    expect(problems({}, { bbver: '1.36', graphic: 'yes' }, { __kvm: 'qemu-system-x86_64 -enable-kvm' })).toEqual([
      '__kvm="qemu-system-x86_64 -enable-kvm": must be one program name or path;' +
        ' put further qemu words in __kvm_opt (--kvm-opt)',
      expect.stringMatching(
        /^--bbver="1.36": is a setting of the shell tool that xcluster does not use: the image takes busybox/,
      ),
      expect.stringMatching(
        /^--graphic="yes": is a setting of the shell tool that xcluster does not use: VMs have no display/,
      ),
    ])
  })
})

describe("xcluster env under the shell tool's names", () => {
  test('every variable it prints reads back from the environment to the same settings', () => {
    const config = resolve({
      nodes: 3,
      node: { 201: { mem: 256, nets: [0, 1, 3] }, 1: { append: ['a=1', 'b'] } },
      append: ["it's"],
      overlays: ['a', 'b'],
      ovlPath: ['/o1', '/o2'],
      netSetupScript: '/n.sh',
      hook: '/h.ts',
    })
    const vars = shellVariables(config)
    expect(vars).toMatchObject({
      __nvm: '3',
      __mem201: '256',
      __nets201: '0,1,3',
      __append1: 'a=1 b',
      XOVLS: 'a b',
      XCLUSTER_OVLPATH: '/o1:/o2',
      XCLUSTER_WORKSPACE: '/home/alice/.cache/xcluster',
    })
    expect(resolve({}, {}, vars)).toEqual(config)
  })
  test('values are single-quoted as sh reads them back', () => {
    expect(shellAssignments({ B: "it's", A: '$(id) `x`' })).toBe(`A='$(id) \`x\`'\nB='it'\\''s'\n`)
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
      'node.0={"mem":256}: node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
      'node.241={"mem":256}: node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
      'node.250={"mem":256}: node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved',
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
    expect(problems({}, { 'nets-vm': '0;1' })).toEqual([
      '--nets-vm="0;1": must be a comma-separated list of net numbers, e.g. 0,1,2',
    ])
  })
  test('mtu, accel, ports and the IPv6 prefix have their ranges', () => {
    expect(
      problems({ mtu: 9000, accel: 'xen' as never, ipv6Prefix: 'fd00:', ports: { ssh: 65500 } }, { mtu: '100' }),
    ).toEqual([
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
