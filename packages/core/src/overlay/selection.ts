import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseJsonAs } from '../schema/read-json.js'
import { ensureStateDir } from '../runtime/state-dir.js'
import { ifPresent } from '../host/if-present.js'

/** `xcluster mkcdrom` remembers the overlays it was given here, for the next start. */
function selectionFile(stateDir: string): string {
  return join(stateDir, 'overlays.json')
}

/** The overlays `mkcdrom` chose; a file that is not a list of names is an error that says how to reset it. */
export async function readSelection(stateDir: string): Promise<string[]> {
  const text = (await ifPresent(readFile(selectionFile(stateDir), 'utf8'))) ?? '[]'
  return parseJsonAs(
    z.array(z.string().max(4096)).max(1000),
    text,
    `${selectionFile(stateDir)} is not a list of overlay names: run \`xcluster mkcdrom\` (no overlays) to reset it,` +
      ' then choose again',
  )
}

export async function writeSelection(stateDir: string, overlays: string[]): Promise<void> {
  await ensureStateDir(stateDir)
  await writeFile(selectionFile(stateDir), JSON.stringify(overlays))
}
