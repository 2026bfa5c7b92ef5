import type { Operation } from '../contract/operation.js'
import { SUMMARIES } from './summaries.js'

/**
 * An operation as a list of them knows it before it is used: its name, its line of help, and its module, loaded
 * when it is used (a command reads its own operation's code, not every one's).
 */
export interface OperationEntry {
  readonly name: string
  readonly summary: string
  load(): Promise<Operation>
}

const entry = (name: keyof typeof SUMMARIES, load: () => Promise<Operation>): OperationEntry => ({
  name,
  summary: SUMMARIES[name],
  load,
})

/** Core's operations, in the order `xcluster --help` lists them. */
export const CORE_CATALOG: readonly OperationEntry[] = [
  entry('start', async () => (await import('./start.js')).startOperation),
  entry('stop', async () => (await import('./stop.js')).stopOperation),
  entry('status', async () => (await import('./status.js')).statusOperation),
  entry('scaleout', async () => (await import('./scaleout.js')).scaleoutOperation),
  entry('scalein', async () => (await import('./scalein.js')).scaleinOperation),
  entry('vm', async () => (await import('./vm.js')).vmOperation),
  entry('stop-vm', async () => (await import('./vm-control.js')).stopVmOperation),
  entry('cont-vm', async () => (await import('./vm-control.js')).contVmOperation),
  entry('reset-vm', async () => (await import('./vm-control.js')).resetVmOperation),
  entry('link', async () => (await import('./link.js')).linkOperation),
  entry('faults', async () => (await import('./faults.js')).faultsOperation),
  entry('snapshot', async () => (await import('./snapshot.js')).snapshotOperation),
  entry('rsh', async () => (await import('./rsh.js')).rshOperation),
  entry('tcpdump', async () => (await import('./tcpdump.js')).tcpdumpOperation),
  entry('netem', async () => (await import('./netem.js')).netemOperation),
  entry('rcp', async () => (await import('./rcp.js')).rcpOperation),
  entry('mkcdrom', async () => (await import('./mkcdrom.js')).mkcdromOperation),
  entry('image', async () => (await import('./image.js')).imageOperation),
  entry('kernel', async () => (await import('./kernel.js')).kernelOperation),
  entry('env', async () => (await import('./env.js')).envOperation),
  entry('ovld', async () => (await import('./overlay-helpers.js')).ovldOperation),
  entry('install_prog', async () => (await import('./overlay-helpers.js')).installProgOperation),
  entry('cplib', async () => (await import('./overlay-helpers.js')).cplibOperation),
  entry('cploader', async () => (await import('./overlay-helpers.js')).cploaderOperation),
  entry('init', async () => (await import('./init.js')).initOperation),
]

/** Core's operation of that name, loaded; undefined when core has none. */
export function coreOperation(name: string): Promise<Operation | undefined> {
  return CORE_CATALOG.find((entry) => entry.name === name)?.load() ?? Promise.resolve(undefined)
}

/** Every operation of core, loaded one after the other (an HTTP API, agent tools and the docs serve them all). */
export async function coreOperations(): Promise<Operation[]> {
  const operations: Operation[] = []
  for (const entry of CORE_CATALOG) operations.push(await entry.load())
  return operations
}
