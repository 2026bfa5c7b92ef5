// Every topology booted and checked by `xcluster topology test`: ten on user-space networking in a
// namespace this script makes, bridge (which needs real bridges) on Linux bridges in the cluster
// netns of a stand-in host namespace. Prints each topology's checks and time, and a table.
// Run: pnpm bench:topologies   (root; a quarter of an hour under emulation on 2 cores)
import './built-cli.js'
import { execa } from 'execa'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TOPOLOGIES } from '../packages/ovl-network-topology/src/index.js'
import { TestNetns, ensureTestImage, removeTestFiles, xclusterInClusterNetns } from '@xcluster/test-support/netns'

type Run = (...args: string[]) => Promise<{ exitCode?: number; stdout: string; stderr: string }>

interface Row {
  topology: string
  backend: string
  passed: string
  seconds: number
}

/** Runs `topology test NAME` and reads its summary. */
async function testOne(xc: Run, name: string, backend: string): Promise<Row> {
  const started = Date.now()
  const run = await xc('topology', 'test', name)
  process.stdout.write(`${run.stdout}\n`)
  const summary =
    /checks passed \((.*)\)/.exec(run.stdout)?.[1] ?? `no summary (exit ${run.exitCode}): ${run.stderr.slice(-200)}`
  return { topology: name, backend, passed: summary.replace(`${name} `, ''), seconds: (Date.now() - started) / 1000 }
}

async function userspaceRows(names: string[]): Promise<Row[]> {
  const ns = await TestNetns.create('bench-topo')
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-topo-'))
  try {
    await writeFile(join(dir, 'xcluster.config.json'), '{}')
    const rows: Row[] = []
    for (const name of names) rows.push(await testOne((...args) => ns.xcluster(args, { cwd: dir }), name, 'user-space'))
    return rows
  } finally {
    await ns.remove(dir)
  }
}

async function bridgeRows(names: string[]): Promise<Row[]> {
  const user = `xb${process.pid}`
  const host = await TestNetns.create('bench-topo-host', { USER: user })
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-bench-topo-br-'))
  try {
    await writeFile(join(dir, 'xcluster.config.json'), '{}')
    const nsadd = await host.hostXcluster(['nsadd', '1'], { cwd: dir })
    if (nsadd.exitCode !== 0) throw new Error(`nsadd failed: ${nsadd.stderr}`)
    const xc = xclusterInClusterNetns(user, () => dir)
    const rows: Row[] = []
    for (const name of names) rows.push(await testOne(xc, name, 'bridges (netns)'))
    return rows
  } finally {
    await host.hostXcluster(['nsdel', '1'], { cwd: dir })
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir, `/tmp/xcluster-${user}`)
  }
}

await ensureTestImage()
const started = Date.now()
const onBridges = ['bridge']
const rows = [
  ...(await userspaceRows(TOPOLOGIES.map((t) => t.name).filter((n) => !onBridges.includes(n)))),
  ...(await bridgeRows(onBridges)),
]
console.log('\n| topology | network | checks passed | seconds |\n|---|---|---|---|')
for (const row of rows) console.log(`| ${row.topology} | ${row.backend} | ${row.passed} | ${row.seconds.toFixed(0)} |`)
const failed = rows.filter((row) => !/^(\d+)\/\1$/.test(row.passed))
console.log(
  `\n${rows.length - failed.length} of ${rows.length} topologies passed every check in` +
    ` ${((Date.now() - started) / 1000).toFixed(0)} s (accel ${process.env.XCLUSTER_ACCEL ?? 'tcg'},` +
    ` ${(await execa('nproc')).stdout} cores)`,
)
process.exitCode = failed.length > 0 ? 1 : 0
