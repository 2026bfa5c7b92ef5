import { describe, expect, test } from '@jest/globals'
import { localHost } from '@xcluster/core'
import { request, serve } from '../src/host-agent.js'

// What xcluster on a machine is asked over ssh runs as root there: a request names only what it makes.
const refused = (op: string, json: string) => serve(localHost(), op, request(json))

describe('the agent on a machine refuses what xcluster does not make there, before doing anything', () => {
  test("a directory outside /run/xcluster, or one there that is not a host's (MACHINE.CLUSTER.HOST)", async () => {
    const others = ['/run/xcluster/netns', '/run/xcluster/a.b', '/run/xcluster/a.b.c.d', '/run/xcluster/a/b']
    for (const dir of ['/etc', '/run/xcluster/../etc', '/run/xcluster', '/tmp/xcluster-root/x', ...others])
      expect(() => request(JSON.stringify({ dir }))).toThrow(`dir ${JSON.stringify(dir)} must be /run/xcluster/NAME`)
  })

  test('odd parts: a port that is not a tap, a southbound that is not tcp:ADDR:6642, a cluster name', async () => {
    const up = {
      dir: '/run/xcluster/m.c.h',
      name: 'h2',
      index: 2,
      cluster: 'c',
      mtu: 1500,
      southbound: 'tcp:10.250.0.254:6642',
    }
    await expect(refused('up', JSON.stringify({ ...up, port: 'eth0' }))).rejects.toThrow('port tapN')
    await expect(refused('up', JSON.stringify({ ...up, port: 'tap1', southbound: 'unix:/x' }))).rejects.toThrow(
      'southbound tcp:ADDR:6642',
    )
    await expect(refused('up', JSON.stringify({ ...up, port: 'tap1', cluster: '$(id)' }))).rejects.toThrow('cluster')
    await expect(refused('check', JSON.stringify({ dir: up.dir, netns: '/run/netns/x' }))).rejects.toThrow('netns')
    await expect(refused('end-vm', JSON.stringify({ dir: up.dir, id: 241 }))).rejects.toThrow('needs dir and id')
  })

  test('an operation it does not have, or a request that is not an object', async () => {
    await expect(refused('rm', '{}')).rejects.toThrow('rm is not hello, up, check, end-vm or down')
    expect(() => request('[1]')).toThrow('a JSON object')
  })
})
