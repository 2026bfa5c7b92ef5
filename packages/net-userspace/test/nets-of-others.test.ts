import { describe, expect, test } from '@jest/globals'
import { Cluster, type HostFacts, type Plugin, localHost, nicDevice, resolveConfig } from '@xcluster/core'
import userspace from '../src/index.js'

const host: HostFacts = { user: 'alice', home: '/home/alice', netns: undefined, kvm: false, cpus: 2, env: {} }

/** A plugin that carries net 1 itself (as a VDE switch would), drawn in the picture with its own label. */
const vde: Plugin = {
  name: 'vde-net',
  coreRange: '*',
  apply(cluster) {
    cluster.hooks.netSetup.tapPromise('vde-net', async ({ nic }) =>
      nic.net === 1 ? ['-netdev', 'vde,id=net1,sock=/tmp/vde1', ...nicDevice(nic)] : undefined,
    )
    cluster.hooks.picture.tapPromise('vde-net', async (picture) => ({
      ...picture,
      nets: picture.nets.map((net) => (net.net === 1 ? { ...net, medium: 'vde switch /tmp/vde1' } : net)),
    }))
  },
}

const clusterOf = (plugins: Plugin[]) =>
  new Cluster(resolveConfig({ file: { nodes: 1, routers: 1, testers: 0 } }, host), plugins, {
    host: localHost({ USER: 'alice' }),
    cwd: '/',
    log: () => {},
  })

describe('the user-space backend speaks only of the nets it attaches', () => {
  test('a net another plugin carries keeps its label in the picture and is not reported as multicast', async () => {
    const cluster = clusterOf([vde, userspace()])
    const nodes = cluster.plannedNodes()
    const context = cluster.context(nodes, [])
    const picture = await cluster.picture('lab', nodes)
    expect(picture.nets.map((net) => [net.net, net.medium])).toEqual([
      [0, 'qemu user net, ssh on 127.0.0.1:12300+I'],
      [1, 'vde switch /tmp/vde1'],
      [2, 'socket 224.0.0.122:27030 on lo'],
    ])
    const report = await cluster.hooks.report.promise([], context)
    expect(report.map((line) => line.text)).toEqual([
      expect.stringMatching(/^nets 2 \(224\.0\.0\.122:27030\): loopback multicast, not private/),
    ])
    expect(await context.attachedBy(1)).toBe('vde-net')
    expect(await context.attachedBy(2)).toBe('@xcluster/net-userspace')
    expect(await context.attachedBy(7)).toBeUndefined()
  })

  test('alone, it draws and reports every net', async () => {
    const cluster = clusterOf([userspace()])
    const nodes = cluster.plannedNodes()
    const report = await cluster.hooks.report.promise([], cluster.context(nodes, []))
    expect(report.map((line) => line.text)).toEqual([expect.stringMatching(/^nets 1 \(224\.0\.0\.121:27030\), 2 /)])
  })
})
