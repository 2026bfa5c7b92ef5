import { join } from 'node:path'
import { hostname } from '../node/addressing.js'

/** The runtime files of one VM inside the cluster's state directory. */
export interface VmFiles {
  pid: string
  qmp: string
  /** A second QMP socket, held by `xcluster ui` and `events` for the VM's events: `qmp` stays the CLI's. */
  events: string
  monitor: string
  console: string
  consoleLog: string
  disk: string
  /** The nets whose link `xcluster link` took down (JSON), gone with the VM: a boot has every link up. */
  linksDown: string
  /** The socket a clone is told its identity on (the guest's virtio-serial port org.xcluster.identity). */
  identity: string
  /** A clone's template (its key), for status: absent for a VM that booted. */
  template: string
}

/** The sockets of a running VM xcluster talks to it through (what a VM placed on another machine forwards here). */
export const CONTROL_SOCKETS = ['qmp', 'events', 'monitor', 'console'] as const satisfies readonly (keyof VmFiles)[]

export function vmFiles(stateDir: string, id: number): VmFiles {
  const base = join(stateDir, hostname(id))
  return {
    pid: `${base}.pid`,
    qmp: `${base}.qmp`,
    events: `${base}.events`,
    monitor: `${base}.monitor`,
    console: `${base}.console`,
    consoleLog: `${base}.log`,
    disk: `${base}.qcow2`,
    linksDown: `${base}.links-down`,
    identity: `${base}.identity`,
    template: `${base}.template`,
  }
}

/** The ISO every VM of a cluster sees as /dev/vdb. */
export function cdromPath(stateDir: string): string {
  return join(stateDir, 'cdrom.iso')
}
