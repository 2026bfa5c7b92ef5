import { describe, expect, test } from '@jest/globals'
import { Cluster, localHost, resolveConfig } from '@xcluster/core'
import vde from '../src/vde-plugin.js'

const host = localHost({ USER: 'alice' })

describe('vde() options', () => {
  test('nets that are no net numbers are refused naming the value and the rule', () => {
    expect(() => vde({ nets: [1, 300] })).toThrow('vde(): nets must be a list of net numbers 0-255, got [1,300]')
    expect(() => vde({ nets: 'x' as unknown as number[] })).toThrow('got "x"')
  })

  test.each([
    [undefined, [1, 3]],
    [[3], [3]],
  ])('with nets %j it attaches the NICs of nets %j: port of its switch in the state directory', async (nets, on) => {
    const cluster = new Cluster(resolveConfig({ file: { nodes: 1, nets: { vm: [0, 1, 3] } } }, host), [vde({ nets })], {
      host,
      cwd: '/',
      log: () => {},
    })
    const [node] = cluster.plannedNodes()
    const context = cluster.context([node], [node])
    const answers = new Map<number, string | undefined>()
    for (const nic of node.nics)
      answers.set(nic.net, (await cluster.hooks.netSetup.promise({ node, nic, context }))?.[1])
    expect(Object.fromEntries(answers)).toEqual(
      Object.fromEntries(
        [0, 1, 3].map((net) => [
          net,
          on.includes(net) ? `vde,id=net${net},sock=${cluster.config.stateDir}/vde/net${net}` : undefined,
        ]),
      ),
    )
  })
})
