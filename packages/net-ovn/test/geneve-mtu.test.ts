import { describe, expect, test } from '@jest/globals'
import { geneveMtu, underlayMtuOf } from '../src/geneve-mtu.js'

const user = (config: object, origins: Record<string, string> = {}) => ({ config, origins })

describe("the VMs' MTU through Geneve", () => {
  test('unset, it is the largest that fits, up to 1500', () => {
    expect(geneveMtu(user({}), 1500)).toEqual({ defaults: { mtu: 1442 }, issues: [] })
    expect(geneveMtu(user({}), 9000)).toEqual({ defaults: { mtu: 1500 }, issues: [] })
  })

  test('set, it is kept when it fits and refused naming both numbers when not', () => {
    expect(geneveMtu(user({ mtu: 1400 }), 1500)).toEqual({ defaults: {}, issues: [] })
    expect(geneveMtu(user({ mtu: 1500 }, { mtu: '--mtu' }), 1500).issues).toEqual([
      {
        option: '--mtu',
        value: 1500,
        rule:
          'must be at most 1442 on an underlay of 1500 bytes: Geneve takes 58 between hosts' +
          ' (set mtu to 1442, or give the underlay 1558)',
      },
    ])
  })

  test('the underlay is 9000 unless the option says, and within what IPv6 and jumbo frames allow', () => {
    expect(underlayMtuOf(undefined)).toBe(9000)
    expect(underlayMtuOf(1500)).toBe(1500)
    expect(() => underlayMtuOf(1000)).toThrow('underlayMtu 1000 must be a whole number from 1338 to 9216')
    expect(() => underlayMtuOf('1500')).toThrow('underlayMtu "1500" must be a whole number')
  })
})
