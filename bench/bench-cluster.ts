// What the boot benchmarks share: the cluster they drive, and how they report times.
import type { TestNetns } from '@xcluster/test-support/netns'

/** The bench's cluster: xcluster in the bench's namespace and project, and its state directory. */
export interface BenchCluster {
  xc: (...args: string[]) => ReturnType<TestNetns['xcluster']>
  stateDir: string
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
