import { XclusterError } from '@xcluster/core'

/**
 * `kernel`: the openvswitch module's datapath; `netdev`: ovs-vswitchd forwards in user space; `auto`: kernel where
 * the module loads.
 */
export type Datapath = 'auto' | 'system' | 'netdev'

export interface OvsOptions {
  /** The datapath of every bridge (auto). */
  datapath?: Datapath
  /** 802.1Q tag of every port on a net, by net: `{ 1: 100 }`. */
  vlans?: Record<number, number>
  /** More `ovs-vsctl set bridge xcovsN` settings, by net: `{ 1: ['other_config:mac-aging-time=60'] }`. */
  bridgeSettings?: Record<number, string[]>
}

export interface CheckedOptions {
  datapath: Datapath
  vlans: Map<number, number>
  bridgeSettings: Map<number, string[]>
}

const SETTING = /^[a-z_]{1,64}(:[A-Za-z0-9_-]{1,64})?=[A-Za-z0-9_.:,-]{1,128}$/

function netOf(key: string, what: string): number {
  const net = Number(key)
  if (!/^\d{1,3}$/.test(key) || net > 255)
    throw new XclusterError(`ovs(): ${what} key ${JSON.stringify(key)} must be a net number 0-255`)
  return net
}

/** The options, checked before anything is made; each error names the value and the rule. */
export function checkOptions(options: OvsOptions = {}): CheckedOptions {
  if (typeof options !== 'object' || options === null)
    throw new XclusterError('ovs(): options must be an object such as { datapath: "netdev" }')
  const datapath = options.datapath ?? 'auto'
  if (!['auto', 'system', 'netdev'].includes(datapath))
    throw new XclusterError(`ovs(): datapath ${JSON.stringify(datapath)} must be auto, system or netdev`)
  const vlans = new Map<number, number>()
  for (const [key, tag] of Object.entries(options.vlans ?? {}).slice(0, 257)) {
    if (!Number.isInteger(tag) || tag < 1 || tag > 4094)
      throw new XclusterError(`ovs(): vlans[${key}] = ${JSON.stringify(tag)} must be a VLAN tag 1-4094`)
    vlans.set(netOf(key, 'vlans'), tag)
  }
  const bridgeSettings = new Map<number, string[]>()
  for (const [key, settings] of Object.entries(options.bridgeSettings ?? {}).slice(0, 257)) {
    if (!Array.isArray(settings) || settings.length > 16)
      throw new XclusterError(`ovs(): bridgeSettings[${key}] must be a list of at most 16 settings`)
    for (const setting of settings) {
      if (typeof setting !== 'string' || !SETTING.test(setting)) {
        throw new XclusterError(
          `ovs(): bridgeSettings[${key}] ${JSON.stringify(setting)} must be column[:key]=value, e.g.` +
            ` other_config:mac-aging-time=60`,
        )
      }
    }
    bridgeSettings.set(netOf(key, 'bridgeSettings'), settings)
  }
  return { datapath, vlans, bridgeSettings }
}
