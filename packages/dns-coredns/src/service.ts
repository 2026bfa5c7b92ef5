import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import {
  type Host,
  XclusterError,
  endProcess,
  ifPresent,
  parseJsonAs,
  processExists,
  processesWithArgument,
  z,
} from '@xcluster/core'
import { queryDns } from './client/query.js'
import { corefile } from './corefile.js'
import type { DnsServerConfig } from './settings.js'
import { dnsServerConfigSchema } from './server/server-config.js'

/** The DNS service a cluster runs, as recorded in its state directory. */
export interface DnsService {
  kind: 'coredns' | 'embedded'
  pid: number
  port: number
  bind: string[]
}

// Built, the server is the JavaScript beside this file; in the workspace, a script runs it from its sources.
const EMBEDDED_SERVER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../bin/xcluster-dns.mjs' : './server/main.js', import.meta.url),
)
const files = (stateDir: string) => ({
  record: join(stateDir, 'dns.json'),
  config: join(stateDir, 'dns-server.json'),
  corefile: join(stateDir, 'Corefile'),
  log: join(stateDir, 'dns.log'),
  oldLog: join(stateDir, 'dns.log.1'),
})

const serviceRecordSchema = z.looseObject({
  port: z.number().int().min(1).max(65535),
  bind: z.array(z.string().max(45)).max(64),
})

/** What dns.json says, when it says something readable. */
async function readServiceRecord(stateDir: string): Promise<Partial<DnsService>> {
  try {
    return parseJsonAs(serviceRecordSchema, await readFile(files(stateDir).record, 'utf8'), files(stateDir).record)
  } catch {
    return {}
  }
}

/**
 * The cluster's DNS service, found as the process that runs with this state directory's server
 * config or Corefile (a pid in a file could be anyone's); dns.json adds its port and addresses.
 */
export async function runningService(stateDir: string): Promise<DnsService | undefined> {
  const f = files(stateDir)
  const [found] = await processesWithArgument([f.config, f.corefile])
  if (!found) return undefined
  const record = await readServiceRecord(stateDir)
  const valid = Number.isInteger(record.port) && Array.isArray(record.bind)
  return {
    kind: found.word === f.config ? 'embedded' : 'coredns',
    pid: found.pid,
    port: valid ? record.port! : 0,
    bind: valid ? record.bind! : [],
  }
}

/** Who listens on a port, from `ss`: `coredns (pid 1234)`, `a process`, or undefined when it is free. */
export async function portUser(host: Host, port: number): Promise<string | undefined> {
  const out = await host.run('ss', ['-H', '-ltunp', `sport = :${port}`]).catch(() => '')
  if (!out.trim()) return undefined
  const user = /users:\(\("([^"]+)",pid=(\d+)/.exec(out)
  return user ? `${user[1]} (pid ${user[2]})` : 'a process'
}

/** The settings the running service was started with, when they can be read. */
export async function serviceConfigOf(stateDir: string): Promise<DnsServerConfig | undefined> {
  return readFile(files(stateDir).config, 'utf8').then(
    (text) => parseJsonAs(dnsServerConfigSchema, text, files(stateDir).config),
    () => undefined,
  )
}

/**
 * Launches the DNS service: CoreDNS with a generated Corefile when `coredns` is given, else the
 * embedded server. Returns once it runs; `serviceAnswers` waits until it answers.
 */
export async function launchService(
  host: Host,
  config: DnsServerConfig,
  stateDir: string,
  coredns: string | undefined,
): Promise<DnsService> {
  const taken = await portUser(host, config.port)
  if (taken)
    throw new XclusterError(
      `DNS port ${config.port} is taken by ${taken}: stop it, or give the cluster's DNS another port (dns({ port }))`,
    )
  const f = files(stateDir)
  await writeFile(f.config, JSON.stringify(config, null, 2))
  await writeFile(f.corefile, corefile(config))
  // The server resolves packages as this process does (the workspace's built CLI runs with --conditions=built).
  const conditions = process.execArgv.filter((arg) => arg.startsWith('--conditions=') || arg.startsWith('-C='))
  const [command, args] = coredns
    ? [coredns, ['-conf', f.corefile]]
    : [process.execPath, [...conditions, EMBEDDED_SERVER, f.config]]
  const pid = await host.spawnDetached(command, args, f.log)
  return { kind: coredns ? 'coredns' : 'embedded', pid, port: config.port, bind: config.bind }
}

/** Waits until the launched service answers (15 s at most, else it is stopped), then records it. */
export async function serviceAnswers(service: DnsService, config: DnsServerConfig, stateDir: string): Promise<void> {
  const f = files(stateDir)
  const deadline = Date.now() + 15_000
  for (;;) {
    if (!processExists(service.pid))
      throw new XclusterError(
        `the DNS service stopped at once; its log says:\n${(await ifPresent(readFile(f.log, 'utf8'))) ?? ''}`,
      )
    const answered = await queryDns({
      server: '127.0.0.1',
      port: config.port,
      name: `host.${config.domain}`,
      timeoutMs: 300,
    }).then(
      () => true,
      () => false,
    )
    if (answered) break
    if (Date.now() > deadline) {
      await stopService(stateDir)
      throw new XclusterError(`the DNS service did not answer on port ${config.port} within 15 s; see ${f.log}`)
    }
    await sleep(100)
  }
  await writeFile(f.record, JSON.stringify(service))
}

/** Ends the service (every process running with its files) and removes its files. */
export async function stopService(stateDir: string): Promise<void> {
  const f = files(stateDir)
  for (const { pid } of await processesWithArgument([f.config, f.corefile])) await endProcess(pid)
  await Promise.all(Object.values(f).map((path) => rm(path, { force: true })))
}
