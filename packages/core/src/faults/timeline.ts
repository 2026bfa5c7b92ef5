import type { FaultStep } from '../contract/faults.js'
import { XclusterError } from '../errors.js'
import { netemProblems } from '../net/netem-settings.js'

/** At most this many steps, this long: a timeline is a test's script, not a soak. */
export const MAX_STEPS = 500
export const MAX_AT_MS = 3_600_000

const TIME = /^(\d{1,7}(?:\.\d{1,3})?)(ms|s|m)$/
const TO_MS = { ms: 1, s: 1000, m: 60_000 } as const
const ACTIONS = ['link', 'netem', 'stop-vm', 'cont-vm', 'reset-vm', 'rsh'] as const
const NETEM = ['delay', 'jitter', 'loss', 'rate', 'clear'] as const

/** A step with its time in milliseconds, in the order it runs. */
export type TimedStep = FaultStep & { atMs: number }

/** `2s`, `500ms`, `1.5s`, `1m` in milliseconds; undefined for anything else. */
export function timeMs(at: unknown): number | undefined {
  const m = typeof at === 'string' ? TIME.exec(at) : null
  const ms = m ? Math.round(Number(m[1]) * TO_MS[m[2] as keyof typeof TO_MS]) : undefined
  return ms !== undefined && ms <= MAX_AT_MS ? ms : undefined
}

const isId = (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 240
const isNic = (value: unknown) =>
  Array.isArray(value) &&
  value.length === 2 &&
  isId(value[0]) &&
  Number.isInteger(value[1]) &&
  value[1] >= 0 &&
  value[1] <= 255

/** What is wrong with one step, or undefined. */
function stepProblem(step: Record<string, unknown>): string | undefined {
  if (timeMs(step.at) === undefined) return 'at must be a time like 2s, 500ms or 1.5s, at most 60m'
  const actions = ACTIONS.filter((name) => name in step)
  if (actions.length !== 1) return `needs one of ${ACTIONS.join(', ')} (found ${actions.join(', ') || 'none'})`
  const [action] = actions
  const allowed = new Set([
    'at',
    action,
    ...(action === 'link' ? ['state'] : action === 'netem' ? NETEM : []),
    ...(action === 'rsh' ? ['expect'] : []),
  ])
  const extra = Object.keys(step).find((key) => !allowed.has(key))
  if (extra) return `${extra} is not a field of a ${action} step`
  const value = step[action]
  if (action === 'link' || action === 'netem') {
    if (!isNic(value)) return `${action} must be [VM id, net], e.g. [2, 1]`
    if (action === 'link' && step.state !== 'down' && step.state !== 'up') return 'state must be down or up'
    if (action === 'netem' && step.clear !== undefined && step.clear !== true) return 'clear must be true when given'
    if (action === 'netem') {
      const { delay, jitter, loss, rate } = step
      if (step.clear && [delay, jitter, loss, rate].some((value) => value !== undefined))
        return 'clear takes no delay, jitter, loss or rate'
      const problems = step.clear ? [] : netemProblems({ delay, jitter, loss, rate })
      if (problems.length > 0) return problems.join('; ').replaceAll('--', '')
    }
    return undefined
  }
  if (action === 'rsh') {
    const [id, command] = Array.isArray(value) ? value : []
    if (!Array.isArray(value) || value.length !== 2 || !isId(id) || typeof command !== 'string' || command === '')
      return 'rsh must be [VM id, command], e.g. [1, "ping -c1 -W1 192.168.1.2"]'
    if (step.expect !== undefined && step.expect !== 'pass' && step.expect !== 'fail')
      return 'expect must be pass or fail'
    return undefined
  }
  return isId(value) ? undefined : `${action} must be a VM id (1-240)`
}

/**
 * The steps of a timeline, checked (each problem names the step and the rule) and ordered by time, steps of the same
 * time in the order written.
 */
export function parseTimeline(value: unknown, source: string): TimedStep[] {
  if (!Array.isArray(value)) throw new XclusterError(`${source}: a fault timeline is a list of steps`)
  if (value.length === 0 || value.length > MAX_STEPS)
    throw new XclusterError(`${source}: a fault timeline has 1 to ${MAX_STEPS} steps (found ${value.length})`)
  const problems = value.flatMap((step, k) => {
    const problem =
      step && typeof step === 'object' && !Array.isArray(step) ? stepProblem(step) : 'a step is an object { at, ... }'
    return problem ? [`step ${k + 1} ${JSON.stringify(step).slice(0, 60)}: ${problem}`] : []
  })
  if (problems.length > 0) throw new XclusterError(`${source}:\n  ${problems.join('\n  ')}`)
  return value.map((step: FaultStep) => ({ ...step, atMs: timeMs(step.at)! })).sort((a, b) => a.atMs - b.atMs)
}
