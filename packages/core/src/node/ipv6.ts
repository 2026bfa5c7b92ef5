/**
 * The cluster's one IPv6 prefix is a real /96 with the IPv4 address in its low 32 bits (RFC 6052
 * style), so guests, bridges and NAT always agree (the shell tool had three disagreeing rules).
 */
export const DEFAULT_IPV6_PREFIX = '1000::1:0.0.0.0/96'

/** Parses an IPv6 address (with an optional dotted IPv4 tail) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  let head = text
  const tail: number[] = []
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const octets = dotted[2].split('.').map(Number)
    if (octets.some((o) => o > 255)) return undefined
    tail.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3])
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1)
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string) => (part === '' ? [] : part.split(':'))
  const left = parse(halves[0])
  const right = halves.length === 2 ? parse(halves[1]) : []
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  const missing = 8 - tail.length - left.length - right.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const zeros = new Array(halves.length === 2 ? missing : 0).fill(0)
  return [...left.map((g) => parseInt(g, 16)), ...zeros, ...right.map((g) => parseInt(g, 16)), ...tail]
}

/** Parses `addr/len`; returns undefined when it is not an IPv6 CIDR. */
export function parseIpv6Cidr(text: string): { groups: number[]; length: number } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text)
  const groups = m && parseIpv6(m[1])
  const length = m ? Number(m[2]) : NaN
  return groups && length <= 128 ? { groups, length } : undefined
}

/** The rule a cluster prefix must follow, or undefined when it is fine. */
export function ipv6PrefixProblem(prefix: string): string | undefined {
  const cidr = parseIpv6Cidr(prefix)
  if (!cidr) return 'must be an IPv6 prefix such as 1000::1:0.0.0.0/96 or fd00::/96'
  if (cidr.length > 96) return 'must be at most /96: the low 32 bits hold the IPv4 address'
  if (cidr.groups[6] !== 0 || cidr.groups[7] !== 0) return 'its low 32 bits must be zero'
  // Link-local and multicast addresses are no addresses of a net's hosts: a guest cannot route them.
  if ((cidr.groups[0] & 0xffc0) === 0xfe80 || (cidr.groups[0] & 0xff00) === 0xff00)
    return 'must not be link-local (fe80::/10) or multicast (ff00::/8)'
  if (cidr.groups.every((group) => group === 0)) return 'must not be the unspecified address ::'
  return undefined
}

/** Writes the first 96 bits compressed and the last 32 as dotted IPv4: `1000::1:192.168.1.3`. */
export function embedIpv4(prefix: string, ipv4: string): string {
  const cidr = parseIpv6Cidr(prefix)
  if (!cidr) throw new Error(`not an IPv6 prefix: ${prefix}`)
  const head = cidr.groups.slice(0, 6)
  let best = { start: -1, length: 0 }
  for (let start = 0; start < 6; start++) {
    let length = 0
    while (start + length < 6 && head[start + length] === 0) length++
    if (length > best.length && length > 1) best = { start, length }
  }
  const hex = (groups: number[]) => groups.map((g) => g.toString(16)).join(':')
  if (best.start < 0) return `${hex(head)}:${ipv4}`
  const left = hex(head.slice(0, best.start))
  const right = hex(head.slice(best.start + best.length))
  return `${left}::${right ? `${right}:` : ''}${ipv4}`
}
