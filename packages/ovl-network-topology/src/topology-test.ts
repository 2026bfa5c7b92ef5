import { CommandFailed, type Cluster, XclusterError, embedIpv4, hostname } from '@xcluster/core'
import { type StreamInput, clusterOf, remoteQuote } from '@xcluster/core'
import { type TopologyCheck, TOPOLOGY_TESTS } from './topology-checks.js'
import { findTopology } from './topology-plugin.js'

export interface CheckResult {
  topology: string
  what: string
  passed: boolean
}

/** The words one check prints and the shell lines that run it in the guest: a PASS or FAIL line each. */
function guestLines(check: TopologyCheck, prefix: string): { what: string; line: string }[] {
  // One retry: the first packets across routers can be lost to neighbour discovery, which takes
  // seconds on a busy host (each hop asks in turn). A failure shows what the command said.
  const once = (command: string, retry: string, what: string) => ({
    what,
    line:
      `if out=$(${command} 2>&1) || out=$(${retry} 2>&1); then echo ${remoteQuote(`PASS ${what}`)}; else echo` +
      ` ${remoteQuote(`FAIL ${what}`)}; echo "$out" | head -4 | sed 's/^/      | /'; fi`,
  })
  const from = hostname(check.from)
  if ('resolve' in check)
    return [once(`nslookup ${check.resolve}`, `nslookup ${check.resolve}`, `${from} resolves ${check.resolve}`)]
  const ping = (address: string) =>
    once(`ping -c1 -W2 ${address}`, `ping -c3 -W3 ${address}`, `${from} pings ${address}`)
  return [ping(check.ping), ping(embedIpv4(prefix, check.ping))]
}

/** Runs the checks of one booted topology, one ssh session per source node. */
async function runChecks(
  cluster: Cluster,
  input: StreamInput,
  topology: string,
  checks: TopologyCheck[],
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const from of [...new Set(checks.map((check) => check.from))]) {
    const lines = checks
      .filter((check) => check.from === from)
      .flatMap((check) => guestLines(check, cluster.config.ipv6Prefix))
    let output = ''
    try {
      output = await input.host.run('ssh', [...(await cluster.sshArgs(from)), lines.map((l) => l.line).join('\n')])
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error
    }
    const printed = output.split('\n')
    for (const { what } of lines) {
      const passed = printed.includes(`PASS ${what}`)
      // The guest's words on a failure are the indented lines after its FAIL line.
      const at = printed.indexOf(`FAIL ${what}`)
      const said =
        at < 0
          ? []
          : printed.slice(at + 1).filter((_line, k, all) => all.slice(0, k + 1).every((m) => m.startsWith('      | ')))
      const told = passed ? [] : said.length > 0 ? said : ['      | no answer from the VM']
      input.stdout(`${passed ? 'PASS' : 'FAIL'}  ${topology}: ${what}\n${told.map((l) => `${l}\n`).join('')}`)
      results.push({ topology, what, passed })
    }
  }
  return results
}

/**
 * The cluster's nets are taps on the host (bridges, OVS), not user-space sockets: the backend names a tap for net 1.
 */
async function hasTaps(cluster: Cluster): Promise<boolean> {
  const [node] = cluster.plannedNodes()
  const nic = node?.nics.find((n) => n.net !== 0)
  return nic !== undefined && (await cluster.hostLink(node, nic)) !== undefined
}

/** Boots one topology as its test says, runs its checks, and stops it (also when a step fails). */
async function testTopology(input: StreamInput, name: string): Promise<CheckResult[]> {
  const test = TOPOLOGY_TESTS[name]
  // The topology's own router and tester counts (2 routers where it has none), whatever the config says: the checks
  // cross them.
  const spec = findTopology(name)
  const testers = test.testers ?? spec.testers
  const settings = {
    topology: name,
    nvm: String(test.nodes),
    nrouters: String(spec.routers ?? 2),
    ...(testers !== undefined ? { ntesters: String(testers) } : {}),
  }
  const cluster = await clusterOf({ ...input, options: { ...input.options, ...settings } })
  if (test.needsTaps && !(await hasTaps(cluster))) {
    input.stdout(`FAIL  ${name}: needs bridges: ${test.needsTaps}\n`)
    return [{ topology: name, what: 'needs bridges', passed: false }]
  }
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
export async function topologyTest(input: StreamInput, names: string[]): Promise<number> {
  const unknown = names.filter((name) => !(name in TOPOLOGY_TESTS))
  if (unknown.length > 0)
    throw new XclusterError(
      `topology test: no checks for ${unknown.join(', ')}; the topologies with checks are` +
        ` ${Object.keys(TOPOLOGY_TESTS).join(', ')}`,
    )
  const results: CheckResult[] = []
  for (const name of names.length > 0 ? names : Object.keys(TOPOLOGY_TESTS))
    results.push(...(await testTopology(input, name)))
  const topologies = [...new Set(results.map((r) => r.topology))]
  const line = topologies.map(
    (t) =>
      `${t} ${results.filter((r) => r.topology === t && r.passed).length}/` +
      `${results.filter((r) => r.topology === t).length}`,
  )
  const passed = results.filter((r) => r.passed).length
  input.stdout(`topology test: ${passed} of ${results.length} checks passed (${line.join(', ')})\n`)
  return passed === results.length ? 0 : 1
}
