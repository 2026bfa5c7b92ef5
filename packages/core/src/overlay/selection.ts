import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'
import { ensureStateDir } from '../runtime/state-dir.js'
import { ifPresent } from '../host/if-present.js'

/** `xcluster mkcdrom` remembers the overlays it was given here, for the next start. */
function selectionFile(stateDir: string): string {
  return join(stateDir, 'overlays.json')
}

/** The overlays `mkcdrom` chose; a file that is not a list of names is an error that says how to reset it. */
export async function readSelection(stateDir: string): Promise<string[]> {
  const text = (await ifPresent(readFile(selectionFile(stateDir), 'utf8'))) ?? '[]'
  let selection: unknown
  try {
    selection = JSON.parse(text)
  } catch {
    // reported below
  }
  if (Array.isArray(selection) && selection.every((name) => typeof name === 'string')) return selection
  throw new XclusterError(
    `${selectionFile(stateDir)} is not a list of overlay names: run \`xcluster mkcdrom\` (no overlays) to reset it,` +
      ` then choose again`,
  )
}

export async function writeSelection(stateDir: string, overlays: string[]): Promise<void> {
  await ensureStateDir(stateDir)
  await writeFile(selectionFile(stateDir), JSON.stringify(overlays))
}
