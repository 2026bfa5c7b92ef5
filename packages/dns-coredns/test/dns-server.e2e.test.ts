import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  floodIn,
  fuzzIn,
  queriesIn,
  queryIn,
  slowlorisIn,
  startForger,
  startSilent,
  startUpstream,
} from '@xcluster/test-support/dns-upstream'
import { TestNetns } from '@xcluster/test-support/netns'

const SERVER = fileURLToPath(new URL('../bin/xcluster-dns.mjs', import.meta.url))
let ns: TestNetns
let upstream: Awaited<ReturnType<typeof startUpstream>>
let forger: Awaited<ReturnType<typeof startForger>>
let server: ChildProcess
let guarded: ChildProcess
let dir: string

/**
 * Runs the embedded server inside the test namespace on `port`, forwarding to `upstreamPort`; resolves once it
 * listens.
 */
async function startServer(
  port: number,
  upstreams: { host: string; port: number }[],
  file: string,
): Promise<ChildProcess> {
  const config = {
    port,
    domain: 'xcluster',
    bind: ['127.0.0.1', '::1'],
    upstreams,
    names: { 'vm-001.xcluster': { a: ['192.168.1.1', '192.168.0.1'], aaaa: ['1000::1:192.168.1.1'] } },
    log: join(dir, `${file}.log`),
  }
  await writeFile(join(dir, `${file}.json`), JSON.stringify(config))
  const child = spawn('ip', ['netns', 'exec', ns.name, 'node', SERVER, join(dir, `${file}.json`)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((ready) => child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && ready()))
  return child
}
const ask = (name: string, options: { tcp?: boolean; type?: string; server?: string } = {}) =>
  queryIn(ns, { server: options.server ?? '127.0.0.1', port: 10053, name, ...options })

beforeAll(async () => {
  ns = await TestNetns.create('dns')
  dir = await mkdtemp(join(tmpdir(), 'xcluster-dns-'))
  upstream = await startUpstream(ns, dir)
  forger = await startForger(ns, 5354)
  server = await startServer(10053, [{ host: '127.0.0.1', port: 5353 }], 'dns')
  guarded = await startServer(10054, [{ host: '127.0.0.1', port: 5354 }], 'guarded')
}, 30_000)

afterAll(async () => {
  server?.kill()
  guarded?.kill()
  forger?.stop()
  await upstream?.stop()
  await ns?.remove(dir)
})

describe('the embedded DNS server', () => {
  test('answers forwarded names over UDP and TCP, IPv4 and IPv6', async () => {
    expect(await ask('www.test.zone')).toEqual({ rcode: 'NOERROR', answers: ['10.9.8.7'] })
    expect(await ask('www.test.zone', { tcp: true })).toEqual({ rcode: 'NOERROR', answers: ['10.9.8.7'] })
    expect(await ask('www.test.zone', { server: '::1' })).toEqual({ rcode: 'NOERROR', answers: ['10.9.8.7'] })
    expect(await ask('www.test.zone', { server: '::1', tcp: true, type: 'AAAA' })).toEqual({
      rcode: 'NOERROR',
      answers: ['fd00::10:9:8:7'],
    })
  })
  test("answers the cluster's names itself", async () => {
    expect(await ask('vm-001.xcluster')).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
    expect(await ask('vm-001.xcluster', { type: 'AAAA', tcp: true })).toEqual({
      rcode: 'NOERROR',
      answers: ['1000::1:c0a8:101'],
    })
    expect(await ask('vm-009.xcluster')).toEqual({ rcode: 'NXDOMAIN', answers: [] })
  })
  test('caches: the upstream sees one query for two identical lookups', async () => {
    expect((await ask('www2.test.zone')).answers).toEqual(['10.9.8.8'])
    expect((await ask('www2.test.zone', { tcp: true })).answers).toEqual(['10.9.8.8'])
    expect(await upstream.queriesFor('www2.test.zone')).toBe(1)
  })
  test('survives random and truncated packets, and answers the next valid query', async () => {
    await fuzzIn(ns, '127.0.0.1', 10053, 2000)
    expect(server.exitCode).toBeNull()
    expect(await ask('vm-001.xcluster')).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
    expect(await readFile(join(dir, 'dns.log'), 'utf8')).toContain('malformed packet')
  }, 60_000)
})

describe('against hostile upstreams and clients', () => {
  test('a reply with the wrong id, another question or from another port is neither taken nor cached', async () => {
    expect(await queryIn(ns, { server: '127.0.0.1', port: 10054, name: 'poison.test' })).toEqual({
      rcode: 'NOERROR',
      answers: ['10.1.2.3'],
    })
    expect(await queryIn(ns, { server: '127.0.0.1', port: 10054, name: 'poison.test', tcp: true })).toEqual({
      rcode: 'NOERROR',
      answers: ['10.1.2.3'],
    })
    expect(await readFile(join(dir, 'guarded.log'), 'utf8')).toMatch(
      /poison\.test A forwarded\n.*poison\.test A cached\n/,
    )
  })

  test('idle TCP connections are capped, the oldest dropped, and a TCP client still gets its answer', async () => {
    const { answer, closedByServer } = await slowlorisIn(ns, '127.0.0.1', 10053, 300, 'vm-001.xcluster')
    expect(answer).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
    expect(closedByServer).toBeGreaterThanOrEqual(100)
    expect(await ask('vm-001.xcluster')).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
  }, 60_000)
})

describe('when the upstreams cannot answer (offline, no route, nothing listening, silent)', () => {
  const unreachable = {
    'no route to the upstream': [{ host: '10.255.255.1', port: 53 }],
    'no route to an IPv6 upstream': [{ host: 'fd00:dead::1', port: 53 }],
    'the upstream port refuses': [{ host: '127.0.0.1', port: 5399 }],
    'the upstream never answers': [{ host: '127.0.0.1', port: 5398 }],
    'every upstream fails, one way each': [
      { host: '10.255.255.1', port: 53 },
      { host: '127.0.0.1', port: 5399 },
      { host: '127.0.0.1', port: 5398 },
    ],
  }
  test.each(Object.entries(unreachable).map(([label, upstreams], k) => [label, upstreams, 10060 + k] as const))(
    "%s: forwarded names fail with SERVFAIL, the service lives on and answers the cluster's names",
    async (_label, upstreams, port) => {
      const silent = await startSilent(ns, 5398)
      const offline = await startServer(port, upstreams, `offline-${port}`)
      try {
        // The queries of each kind at once (each forwarded one waits for its upstreams to fail), the cluster's after.
        const at = (name: string, kinds: { tcp?: boolean; type?: string }[]) =>
          queriesIn(
            ns,
            kinds.map((kind) => ({ server: '127.0.0.1', port, name, ...kind })),
          )
        expect(await at('www.debian.org', [{}, { tcp: true }, { type: 'AAAA' }])).toEqual(
          Array(3).fill({ rcode: 'SERVFAIL', answers: [] }),
        )
        expect(offline.exitCode).toBeNull()
        expect(await at('vm-001.xcluster', [{}, { tcp: true }])).toEqual(
          Array(2).fill({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] }),
        )
      } finally {
        offline.kill()
        silent.stop()
      }
    },
    60_000,
  )
})

describe('odd query names', () => {
  test('names of Object.prototype, with and without the domain, A and AAAA, UDP and TCP, do not kill it', async () => {
    const names = [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'constructor.xcluster',
      '__proto__.xcluster',
      'prototype',
    ]
    const list = names.flatMap((name) =>
      [{}, { type: 'AAAA' }, { tcp: true }].map((kind) => ({ server: '127.0.0.1', port: 10053, name, ...kind })),
    )
    const replies = await queriesIn(ns, list)
    expect(replies).toEqual(
      list.map(({ name }) => ({
        rcode: expect.any(String),
        answers: name.endsWith('.xcluster') ? [] : expect.anything(),
      })),
    )
    expect(server.exitCode).toBeNull()
    expect(await ask('vm-001.xcluster')).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
  }, 120_000)

  test('a name with a newline is logged on one line', async () => {
    await ask('evil\nline.xcluster')
    const log = await readFile(join(dir, 'dns.log'), 'utf8')
    expect(log).toContain('evil\\x0aline.xcluster')
    expect(log.split('\n').every((line) => line === '' || /^\d{4}-/.test(line))).toBe(true)
  })
})

describe('a TCP client that sends queries and never reads', () => {
  test("holds a bounded amount of the service's memory, and the service answers others meanwhile" +
    ' and after', async () => {
    const flood = floodIn(ns, '127.0.0.1', 10053, server.pid!, 10)
    await new Promise((r) => setTimeout(r, 3000))
    expect(await ask('vm-001.xcluster')).toEqual({ rcode: 'NOERROR', answers: ['192.168.1.1', '192.168.0.1'] })
    const { sent, beforeKb, largestKb } = await flood
    // Unbounded, the service grew by 420 MB in these 10 s; bounded, by about 45 MB (buffers, V8's heap) at most.
    expect(sent).toBeGreaterThan(0)
    expect(largestKb - beforeKb).toBeLessThan(150_000)
    expect(server.exitCode).toBeNull()
    expect(await ask('vm-001.xcluster', { tcp: true })).toEqual({
      rcode: 'NOERROR',
      answers: ['192.168.1.1', '192.168.0.1'],
    })
  }, 60_000)
})
