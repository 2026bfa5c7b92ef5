// The inputs of the verdict fuzz (bench/soak/verdicts.ts), each generated with the verdict it must get: refused with
// words naming the value and the rule, or accepted with what that means (a value read back as given). Deterministic:
// case N is the same in every run, so a failure can be replayed by its number.
import { SETTINGS } from '../../packages/core/src/config/settings.js'

/** One input: a config file, an environment and a command line, or a snapshot manifest to restore. */
export interface VerdictCase {
  name: string
  config?: unknown
  env?: Record<string, string>
  argv: string[]
  /** A snapshot's snapshot.json (written as `s1` in a private workspace of the case's own). */
  manifest?: unknown
  /** Refused (exit 1) with each of these words on stderr; or accepted (exit 0) with these words on stdout. */
  verdict: { refused: string | string[] } | { accepted: string }
}

const nested = (path: string, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = path.split('.')
  return { [head]: rest.length > 0 ? nested(rest.join('.'), value) : value }
}
const shown = (value: unknown) => JSON.stringify(value)

/** Every whole-number setting: in range read back as given, out of range or of another type refused by its limits. */
function counts(): VerdictCase[] {
  const cases: VerdictCase[] = []
  for (const setting of SETTINGS.filter((s) => s.limits)) {
    const [min, max] = setting.limits!
    const rule = `must be a whole number from ${min} to ${max}`
    const inRange = [min, typeof setting.default === 'number' ? setting.default : min]
    for (const value of new Set(inRange))
      cases.push({
        name: `${setting.path}: ${value} is in range`,
        config: nested(setting.path, value),
        argv: ['env', '--json'],
        verdict: { accepted: `"${setting.path.split('.').at(-1)}": ${value}` },
      })
    for (const value of [min - 1, max + 1, 1.5, String(min), true, [min]])
      cases.push({
        name: `${setting.path}: ${shown(value)} is refused`,
        config: nested(setting.path, value),
        argv: ['env'],
        verdict: { refused: `${setting.path}=${shown(value)}: ${rule}` },
      })
    const name = setting.shell ? `__${setting.shell}` : setting.env
    if (name)
      for (const value of [`${max + 1}`, '-1', 'x', `${min} ${min}`])
        cases.push({
          name: `${name}=${value} is refused`,
          env: { [name]: value },
          argv: ['env'],
          // Text that is no whole number is refused as such; a number past the limits by them.
          verdict: { refused: [`${name}=`, value === `${max + 1}` ? rule : 'must be a whole number'] },
        })
  }
  return cases
}

/** Lists written as one text: a word holding its separator or a control character cannot be read back. */
function lists(): VerdictCase[] {
  const cases: VerdictCase[] = []
  const kinds = { words: 'words without spaces or control characters', paths: 'paths without colons' } as const
  for (const setting of SETTINGS.filter((s) => s.kind === 'words' || s.kind === 'paths')) {
    const rule = `must be a list of ${kinds[setting.kind as keyof typeof kinds]}`
    const good = setting.kind === 'paths' ? ['/opt/a', '/opt/b'] : ['a=1', '-b']
    cases.push({
      name: `${setting.path}: ${shown(good)} is kept`,
      config: nested(setting.path, good),
      argv: ['env', '--json'],
      verdict: { accepted: `"${setting.path}": [\n    "${good[0]}",\n    "${good[1]}"\n  ]` },
    })
    const separator = setting.kind === 'paths' ? '/a:/b' : 'a b'
    for (const bad of [separator, 'a\nb', 'a\tb', 'a\u001b[2Jb', 'a\u0000b', 'a\u007fb', '', 5, null])
      cases.push({
        name: `${setting.path}: ${shown([bad])} is refused`,
        config: nested(setting.path, [bad]),
        argv: ['env'],
        verdict: { refused: `${setting.path}=${shown([bad])}: ${rule}` },
      })
  }
  return cases
}

/** Programs xcluster runs: never a word that starts with `-`, nothing a shell would read. */
function programs(): VerdictCase[] {
  const cases: VerdictCase[] = []
  for (const setting of SETTINGS.filter((s) => s.kind === 'program')) {
    for (const good of ['qemu-system-x86_64', '/usr/local/bin/qemu.x+1'])
      cases.push({
        name: `${setting.path}: ${good} is kept`,
        config: nested(setting.path, good),
        argv: ['env', '--json'],
        verdict: { accepted: `"${setting.path}": "${good}"` },
      })
    for (const bad of ['-version', '--help', 'a b', 'a;b', '$(id)', '`id`', 'a,b', 'a\nb', '../x y'])
      cases.push({
        name: `${setting.path}: ${shown(bad)} is refused`,
        config: nested(setting.path, bad),
        argv: ['env'],
        verdict: { refused: `${setting.path}=${shown(bad)}: must be a program` },
      })
  }
  return cases
}

/** Files and directories: a path without commas (a qemu option would follow) or control characters, at most 1024. */
function paths(): VerdictCase[] {
  const cases: VerdictCase[] = []
  // The hook is loaded as code, the kernel chosen by name: each has cases of its own elsewhere.
  for (const setting of SETTINGS.filter((s) => s.kind === 'path' && s.path !== 'hook')) {
    const name = setting.shell ? `__${setting.shell}` : setting.env
    if (!name) continue
    const good = `/opt/xcluster-verdict/${setting.path}`
    cases.push({
      name: `${name}=${good} is kept`,
      env: { [name]: good },
      argv: ['env'],
      verdict: { accepted: `${name}='${good}'` },
    })
    for (const bad of ['/a,b', '/a\nb', '/a\u001bb', `/${'x'.repeat(1100)}`])
      cases.push({
        name: `${name}=${shown(bad).slice(0, 40)} is refused`,
        env: { [name]: bad },
        argv: ['env'],
        verdict: { refused: [`${name}=`, 'must be a path of at most 1024 characters'] },
      })
  }
  return cases
}

/** Hosts of a cluster: what core reads of them before a plugin spreads VMs over them. */
function hosts(): VerdictCase[] {
  const bad: [string, string][] = [
    ['sim:0', 'must be sim:N (N simulated hosts, 1 to 8)'],
    ['sim:x', 'must be sim:N or words NAME=VIA'],
    ['h1=ssh://-oProxyCommand=x@m', 'host "h1": via must be sim'],
    ['h1=ssh://root@m:99999', 'host "h1": via must be sim'],
    ['H1=sim', 'host "H1": name must be a lower-case letter'],
    ['h1=sim h1=sim', 'host "h1" is listed twice'],
  ]
  return bad.map(([value, words]) => ({
    name: `hosts ${value} is refused`,
    env: { XCLUSTER_HOSTS: value },
    argv: ['env'],
    verdict: { refused: [`XCLUSTER_HOSTS=`, words] },
  }))
}

/** A plugin's options, checked when the plugin is made (dns-coredns here). */
function pluginOptions(): VerdictCase[] {
  const bad: [object, string][] = [
    [{ port: 70000 }, 'port: Too big'],
    [{ port: 0 }, 'port: Too small'],
    [{ port: '53' }, 'port: Invalid input'],
    [{ upstreams: 'x' }, 'upstreams: Invalid input: expected array'],
    [{ upstreams: ['10.0.0.1;id'] }, 'upstreams.0: addr, addr:port or [v6]:port'],
    [{ coredns: 'coredns -conf /x' }, 'coredns: an absolute path'],
    [{ domain: 'a b' }, 'domain: a domain name'],
    [{ colour: 'red' }, 'Unrecognized key: "colour"'],
  ]
  const plugin = (options: object) => ({ plugins: [['@xcluster/dns-coredns', options]] })
  return [
    {
      name: 'dns-coredns options that fit',
      config: plugin({ port: 10054, upstreams: ['10.0.0.1:53'] }),
      argv: ['env'],
      verdict: { accepted: "__nvm='" },
    },
    ...bad.map(([options, words]) => ({
      name: `dns-coredns ${shown(options)} is refused`,
      config: plugin(options),
      argv: ['env'],
      verdict: { refused: ['@xcluster/dns-coredns: options:', words] },
    })),
  ]
}

/** Per-node overrides: ids of the three ranges kept; others, other spellings and non-objects refused. */
function nodes(): VerdictCase[] {
  const cases: VerdictCase[] = []
  for (const id of [1, 200, 201, 220, 221, 240])
    cases.push({
      name: `node.${id} is kept`,
      config: { node: { [id]: { mem: 256 } } },
      argv: ['env'],
      verdict: { accepted: `__mem${id}='256'` },
    })
  for (const id of [0, 241, 250, 255, 999, -1])
    cases.push({
      name: `node.${id} is refused`,
      config: { node: { [id]: { mem: 256 } } },
      argv: ['env'],
      verdict: { refused: `node.${id}={"mem":256}: node ids are 1-200` },
    })
  for (const key of ['01', '1e0', ' 1', '1.0', '+1'])
    cases.push({
      name: `node key ${shown(key)} is refused`,
      config: { node: { [key]: { mem: 256 } } },
      argv: ['env'],
      verdict: { refused: `node.${key}=${shown(key)}: must be a node id written as a plain number` },
    })
  for (const override of [null, 5, 'x', [1]])
    cases.push({
      name: `node.1=${shown(override)} is refused`,
      config: { node: { 1: override } },
      argv: ['env'],
      verdict: { refused: `node.1=${shown(override)}: must be an object of nets, mem, smp or append` },
    })
  for (const [key, value] of [
    ['mem', 8],
    ['smp', 0],
    ['nets', [1]],
    ['append', ['a b']],
    ['colour', 'red'],
  ] as const)
    cases.push({
      name: `node.1.${key}=${shown(value)} is refused`,
      config: { node: { 1: { [key]: value } } },
      argv: ['env'],
      verdict: { refused: `node.1.${key}=${shown(value)}:` },
    })
  return cases
}

/** The nets of each role: a list that starts with net 0, each net once, 0 to 255. */
function nets(): VerdictCase[] {
  const cases: VerdictCase[] = []
  for (const role of ['vm', 'router', 'tester']) {
    // Net N of a user-space cluster is the group 224.0.0.(120 + N): 135 is the highest net of the default base.
    for (const good of [[0], [0, 1, 2], [0, 135]])
      cases.push({
        name: `nets.${role}=${shown(good)} is kept`,
        config: { nets: { [role]: good } },
        argv: ['env'],
        verdict: { accepted: `__nets_${role}='${good.join(',')}'` },
      })
    for (const bad of [[], [1, 0], [0, 0], [0, 256], [0, -1], [0, 1.5], '0,1', [0, '1']])
      cases.push({
        name: `nets.${role}=${shown(bad)} is refused`,
        config: { nets: { [role]: bad } },
        argv: ['env'],
        verdict: { refused: `nets.${role}=${shown(bad)}:` },
      })
  }
  return cases
}

/** The IPv6 prefix: a /96 or shorter with its low 32 bits zero, not link-local, multicast or unspecified. */
function ipv6(): VerdictCase[] {
  const good = ['fd00::/96', '1000::1:0.0.0.0/96', '2001:db8::/64']
  const bad = ['fe80::/10', 'fe80::/96', 'ff02::/96', '::/96', 'fd00::/97', 'fd00::1:2/96', 'x', '1.2.3.4', 'fd00::']
  return [
    ...good.map((prefix) => ({
      name: `XCLUSTER_IPV6_PREFIX=${prefix} is kept`,
      env: { XCLUSTER_IPV6_PREFIX: prefix },
      argv: ['env'],
      verdict: { accepted: `XCLUSTER_IPV6_PREFIX='${prefix}'` },
    })),
    ...bad.map((prefix) => ({
      name: `XCLUSTER_IPV6_PREFIX=${prefix} is refused`,
      env: { XCLUSTER_IPV6_PREFIX: prefix },
      argv: ['env'],
      verdict: { refused: `XCLUSTER_IPV6_PREFIX=${shown(prefix)}:` },
    })),
  ]
}

/** Fault timelines in the config: checked whole when the config loads. */
function timelines(): VerdictCase[] {
  const good = [
    { at: '1s', link: [2, 1], state: 'down' },
    { at: '500ms', netem: [2, 1], delay: '100ms', jitter: '10ms', loss: '1%', rate: '10mbit' },
    { at: '1.5s', netem: [2, 1], clear: true },
    { at: '1m', 'stop-vm': 2 },
    { at: '0s', 'cont-vm': 240 },
    { at: '0ms', 'reset-vm': 1 },
    { at: '2s', rsh: [1, 'ping -c1 192.168.1.2'], expect: 'fail' },
  ]
  const bad: [unknown, string][] = [
    [{ at: 'soon', 'stop-vm': 2 }, 'at must be a time'],
    [{ at: 2, 'stop-vm': 2 }, 'at must be a time'],
    [{ at: '-1s', 'stop-vm': 2 }, 'at must be a time'],
    [{ at: '61m', 'stop-vm': 2 }, 'at must be a time'],
    [{ at: '1s' }, 'needs one of link, netem'],
    [{ at: '1s', 'stop-vm': 2, 'cont-vm': 2 }, 'needs one of link, netem'],
    [{ at: '1s', 'stop-vm': 241 }, 'stop-vm must be a VM id'],
    [{ at: '1s', 'stop-vm': '2' }, 'stop-vm must be a VM id'],
    [{ at: '1s', link: [2], state: 'down' }, 'link must be [VM id, net]'],
    [{ at: '1s', link: [2, 256], state: 'down' }, 'link must be [VM id, net]'],
    [{ at: '1s', link: [2, 1], state: 'sideways' }, 'state must be down or up'],
    [{ at: '1s', netem: [2, 1] }, 'netem needs delay, loss or rate'],
    [{ at: '1s', netem: [2, 1], delay: 123 }, 'delay=123: must be text'],
    [{ at: '1s', netem: [2, 1], delay: ['50ms'] }, 'delay=["50ms"]: must be text'],
    [{ at: '1s', netem: [2, 1], loss: { toString: '1%' } }, 'loss={"toString":"1%"}: must be text'],
    [{ at: '1s', netem: [2, 1], delay: '61s' }, 'delay="61s": must be a time'],
    [{ at: '1s', netem: [2, 1], delay: '5' }, 'delay="5": must be a time'],
    [{ at: '1s', netem: [2, 1], loss: '101%' }, 'loss="101%": must be a percentage'],
    [{ at: '1s', netem: [2, 1], rate: '0mbit' }, 'rate="0mbit": must be a rate'],
    [{ at: '1s', netem: [2, 1], jitter: '5ms' }, 'jitter="5ms": needs delay'],
    [{ at: '1s', netem: [2, 1], clear: false }, 'clear must be true when given'],
    [{ at: '1s', netem: [2, 1], clear: true, delay: '5ms' }, 'clear takes no delay'],
    [{ at: '1s', rsh: [1, ''] }, 'rsh must be [VM id, command]'],
    [{ at: '1s', rsh: [1, 'true'], expect: 'maybe' }, 'expect must be pass or fail'],
    [{ at: '1s', 'cont-vm': 2, note: 'x' }, 'note is not a field of a cont-vm step'],
    [JSON.parse('{"at":"1s","cont-vm":2,"__proto__":{"x":1}}'), '__proto__ is not a field'],
    [null, 'a step is an object'],
    [[1], 'a step is an object'],
  ]
  return [
    ...good.map((step) => ({
      name: `faults: ${shown(step)} is kept`,
      config: { faults: [step] },
      argv: ['env'],
      verdict: { accepted: "__nvm='" },
    })),
    ...bad.map(([step, words]) => ({
      name: `faults: ${shown(step)} is refused`,
      config: { faults: [step] },
      argv: ['env'],
      verdict: { refused: words },
    })),
    {
      name: 'faults: an empty timeline',
      config: { faults: [] },
      argv: ['env'],
      verdict: { refused: '1 to 500 steps' },
    },
    { name: 'faults: not a list', config: { faults: {} }, argv: ['env'], verdict: { refused: 'a list of steps' } },
  ]
}

/** A node of a snapshot's manifest, as a save writes it. */
const savedNode = (id: number) => ({
  id,
  role: id > 220 ? 'tester' : id > 200 ? 'router' : 'vm',
  hostname: `vm-${String(id).padStart(3, '0')}`,
  nics: [
    {
      index: 0,
      ifname: 'eth0',
      net: 0,
      mac: `00:00:00:01:00:${id.toString(16).padStart(2, '0')}`,
      ipv4: `192.168.0.${id}`,
      ipv6: `1000::1:192.168.0.${id}`,
    },
  ],
  mem: 128,
  smp: 2,
  append: ['quiet'],
})

/** Snapshot manifests: what a save writes passes the manifest check (and is refused only as of another cluster). */
function manifests(): VerdictCase[] {
  const manifest = {
    name: 's1',
    created: '2026-12-07T01:00:00.000Z',
    nodes: [savedNode(1), savedNode(201)],
    plugins: ['@xcluster/net-userspace'],
    kernel: '/k',
    initrd: '/i',
    image: '/h',
  }
  const restore = ['snapshot', 'restore', 's1']
  const nic = manifest.nodes[0].nics[0]
  const withNode = (change: object) => ({ ...manifest, nodes: [{ ...savedNode(1), ...change }] })
  const withNic = (change: object) => withNode({ nics: [{ ...nic, ...change }] })
  const bad: [string, unknown, string][] = [
    ['an id that is shell code', withNode({ id: '1;cd;id>MARK;#' }), 'nodes.0.id'],
    ['an id out of range', withNode({ id: 241 }), 'nodes.0.id'],
    ['an id of 0', withNode({ id: 0 }), 'nodes.0.id'],
    ['a fractional id', withNode({ id: 1.5 }), 'nodes.0.id'],
    ['a hostname that is a path', withNode({ hostname: '../../etc' }), 'nodes.0.hostname'],
    ['a hostname of another id', withNode({ hostname: 'vm-002' }), 'nodes.0.hostname: node 1 is vm-001'],
    ['a role of another range', withNode({ role: 'router' }), 'nodes.0.role'],
    ['a MAC with a qemu option', withNic({ mac: `${nic.mac},romfile=/etc/shadow` }), 'nodes.0.nics.0.mac'],
    ['a MAC of another node', withNic({ mac: '00:00:00:01:00:09' }), 'nodes.0.nics.0.mac: must be'],
    ['an address of another node', withNic({ ipv4: '192.168.0.9' }), 'nodes.0.nics.0.ipv4: must be'],
    ['an ifname out of order', withNic({ ifname: 'eth1' }), 'nodes.0.nics.0: NIC 0 must be eth0'],
    ['a net past 255', withNic({ net: 256 }), 'nodes.0.nics.0.net'],
    ['memory below the least', withNode({ mem: 8 }), 'nodes.0.mem'],
    ['CPUs past the most', withNode({ smp: 65 }), 'nodes.0.smp'],
    ['a kernel argument with a newline', withNode({ append: ['a\ninit=/bin/sh'] }), 'nodes.0.append.0'],
    ['a kernel argument with a space', withNode({ append: ['a b'] }), 'nodes.0.append.0'],
    ['no nodes', { ...manifest, nodes: [] }, 'nodes:'],
    ['a node twice', { ...manifest, nodes: [savedNode(1), savedNode(1)] }, 'each node once'],
    ['a name that is not its own', { ...manifest, name: 's2' }, 'names another snapshot: s2'],
    ['a name that is a path', { ...manifest, name: '../x' }, 'name:'],
    ['a date that is not one', { ...manifest, created: 'yesterday' }, 'created:'],
    ['a kernel path with a comma', { ...manifest, kernel: '/k,x' }, 'kernel:'],
    ['a plugin name with a space', { ...manifest, plugins: ['a b'] }, 'plugins.0'],
    ['an unknown key', { ...manifest, extra: 1 }, 'Unrecognized key: "extra"'],
    ['a prototype key', JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(manifest).slice(1)}`), '"__proto__"'],
    ['a node with an unknown key', withNode({ script: 'x' }), 'Unrecognized key: "script"'],
    ['a list', [manifest], 'expected object'],
    ['a string', 'snapshot', 'expected object'],
  ]
  return [
    {
      name: 'manifest: as a save writes it (refused only as taken of another cluster)',
      manifest,
      argv: restore,
      verdict: { refused: 'snapshot s1 was taken of another cluster' },
    },
    ...bad.map(([name, value, words]) => ({
      name: `manifest: ${name}`,
      manifest: value,
      argv: restore,
      verdict: { refused: words },
    })),
  ]
}

/** Command lines: words and flags that are not the command's, named with the nearest. */
function commandLines(): VerdictCase[] {
  const words: [string[], string][] = [
    [['start', 'stray'], 'start takes settings, not words: "stray"'],
    [['start', '--dry-run', '--snapshot=../x'], 'snapshot name "../x"'],
    [['start', '--dry-run', '--overlays=no-such-overlay'], 'overlay no-such-overlay not found'],
    [['start', '--dry-run', '--kernel=built'], 'no kernel was built'],
    [['env', '--nmv=2'], '--nmv=2 is not an option of env (did you mean --nvm?)'],
    [['env', '--nmv'], '--nmv is not an option of env (did you mean --nvm?)'],
    [['env', '--memory=256'], 'is not an option of env'],
    [['status', '--__proto__=1'], '--__proto__=1 is not an option of status'],
    [['snapshot', 'save'], 'snapshot needs save NAME'],
    [['snapshot', 'restore', '../x'], 'snapshot name "../x"'],
    [['snapshot', 'delete', 'a/b'], 'snapshot name "a/b"'],
    [['snapshot', 'list', 'x'], 'snapshot needs save NAME'],
    [['tcpdump', '1', '../x'], 'interface "../x": must be 1-15 letters'],
    [['tcpdump', '1', 'eth0;id'], 'interface "eth0;id"'],
    [['cplib', '--dest=/', '/bin/ls'], 'the files would be copied onto themselves'],
    [['cplib', '--dest=/tmp/xcluster-verdict-cplib', '/nonexistent'], '/nonexistent: no such file'],
    [['kernel', 'build', '--source=/nonexistent'], 'is not a kernel source tree'],
    [['completion', 'tcsh'], 'say which shell: bash, zsh, fish'],
    [['faults'], 'faults needs `run [FILE]`'],
    [['faults', 'run', '/nonexistent.json'], 'no such file'],
    [['no-such-command'], 'no-such-command is not a command'],
  ]
  return words.map(([argv, words]) => ({ name: argv.join(' '), argv, verdict: { refused: words } }))
}

export function verdictCases(): VerdictCase[] {
  return [
    ...counts(),
    ...lists(),
    ...paths(),
    ...hosts(),
    ...pluginOptions(),
    ...programs(),
    ...nodes(),
    ...nets(),
    ...ipv6(),
    ...timelines(),
    ...manifests(),
    ...commandLines(),
  ]
}
