import { describe, expect, test } from '@jest/globals'
import {
  type ClusterConfig,
  type UserConfig,
  resolveConfig,
  settingsMarkdown,
  settingsTable,
  shellVariables,
} from '@xcluster/core'
import { configProblems } from '@xcluster/test-support/config-problems'
import { readFile } from 'node:fs/promises'
import { HOSTS_SETTING, hostList } from '../src/hosts-setting.js'
import ovn from '../src/ovn-plugin.js'

/** A fixed host: no kvm, a clean environment unless given. */
const testHost = (env: NodeJS.ProcessEnv) => ({
  user: 'alice',
  home: '/home/alice',
  netns: undefined,
  kvm: false,
  cpus: 2,
  env,
})
/** The config with net-ovn in use: its setting `hosts` made a list, as net-ovn reads it. */
const resolve = (file: UserConfig = {}, options: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) => {
  const config = resolveConfig({ file, options, plugins: [ovn()] }, testHost(env))
  return { ...config, hosts: config.hosts === undefined ? undefined : hostList(config.hosts) }
}
const problems = (file: UserConfig, options: Record<string, string> = {}) =>
  configProblems(() => resolve(file, options))

describe('the hosts a cluster spans', () => {
  test("net-ovn's settings are documented where its users read: docs/across-hosts.md's table", async () => {
    const page = await readFile(new URL('../../../docs/across-hosts.md', import.meta.url), 'utf8')
    const start = page.indexOf('\n', page.indexOf('<!-- settings of net-ovn:')) + 1
    expect(page.slice(start, page.indexOf('\n\n', start))).toBe(settingsMarkdown([HOSTS_SETTING]))
  })

  test('sim:N is N simulated hosts h1..hN; unset is this host alone', () => {
    expect(resolve({ hosts: 'sim:3' }).hosts).toEqual([
      { name: 'h1', via: 'sim' },
      { name: 'h2', via: 'sim' },
      { name: 'h3', via: 'sim' },
    ])
    expect(resolve().hosts).toBeUndefined()
  })

  test('--hosts and XCLUSTER_HOSTS take NAME=VIA words, each with its nodes after #', () => {
    const hosts = [
      { name: 'a', via: 'sim' },
      { name: 'lab2', via: 'netns:lab2', nodes: [2, 201] },
    ]
    expect(resolve({}, { hosts: 'a=sim lab2=netns:lab2#2,201' }).hosts).toEqual(hosts)
    expect(resolve({}, {}, { XCLUSTER_HOSTS: 'a=sim lab2=netns:lab2#2,201' }).hosts).toEqual(hosts)
  })

  test('xcluster env writes a list back as the words it reads', () => {
    const hosts = [
      { name: 'b', via: 'netns:x', nodes: [3, 4] },
      { name: 'c', via: 'sim' },
    ]
    const env = shellVariables(resolve({ hosts }) as ClusterConfig, settingsTable([ovn()]))
    expect(env.XCLUSTER_HOSTS).toBe('b=netns:x#3,4 c=sim')
    expect(resolve({}, {}, env).hosts).toEqual(hosts)
  })

  test('a machine over ssh is a host: its via as @xcluster/ssh-transport reads it', () => {
    expect(resolve({ hosts: [{ name: 'm2', via: 'ssh://root@10.0.0.2:2222/opt/lab' }] }).hosts).toHaveLength(1)
    expect(resolve({}, { hosts: 'm2=ssh://root@lab2.example/opt/lab#1' }).hosts).toEqual([
      { name: 'm2', via: 'ssh://root@lab2.example/opt/lab', nodes: [1] },
    ])
  })

  test('each rule names the host and what to write', () => {
    expect(problems({ hosts: 'sim:9' })).toEqual([
      'hosts="sim:9": must be sim:N (N simulated hosts, 1 to 8) or a list of { name, via, nodes? }',
    ])
    for (const via of ['ssh://root@-oProxyCommand=x', 'ssh://root@10.0.0.2:0', 'ssh://root@a/x y', 'tcp://10.0.0.2'])
      expect(problems({ hosts: [{ name: 'h1', via }] })).toEqual([
        expect.stringContaining('host "h1": via must be sim (a simulated host xcluster makes), netns:NAME'),
      ])
    expect(problems({ hosts: [{ name: 'h1', via: 'netns:../../etc' }] })).toEqual([
      expect.stringContaining('host "h1": via must be'),
    ])
    expect(problems({ hosts: [{ name: 'H 1', via: 'sim' }] })).toEqual([
      expect.stringContaining('host "H 1": name must be a lower-case letter'),
    ])
    expect(problems({ hosts: [{ name: 'a', via: 'sim', node: [1] } as never] })).toEqual([
      expect.stringContaining('host "a": node is not a field (name, via, nodes)'),
    ])
    expect(problems({ hosts: [] })).toEqual(['hosts=[]: must list 1 to 16 hosts'])
  })

  test('a host is named once, and a node listed on one host only', () => {
    const twice = [
      { name: 'a', via: 'sim' },
      { name: 'a', via: 'sim' },
    ]
    expect(problems({ hosts: twice })).toEqual([expect.stringContaining('host "a" is listed twice')])
    const both = [
      { name: 'a', via: 'sim', nodes: [1, 2] },
      { name: 'b', via: 'sim', nodes: [2] },
    ]
    expect(problems({ hosts: both })).toEqual([expect.stringContaining('node 2 is in the nodes of two hosts')])
    expect(problems({ hosts: [{ name: 'a', via: 'sim', nodes: [241] }] })).toEqual([
      expect.stringContaining('nodes must be a list of node ids'),
    ])
  })

  test('words that are not NAME=VIA are refused with the spelling', () => {
    expect(problems({}, { hosts: 'h1' })).toEqual([
      expect.stringContaining('--hosts="h1": must be sim:N or words NAME=VIA'),
    ])
  })
})
