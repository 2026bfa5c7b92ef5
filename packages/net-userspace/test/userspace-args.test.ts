import { describe, expect, test } from '@jest/globals'
import { nodeOf, resolveConfig, type HostFacts, type UserConfig } from '@xcluster/core'
import { forwardedEndpoint, multicastGroup, socketNetArgs, userNetArgs } from '../src/index.js'

const host: HostFacts = { user: 'alice', home: '/home/alice', netns: undefined, kvm: false, cpus: 2, env: {} }
const configOf = (file: UserConfig = {}, env: NodeJS.ProcessEnv = {}) => resolveConfig({ file }, { ...host, env })

describe('net 0 is a qemu user net', () => {
  test(
    'node 1: host 192.168.0.250, IPv6 from the prefix, telnet 12001 and ssh 12301 on 127.0.0.1, and the k8s' +
      ' forwards',
    () => {
      const config = configOf({ telnet: true })
      const node = nodeOf(config, 1)
      expect(userNetArgs(node, node.nics[0], config)).toEqual([
        '-netdev',
        'user,id=net0,net=192.168.0.0/24,host=192.168.0.250,' +
          'ipv6-net=1000::1:192.168.0.0/120,ipv6-host=1000::1:192.168.0.250,' +
          'hostfwd=tcp:127.0.0.1:12001-192.168.0.1:23,hostfwd=tcp:127.0.0.1:12301-192.168.0.1:22,' +
          'hostfwd=tcp:127.0.0.1:18080-192.168.0.1:8080,hostfwd=tcp:127.0.0.1:7443-192.168.0.1:6443',
        '-device',
        'virtio-net-pci,netdev=net0,mac=00:00:00:01:00:01',
      ])
    },
  )
  test('without telnet: true there is no telnet forward, only ssh', () => {
    const config = configOf()
    const node = nodeOf(config, 1)
    expect(userNetArgs(node, node.nics[0], config)[1]).not.toContain(':23')
    expect(forwardedEndpoint(node, 23, config)).toBeUndefined()
    expect(forwardedEndpoint(node, 22, config)).toEqual({ host: '127.0.0.1', port: 12301 })
  })
  test('router 201 forwards telnet 12201 (XCLUSTER_TELNET=yes) and ssh 12501, and no k8s ports', () => {
    const config = configOf({}, { XCLUSTER_TELNET: 'yes' })
    const node = nodeOf(config, 201)
    const netdev = userNetArgs(node, node.nics[0], config)[1]
    expect(netdev).toContain(
      'hostfwd=tcp:127.0.0.1:12201-192.168.0.201:23,hostfwd=tcp:127.0.0.1:12501-192.168.0.201:22',
    )
    expect(netdev).not.toContain('8080')
  })
  test('port bases follow XCLUSTER_TELNET_BASE and XCLUSTER_SSH_BASE, so two clusters can coexist', () => {
    const config = configOf({ telnet: true }, { XCLUSTER_TELNET_BASE: '22000', XCLUSTER_SSH_BASE: '22300' })
    const node = nodeOf(config, 2)
    expect(userNetArgs(node, node.nics[0], config)[1]).toContain(
      'hostfwd=tcp:127.0.0.1:22002-192.168.0.2:23,hostfwd=tcp:127.0.0.1:22302-192.168.0.2:22',
    )
  })
})

describe('other nets are loopback multicast sockets', () => {
  test('net 1 is 224.0.0.121:27030 (not the all-hosts group 224.0.0.1), bound to 127.0.0.1', () => {
    const config = configOf()
    const node = nodeOf(config, 3)
    expect(socketNetArgs(node.nics[1], config)).toEqual([
      '-netdev',
      'socket,id=net1,mcast=224.0.0.121:27030,localaddr=127.0.0.1',
      '-device',
      'virtio-net-pci,netdev=net1,mac=00:00:00:01:01:03',
    ])
  })
  test('the base and port are settable to keep clusters apart', () => {
    expect(multicastGroup(2, configOf({ ports: { mcastBase: 140, mcastPort: 27040 } }))).toBe('224.0.0.142:27040')
    expect(multicastGroup(2, configOf({}, { XCLUSTER_MCAST_BASE: '130' }))).toBe('224.0.0.132:27030')
  })
})
