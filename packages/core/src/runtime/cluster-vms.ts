import type { ClusterConfig } from '../config/types.js'
import type { Node } from '../node/node.js'
import { idsWithFiles, runningVms } from '../vm/processes.js'
import { nodeOfProcess } from './node-of-process.js'

/** One VM of the cluster as the host sees it now. */
export interface VmState {
  node: Node
  /** The qemu pid, when it runs. */
  pid: number | undefined
}

/** Every VM that runs, or that died and left files: found from /proc, then from the state directory. */
export async function clusterVms(config: ClusterConfig): Promise<VmState[]> {
  const running = await runningVms(config.stateDir)
  const ids = [...new Set([...running.keys(), ...(await idsWithFiles(config.stateDir))])].sort((a, b) => a - b)
  return ids.map((id) => ({ node: nodeOfProcess(config, id, running.get(id)?.argv), pid: running.get(id)?.pid }))
}
