// The fault suite: start/stop cycles with leaks counted, SIGKILLs with recovery checked, fuzzed
// configs, fuzzed DNS packets and idle TCP, listeners, two clusters side by side; and, by class,
// where users are (soak/off-the-paths.ts): upstreams that cannot answer, odd query names, clients
// that never read, daemons killed, plugins not repeated, another real user's plants.
// Run: pnpm soak [--quick]   (root; everything in namespaces it makes; exits 1 when a probe fails)
import './built-cli.js'
import { execa } from 'execa'
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { qemuPidsOf } from '@xcluster/test-support/cluster-files'
import { fuzzIn, queryIn, slowlorisIn, startUpstream } from '@xcluster/test-support/dns-upstream'
import {
  TestNetns,
  XCLUSTER_BIN,
  ensureTestImage,
  removeTestFiles,
  xclusterInClusterNetns,
} from '@xcluster/test-support/netns'
import { type Probe, anotherUser, dnsWhereUsersAre, pluginsWhereUsersAre } from './soak/off-the-paths.js'
import { verdictProbe } from './soak/verdict-probe.js'

const LOADER = fileURLToPath(new URL('../packages/cli/bin/register-sources.mjs', import.meta.url))
const quick = process.argv.includes('--quick')
const CYCLES = quick ? 3 : 50
const CONFIGS = quick ? 1000 : 5000
const PACKETS = quick ? 5000 : 20000
type Run = (...args: string[]) => Promise<{ exitCode?: number; stdout: string; stderr: string }>
const probes: Probe[] = []

async function probe(name: string, body: (p: Probe) => Promise<void>): Promise<void> {
  const p: Probe = { probe: name, runs: 0, failures: [] }
  probes.push(p)
  const started = Date.now()
  try {
    await body(p)
  } catch (error) {
    p.failures.push(`aborted: ${(error as Error).message}`)
  }
  console.error(
    `soak: ${name}: ${p.runs} runs, ${p.failures.length} failures (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  )
}

const check = (p: Probe, ok: boolean, what: string) => void (ok || p.failures.push(what))

async function clusterDir(config: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-soak-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, ...config }))
  return dir
}

/** What a cluster may leave behind: qemu and DNS processes, VM files, links in its netns. */
async function leftovers(stateDir: string, links: () => Promise<string[]>) {
  const dns = (await execa('pgrep', ['-f', '--', `${stateDir}/dns-server.json`], { reject: false })).stdout
    .split('\n')
    .filter(Boolean)
  const files = (await readdir(stateDir).catch(() => [] as string[])).filter((f) => f !== 'overlays.json')
  return {
    processes: (await qemuPidsOf(stateDir)).length + dns.length,
    files: files.length,
    links: (await links()).length,
  }
}

const linksIn = (exec: (file: string, args: string[]) => Promise<{ stdout: string }>) => async () =>
  (await exec('ip', ['-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0])
    .filter((l) => l && /_t\d+$/.test(l))

async function cycles(p: Probe, xc: Run, stateDir: string, links: () => Promise<string[]>) {
  for (let k = 0; k < CYCLES; k++) {
    p.runs++
    const start = await xc('start')
    check(p, start.exitCode === 0, `cycle ${k}: start exit ${start.exitCode}: ${start.stderr.slice(-300)}`)
    const stop = await xc('stop')
    check(p, stop.exitCode === 0, `cycle ${k}: stop exit ${stop.exitCode}`)
    const left = await leftovers(stateDir, links)
    check(p, left.processes + left.files + left.links === 0, `cycle ${k}: left ${JSON.stringify(left)}`)
  }
}

async function userspaceProbes() {
  const ns = await TestNetns.create('soak-us', { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' })
  const dir = await clusterDir({ nodes: 2 })
  const stateDir = `/tmp/xcluster-${process.env.USER ?? 'root'}/${ns.name}`
  const xc: Run = (...args) => ns.xcluster(args, { cwd: dir })
  const links = linksIn((f, a) => ns.exec(f, a))
  const upstream = await startUpstream(ns, dir)
  try {
    await probe(`user-space start/stop cycles (leaks: processes, files, taps)`, (p) => cycles(p, xc, stateDir, links))
    await probe('listeners of a user-space cluster only on loopback or unix sockets', async (p) => {
      p.runs++
      check(p, (await xc('start')).exitCode === 0, 'start failed')
      const listeners = (await ns.exec('ss', ['-H', '-ltun'])).stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[4])
      // Socket nets join their multicast group on loopback only (localaddr=127.0.0.1).
      for (const address of listeners)
        check(p, /^(127\.0\.0\.1|\[::1\]|224\.0\.0\.\d+):\d+$/.test(address), `listener on ${address}`)
    })
    await probe('SIGKILL of a VM: status says down (exit 1) until start boots it', async (p) => {
      p.runs++
      const pid = (await qemuPidsOf(stateDir))[0]
      process.kill(pid, 'SIGKILL')
      await new Promise((r) => setTimeout(r, 500))
      for (const k of [1, 2]) check(p, (await xc('status')).exitCode === 1, `status ${k} after the kill did not exit 1`)
      await xc('start', '--no-restart')
      check(p, (await xc('status')).exitCode === 0, 'status after start did not exit 0')
    })
    await probe('SIGKILL of the DNS service: start restarts it', async (p) => {
      p.runs++
      const pid = Number(/pid (\d+)\) on/.exec((await xc('status')).stdout)?.[1])
      process.kill(pid, 'SIGKILL')
      await new Promise((r) => setTimeout(r, 300))
      await xc('start', '--no-restart')
      check(
        p,
        (await queryIn(ns, { server: '127.0.0.1', port: 10053, name: 'vm-001.xcluster' })).rcode === 'NOERROR',
        'DNS did not answer after start',
      )
      check(p, (await xc('stop')).exitCode === 0, 'stop failed')
    })
    await probe('SIGKILL of the CLI mid-start: stop then leaves nothing', async (p) => {
      for (let k = 0; k < (quick ? 1 : 5); k++) {
        p.runs++
        const cli = spawn('ip', ['netns', 'exec', ns.name, XCLUSTER_BIN, 'start'], {
          cwd: dir,
          env: { ...process.env, XCLUSTER_ACCEL: 'tcg', XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' },
          stdio: ['ignore', 'ignore', 'pipe'],
        })
        // Killed once it boots a VM; a start that ends before (it failed) ends the wait too, and is a failure.
        const booted = await new Promise<boolean>((done) => {
          cli.stderr!.on('data', (chunk) => String(chunk).includes('booting') && done(true))
          cli.on('exit', () => done(false))
        })
        check(p, booted, `kill ${k}: the start ended before it booted a VM`)
        cli.kill('SIGKILL')
        await new Promise((r) => setTimeout(r, 1000))
        await xc('status')
        check(p, (await xc('stop')).exitCode === 0, `kill ${k}: stop failed`)
        const left = await leftovers(stateDir, links)
        check(p, left.processes + left.files + left.links === 0, `kill ${k}: left ${JSON.stringify(left)}`)
      }
    })
  } finally {
    await xc('stop')
    await upstream.stop()
    await ns.remove(dir)
  }
}

async function bridgeProbes() {
  const user = `xsoak${process.pid}`
  const host = await TestNetns.create('soak-br', { USER: user })
  const dir = await clusterDir({ nodes: 2 })
  const xc = xclusterInClusterNetns(user, () => dir, { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' })
  const links = linksIn((f, a) => execa('ip', ['netns', 'exec', `${user}_xcluster1`, f, ...a], { reject: false }))
  const recordDir = `/run/xcluster/netns/host-${statSync(`/run/netns/${host.name}`).ino}`
  try {
    await probe('bridge start/stop cycles (leaks: processes, files, taps)', async (p) => {
      check(p, (await host.hostXcluster(['nsadd', '1'], { cwd: dir })).exitCode === 0, 'nsadd failed')
      await cycles(p, xc, `/tmp/xcluster-${user}/${user}_xcluster1`, links)
    })
    await probe('bridge cluster listens on loopback and the cluster side only', async (p) => {
      p.runs++
      check(p, (await xc('start')).exitCode === 0, 'start failed')
      const ss = await execa('ip', ['netns', 'exec', `${user}_xcluster1`, 'ss', '-H', '-ltun'])
      for (const address of ss.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[4])) {
        check(
          p,
          /^(127\.0\.0\.1|\[::1\]|192\.168\.0\.250|\[1000::1:c0a8:fa\]):\d+$/.test(address),
          `listener on ${address}`,
        )
      }
      await xc('stop')
    })
  } finally {
    await host.hostXcluster(['nsdel', '1'], { cwd: dir })
    await probe(`nsadd and nsdel, ${CYCLES} rounds (the test runs 3; leaks: rules, records)`, async (p) => {
      for (let round = 0; round < CYCLES; round++) {
        p.runs++
        check(p, (await host.hostXcluster(['nsadd', '1'], { cwd: dir })).exitCode === 0, `nsadd failed, round ${round}`)
        check(p, (await host.hostXcluster(['nsdel', '1'], { cwd: dir })).exitCode === 0, `nsdel failed, round ${round}`)
      }
    })
    const rules = (await host.exec('iptables', ['-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.startsWith('-A'))
    await probe('nsdel leaves no rules and no records', async (p) => {
      p.runs++
      check(p, rules.length === 0, `rules left: ${rules.join('; ')}`)
      check(p, !existsSync(recordDir), `a record was left in ${recordDir}`)
    })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }
}

async function twoClusters() {
  await probe('two user-space clusters side by side, each sees only its own', async (p) => {
    const sides = await Promise.all(
      ['soak-a', 'soak-b'].map(async (label) => ({
        ns: await TestNetns.create(label),
        dir: await clusterDir({ nodes: 2 }),
      })),
    )
    try {
      const started = await Promise.all(
        sides.map(({ ns, dir }) =>
          ns.xcluster(['start'], { cwd: dir, env: { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' } }),
        ),
      )
      p.runs++
      for (const [k, s] of started.entries())
        check(p, s.exitCode === 0, `cluster ${k} failed to start: ${s.stderr.slice(-200)}`)
      for (const { ns, dir } of sides) {
        const vms = JSON.parse((await ns.xcluster(['status', '--json'], { cwd: dir })).stdout)
        check(p, vms.length === 2, `a cluster sees ${vms.length} VMs`)
        check(
          p,
          (await ns.xcluster(['rsh', '1', 'ping -c1 -W3 192.168.1.2'], { cwd: dir })).exitCode === 0,
          'vm-001 does not reach its own vm-002',
        )
      }
    } finally {
      for (const { ns, dir } of sides) await ns.remove(dir)
    }
  })
}

async function fuzzedConfigs() {
  await probe(`${CONFIGS} fuzzed configs: a clear error, no crash, no hang, nothing made`, async (p) => {
    const child = fileURLToPath(new URL('./soak/fuzz-configs.ts', import.meta.url))
    for (let from = 0; from < CONFIGS; from += 250) {
      const run = await execa('node', ['--import', LOADER, child, String(from), '250'], {
        reject: false,
        timeout: 120_000,
      })
      if (run.timedOut) p.failures.push(`hang in seeds ${from}..${from + 249}`)
      else if (run.exitCode !== 0)
        p.failures.push(`the fuzzer stopped in seeds ${from}..${from + 249}: ${run.stderr.slice(-300)}`)
      for (const line of run.stdout.split('\n').filter(Boolean)) {
        const { seed, status, stderr, made } = JSON.parse(line)
        p.runs++
        check(
          p,
          status === 0 || (status === 1 && /^xcluster start: \S/.test(stderr) && !/\n\s+at /.test(stderr)),
          `seed ${seed}: status ${String(status).slice(0, 200)} ${stderr.slice(0, 200)}`,
        )
        check(p, made.length === 0, `seed ${seed}: made ${made.join(', ')}`)
      }
    }
  })
}

async function fuzzedDns() {
  const ns = await TestNetns.create('soak-dns', { XCLUSTER_DNS_UPSTREAMS: '127.0.0.1:5353' })
  const dir = await clusterDir({ nodes: 1 })
  const upstream = await startUpstream(ns, dir)
  try {
    await probe(`${PACKETS} fuzzed DNS packets and 300 idle TCP connections; the service answers after`, async (p) => {
      p.runs++
      check(p, (await ns.xcluster(['start'], { cwd: dir })).exitCode === 0, 'the cluster did not start')
      await fuzzIn(ns, '127.0.0.1', 10053, PACKETS)
      const { answer } = await slowlorisIn(ns, '127.0.0.1', 10053, 300, 'vm-001.xcluster')
      check(
        p,
        answer.answers?.includes('192.168.0.1') === true,
        `TCP answer under 300 idle connections: ${JSON.stringify(answer)}`,
      )
      check(
        p,
        (await queryIn(ns, { server: '127.0.0.1', port: 10053, name: 'www.test.zone' })).answers?.[0] === '10.9.8.7',
        'no forwarded answer after the fuzz',
      )
    })
  } finally {
    await upstream.stop()
    await ns.remove(dir)
  }
}

// --only=verdicts (or another-user): one probe alone, to check a change quickly.
const only = process.argv.find((word) => word.startsWith('--only='))?.slice('--only='.length)
if (only === 'verdicts') await verdictProbe(probe)
else if (only === 'another-user') await anotherUser(probe)
else {
  await ensureTestImage()
  await verdictProbe(probe)
  await fuzzedConfigs()
  await fuzzedDns()
  await dnsWhereUsersAre(probe, quick)
  await pluginsWhereUsersAre(probe, quick)
  await anotherUser(probe)
  await userspaceProbes()
  await bridgeProbes()
  await twoClusters()
}

const width = Math.max(...probes.map((p) => p.probe.length))
console.log(`${'probe'.padEnd(width)}  runs  failures`)
for (const p of probes)
  console.log(`${p.probe.padEnd(width)}  ${String(p.runs).padStart(4)}  ${String(p.failures.length).padStart(8)}`)
for (const p of probes) for (const failure of p.failures.slice(0, 5)) console.log(`FAIL ${p.probe}: ${failure}`)
process.exitCode = probes.some((p) => p.failures.length > 0) ? 1 : 0
