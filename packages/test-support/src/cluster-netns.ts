import { execa } from 'execa'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestNetns, removeTestFiles, xclusterInClusterNetns } from './netns.js'

/**
 * A stand-in host (a netns of the test's own, as user `user`) with the cluster netns of `xcluster nsadd 1` in it and a
 * project directory holding `config`: where a backend that runs in a cluster netns (bridges, OVS, OVN) is tested.
 */
export async function clusterNetnsProject(label: string, user: string, config: object) {
  const host = await TestNetns.create(label, { USER: user })
  const dir = await mkdtemp(join(tmpdir(), `xcluster-${label}-`))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify(config))
  const nsadd = await host.hostXcluster(['nsadd', '1'], { cwd: dir })
  if (nsadd.exitCode !== 0) {
    // The caller has nothing to clean up with yet.
    await execa('ip', ['netns', 'del', host.name])
    await removeTestFiles(dir)
    throw new Error(`xcluster nsadd 1 failed: ${nsadd.stderr}`)
  }
  return { host, dir }
}

/** Stops the project's cluster, deletes the cluster netns and the stand-in host, and removes the test's files. */
export async function removeClusterNetnsProject(host: TestNetns | undefined, dir: string | undefined, user: string) {
  if (!host || !dir) return
  await xclusterInClusterNetns(user, () => dir)('stop')
  await host.hostXcluster(['nsdel', '1'], { cwd: dir })
  await execa('ip', ['netns', 'del', host.name])
  await removeTestFiles(dir, `/tmp/xcluster-${user}`)
}
