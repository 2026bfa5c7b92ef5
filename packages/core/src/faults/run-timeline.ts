import { setTimeout as sleep } from 'node:timers/promises'
import { CommandFailed } from '../host/host.js'
import { hostname } from '../node/addressing.js'
import type { TimedStep } from './timeline.js'

/** What a timeline does to a running cluster (the Cluster's own methods). */
export interface FaultTarget {
  setLink(id: number, net: number, up: boolean): Promise<unknown>
  shape(
    id: number,
    net: number,
    settings?: { delay?: string; jitter?: string; loss?: string; rate?: string },
  ): Promise<unknown>
  pauseVm(id: number): Promise<unknown>
  resumeVm(id: number): Promise<unknown>
  resetVm(id: number): Promise<unknown>
  inVm(id: number, script: string): Promise<string>
}

/** What a step does, in words: `link vm-002 net 1 down`. */
function describe(step: TimedStep): string {
  if ('link' in step) return `link ${hostname(step.link[0])} net ${step.link[1]} ${step.state}`
  if ('netem' in step) {
    const { netem, at: _at, atMs: _ms, clear, ...settings } = step
    const what = clear
      ? 'clear'
      : Object.entries(settings)
          .map(([k, v]) => `${k} ${v}`)
          .join(' ')
    return `netem ${hostname(netem[0])} net ${netem[1]} ${what}`
  }
  if ('stop-vm' in step) return `stop-vm ${hostname(step['stop-vm'])}`
  if ('cont-vm' in step) return `cont-vm ${hostname(step['cont-vm'])}`
  if ('reset-vm' in step) return `reset-vm ${hostname(step['reset-vm'])}`
  return `rsh ${hostname(step.rsh[0])} ${step.rsh[1]}${step.expect === 'fail' ? ' (must fail)' : ''}`
}

/** A guest's words made safe for the operator's terminal: a control character (an escape sequence) shows as `?`. */
const printable = (text: string) => text.replace(/\p{Cc}/gu, '?')

/** Does an action step; a check's outcome: whether the command succeeded, and how it ended. */
async function act(target: FaultTarget, step: TimedStep): Promise<{ ok: boolean; said: string } | undefined> {
  if ('link' in step) await target.setLink(step.link[0], step.link[1], step.state === 'up')
  else if ('netem' in step) {
    const { delay, jitter, loss, rate } = step
    await target.shape(step.netem[0], step.netem[1], step.clear ? undefined : { delay, jitter, loss, rate })
  } else if ('stop-vm' in step) await target.pauseVm(step['stop-vm'])
  else if ('cont-vm' in step) await target.resumeVm(step['cont-vm'])
  else if ('reset-vm' in step) await target.resetVm(step['reset-vm'])
  else
    return target.inVm(step.rsh[0], step.rsh[1]).then(
      () => ({ ok: true, said: 'exit 0' }),
      (error: unknown) => {
        if (!(error instanceof CommandFailed)) throw error
        const last = error.stderr.trim().split('\n').at(-1)
        return { ok: false, said: `exit ${error.exitCode}${last ? `: ${printable(last)}` : ''}` }
      },
    )
  return undefined
}

/** What a timeline changed that it has not put back yet, each with how to put it back, in the order it was changed. */
class Changes {
  private readonly undo = new Map<string, { what: string; run: () => Promise<unknown> }>()

  /** Notes what `step` changed (or put back) on `target`. */
  note(target: FaultTarget, step: TimedStep): void {
    if ('link' in step) {
      const [id, net] = step.link
      const key = `link ${hostname(id)} net ${net}`
      if (step.state === 'up') this.undo.delete(key)
      else this.undo.set(key, { what: `${key} up`, run: () => target.setLink(id, net, true) })
    } else if ('netem' in step) {
      const [id, net] = step.netem
      const key = `netem ${hostname(id)} net ${net}`
      if (step.clear) this.undo.delete(key)
      else this.undo.set(key, { what: `${key} clear`, run: () => target.shape(id, net) })
    } else if ('stop-vm' in step) {
      const id = step['stop-vm']
      this.undo.set(`vm ${id}`, { what: `cont-vm ${hostname(id)}`, run: () => target.resumeVm(id) })
    } else if ('cont-vm' in step) this.undo.delete(`vm ${step['cont-vm']}`)
  }

  /** Puts everything back, last change first; returns what could not be. */
  async putBack(print: (line: string) => void): Promise<string[]> {
    const failed = []
    for (const { what, run } of [...this.undo.values()].reverse()) {
      const error = await run().then(
        () => undefined,
        (e: Error) => e.message.split('\n')[0],
      )
      print(`  undo  ${what}${error ? `: FAILED: ${error}` : ''}`)
      if (error) failed.push(`${what}: ${error}`)
    }
    this.undo.clear()
    return failed
  }
}

/**
 * Runs a timeline against the running cluster: each step at its time from the start (or at once when an earlier one
 * ran late), printed with the time it ran; each check PASS or FAIL. An action that fails (ERROR) ends the timeline:
 * what it changed so far is put back, last first (links up, netem cleared, VMs running), and only what could not be is
 * named. Returns how many checks failed and actions erred.
 */
export async function runTimeline(
  target: FaultTarget,
  steps: TimedStep[],
  print: (line: string) => void,
): Promise<number> {
  const started = Date.now()
  const changes = new Changes()
  let failed = 0
  for (const step of steps) {
    const wait = started + step.atMs - Date.now()
    if (wait > 0) await sleep(wait)
    const at = `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`
    const outcome = await act(target, step).catch((error: Error) => ({
      error: printable(error.message.split('\n')[0]),
    }))
    if (outcome === undefined) {
      changes.note(target, step)
      print(`${at}  ${describe(step)}`)
    } else if ('error' in outcome) {
      print(`${at}  ERROR ${describe(step)}: ${outcome.error}`)
      print(`the timeline stops here; what it changed is put back:`)
      const left = await changes.putBack(print)
      if (left.length > 0) print(`could not be put back:\n  ${left.join('\n  ')}`)
      return failed + 1
    } else {
      const pass = outcome.ok === (('expect' in step ? step.expect : undefined) !== 'fail')
      if (!pass) failed++
      print(`${at}  ${pass ? 'PASS' : 'FAIL'}  ${describe(step)} (${outcome.said})`)
    }
  }
  return failed
}
