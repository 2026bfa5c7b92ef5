import { XclusterError, embedIpv4, ipv4ToNumber, numberToIpv4, parseIpv6Cidr } from '@xcluster/core'

/** Names of one cluster namespace and its veth pair (reference section 3.1). */
export interface NetnsNames {
  netns: string
  /** The veth end in the outer (host) namespace. */
  outside: string
  /** The veth end inside the cluster namespace. */
  inside: string
}

export function netnsNames(user: string, idx: number): NetnsNames {
  return { netns: `${user}_xcluster${idx}`, outside: `xcluster${idx}`, inside: `host${idx}` }
}

/** Addresses of the veth pair and the range masqueraded outside (reference section 3.2). */
export interface NetnsAddresses {
  /** The outer end, `xcluster<idx>`. */
  host: string
  /** The inner end, `host<idx>`. */
  ns: string
  masq: string
  host6: string
  ns6: string
  masq6: string
}

export const DEFAULT_IPV4_BASE = '172.30.0.0/24'
export const DEFAULT_VETH_IPV6_PREFIX = 'fd00:1723::/96'

const validOctets = (a: string) => a.split('.').every((o) => Number(o) <= 255)

/** `fd00:1723::` (the shell tool's concatenation prefix) or a CIDR of at most /96. */
function vethPrefix(text: string): string {
  const cidr = text.endsWith(':') ? `${text}${text.endsWith('::') ? '' : ':'}/96` : text
  const parsed = parseIpv6Cidr(cidr)
  if (!parsed || parsed.length > 96 || parsed.groups[6] !== 0 || parsed.groups[7] !== 0) {
    throw new XclusterError(`--ipv6-prefix=${text}: must be an IPv6 prefix of at most /96 such as fd00:1723::/96`)
  }
  return cidr
}

/**
 * The addresses of netns `idx` from `--ipv4-base`: the old `A.B` syntax (host A.B.1.idx, netns
 * A.B.0.idx, masquerade A.B.0.0/22) or `A.B.C.D/L` (netns D+2*idx, host D+1+2*idx, masquerade the
 * base). Unlike the shell tool, an index whose addresses leave the range is refused.
 */
export function netnsAddresses(
  idx: number,
  ipv4Base = DEFAULT_IPV4_BASE,
  ipv6Prefix = DEFAULT_VETH_IPV6_PREFIX,
): NetnsAddresses {
  if (!Number.isInteger(idx) || idx < 0) throw new XclusterError(`netns index ${idx}: must be a whole number from 0`)
  const prefix = vethPrefix(ipv6Prefix)
  let host: string, ns: string, masq: string, length: number
  if (/^\d+\.\d+$/.test(ipv4Base) && validOctets(ipv4Base)) {
    if (idx > 255)
      throw new XclusterError(`netns index ${idx}: the old syntax --ipv4-base=${ipv4Base} allows indexes 0-255`)
    ;[host, ns, masq, length] = [`${ipv4Base}.1.${idx}`, `${ipv4Base}.0.${idx}`, `${ipv4Base}.0.0/22`, 22]
  } else {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(ipv4Base)
    if (!m || !validOctets(m[1]) || Number(m[2]) > 30) {
      throw new XclusterError(
        `--ipv4-base=${ipv4Base}: must be A.B.C.D/L (L at most 30) or the old A.B, e.g. 172.30.0.0/24`,
      )
    }
    length = Number(m[2])
    const size = 2 ** (32 - length)
    const network = ipv4ToNumber(m[1]) - (ipv4ToNumber(m[1]) % size)
    const first = ipv4ToNumber(m[1]) + 2 * idx
    if (first + 1 >= network + size) {
      throw new XclusterError(
        `netns index ${idx}: its addresses ${numberToIpv4(first)} and ${numberToIpv4(first + 1)} are outside` +
          ` --ipv4-base=${ipv4Base}; use a smaller index or a wider base`,
      )
    }
    ;[host, ns, masq] = [numberToIpv4(first + 1), numberToIpv4(first), ipv4Base]
  }
  const masqNet = masq.split('/')[0]
  return {
    host,
    ns,
    masq,
    host6: embedIpv4(prefix, host),
    ns6: embedIpv4(prefix, ns),
    masq6: `${embedIpv4(prefix, masqNet)}/${96 + length}`,
  }
}
