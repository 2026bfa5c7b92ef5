import { readdir, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'
import { ensurePrivateDir } from '../host/trusted-path.js'
import { dirEntries, ifPresent } from '../host/if-present.js'

/*
 * A state directory is xcluster's only when it says so: the mark is written when xcluster makes
 * the directory (or finds it empty). stop removes files only in a marked directory, so a state
 * directory pointed at a directory of the user's (XCLUSTER_TMP=~/work) never loses their files.
 */
const MARK = '.xcluster-state'

/** Whether `stateDir` is one xcluster made (it may hold a cluster's files). */
export async function isStateDir(stateDir: string): Promise<boolean> {
  return (await dirEntries(stateDir)).includes(MARK)
}

/**
 * Makes the state directory (private, 0700) and marks it; an existing one must be private and
 * either marked or empty. A directory with other files is refused, naming some of them.
 */
export async function ensureStateDir(stateDir: string): Promise<void> {
  await ensurePrivateDir(stateDir, 'state directory')
  const files = await readdir(stateDir)
  if (files.includes(MARK)) return
  if (files.length > 0) {
    throw new XclusterError(
      `refusing the state directory ${stateDir}: it holds files xcluster did not make` +
        ` (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''}); choose a new or empty` +
        ` directory (XCLUSTER_TMP, stateDir)`,
    )
  }
  await writeFile(join(stateDir, MARK), 'made by xcluster; removed with the cluster\n', { mode: 0o600, flag: 'wx' })
}

/** Removes the mark, then the directory, once nothing else of the cluster is in it. */
export async function removeStateDirIfEmpty(stateDir: string): Promise<void> {
  const files = await ifPresent(readdir(stateDir))
  if (!files || files.some((file) => file !== MARK)) return
  await rm(join(stateDir, MARK), { force: true })
  await rmdir(stateDir).catch(() => undefined)
}
