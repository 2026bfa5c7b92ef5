import { describe, expect, test } from '@jest/globals'
import ovs, { checkOptions } from '../src/index.js'

describe('ovs() options are checked before anything is made', () => {
  test('defaults: auto datapath, no VLANs, no extra settings', () => {
    expect(checkOptions()).toEqual({ datapath: 'auto', vlans: new Map(), bridgeSettings: new Map() })
  })
  test('a datapath, VLAN tags and bridge settings by net', () => {
    const checked = checkOptions({
      datapath: 'netdev',
      vlans: { 1: 100 },
      bridgeSettings: { 2: ['other_config:mac-aging-time=60'] },
    })
    expect([checked.datapath, [...checked.vlans], [...checked.bridgeSettings]]).toEqual([
      'netdev',
      [[1, 100]],
      [[2, ['other_config:mac-aging-time=60']]],
    ])
  })
  test('each bad value is named with its rule', () => {
    expect(() => ovs({ datapath: 'kernel' as never })).toThrow(
      'ovs(): datapath "kernel" must be auto, system or netdev',
    )
    expect(() => ovs({ vlans: { 1: 4095 } })).toThrow('ovs(): vlans[1] = 4095 must be a VLAN tag 1-4094')
    expect(() => ovs({ vlans: { one: 5 } as never })).toThrow('ovs(): vlans key "one" must be a net number 0-255')
    expect(() => ovs({ bridgeSettings: { 1: ['other_config:x=1; rm -rf /'] } })).toThrow(
      'ovs(): bridgeSettings[1] "other_config:x=1; rm -rf /" must be column[:key]=value',
    )
  })
})
