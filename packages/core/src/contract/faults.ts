/** When a step of a fault timeline runs, from the timeline's start: `2s`, `500ms`, `1.5s`. */
export type FaultTime = string

/** One step of a fault timeline (`faults` in the config, `xcluster faults run FILE`): one action or one check. */
export type FaultStep =
  /** A NIC's cable pulled or plugged: `{ at: '2s', link: [2, 1], state: 'down' }` (VM 2, net 1). */
  | { at: FaultTime; link: [number, number]; state: 'down' | 'up' }
  /** A NIC's impairment set, or removed with `clear: true`: `{ at: '1s', netem: [2, 1], delay: '100ms' }`. */
  | {
      at: FaultTime
      netem: [number, number]
      delay?: string
      jitter?: string
      loss?: string
      rate?: string
      clear?: true
    }
  /** A VM frozen, thawed or reset (QMP stop, cont, system_reset). */
  | { at: FaultTime; 'stop-vm': number }
  | { at: FaultTime; 'cont-vm': number }
  | { at: FaultTime; 'reset-vm': number }
  /** A check: a command run in a VM, which must succeed (`expect: 'pass'`, the default) or fail. */
  | { at: FaultTime; rsh: [number, string]; expect?: 'pass' | 'fail' }
