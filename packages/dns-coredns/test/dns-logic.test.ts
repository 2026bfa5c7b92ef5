import { afterAll, describe, expect, test } from '@jest/globals'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Packet } from 'dns-packet'
import {
  Cluster,
  DEFAULT_IPV6_PREFIX,
  type HostFacts,
  type Plugin,
  clusterNodes,
  localHost,
  nameserversOf,
  resolveConfig,
} from '@xcluster/core'
import dns, { type DnsOptions } from '../src/index.js'
import { clusterNames, corefile, parseUpstream } from '../src/index.js'
import { AnswerCache, clampTtls } from '../src/server/answer-cache.js'
import { ownAnswer } from '../src/server/own-answer.js'
import { findCoredns, trustedCoredns } from '../src/find-coredns.js'
import { OtherUser } from '@xcluster/test-support/other-user'

const host: HostFacts = { user: 'alice', home: '/home/alice', netns: undefined, kvm: false, cpus: 2, env: {} }
const names = clusterNames(
  clusterNodes(resolveConfig({ file: { nodes: 2, routers: 1, testers: 1 } }, host)),
  DEFAULT_IPV6_PREFIX,
  'xcluster',
)
const table = new Map(Object.entries(names))
const query = (name: string, type: 'A' | 'AAAA' = 'A'): Packet => ({
  id: 7,
  type: 'query',
  flags: 0x0100,
  questions: [{ name, type, class: 'IN' }],
})

describe("the cluster's own names", () => {
  test('vm-NNN.xcluster has its cluster-net address first, then the maintenance net, v4 and v6', () => {
    expect(names['vm-001.xcluster']).toEqual({
      a: ['192.168.1.1', '192.168.0.1'],
      aaaa: ['1000::1:192.168.1.1', '1000::1:192.168.0.1'],
    })
    expect(names['vm-221.xcluster'].a).toEqual(['192.168.2.221', '192.168.0.221'])
    expect(names['host.xcluster'].a).toEqual(['192.168.0.250'])
  })
  test('are answered with every address, authoritatively', () => {
    const reply = ownAnswer(query('VM-001.xcluster.'), table, 'xcluster')!
    expect(reply.answers?.map((a) => 'data' in a && a.data)).toEqual(['192.168.1.1', '192.168.0.1'])
    expect(reply.id).toBe(7)
  })
  test('an unknown name in the domain is NXDOMAIN; a name outside it is not ours', () => {
    expect(ownAnswer(query('vm-099.xcluster'), table, 'xcluster')!.flags! & 0xf).toBe(3)
    expect(ownAnswer(query('www.example.com'), table, 'xcluster')).toBeUndefined()
  })
  test("short names are the cluster's too: a VM added by scaleout is found without the domain", () => {
    expect(ownAnswer(query('vm-221'), table, 'xcluster')!.answers?.map((a) => 'data' in a && a.data)).toEqual([
      '192.168.2.221',
      '192.168.0.221',
    ])
  })
  test("names of Object.prototype are names like any other, not the cluster's", () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'constructor.xcluster',
      '__proto__.xcluster',
    ]) {
      for (const type of ['A', 'AAAA'] as const) {
        const reply = ownAnswer(query(name, type), table, 'xcluster')
        expect(reply === undefined || (reply.answers?.length === 0 && (reply.flags! & 0xf) === 3)).toBe(true)
      }
    }
  })
})

describe('the service in the lifecycle', () => {
  test('starts in beforeNet after the network backend made the host side of net 0, whatever the plugin order', () => {
    const backend: Plugin = {
      name: 'a-backend',
      coreRange: '*',
      apply: (cluster) => cluster.hooks.beforeNet.tapPromise('a-backend', async () => {}),
    }
    const cluster = new Cluster(resolveConfig({}, host), [dns(), backend], {
      host: localHost({}),
      cwd: '/',
      log: () => {},
    })
    expect(cluster.hooks.beforeNet.taps.map((tap) => tap.name)).toEqual(['a-backend', '@xcluster/dns-coredns'])
  })

  test('its options are checked when the plugin is made, each problem named', () => {
    const made = (options: unknown) => () => dns(options as DnsOptions)
    expect(made({ port: 70000 })).toThrow('@xcluster/dns-coredns: options: port: Too big')
    expect(made({ upstreams: 'x' })).toThrow('upstreams: Invalid input: expected array, received string')
    expect(made({ upstreams: ['10.0.0.1;id'] })).toThrow('upstreams.0: addr, addr:port or [v6]:port')
    expect(made({ coredns: 'coredns -conf /x' })).toThrow('coredns: an absolute path of a coredns program')
    expect(made({ domain: 'a b' })).toThrow('domain: a domain name')
    expect(made({ colour: 'red' })).toThrow('Unrecognized key: "colour"')
    expect(made({ port: 10054, upstreams: ['10.0.0.1:53', '[::1]:5353', '::1'], domain: 'lab.test' })).not.toThrow()
  })
})

describe('the cache', () => {
  test('keeps an answer for its smallest TTL, at most 3000 s', () => {
    const cache = new AnswerCache()
    const response: Packet = {
      type: 'response',
      answers: [
        { name: 'a', type: 'A', ttl: 60, data: '1.2.3.4' },
        { name: 'a', type: 'A', ttl: 10, data: '1.2.3.5' },
      ],
    }
    cache.put('k', response, 0)
    expect(cache.get('k', 9_000)?.answers).toEqual([
      { name: 'a', type: 'A', ttl: 51, data: '1.2.3.4' },
      { name: 'a', type: 'A', ttl: 1, data: '1.2.3.5' },
    ])
    expect(cache.get('k', 10_001)).toBeUndefined()
  })
  test('a hit carries the TTLs that remain', () => {
    const cache = new AnswerCache()
    cache.put('k', { type: 'response', answers: [{ name: 'a', type: 'A', ttl: 300, data: '1.2.3.4' }] }, 0)
    expect(cache.get('k', 120_500)?.answers).toEqual([{ name: 'a', type: 'A', ttl: 180, data: '1.2.3.4' }])
  })
  test("an upstream's TTL of 0xffffffff reaches clients as 3000 s, fresh and from the cache", () => {
    const cache = new AnswerCache()
    const fresh = clampTtls({ type: 'response', answers: [{ name: 'a', type: 'A', ttl: 0xffffffff, data: '1.2.3.4' }] })
    cache.put('k', fresh, 0)
    expect([fresh.answers, cache.get('k', 1000)?.answers]).toEqual([
      [{ name: 'a', type: 'A', ttl: 3000, data: '1.2.3.4' }],
      [{ name: 'a', type: 'A', ttl: 2999, data: '1.2.3.4' }],
    ])
  })
  test('does not keep answers without a TTL', () => {
    const cache = new AnswerCache()
    cache.put('k', { type: 'response', answers: [] }, 0)
    expect(cache.get('k', 1)).toBeUndefined()
  })
})

describe('settings', () => {
  test('upstreams are addr, addr:port or [v6]:port', () => {
    expect(parseUpstream('10.0.0.1')).toEqual({ host: '10.0.0.1', port: 53 })
    expect(parseUpstream('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 })
    expect(parseUpstream('[::1]:5353')).toEqual({ host: '::1', port: 5353 })
  })
  test("the default upstreams are resolv.conf's nameservers", () => {
    expect(nameserversOf('# x\nnameserver 10.0.0.2\nsearch lan\nnameserver fd00::2\n')).toEqual(['10.0.0.2', 'fd00::2'])
  })
  test("the Corefile binds, serves the cluster's names, forwards and caches", () => {
    const text = corefile({
      port: 10053,
      domain: 'xcluster',
      bind: ['127.0.0.1', '::1'],
      upstreams: [
        { host: '10.0.0.2', port: 53 },
        { host: '::1', port: 5353 },
      ],
      names,
      log: '/x',
    })
    expect(text).toContain('.:10053 {\n  bind 127.0.0.1 ::1\n')
    expect(text).toContain('    192.168.1.1 vm-001.xcluster\n')
    expect(text).toContain('  forward . 10.0.0.2:53 [::1]:5353\n  cache 3000\n  log\n')
  })
  test('coredns is looked for as configured, in $GOPATH/bin, in the workspace, then on PATH', async () => {
    const root = await tempDir('coredns')
    for (const dir of ['go/bin', 'ws/bin', 'path']) {
      await mkdir(join(root, dir), { recursive: true })
      await writeFile(join(root, dir, 'coredns'), '#!/bin/sh\n')
      await chmod(join(root, dir, 'coredns'), 0o755)
    }
    expect(findCoredns(undefined, join(root, 'ws'), { GOPATH: join(root, 'go'), PATH: join(root, 'path') })).toBe(
      join(root, 'go/bin/coredns'),
    )
    expect(findCoredns(undefined, join(root, 'ws'), { PATH: join(root, 'path') })).toBe(join(root, 'ws/bin/coredns'))
    expect(findCoredns(undefined, join(root, 'none'), { PATH: join(root, 'path') })).toBe(join(root, 'path/coredns'))
    expect(findCoredns(undefined, join(root, 'none'), { PATH: '/nonexistent' })).toBeUndefined()
  })

  test("another user's coredns ($GOPATH of theirs, the option) is refused naming it, before it runs", async () => {
    await OtherUser.during('cdns', async (other) => {
      const root = await tempDir('coredns')
      await chmod(root, 0o755)
      const theirs = join(root, 'go')
      await mkdir(theirs)
      await chown(theirs, other.uid, other.gid)
      const program = join(theirs, 'bin/coredns')
      expect((await other.run('mkdir', [join(theirs, 'bin')])).exitCode).toBe(0)
      expect(
        (await other.run('sh', ['-c', 'printf "#!/bin/sh\\n" > "$1"; chmod 755 "$1"', 'sh', program])).exitCode,
      ).toBe(0)
      const refused =
        'refusing the coredns program (option coredns, $GOPATH/bin, <workspace>/bin, PATH):' +
        ` ${program} is owned by uid ${other.uid}`
      await expect(trustedCoredns(undefined, join(root, 'ws'), { GOPATH: theirs })).rejects.toThrow(refused)
      await expect(trustedCoredns(program, join(root, 'ws'), {})).rejects.toThrow(refused)
    })
  })
})

afterAll(removeTempDirs)
