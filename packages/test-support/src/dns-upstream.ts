import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { TestNetns } from './netns.js'

const CLIENT = fileURLToPath(new URL('./dns-client.ts', import.meta.url))
const LOADER = fileURLToPath(new URL('../../cli/bin/register-sources.mjs', import.meta.url))

/** The test's own upstream: dnsmasq on the namespace's loopback port 5353, with a zone of its own. */
export async function startUpstream(ns: TestNetns, dir: string) {
  const log = `${dir}/upstream.log`
  const pidFile = `${dir}/upstream.pid`
  const records = ['www.test.zone,10.9.8.7,fd00::10:9:8:7', 'www2.test.zone,10.9.8.8,fd00::10:9:8:8']
  const started = await ns.exec('dnsmasq', [
    '--port=5353',
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    '--local-ttl=300',
    ...records.map((r) => `--host-record=${r}`),
    '--log-queries',
    `--log-facility=${log}`,
    `--pid-file=${pidFile}`,
  ])
  if (started.exitCode !== 0) throw new Error(`dnsmasq failed: ${started.stderr}`)
  return {
    address: '127.0.0.1:5353',
    /** How many queries for `name` reached the upstream. */
    queriesFor: async (name: string) =>
      (await readFile(log, 'utf8')).split('\n').filter((l) => l.includes(`query[A] ${name} `)).length,
    stop: async () => process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGTERM'),
  }
}

/**
 * dns-client.ts doing `verb` inside the namespace, through the workspace's loader (its tsx cache is the checkout's
 * own).
 */
const clientIn = (ns: TestNetns, verb: string, args: object) =>
  ns.exec('node', ['--import', LOADER, CLIENT, verb, JSON.stringify(args)])

/** A DNS query made from inside the namespace. */
export async function queryIn(
  ns: TestNetns,
  query: { server: string; port: number; name: string; type?: string; tcp?: boolean },
) {
  return JSON.parse((await clientIn(ns, 'query', query)).stdout) as {
    rcode?: string
    answers?: string[]
    error?: string
  }
}

/** Many DNS queries from one process inside the namespace, at once; each answer or error in order. */
export async function queriesIn(
  ns: TestNetns,
  list: { server: string; port: number; name: string; type?: string; tcp?: boolean }[],
) {
  const out = await clientIn(ns, 'queries', { list })
  if (out.exitCode !== 0) throw new Error(out.stderr)
  return JSON.parse(out.stdout) as { rcode?: string; answers?: string[]; error?: string }[]
}

/** Idle TCP connections at a server inside the namespace, then a TCP query; see dns-client.ts. */
export async function slowlorisIn(ns: TestNetns, server: string, port: number, count: number, name: string) {
  return JSON.parse((await clientIn(ns, 'slowloris', { server, port, count, name })).stdout) as {
    answer: { answers?: string[]; error?: string }
    closedByServer: number
  }
}

/** Random and truncated packets at a server inside the namespace (bounded count). */
export async function fuzzIn(ns: TestNetns, server: string, port: number, count: number) {
  const out = await clientIn(ns, 'fuzz', { server, port, count })
  if (out.exitCode !== 0) throw new Error(out.stderr)
}

/** A TCP client that floods a server inside the namespace with queries and never reads; see dns-client.ts. */
export async function floodIn(ns: TestNetns, server: string, port: number, pid: number, seconds: number) {
  const out = await clientIn(ns, 'flood', { server, port, pid, seconds, name: 'vm-001.xcluster' })
  if (out.exitCode !== 0) throw new Error(out.stderr)
  return JSON.parse(out.stdout) as { sent: number; beforeKb: number; largestKb: number; afterKb: number }
}

/** An upstream on the namespace's loopback `port` that never answers; resolves once it listens. */
export async function startSilent(ns: TestNetns, port: number) {
  const silent = clientIn(ns, 'silent', { port })
  await new Promise<void>((ready) => silent.stdout!.on('data', (chunk) => String(chunk).includes('ready') && ready()))
  return { stop: () => silent.kill() }
}

/** The poisoning upstream of dns-client.ts on the namespace's loopback `port`; resolves once it listens. */
export async function startForger(ns: TestNetns, port: number) {
  const forger = clientIn(ns, 'forger', { port })
  await new Promise<void>((ready) => forger.stdout!.on('data', (chunk) => String(chunk).includes('ready') && ready()))
  return { stop: () => forger.kill() }
}
