import { XclusterError } from '../errors.js'

/** Link impairment for one NIC, as the user gave it (tc's own spellings). */
export interface NetemSettings {
  delay?: string
  jitter?: string
  loss?: string
  rate?: string
}

const TIME = /^(\d{1,6}(?:\.\d{1,3})?)(us|ms|s)$/
const LOSS = /^(\d{1,3}(?:\.\d{1,4})?)%$/
const RATE = /^([1-9]\d{0,8})(bit|kbit|mbit|gbit)$/
const MAX_DELAY_MS = 60_000
const TO_MS = { us: 0.001, ms: 1, s: 1000 } as const

/** `--name="value": rule`, the value cut to 40 characters. */
const issue = (name: string, value: string, rule: string) => `--${name}=${JSON.stringify(value.slice(0, 40))}: ${rule}`

function timeIssue(name: string, value: string): string | undefined {
  const m = TIME.exec(value)
  if (m && Number(m[1]) * TO_MS[m[2] as keyof typeof TO_MS] <= MAX_DELAY_MS) return undefined
  return issue(name, value, 'must be a time like 50ms, 200us or 1.5s, at most 60s')
}

/** Every problem with these settings, each with its option, value and rule; none when tc can take them. */
export function netemProblems(settings: Partial<Record<keyof NetemSettings, unknown>>): string[] {
  const issues: string[] = []
  const wrongType = Object.entries(settings).filter(([, value]) => value !== undefined && typeof value !== 'string')
  if (wrongType.length > 0)
    return wrongType.map(([name, value]) => `--${name}=${String(JSON.stringify(value)).slice(0, 40)}: must be text`)
  const { delay, jitter, loss, rate } = settings as NetemSettings
  if (delay === undefined && jitter === undefined && loss === undefined && rate === undefined)
    return ['netem needs --delay, --loss or --rate (or --clear, or --show)']
  for (const [name, value] of [
    ['delay', delay],
    ['jitter', jitter],
  ] as const) {
    const issue = value === undefined ? undefined : timeIssue(name, value)
    if (issue) issues.push(issue)
  }
  if (jitter !== undefined && delay === undefined)
    issues.push(issue('jitter', jitter, 'needs --delay: the jitter varies the delay'))
  if (loss !== undefined && !(LOSS.test(loss) && Number(LOSS.exec(loss)![1]) <= 100))
    issues.push(issue('loss', loss, 'must be a percentage from 0% to 100%, like 1% or 0.5%'))
  if (rate !== undefined && !RATE.test(rate))
    issues.push(issue('rate', rate, 'must be a rate like 10mbit, 512kbit or 1gbit'))
  return issues
}

/**
 * The words after `tc qdisc replace dev DEV root` for these settings; every value is checked first
 * and all problems are reported at once, each with its option, value and rule.
 */
export function netemWords(settings: NetemSettings): string[] {
  const issues = netemProblems(settings)
  if (issues.length > 0) throw new XclusterError(issues.join('; '))
  const { delay, jitter, loss, rate } = settings
  return [
    'netem',
    ...(delay !== undefined ? ['delay', delay, ...(jitter !== undefined ? [jitter] : [])] : []),
    ...(loss !== undefined ? ['loss', loss] : []),
    ...(rate !== undefined ? ['rate', rate] : []),
  ]
}

/** The root netem qdiscs in `tc qdisc show` output: each device with its settings (`delay 100ms loss 1%`). */
export function netemShown(output: string): Map<string, string> {
  const shown = new Map<string, string>()
  for (const line of output.split('\n')) {
    const m = /^qdisc netem \S+ dev (\S+) root(?: refcnt \d+)?(?: limit \d+)?(.*)$/.exec(line.trim())
    if (m) shown.set(m[1], m[2].trim() || 'netem')
  }
  return shown
}
