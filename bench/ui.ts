// What the page's server costs (issue 38): the CPU of `xcluster ui` over S seconds with the cluster idle, with no page
// open (the baseline) and then with the page open in Debian's chromium, in the same run; and how long a VM's state
// takes from QMP reporting it (the event's timestamp) to the page (its arrival in the browser), beside the time
// `xcluster status --json` takes to say the same from the command line.
// Run: node --import ./packages/cli/bin/register-sources.mjs bench/ui.ts [seconds] [rounds]   (pnpm bench:ui)
import './built-cli.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { browserIn, startUi } from '@xcluster/test-support/lab-page'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'
import { median } from './bench-cluster.js'
import { cpuSeconds } from './process-figures.js'

const seconds = Number(process.argv[2] ?? 60)
const rounds = Number(process.argv[3] ?? 10)

/** The share of one core `pid` used over `seconds` of idling. */
async function idleShare(pid: number): Promise<number> {
  const before = await cpuSeconds(pid)
  await sleep(seconds * 1000)
  return (await cpuSeconds(pid)) - before
}

await ensureTestImage()
const ns = await TestNetns.create('bench-ui')
const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-ui-'))
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
try {
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0, testers: 0 }))
  const started = await xc('start')
  if (started.exitCode !== 0) throw new Error(`start failed: ${started.stderr}`)
  const ui = await startUi(ns, dir)
  // `ip netns exec` execs the server: its pid is the server's.
  const pid = ui.process.pid!
  try {
    await sleep(3000)
    const alone = (await idleShare(pid)) / seconds
    const browser = await browserIn(ns, dir)
    try {
      const page = await browser.newPage()
      await page.goto(ui.url)
      await page.waitForSelector('#picture svg #vm-002')
      // A second listener in the page keeps each state event with the time it arrived (as source text: the bench's
      // own functions are transformed by its loader and would not run in the page as they are).
      await page.evaluate(`
        window.arrivals = []
        new EventSource('/events' + location.search).addEventListener('state', (event) => {
          const data = JSON.parse(event.data)
          if (data.reportedAt) window.arrivals.push({ ...data, arrived: Date.now() })
        })`)
      await sleep(3000)
      const open = (await idleShare(pid)) / seconds
      const delays: number[] = []
      const statusTimes: number[] = []
      for (let k = 0; k < rounds; k++) {
        for (const [verb, state] of [
          ['stop-vm', 'paused'],
          ['cont-vm', 'up'],
        ]) {
          const count = delays.length
          await xc(verb, '2')
          const begun = performance.now()
          const status = await xc('status', '--json')
          statusTimes.push(performance.now() - begun)
          if (!status.stdout.includes(`"state": "${state === 'up' ? 'running' : 'paused'}"`))
            throw new Error(`status does not say vm-002 ${state}`)
          for (let wait = 0; delays.length === count && wait < 50; wait++) {
            const arrivals = (await page.evaluate('window.arrivals')) as {
              state: string
              reportedAt: number
              arrived: number
            }[]
            const last = arrivals.at(-1)
            if (arrivals.length > count && last?.state === state) delays.push(last.arrived - last.reportedAt)
            else await sleep(100)
          }
          if (delays.length === count) {
            const seen = await page.evaluate('JSON.stringify(window.arrivals)')
            throw new Error(`no ${state} event reached the page; it has ${seen}`)
          }
        }
      }
      const percent = (share: number) => `${(share * 100).toFixed(2)} %`
      console.log(`The page's server, cluster of 2 VMs idle, ${seconds} s each; ${rounds * 2} state changes\n`)
      console.log('| what | figure |\n|---|---|')
      console.log(`| CPU of \`xcluster ui\`, no page open (baseline) | ${percent(alone)} of one core |`)
      console.log(`| CPU of \`xcluster ui\`, the page open | ${percent(open)} of one core (target: at most 1 %) |`)
      console.log(
        `| QMP's event to the page, median / max | ${median(delays).toFixed(0)} / ` +
          `${Math.max(...delays).toFixed(0)} ms` +
          ' (target: at most 300 ms) |',
      )
      console.log(
        `| \`xcluster status --json\` after the change (baseline), median | ${median(statusTimes).toFixed(0)} ms |`,
      )
    } finally {
      await browser.close()
    }
  } finally {
    await ui.stop()
  }
} finally {
  await ns.remove(dir)
}
