// The verdict fuzz as a probe of the fault suite: every generated input (verdict-cases.ts) must get its verdict, with
// no trace, no hang and no silent exit. The cases run in a child (verdicts.ts), which is killed when one hangs.
import { execa } from 'execa'
import { fileURLToPath } from 'node:url'
import { type VerdictCase, verdictCases } from './verdict-cases.js'
import type { Probe, ProbeRunner } from './off-the-paths.js'

const LOADER = fileURLToPath(new URL('../../packages/cli/bin/register-sources.mjs', import.meta.url))
const CHILD = fileURLToPath(new URL('./verdicts.ts', import.meta.url))
/** A case that has not answered in this long hangs (a start --dry-run of the whole default cluster takes 1-2 s). */
const CASE_TIMEOUT_MS = 20_000

export interface VerdictTally {
  traces: number
  hangs: number
  silent: number
  wrong: number
}

/** What went wrong with one answer, or undefined when it is the verdict the case must get. */
function judge(
  c: VerdictCase,
  status: number | string,
  stdout: string,
  stderr: string,
): keyof VerdictTally | undefined {
  if (typeof status === 'string' || /\n\s+at \S+ \(?\S+:\d+:\d+\)?/.test(stderr)) return 'traces'
  if (status !== 0 && stderr.trim() === '') return 'silent'
  if ('refused' in c.verdict) {
    const words = [c.verdict.refused].flat()
    return status === 1 && words.every((word) => stderr.includes(word)) ? undefined : 'wrong'
  }
  return status === 0 && stdout.includes(c.verdict.accepted) ? undefined : 'wrong'
}

/** Runs every case; failures go to the probe, each with its case number and name, and the tally is returned. */
export async function runVerdicts(p: Probe): Promise<VerdictTally> {
  const cases = verdictCases()
  const tally: VerdictTally = { traces: 0, hangs: 0, silent: 0, wrong: 0 }
  let next = 0
  while (next < cases.length) {
    const child = execa('node', ['--import', LOADER, CHILD, String(next), String(cases.length - next)], {
      reject: false,
      buffer: false,
      stdout: ['pipe'],
    })
    let timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS)
    for await (const line of child.iterable({ from: 'stdout' })) {
      clearTimeout(timer)
      timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS)
      const { index, status, stdout, stderr } = JSON.parse(String(line))
      const wrong = judge(cases[index], status, stdout, stderr)
      p.runs++
      next = index + 1
      if (!wrong) continue
      tally[wrong]++
      const verdict = 'refused' in cases[index].verdict ? 'refused' : 'accepted'
      p.failures.push(
        `${wrong}: case ${index} (${cases[index].name}) must be ${verdict}: exit ${String(status).slice(0, 300)}` +
          ` ${stderr.slice(0, 300)}${stdout.slice(0, 200)}`,
      )
    }
    clearTimeout(timer)
    const ended = await child
    if (next < cases.length && (ended.isTerminated || ended.exitCode !== 0)) {
      tally.hangs++
      p.runs++
      p.failures.push(`hang: case ${next} (${cases[next].name}) did not answer in ${CASE_TIMEOUT_MS / 1000} s`)
      next++
    }
  }
  return tally
}

/** The probe: `verdictCases().length` inputs, each with the verdict it must get. */
export async function verdictProbe(probe: ProbeRunner): Promise<void> {
  const count = verdictCases().length
  await probe(`${count} generated inputs get their verdict: no trace, hang or silent exit`, async (p) => {
    const tally = await runVerdicts(p)
    console.error(
      `soak: verdicts: ${p.runs} inputs, ${tally.traces} traces, ${tally.hangs} hangs, ${tally.silent} silent exits,` +
        ` ${tally.wrong} verdicts other than expected`,
    )
  })
}
