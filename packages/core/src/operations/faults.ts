import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { defineOperation } from '../contract/operation.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const faultsOperation = defineOperation({
  name: 'faults',
  output: 'each step as it fires, PASS or FAIL',
  summary: SUMMARIES.faults,
  usage: 'run [FILE.json|FILE.ts]',
  help: `Runs the steps of a timeline at their times from its start: \`link\` down/up, \`netem\` changes,
\`stop-vm\`/\`cont-vm\`/\`reset-vm\`, and checks \`rsh\` that must pass (or fail with expect: 'fail').
Each step is printed with the time it ran, each check PASS or FAIL; the exit status is 0 only when
every check passed. FILE is a JSON list of steps or a module whose default export is one; without
FILE, the config's \`faults\`. A step: { at: '2s', link: [2, 1], state: 'down' },
{ at: '3s', rsh: [1, 'ping -c1 -W1 192.168.1.2'], expect: 'fail' }, { at: '4s', netem: [2, 1],
delay: '100ms' }, { at: '9s', netem: [2, 1], clear: true }, { at: '5s', 'stop-vm': 2 }.`,
  flags: {},
  // Each step is written as it fires.
  stream: true,
  complete: (_input, index) => (index === 0 ? ['run'] : []),
  async run(input) {
    const [verb, file, ...rest] = input.args
    if (verb !== 'run' || rest.length > 0)
      throw new XclusterError('faults needs `run [FILE]`, e.g. `xcluster faults run flap.json`')
    const source = file ? resolve(input.cwd, file) : undefined
    if (source && !existsSync(source)) throw new XclusterError(`faults run ${file}: no such file`)
    const configured = source ? undefined : (await input.session.configFile()).config?.faults
    if (!source && configured === undefined)
      throw new XclusterError('faults run: name a FILE, or write `faults: [...]` in the config')
    // What runs a timeline is loaded when one runs (the operations are loaded together).
    const { parseTimeline } = await import('../faults/timeline.js')
    const { trustedExport } = await import('../config/load.js')
    const steps = source
      ? parseTimeline(await trustedExport(source, input.host.home, 'the fault timeline'), source)
      : parseTimeline(configured, 'faults of the config')
    const { runTimeline } = await import('../faults/run-timeline.js')
    const failed = await runTimeline(await clusterOf(input), steps, (line) => input.stdout(`${line}\n`))
    input.stdout(failed === 0 ? `all ${steps.length} steps done, every check passed\n` : `${failed} failed\n`)
    return failed === 0 ? 0 : 1
  },
})
