import { describe, expect, test } from '@jest/globals'
import { resolveConfig } from '../src/config/resolve.js'
import type { UserConfig } from '../src/contract/user-config.js'
import { netemShown, netemWords } from '../src/net/netem-settings.js'
import { clusterNodes } from '../src/node/node.js'
import { defaultPicture } from '../src/picture/network-picture.js'
import { pictureDot } from '../src/picture/picture-dot.js'
import { renderSvg } from '../src/picture/render-svg.js'
import { testHost } from './host.js'

const configOf = (file: UserConfig = {}) => resolveConfig({ file }, testHost())

describe('the picture of a cluster', () => {
  const config = configOf({ nodes: 2, routers: 1, testers: 1 })
  const picture = defaultPicture(
    config,
    'a cluster',
    clusterNodes(config),
    new Map([
      [1, 'running'],
      [2, 'paused'],
    ]),
  )

  test('has every net the nodes use, with its ranges, and every NIC with the addresses of its node number', () => {
    expect(picture.nets.map((net) => [net.name, ...net.ranges])).toEqual([
      ['net 0 (maintenance)', '192.168.0.0/24', '1000::1:192.168.0.0/120'],
      ['net 1 (cluster)', '192.168.1.0/24', '1000::1:192.168.1.0/120'],
      ['net 2 (external)', '192.168.2.0/24', '1000::1:192.168.2.0/120'],
    ])
    const router = picture.nodes.find((node) => node.id === 201)!
    expect(router.links.map((link) => [link.ifname, link.net, ...link.addresses])).toEqual([
      ['eth0', 0, '192.168.0.201/24', '1000::1:192.168.0.201/120'],
      ['eth1', 1, '192.168.1.201/24', '1000::1:192.168.1.201/120'],
      ['eth2', 2, '192.168.2.201/24', '1000::1:192.168.2.201/120'],
    ])
    expect(picture.nodes.map((node) => node.state)).toEqual(['running', 'paused', undefined, undefined])
  })

  test(
    'in DOT, vms sit above net 1, the router below it and above net 2, the tester below net 2; net 0 draws' +
      ' no lines',
    () => {
      const dot = pictureDot(picture)
      expect(dot).toContain('vm1 -- net1 [id="vm-001-net1", label="eth1\\n192.168.1.1/24\\n1000::1:192.168.1.1/120"]')
      expect(dot).toContain('net1 -- vm201 ')
      expect(dot).toContain('vm201 -- net2 ')
      expect(dot).toContain('net2 -- vm221 ')
      expect(dot).not.toMatch(/-- net0|net0 --/)
      expect(dot).toContain('label="vm-002\\nvm\\npaused\\neth0 192.168.0.2/24\\n1000::1:192.168.0.2/120"')
      expect(dot).toMatch(/vm2 \[id="vm-002", shape=box, style="rounded,filled,dashed"/)
    },
  )

  test('quotes and backslashes in labels cannot end a DOT string', () => {
    const dot = pictureDot({ ...picture, title: 'a "quoted" \\ title' })
    expect(dot).toContain('label="a \\"quoted\\" \\\\ title"')
  })

  test("a cluster across hosts draws each node in its host's box", async () => {
    const onHosts = {
      ...picture,
      nodes: picture.nodes.map((node) => ({ ...node, host: node.id % 2 === 1 ? 'h1 (sim)' : 'h2 (netns:lab)' })),
    }
    const dot = pictureDot(onHosts)
    expect(dot).toMatch(/subgraph cluster_host0 \{ label="h1 \(sim\)"; style="dashed"; vm1 \[/)
    expect(dot).toMatch(/subgraph cluster_host0 \{ label="h1 \(sim\)"; style="dashed"; vm201 \[/)
    expect(dot).toMatch(/subgraph cluster_host1 \{ label="h2 \(netns:lab\)"; style="dashed"; vm2 \[/)
    const svg = await renderSvg(dot)
    // Graphviz makes a cluster a group of its own, titled by its name.
    expect(svg).toContain('<title>cluster_host1</title>')
    expect(svg).toContain('h2 (netns:lab)')
  })

  test('Graphviz lays it out as SVG with every hostname and address', async () => {
    const svg = (await renderSvg(pictureDot(picture))).replace(/&#45;/g, '-')
    expect(svg).toMatch(/^<\?xml/)
    for (const text of ['vm-001', 'vm-002', 'vm-201', 'vm-221', '192.168.2.0/24', '192.168.2.221/24'])
      expect(svg).toContain(text)
  })
})

describe('netem settings', () => {
  test("become the words of tc netem, in tc's order", () => {
    expect(netemWords({ delay: '100ms', jitter: '5ms', loss: '1%', rate: '10mbit' })).toEqual([
      'netem',
      'delay',
      '100ms',
      '5ms',
      'loss',
      '1%',
      'rate',
      '10mbit',
    ])
    expect(netemWords({ loss: '0.5%' })).toEqual(['netem', 'loss', '0.5%'])
  })

  test('are refused, every problem at once, naming the option, the value and the rule', () => {
    expect(() => netemWords({ delay: '61s', jitter: 'x', loss: '101%', rate: '0mbit' })).toThrow(
      '--delay="61s": must be a time like 50ms, 200us or 1.5s, at most 60s; --jitter="x": must be a time like 50ms,' +
        ' 200us or 1.5s, at most 60s; ' +
        '--loss="101%": must be a percentage from 0% to 100%, like 1% or 0.5%; --rate="0mbit": must be a rate like' +
        ' 10mbit, 512kbit or 1gbit',
    )
    expect(() => netemWords({ jitter: '5ms' })).toThrow('--jitter="5ms": needs --delay: the jitter varies the delay')
    expect(() => netemWords({})).toThrow('netem needs --delay, --loss or --rate')
    expect(() => netemWords({ delay: '1ms; reboot' })).toThrow('--delay="1ms; reboot": must be a time')
  })

  test('are read back from tc qdisc show, root netem qdiscs only', () => {
    const shown = netemShown(
      'qdisc noqueue 0: dev lo root refcnt 2\nqdisc netem 8001: dev eth1 root refcnt 2 limit 1000 delay 100ms  5ms' +
        ' loss 1%\nqdisc pfifo_fast 0: dev eth0 root refcnt 2 bands 3',
    )
    expect([...shown]).toEqual([['eth1', 'delay 100ms  5ms loss 1%']])
  })
})
