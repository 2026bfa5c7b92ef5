import { type FSWatcher, watch } from 'node:fs'
import { linksDown, readyCount, vmFiles } from '@xcluster/core'
import { type Operation, coreOperation, type StreamInput, messageOf } from '@xcluster/core/adapter'
import { parseAs } from '@xcluster/image/read-json'
import type { z } from '@xcluster/image/zod'
import { callOperation } from '../served/operation-call.js'
import { type Change, type LabState, type LabVm, type Shaped, applied, changes } from './lab-state.js'
import { type QmpEvent, watchQmpEvents } from './qmp-events.js'
import { type StatusRow, netemShown, statusRow } from './watched-outputs.js'

/**
 * The files of the state directory whose change is a change of the cluster: the record of its VMs, a VM's process
 * (its pid file) and its links. Others change all the time (the DNS service's log, the disks) and say nothing new.
 */
const TELLING = /^(?:nodes\.json|cluster\.json|vm-\d{3}\.(?:pid|links-down))$/

/** Several reasons to look again within this many ms make one look. */
const SETTLE_MS = 150

/**
 * Watches a cluster and says each change (`emit`): every VM's state from QMP's events on its events socket at once
 * (paused, resumed, reset), and everything else from a full look (`status --json`, `netem --show`) when a file of the
 * state directory changes (a VM started or ended, a link taken down), soon after. A booting VM becomes up when its
 * console log says it is ready. It costs nothing while nothing happens: no polling but for a state directory that is
 * not there yet (once a second).
 */
export class ClusterWatch {
  state: LabState
  private readonly held = new Map<string, () => void>()
  /** A VM reset by QMP: its pid and how many times its log said ready before; booting until it says so again. */
  private readonly resets = new Map<string, { pid: number; ready: number }>()
  private readonly pids = new Map<string, number>()
  private dirWatch?: FSWatcher
  private poll?: NodeJS.Timeout
  private soon?: NodeJS.Timeout
  private looking: Promise<void> = Promise.resolve()
  /** Counts changes QMP reported: a look begun before one is dropped (it saw the VM as it was). */
  private generation = 0
  private closed = false

  constructor(
    private readonly base: StreamInput,
    private readonly stateDir: string,
    private readonly emit: (change: Change) => void,
  ) {
    this.state = { stateDir, vms: [], shaped: [] }
  }

  async start(): Promise<void> {
    await this.refresh()
    this.watchDir()
  }

  /** A full look now, after any under way; one that fails is said on stderr, and the next looks again. */
  refresh(): Promise<void> {
    this.looking = this.looking.then(() =>
      this.look().catch((error: unknown) => this.base.stderr(`xcluster: watching the cluster: ${messageOf(error)}\n`)),
    )
    return this.looking
  }

  /** A full look soon: several reasons within SETTLE_MS make one. */
  refreshSoon(): void {
    if (this.soon || this.closed) return
    this.soon = setTimeout(() => {
      this.soon = undefined
      void this.refresh()
    }, SETTLE_MS)
  }

  close(): void {
    this.closed = true
    clearTimeout(this.soon)
    clearInterval(this.poll)
    this.dirWatch?.close()
    for (const release of this.held.values()) release()
    this.held.clear()
  }

  private async look(): Promise<void> {
    if (this.closed) return
    const generation = this.generation
    const rows = await this.statusRows()
    if (rows === undefined) return
    const vms = await Promise.all(rows.map((row) => this.labVm(row)))
    const shaped = vms.some((vm) => vm.state === 'up') ? await this.shaped() : []
    if (this.closed) return
    if (generation !== this.generation) return this.refreshSoon()
    this.update({ stateDir: this.stateDir, vms, shaped: shaped ?? this.state.shaped })
    this.holdEvents()
  }

  private update(next: LabState): void {
    for (const change of changes(this.state, next)) this.emit(change)
    this.state = next
  }

  /**
   * Core's operation `name`'s result (what `--json` prints), as `schema` reads it; undefined when it gave none (it
   * failed).
   */
  private async call<T>(name: 'status' | 'netem', words: string[], schema: z.ZodType<T>): Promise<T | undefined> {
    const operation = (await coreOperation(name)) as Operation
    const { result } = await callOperation(operation, words, this.base)
    return result === undefined ? undefined : parseAs(schema, result, `the result of xcluster ${operation.name}`)
  }

  private statusRows(): Promise<StatusRow[] | undefined> {
    return this.call('status', [], statusRow.array())
  }

  private async shaped(): Promise<Shaped[] | undefined> {
    const shown = await this.call('netem', ['--show'], netemShown)
    return shown?.shaped.map(({ hostname, net, netem }) => ({ hostname, net, netem }))
  }

  private readyCount(vm: { id: number; hostname: string }): Promise<number> {
    return readyCount(vm, vmFiles(this.stateDir, vm.id).consoleLog)
  }

  private async labVm(row: StatusRow): Promise<LabVm> {
    const { id, hostname, role, nets, ipv4, linksDown, template, pid, hostLinks } = row
    const vm = { id, hostname, role, nets, ipv4, linksDown, template, pid, hostLinks }
    if (row.pid === null) {
      this.resets.delete(hostname)
      this.pids.delete(hostname)
      return { ...vm, state: 'down' }
    }
    this.pids.set(hostname, row.pid)
    if (row.state === 'paused') return { ...vm, state: 'paused' }
    return { ...vm, state: (await this.isUp(vm, row.pid)) ? 'up' : 'booting' }
  }

  /** Its console log says ready (again, after a reset). */
  private async isUp(vm: { id: number; hostname: string }, pid: number): Promise<boolean> {
    const reset = this.resets.get(vm.hostname)
    const before = reset?.pid === pid ? reset.ready : 0
    return (await this.readyCount(vm)) > before
  }

  /** A QMP event of a VM: its new state at once (with when QMP reported it), then a full look. */
  private async onQmp(vm: LabVm, { name: event, at }: QmpEvent): Promise<void> {
    if (event === 'RESET') {
      const pid = this.pids.get(vm.hostname)
      if (pid !== undefined) this.resets.set(vm.hostname, { pid, ready: await this.readyCount(vm) })
    }
    const state = { STOP: 'paused', RESUME: 'up', RESET: 'booting' }[event]
    if (state !== undefined) {
      const now = state === 'up' && !(await this.isUp(vm, this.pids.get(vm.hostname) ?? 0)) ? 'booting' : state
      this.apply({ kind: 'state', data: { hostname: vm.hostname, state: now, reportedAt: at } })
    }
    this.refreshSoon()
  }

  /** A change seen before the next full look: said as it is, and what that look compares with. */
  private apply(change: Change): void {
    this.generation += 1
    this.state = applied(this.state, change)
    this.emit(change)
  }

  /** A booting VM whose log changed: up once it says ready. */
  private async checkBooting(hostname: string): Promise<void> {
    const vm = this.state.vms.find((candidate) => candidate.hostname === hostname)
    const pid = this.pids.get(hostname)
    if (vm?.state !== 'booting' || pid === undefined || !(await this.isUp(vm, pid))) return
    this.apply({ kind: 'state', data: { hostname, state: 'up' } })
    this.refreshSoon()
  }

  /**
   * A VM's links as its file says now, each change said at once: a link taken down and up again before the next full
   * look is two changes, not none.
   */
  private async checkLinks(hostname: string): Promise<void> {
    const vm = this.state.vms.find((candidate) => candidate.hostname === hostname)
    if (vm === undefined || vm.state === 'down') return
    const down = await linksDown(this.stateDir, vm.id)
    for (const net of vm.nets) {
      const now = this.state.vms.find((candidate) => candidate.hostname === hostname)
      if (now && down.includes(net) !== now.linksDown.includes(net))
        this.apply({ kind: 'link', data: { hostname, net, up: !down.includes(net) } })
    }
  }

  /** Holds the events socket of every VM that runs, lets go of the others'. */
  private holdEvents(): void {
    const running = new Map(this.state.vms.filter((vm) => vm.state !== 'down').map((vm) => [vm.hostname, vm]))
    for (const [hostname, release] of this.held)
      if (!running.has(hostname)) {
        release()
        this.held.delete(hostname)
      }
    for (const [hostname, vm] of running) {
      if (this.held.has(hostname)) continue
      const release = watchQmpEvents(
        vmFiles(this.stateDir, vm.id).events,
        (event) => void this.onQmp(vm, event),
        (connected) => {
          this.held.delete(hostname)
          // A VM gone is looked at; a socket other watchers hold is tried again at the next look, not in a loop.
          if (connected) this.refreshSoon()
        },
      )
      this.held.set(hostname, release)
    }
  }

  private watchDir(): void {
    if (this.closed) return
    try {
      this.dirWatch = watch(this.stateDir, (_, file) => {
        const [log, links] = [/^(vm-\d{3})\.log$/, /^(vm-\d{3})\.links-down$/].map((name) => name.exec(file ?? '')?.[1])
        if (log) void this.checkBooting(log)
        // A file that does not read (being replaced) is left to the full look that follows.
        if (links) this.checkLinks(links).catch(() => undefined)
        if (TELLING.test(file ?? '')) this.refreshSoon()
      })
      this.dirWatch.on('error', () => this.lostDir())
      clearInterval(this.poll)
      this.poll = undefined
    } catch {
      this.lostDir()
    }
  }

  /** The state directory is gone (or not there yet): look for it once a second. */
  private lostDir(): void {
    this.dirWatch?.close()
    this.dirWatch = undefined
    if (this.poll || this.closed) return
    this.poll = setInterval(() => {
      this.watchDir()
      if (this.dirWatch) void this.refresh()
    }, 1000)
  }
}
