// Probes of bench/soak.ts where users are, not where the code was written: upstreams that cannot
// answer, odd query names, clients that never read, daemons killed under a cluster, plugins given
// once and then not repeated, and another real user planting links, packages, configs, overlays.
import { execa } from 'execa'
import { spawn } from 'node:child_process'
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { floodIn, queriesIn, startSilent } from '@xcluster/test-support/dns-upstream'
import { TEST_ACCEL, TestNetns, XCLUSTER_BIN, removeTestFiles } from '@xcluster/test-support/netns'
import { OtherUser } from '@xcluster/test-support/other-user'

export interface Probe {
  probe: string
  runs: number
  failures: string[]
}
export type ProbeRunner = (name: string, body: (p: Probe) => Promise<void>) => Promise<void>
const check = (p: Probe, ok: boolean, what: string) => void (ok || p.failures.push(what))

const DNS_SERVER = fileURLToPath(new URL('../../packages/dns-coredns/bin/xcluster-dns.mjs', import.meta.url))
const OWN = {
  'vm-001.xcluster': { a: ['192.168.1.1', '192.168.0.1'], aaaa: [] },
  'vm-001': { a: ['192.168.1.1', '192.168.0.1'], aaaa: [] },
}

/** The embedded DNS server inside `ns` on `port` with these upstreams; resolves with the process once it listens. */
async function dnsServer(ns: TestNetns, dir: string, port: number, upstreams: { host: string; port: number }[]) {
  const file = join(dir, `dns-${port}.json`)
  await writeFile(
    file,
    JSON.stringify({
      port,
      domain: 'xcluster',
      bind: ['127.0.0.1', '::1'],
      upstreams,
      names: OWN,
      log: join(dir, `dns-${port}.log`),
    }),
  )
  const child = spawn('ip', ['netns', 'exec', ns.name, 'node', DNS_SERVER, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((ready) => child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && ready()))
  return child
}

const UPSTREAMS: Record<string, { host: string; port: number }[]> = {
  'no route (IPv4)': [{ host: '10.255.255.1', port: 53 }],
  'no route (TEST-NET)': [{ host: '192.0.2.1', port: 53 }],
  'no route (IPv6)': [{ host: 'fd00:dead::1', port: 53 }],
  'refused (IPv4)': [{ host: '127.0.0.1', port: 5399 }],
  'refused (IPv6)': [{ host: '::1', port: 5399 }],
  silent: [{ host: '127.0.0.1', port: 5398 }],
  'no route, then refused, then silent': [
    { host: '10.255.255.1', port: 53 },
    { host: '::1', port: 5399 },
    { host: '127.0.0.1', port: 5398 },
  ],
  'none configured': [],
}

const ODD_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  'then',
  'length',
  'constructor.xcluster',
  '__proto__.xcluster',
  'VM-001.XCLUSTER.',
  'vm-001.xcluster..',
  'a..b',
  '.',
  '*.xcluster',
  `${'x'.repeat(63)}.xcluster`,
  Array.from({ length: 4 }, () => 'y'.repeat(60)).join('.'),
  'evil\nline',
  'tab\there',
  'nul\0byte',
  'ü.xcluster',
  'xn--tda.xcluster',
  '\\.',
  '%s%n%x',
  '../../etc/passwd',
  'xcluster',
]
const TYPES = ['A', 'AAAA', 'TXT', 'ANY', 'PTR', 'SRV', 'MX']

/** Upstreams that refuse, time out or have no route; odd query names; clients that never read. */
export async function dnsWhereUsersAre(probe: ProbeRunner, quick: boolean): Promise<void> {
  const ns = await TestNetns.create('soak-dnsoff')
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-soak-dnsoff-'))
  const silent = await startSilent(ns, 5398)
  try {
    await probe(
      `upstreams that cannot answer (${Object.keys(UPSTREAMS).length} kinds): SERVFAIL, the service lives, own` +
        ` names answer`,
      async (p) => {
        let port = 10100
        for (const [kind, upstreams] of Object.entries(UPSTREAMS)) {
          const server = await dnsServer(ns, dir, ++port, upstreams)
          try {
            const names = quick ? ['www.debian.org'] : ['www.debian.org', 'deb.debian.org', 'example.com', 'localhost']
            const list = names.flatMap((name) =>
              [{}, { tcp: true }, { type: 'AAAA' }].map((o) => ({ server: '127.0.0.1', port, name, ...o })),
            )
            const replies = await queriesIn(ns, list)
            p.runs += replies.length
            for (const [k, reply] of replies.entries())
              check(p, reply.rcode === 'SERVFAIL', `${kind}: ${JSON.stringify(list[k])} got ${JSON.stringify(reply)}`)
            check(p, server.exitCode === null, `${kind}: the service died`)
            const [own] = await queriesIn(ns, [{ server: '127.0.0.1', port, name: 'vm-001' }])
            check(p, own.answers?.[0] === '192.168.1.1', `${kind}: vm-001 after the failures: ${JSON.stringify(own)}`)
          } finally {
            server.kill()
          }
        }
      },
    )

    await probe(
      `odd query names (${ODD_NAMES.length} names x ${TYPES.length} types x UDP/TCP): the service lives and` +
        ` answers after`,
      async (p) => {
        const port = 10150
        const server = await dnsServer(ns, dir, port, [{ host: '127.0.0.1', port: 5399 }])
        try {
          const list = ODD_NAMES.flatMap((name) =>
            TYPES.flatMap((type) => [false, true].map((tcp) => ({ server: '127.0.0.1', port, name, type, tcp }))),
          )
          for (let k = 0; k < list.length; k += 100) {
            const replies = await queriesIn(ns, list.slice(k, k + 100))
            p.runs += replies.length
            // An error here is the client's (a name dns-packet cannot encode) or a timeout; the service must stay up.
            check(p, server.exitCode === null, `the service died within queries ${k}..${k + 99}`)
          }
          const [own] = await queriesIn(ns, [{ server: '127.0.0.1', port, name: 'vm-001.xcluster', tcp: true }])
          check(p, own.answers?.[0] === '192.168.1.1', `vm-001.xcluster after the odd names: ${JSON.stringify(own)}`)
        } finally {
          server.kill()
        }
      },
    )

    await probe(
      'clients that send queries and never read (1 and 4 at once): memory bounded, others answered',
      async (p) => {
        const port = 10160
        const server = await dnsServer(ns, dir, port, [{ host: '127.0.0.1', port: 5399 }])
        try {
          for (const clients of [1, 4]) {
            p.runs++
            const floods = await Promise.all(
              Array.from({ length: clients }, () => floodIn(ns, '127.0.0.1', port, server.pid!, quick ? 5 : 15)),
            )
            const grew = Math.max(...floods.map((f) => f.largestKb - f.beforeKb))
            check(p, grew < 150_000, `${clients} non-reading clients grew the service by ${grew} kB`)
            const [own] = await queriesIn(ns, [{ server: '127.0.0.1', port, name: 'vm-001.xcluster', tcp: true }])
            check(
              p,
              server.exitCode === null && own.answers?.[0] === '192.168.1.1',
              `after ${clients} floods: ${JSON.stringify(own)}`,
            )
          }
        } finally {
          server.kill()
        }
      },
    )
  } finally {
    silent.stop()
    await execa('ip', ['netns', 'del', ns.name])
    await removeTestFiles(dir)
  }
}

/**
 * Every daemon a plugin starts killed, then start, stop, start; plugins given by config, flag or environment, then
 * not repeated.
 */
export async function pluginsWhereUsersAre(probe: ProbeRunner, quick: boolean): Promise<void> {
  const user = `xsoff${process.pid}`
  const clusterNs = `${user}_xcluster1`
  const stateDir = `/tmp/xcluster-${user}/${clusterNs}`
  const host = await TestNetns.create('soak-plug', { USER: user })
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-soak-plug-'))
  const xc = (args: string[], env: Record<string, string> = {}) =>
    execa('ip', ['netns', 'exec', clusterNs, XCLUSTER_BIN, ...args], {
      cwd: dir,
      reject: false,
      env: { USER: user, XCLUSTER_ACCEL: TEST_ACCEL, XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5399', ...env },
    })
  const pids = async (pattern: string) =>
    (await execa('pgrep', ['-f', '--', pattern], { reject: false })).stdout.split('\n').filter(Boolean).map(Number)
  const ovsLinks = async () =>
    (await execa('ip', ['-n', clusterNs, '-o', 'link', 'show'])).stdout.split('\n').filter((l) => /xcovs\d/.test(l))
      .length
  const config = (plugins?: string[]) =>
    writeFile(
      join(dir, 'xcluster.config.json'),
      JSON.stringify({ nodes: 1, routers: 0, ...(plugins ? { plugins } : {}) }),
    )
  try {
    await host.hostXcluster(['nsadd', '1'], { cwd: dir })
    // Where OVS is chosen: the config's plugins, the start's flags, the environment.
    const sources: [string, string[] | undefined, string[], Record<string, string>][] = [
      ['the config', ['@xcluster/net-ovs'], [], {}],
      ['--plugins', undefined, ['--plugins=@xcluster/net-ovs'], {}],
      ['XCLUSTER_PLUGINS', undefined, [], { XCLUSTER_PLUGINS: '@xcluster/net-ovs' }],
    ]
    await probe(
      'OVS chosen by config, flag or environment at start; a plain status and stop then use it',
      async (p) => {
        for (const [source, plugins, flags, env] of sources) {
          p.runs++
          await config(plugins)
          const start = await xc(['start', ...flags], env)
          check(p, start.exitCode === 0, `${source}: start failed: ${start.stderr.slice(-200)}`)
          if (source === 'the config') await config()
          check(
            p,
            (await xc(['status'])).stdout.includes('ovs: daemons of its own'),
            `${source}: a plain status does not mention OVS`,
          )
          check(p, (await xc(['stop'])).exitCode === 0, `${source}: a plain stop failed`)
          check(p, (await pids(`${stateDir}/ovs/`)).length === 0, `${source}: OVS daemons left after a plain stop`)
          check(p, (await ovsLinks()) === 0, `${source}: OVS bridges left after a plain stop`)
        }
      },
    )

    await probe(
      'every daemon of a plugin killed (DNS, ovsdb-server, ovs-vswitchd, both): start, stop, start again',
      async (p) => {
        await config(['@xcluster/net-ovs'])
        const victims: [string, string[]][] = [
          ['the DNS service', [`${stateDir}/dns-server.json`]],
          ['ovsdb-server', [`${stateDir}/ovs/ovsdb-server`]],
          ['ovs-vswitchd', [`${stateDir}/ovs/ovs-vswitchd`]],
          ['both OVS daemons', [`${stateDir}/ovs/ovsdb-server`, `${stateDir}/ovs/ovs-vswitchd`]],
        ]
        for (const [what, patterns] of quick ? victims.slice(2) : victims) {
          p.runs++
          check(p, (await xc(['start'])).exitCode === 0, `${what}: the first start failed`)
          for (const pattern of patterns) for (const pid of await pids(pattern)) process.kill(pid, 'SIGKILL')
          const again = await xc(['start'])
          check(p, again.exitCode === 0, `${what}: start after the kill failed: ${again.stderr.slice(-200)}`)
          check(
            p,
            (await xc(['rsh', '1', 'ping -c1 -W5 192.168.0.250'])).exitCode === 0,
            `${what}: vm-001 does not reach the host side after the restart`,
          )
          check(p, (await xc(['stop'])).exitCode === 0, `${what}: stop failed`)
          check(p, (await pids(`${stateDir}/`)).length === 0, `${what}: processes left after stop`)
          check(
            p,
            (await xc(['start'])).exitCode === 0 && (await xc(['stop'])).exitCode === 0,
            `${what}: start and stop once more failed`,
          )
        }
      },
    )
  } finally {
    await config()
    await xc(['stop'], { XCLUSTER_PLUGINS: '@xcluster/net-ovs' })
    await host.hostXcluster(['nsdel', '1'], { cwd: dir })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }
}

/** Another real user plants links, packages, configs and overlays where the tool reads and writes. */
export async function anotherUser(probe: ProbeRunner): Promise<void> {
  const other = await OtherUser.create('soak')
  // A shared directory like /tmp (sticky, writable by all), of this probe's own.
  const shared = await mkdtemp(join(tmpdir(), 'xcluster-soak-shared-'))
  await chmod(shared, 0o1777)
  const victim = join(await mkdtemp(join(tmpdir(), 'xcluster-soak-victim-')), 'root-file')
  await writeFile(victim, 'precious\n')
  const asOther = async (file: string, args: string[]) => {
    const run = await other.run(file, args)
    if (run.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} as ${other.name}: ${run.stderr}`)
  }
  const mark = join(shared, 'planted-code-ran')
  // Directories of this probe's own beyond the shared one, removed with it whatever happens.
  const made: string[] = []
  const xc = (args: string[], cwd: string, env: Record<string, string> = {}) =>
    execa(XCLUSTER_BIN, [...args], { cwd, reject: false, env: { XCLUSTER_ACCEL: TEST_ACCEL, ...env } })
  try {
    await probe(
      `another real user (${other.name}) plants packages, links, configs, overlays, a state directory, a workspace,` +
        ' a snapshot, a config sibling, completion names',
      async (p) => {
        const plantPackage = async (nodeModules: string, name: string) => {
          await asOther('mkdir', ['-p', join(nodeModules, name)])
          const manifest = {
            name,
            version: '9.9.9',
            type: 'module',
            main: 'index.js',
            xcluster: { provides: ['dns'], default: { where: 'everywhere' } },
          }
          await asOther('sh', [
            '-c',
            `printf '%s' '${JSON.stringify(manifest)}' > ${join(nodeModules, name, 'package.json')}`,
          ])
          await asOther('sh', [
            '-c',
            `printf '%s' "import { writeFileSync } from 'node:fs'; writeFileSync('${mark}', 'x'); export default ()` +
              ` => ({ name: 'x', coreRange: '*', apply() {} })" > ${join(nodeModules, name, 'index.js')}`,
          ])
        }
        // 1. Packages in the shared parent's node_modules, found by a project below it before its npm install.
        await plantPackage(join(shared, 'node_modules'), '@xcluster/core')
        await plantPackage(join(shared, 'node_modules'), '@xcluster/dns-coredns')
        const project = join(shared, 'mine')
        p.runs++
        check(p, (await xc(['init', project], '/')).exitCode === 0, 'init in the shared directory failed')
        for (const command of ['status', 'env', 'stop', '--help']) {
          p.runs++
          const run = await xc([command], project, { XCLUSTER_TMP: join(project, 'state') })
          check(
            p,
            command === '--help' ? run.exitCode === 0 : run.stderr.includes('refusing'),
            `${command} with planted packages: exit ${run.exitCode}, ${run.stderr.slice(0, 200)}`,
          )
        }
        // 2. The same through XCLUSTER_HOOK.
        await writeFile(join(project, 'hook.mjs'), "import '@xcluster/core'\nexport const plugins = []\n")
        p.runs++
        check(
          p,
          (
            await xc(['status'], project, { XCLUSTER_HOOK: 'hook.mjs', XCLUSTER_TMP: join(project, 'state') })
          ).stderr.includes('refusing'),
          'a hook importing a planted package was not refused',
        )
        // 3. A config that is the other user's link, in the shared directory.
        const linked = join(shared, 'linked')
        await mkdir(linked)
        await chmod(linked, 0o1777)
        await writeFile(join(shared, 'root-config.json'), '{"nodes":1}')
        await asOther('ln', ['-s', join(shared, 'root-config.json'), join(linked, 'xcluster.config.json')])
        p.runs++
        check(
          p,
          (await xc(['env'], linked)).stderr.includes('is a symbolic link of uid'),
          "a config that is another user's link was loaded",
        )
        // 4. An overlay the other user owns, on the overlay path.
        await asOther('mkdir', ['-p', join(shared, 'ovl', 'evil', 'etc')])
        p.runs++
        check(
          p,
          (
            await xc(['mkcdrom', 'evil'], '/', {
              XCLUSTER_OVLPATH: join(shared, 'ovl'),
              XCLUSTER_TMP: join(project, 'state2'),
            })
          ).stderr.includes('refusing the overlay'),
          "another user's overlay was packed",
        )
        // 5. A state directory (and a parent link) the other user made first.
        await asOther('mkdir', [join(shared, 'state-first')])
        await asOther('ln', ['-s', '/etc', join(shared, 'state-link')])
        for (const stateDir of [join(shared, 'state-first', 'main'), join(shared, 'state-link', 'xcluster-soak')]) {
          p.runs++
          const run = await xc(['mkcdrom'], '/', { XCLUSTER_TMP: stateDir })
          check(
            p,
            run.exitCode === 1 && /refusing the state directory/.test(run.stderr),
            `state directory ${stateDir}: exit ${run.exitCode} ${run.stderr.slice(0, 200)}`,
          )
        }
        p.runs++
        check(
          p,
          !(await lstat('/etc/xcluster-soak').then(
            () => true,
            () => false,
          )),
          "a state directory was made through another user's link in /etc",
        )
        // 6. Output files: the other user's link where a picture or a copy goes.
        await asOther('ln', ['-s', victim, join(shared, 'picture.svg')])
        p.runs++
        await xc(['status', '--svg', '-o', join(shared, 'picture.svg')], '/', { XCLUSTER_TMP: join(project, 'state3') })
        check(p, (await readFile(victim, 'utf8')) === 'precious\n', "root wrote through another user's link")
        // 7. A workspace others can write (a team cache): a program, a kernel and a key planted there.
        const team = join(shared, 'team-cache')
        await mkdir(team)
        await chmod(team, 0o777)
        await asOther('mkdir', ['-p', join(team, 'bin'), join(team, 'ssh'), join(team, 'kernels', '0123456789abcdef')])
        for (const file of ['bin/coredns', 'ssh/id_ed25519', 'kernels/0123456789abcdef/bzImage'])
          await asOther('sh', ['-c', `printf '#!/bin/sh\ntouch ${mark}\n' > ${join(team, file)}`])
        for (const command of [['status'], ['start', '--dry-run'], ['snapshot', 'list']]) {
          p.runs++
          const run = await xc(command, '/', { XCLUSTER_WORKSPACE: team, XCLUSTER_TMP: join(project, 'state4') })
          check(
            p,
            run.exitCode === 1 && run.stderr.includes(`refusing the workspace ${team}`),
            `a workspace others can write, at ${command.join(' ')}: exit ${run.exitCode} ${run.stderr.slice(0, 200)}`,
          )
        }
        // 8. A snapshot of the other user's in root's private workspace (made as if by an earlier bug or a restore).
        const own = await mkdtemp(join(tmpdir(), 'xcluster-soak-ws-'))
        made.push(own)
        await chmod(own, 0o755)
        await mkdir(join(own, 'snapshots', 's1'), { recursive: true, mode: 0o700 })
        await chmod(join(own, 'snapshots'), 0o755)
        await chmod(join(own, 'snapshots', 's1'), 0o777)
        await asOther('sh', ['-c', `echo '{}' > ${join(own, 'snapshots', 's1', 'snapshot.json')}`])
        await chmod(join(own, 'snapshots', 's1'), 0o700)
        await chmod(join(own, 'snapshots'), 0o700)
        p.runs++
        const restore = await xc(['snapshot', 'restore', 's1'], '/', {
          XCLUSTER_WORKSPACE: own,
          XCLUSTER_TMP: join(project, 'state5'),
        })
        check(
          p,
          restore.exitCode === 1 && restore.stderr.includes(`is owned by uid ${other.uid}`),
          `a snapshot of another user's: exit ${restore.exitCode} ${restore.stderr.slice(0, 200)}`,
        )
        // 9. Root's config in a sticky directory importing ./helper.js, which the other user planted there.
        // (Away from the shared directory, whose planted node_modules would be refused first.)
        const sibling = await mkdtemp(join(tmpdir(), 'xcluster-soak-sibling-'))
        made.push(sibling)
        await chmod(sibling, 0o1777)
        await writeFile(join(sibling, 'helper.ts'), 'export const nodes: number = 1\n')
        await asOther('sh', [
          '-c',
          `printf '%s' "import { writeFileSync } from 'node:fs'; writeFileSync('${mark}', 'x');` +
            ` export const nodes = 1"` +
            ` > ${join(sibling, 'helper.js')}`,
        ])
        await writeFile(
          join(sibling, 'my.config.ts'),
          "import { nodes } from './helper.js'\nexport default { nodes }\n",
        )
        p.runs++
        const imported = await xc(['env', '--config=my.config.ts'], sibling)
        check(
          p,
          imported.exitCode === 1 && imported.stderr.includes('another user can plant a module it imports there'),
          `a config importing a planted sibling: exit ${imported.exitCode} ${imported.stderr.slice(0, 200)}`,
        )
        // 10. An overlay directory named as code, offered by completion.
        await asOther('mkdir', ['-p', join(shared, 'ovl', `$(touch ${mark})`.replaceAll('/', '_'))])
        await asOther('mkdir', ['-p', join(shared, 'ovl', 'plain')])
        p.runs++
        const completion = await xc(['__complete', 'ovld', ''], '/', { XCLUSTER_OVLPATH: join(shared, 'ovl') })
        check(
          p,
          completion.stdout.split('\n').every((name) => /^[\w.+-]*$/.test(name)) && completion.stdout.includes('plain'),
          `completion offered a name that is not an overlay name: ${completion.stdout.slice(0, 200)}`,
        )
        // 11. The suite's compiled test code: jest's cache must be the checkout's own, private.
        p.runs++
        const cache = await lstat(fileURLToPath(new URL('../../node_modules/.cache/jest', import.meta.url))).catch(
          () => undefined,
        )
        check(
          p,
          cache === undefined ||
            (cache.isDirectory() && cache.uid === process.getuid?.() && (cache.mode & 0o077) === 0),
          "jest's cache of compiled tests is not private to this user",
        )
        p.runs++
        check(
          p,
          !(await lstat(mark).then(
            () => true,
            () => false,
          )),
          'planted code ran',
        )
      },
    )
  } finally {
    await other.remove()
    for (const dir of [shared, ...made]) await rm(dir, { recursive: true, force: true })
    await removeTestFiles(victim.replace(/\/root-file$/, ''))
  }
}
