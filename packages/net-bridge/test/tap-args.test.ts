import { describe, expect, test } from '@jest/globals'
import { nodeOf, resolveConfig } from '@xcluster/core'
import { bridgeName, tapName, tapNetArgs } from '../src/index.js'

const config = resolveConfig(
  {},
  { user: 'alice', home: '/home/alice', netns: 'alice_xcluster1', kvm: false, cpus: 2, env: {} },
)

describe('bridges and taps', () => {
  test('net N is the bridge xcbrN; node I on net N is the tap xcbrN_tI', () => {
    expect(bridgeName(1)).toBe('xcbr1')
    expect(tapName(1, 3)).toBe('xcbr1_t3')
    expect(tapName(255, 240)).toHaveLength(12)
  })
  test("a NIC is a tap netdev with no scripts and the node's MAC", () => {
    const node = nodeOf(config, 201)
    expect(tapNetArgs(node, node.nics[0])).toEqual([
      '-netdev',
      'tap,id=net0,ifname=xcbr0_t201,script=no,downscript=no',
      '-device',
      'virtio-net-pci,netdev=net0,mac=00:00:00:01:00:c9',
    ])
  })
})
