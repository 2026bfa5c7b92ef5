import { type ConfigIssue, type ConfigLayer, XclusterError } from '@xcluster/core'

/** What Geneve adds to a VM's frame between hosts: outer IPv4 20, UDP 8, Geneve 8 and OVN's option 8, Ethernet 14. */
export const GENEVE_OVERHEAD = 58
/** The underlay xcluster makes for simulated hosts and netns hosts: jumbo frames, room for VMs of 1500. */
export const DEFAULT_UNDERLAY_MTU = 9000
// IPv6 needs 1280 inside the tunnel.
const UNDERLAY_LIMITS = [1280 + GENEVE_OVERHEAD, 9216] as const

/** The plugin's `underlayMtu` option, checked. */
export function underlayMtuOf(option: unknown): number {
  if (option === undefined) return DEFAULT_UNDERLAY_MTU
  const [min, max] = UNDERLAY_LIMITS
  if (!Number.isInteger(option) || (option as number) < min || (option as number) > max)
    throw new XclusterError(
      `@xcluster/net-ovn: underlayMtu ${JSON.stringify(option)} must be a whole number from ${min} to ${max}` +
        ' (the bytes a frame may have on the wire between hosts)',
    )
  return option as number
}

/** Why a VM MTU does not fit through Geneve on an underlay, or undefined. */
export function mtuProblem(mtu: number, underlayMtu: number): string | undefined {
  const most = underlayMtu - GENEVE_OVERHEAD
  if (mtu <= most) return undefined
  return (
    `must be at most ${most} on an underlay of ${underlayMtu} bytes: Geneve takes ${GENEVE_OVERHEAD} between hosts` +
    ` (set mtu to ${most}, or give the underlay ${mtu + GENEVE_OVERHEAD})`
  )
}

/**
 * The VMs' MTU for an underlay: what the user set, when it fits (else an issue naming both numbers), or the largest
 * that fits up to Ethernet's 1500.
 */
export function geneveMtu(
  user: ConfigLayer,
  underlayMtu: number,
): { defaults: { mtu?: number }; issues: ConfigIssue[] } {
  const { mtu } = user.config
  if (mtu === undefined) return { defaults: { mtu: Math.min(1500, underlayMtu - GENEVE_OVERHEAD) }, issues: [] }
  const problem = Number.isInteger(mtu) ? mtuProblem(mtu, underlayMtu) : undefined
  return { defaults: {}, issues: problem ? [{ option: user.origins.mtu ?? 'mtu', value: mtu, rule: problem }] : [] }
}
