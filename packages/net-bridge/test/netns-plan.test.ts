import { describe, expect, test } from '@jest/globals'
import { netnsAddresses, netnsNames } from '../src/index.js'

describe('a cluster netns and its veth pair', () => {
  test('are named <user>_xcluster<idx>, xcluster<idx> outside and host<idx> inside', () => {
    expect(netnsNames('alice', 1)).toEqual({ netns: 'alice_xcluster1', outside: 'xcluster1', inside: 'host1' })
  })
})

describe('veth addresses from --ipv4-base (reference 3.2)', () => {
  test.each([
    [0, '172.30.0.1', '172.30.0.0'],
    [1, '172.30.0.3', '172.30.0.2'],
    [3, '172.30.0.7', '172.30.0.6'],
    [127, '172.30.0.255', '172.30.0.254'],
  ])('default base, index %i: outside %s, inside %s, masquerade 172.30.0.0/24', (idx, host, ns) => {
    expect(netnsAddresses(idx)).toMatchObject({ host, ns, masq: '172.30.0.0/24' })
  })
  test('IPv6 embeds the IPv4 addresses in fd00:1723::/96', () => {
    expect(netnsAddresses(1)).toMatchObject({
      host6: 'fd00:1723::172.30.0.3',
      ns6: 'fd00:1723::172.30.0.2',
      masq6: 'fd00:1723::172.30.0.0/120',
    })
  })
  test('the old syntax 172.30: outside 172.30.1.idx, inside 172.30.0.idx, masquerade /22', () => {
    expect(netnsAddresses(1, '172.30')).toMatchObject({ host: '172.30.1.1', ns: '172.30.0.1', masq: '172.30.0.0/22' })
  })
  test("the shell tool's prefix spelling fd00:1723:: means the same /96", () => {
    expect(netnsAddresses(1, undefined, 'fd00:1723::').host6).toBe('fd00:1723::172.30.0.3')
    expect(netnsAddresses(1, undefined, 'fd00:aa::/96').ns6).toBe('fd00:aa::172.30.0.2')
  })
  test('an index whose addresses leave the range is refused (the shell tool gave 172.30.0.257)', () => {
    expect(() => netnsAddresses(128)).toThrow(
      'netns index 128: its addresses 172.30.1.0 and 172.30.1.1 are outside --ipv4-base=172.30.0.0/24',
    )
    expect(() => netnsAddresses(256, '172.30')).toThrow('allows indexes 0-255')
  })
  test('a bad base or prefix is refused with the rule', () => {
    expect(() => netnsAddresses(1, '172.30.0.0')).toThrow(
      '--ipv4-base=172.30.0.0: must be A.B.C.D/L (L at most 30) or the old A.B',
    )
    expect(() => netnsAddresses(1, '300.1')).toThrow('--ipv4-base=300.1')
    expect(() => netnsAddresses(1, undefined, 'fd00::/120')).toThrow(
      '--ipv6-prefix=fd00::/120: must be an IPv6 prefix of at most /96',
    )
  })
})
