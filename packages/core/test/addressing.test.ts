import { describe, expect, test } from '@jest/globals'
import { embedIpv4, ipv6PrefixProblem, parseIpv6 } from '../src/node/ipv6.js'
import { hostname, ipv4Address, ipv6Address, macAddress } from '../src/node/addressing.js'

describe('a node is addressed from its number', () => {
  test('node 3 on net 1 has the MAC 00:00:00:01:01:03 and 192.168.1.3', () => {
    expect(macAddress(3, 1)).toBe('00:00:00:01:01:03')
    expect(ipv4Address(1, 3)).toBe('192.168.1.3')
  })
  test('router 201 on net 0 and net 2 has the MACs ...:00:c9 and ...:02:c9, hostname vm-201', () => {
    expect(macAddress(201, 0)).toBe('00:00:00:01:00:c9')
    expect(macAddress(201, 2)).toBe('00:00:00:01:02:c9')
    expect(hostname(201)).toBe('vm-201')
  })
  test('tester 221 on net 6 has ...:06:dd; net 12 is written in hex, not as 012', () => {
    expect(macAddress(221, 6)).toBe('00:00:00:01:06:dd')
    expect(macAddress(5, 12)).toBe('00:00:00:01:0c:05')
  })
  test('hostnames are zero padded to three digits', () => {
    expect(hostname(1)).toBe('vm-001')
    expect(hostname(42)).toBe('vm-042')
  })
})

describe('IPv6 embeds the IPv4 address in one /96 prefix', () => {
  test('the default prefix gives 1000::1:192.168.1.3, as the guests of the shell tool had', () => {
    expect(ipv6Address('1000::1:0.0.0.0/96', 1, 3)).toBe('1000::1:192.168.1.3')
  })
  test("fd00::/96 gives fd00::192.168.1.3, as the shell tool's bridges had", () => {
    expect(ipv6Address('fd00::/96', 1, 3)).toBe('fd00::192.168.1.3')
  })
  test('the written address parses back to the same 128 bits', () => {
    expect(parseIpv6(embedIpv4('fd00:1:2:3::/96', '10.0.0.1'))).toEqual(parseIpv6('fd00:1:2:3::a00:1'))
    expect(parseIpv6('1000::1:192.168.1.3')).toEqual([0x1000, 0, 0, 0, 0, 1, 0xc0a8, 0x0103])
  })
  test('a prefix longer than /96, with host bits, or not IPv6 is refused with the rule', () => {
    expect(ipv6PrefixProblem('fd00::/96')).toBeUndefined()
    expect(ipv6PrefixProblem('fd00::/120')).toMatch(/at most \/96/)
    expect(ipv6PrefixProblem('fd00::1:2/96')).toMatch(/low 32 bits/)
    expect(ipv6PrefixProblem('fd00:')).toMatch(/must be an IPv6 prefix/)
    expect(ipv6PrefixProblem('1:2:3:4:5:6:7:8:9/64')).toMatch(/must be an IPv6 prefix/)
  })
})
