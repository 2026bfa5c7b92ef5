import { CommandFailed, type Cluster, XclusterError, embedIpv4, hostname } from '@xcluster/core'
import { type CommandInput, clusterOf, remoteQuote, sshTarget } from '@xcluster/core/cli'
import { type TopologyCheck, TOPOLOGY_TESTS } from './topology-checks.js'

export interface CheckResult {
  topology: string
  what: string
  passed: boolean
}

/** The words one check prints and the shell lines that run it in the guest: a PASS or FAIL line each. */
function guestLines(check: TopologyCheck, prefix: string): { what: string; line: string }[] {
  // One retry: the first packet across routers can be lost to neighbour discovery.
  const once = (command: string, what: string) => ({ what, line: `if ${command} >/dev/null 2>&1 || ${command} >/dev/null 2>&1; then echo ${remoteQuote(`PASS ${what}`)}; else echo ${remoteQuote(`FAIL ${what}`)}; fi` })
  const from = hostname(check.from)
  if ('resolve' in check) return [once(`nslookup ${check.resolve}`, `${from} resolves ${check.resolve}`)]
  const v6 = embedIpv4(prefix, check.ping)
  return [once(`ping -c1 -W2 ${check.ping}`, `${from} pings ${check.ping}`), once(`ping -c1 -W2 ${v6}`, `${from} pings ${v6}`)]
}

/** Runs the checks of one booted topology, one ssh session per source node. */
async function runChecks(cluster: Cluster, input: CommandInput, topology: string, checks: TopologyCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const from of [...new Set(checks.map((check) => check.from))]) {
    const lines = checks.filter((check) => check.from === from).flatMap((check) => guestLines(check, cluster.config.ipv6Prefix))
    let output = ''
    try {
      output = await input.host.run('ssh', [...(await sshTarget(cluster, from)), lines.map((l) => l.line).join('\n')])
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error
    }
    for (const { what } of lines) {
      const passed = output.includes(`PASS ${what}\n`)
      input.stdout(`${passed ? 'PASS' : 'FAIL'}  ${topology}: ${what}\n`)
      results.push({ topology, what, passed })
    }
  }
  return results
}

/** Boots one topology as its test says, runs its checks, and stops it (also when a step fails). */
async function testTopology(input: CommandInput, name: string, flags: readonly string[]): Promise<CheckResult[]> {
  const test = TOPOLOGY_TESTS[name]
  const settings = { topology: name, nvm: String(test.nodes), ...(test.testers !== undefined ? { ntesters: String(test.testers) } : {}) }
  const cluster = await clusterOf({ ...input, options: { ...input.options, ...settings } }, 'topology', flags)
  input.stderr(`xcluster: topology test: booting ${name}\n`)
  try {
    await cluster.start({ restart: true })
    if (test.scaleOut) await cluster.scaleOut(test.scaleOut)
    return await runChecks(cluster, input, name, test.checks)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    input.stdout(`FAIL  ${name}: boot: ${why.split('\n')[0]}\n`)
    return [{ topology: name, what: 'boot', passed: false }]
  } finally {
    await cluster.stop()
  }
}

/**
 * `xcluster topology test [NAME...]`: boots each topology in turn (all when none is named), runs
 * its checks and prints PASS or FAIL per check, then a summary. Exit status 0 only if all passed.
 */
export async function topologyTest(input: CommandInput, names: string[], flags: readonly string[]): Promise<number> {
  const unknown = names.filter((name) => !(name in TOPOLOGY_TESTS))
  if (unknown.length > 0) throw new XclusterError(`topology test: no checks for ${unknown.join(', ')}; the topologies with checks are ${Object.keys(TOPOLOGY_TESTS).join(', ')}`)
  const results: CheckResult[] = []
  for (const name of names.length > 0 ? names : Object.keys(TOPOLOGY_TESTS)) results.push(...(await testTopology(input, name, flags)))
  const topologies = [...new Set(results.map((r) => r.topology))]
  const line = topologies.map((t) => `${t} ${results.filter((r) => r.topology === t && r.passed).length}/${results.filter((r) => r.topology === t).length}`)
  const passed = results.filter((r) => r.passed).length
  input.stdout(`topology test: ${passed} of ${results.length} checks passed (${line.join(', ')})\n`)
  return passed === results.length ? 0 : 1
}
