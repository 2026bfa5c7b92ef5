import { XclusterError, ipv4ToNumber, numberToIpv4 } from '@xcluster/core'

/**
 * The shell tool's `mkadr`, on the host: `A.B.C.D/netmask/hostmask`, net N and host I give
 * (A.B.C.D masked to netmask) + N << (32 - hostmask) + I, with hostmask as prefix length.
 */
export function templateAddress(template: string, net: number, host: number): { address: string; length: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)\/(\d+)$/.exec(template)
  const [nmask, hmask] = m ? [Number(m[2]), Number(m[3])] : [0, 0]
  if (!m || nmask <= 1 || hmask >= 32 || nmask > hmask) {
    throw new XclusterError(
      `address template ${template}: must be A.B.C.D/netmask/hostmask with 1 < netmask <= hostmask < 32, e.g.` +
        ` 169.254.0.0/20/24`,
    )
  }
  if (host > 2 ** (32 - hmask) - 1) throw new XclusterError(`address template ${template}: Host too large [${host}]`)
  if (net > 2 ** (hmask - nmask) - 1) throw new XclusterError(`address template ${template}: Net too large [${net}]`)
  const base = ipv4ToNumber(m[1]) - (ipv4ToNumber(m[1]) % 2 ** (32 - nmask))
  return { address: numberToIpv4(base + net * 2 ** (32 - hmask) + host), length: hmask }
}
