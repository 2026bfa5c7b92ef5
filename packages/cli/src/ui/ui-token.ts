import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Where a running `xcluster ui` of a cluster listens, and its token. */
export interface UiAddress {
  token: string
  port: number
}

const LINE = /^([A-Za-z0-9_-]{43}) (\d{1,5})\n?$/

/** The file of the running server: its token and port, in the (private) state directory, 0600, while it runs. */
export const tokenFile = (stateDir: string) => join(stateDir, 'ui-token')

/**
 * Keeps the server's token and port for the cluster's other commands (`xcluster events`) while it runs, in the state
 * directory the server made sure of when it started.
 */
export async function writeUiAddress(stateDir: string, { token, port }: UiAddress): Promise<void> {
  const file = tokenFile(stateDir)
  await rm(file, { force: true })
  await writeFile(file, `${token} ${port}\n`, { mode: 0o600, flag: 'wx' })
}

/** The running server's token and port, when its file is there and says them. */
export async function readUiAddress(stateDir: string): Promise<UiAddress | undefined> {
  const found = LINE.exec(await readFile(tokenFile(stateDir), 'utf8').catch(() => ''))
  return found ? { token: found[1], port: Number(found[2]) } : undefined
}
