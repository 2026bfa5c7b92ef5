import { XclusterError } from '@xcluster/core'

const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0)
const toDotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')

/**
 * The shell tool's `mkadr`, on the host: `A.B.C.D/netmask/hostmask`, net N and host I give
 * (A.B.C.D masked to netmask) + N << (32 - hostmask) + I, with hostmask as prefix length.
 */
export function templateAddress(template: string, net: number, host: number): { address: string; length: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)\/(\d+)$/.exec(template)
  const [nmask, hmask] = m ? [Number(m[2]), Number(m[3])] : [0, 0]
  if (!m || nmask <= 1 || hmask >= 32 || nmask > hmask) {
    throw new XclusterError(`address template ${template}: must be A.B.C.D/netmask/hostmask with 1 < netmask <= hostmask < 32, e.g. 169.254.0.0/20/24`)
  }
  if (host > 2 ** (32 - hmask) - 1) throw new XclusterError(`address template ${template}: Host too large [${host}]`)
  if (net > 2 ** (hmask - nmask) - 1) throw new XclusterError(`address template ${template}: Net too large [${net}]`)
  const base = toInt(m[1]) - (toInt(m[1]) % 2 ** (32 - nmask))
  return { address: toDotted(base + net * 2 ** (32 - hmask) + host), length: hmask }
}
