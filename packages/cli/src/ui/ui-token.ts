import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureStateDir } from '@xcluster/core'
import { newToken } from './access.js'

const TOKEN = /^[A-Za-z0-9_-]{43}$/

/** The file that keeps the page's token: in the (private) state directory, 0600. */
export const tokenFile = (stateDir: string) => join(stateDir, 'ui-token')

/**
 * The page's token: the one kept from the last `xcluster ui` of this cluster (the page's URL stays the same), else a
 * new one, kept.
 */
export async function uiToken(stateDir: string): Promise<string> {
  await ensureStateDir(stateDir)
  const file = tokenFile(stateDir)
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim()
  if (TOKEN.test(kept)) return kept
  const token = newToken()
  await rm(file, { force: true })
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
  return token
}
