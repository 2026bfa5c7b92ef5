import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'

/** `xcluster mkcdrom` remembers the overlays it was given here, for the next start. */
function selectionFile(stateDir: string): string {
  return join(stateDir, 'overlays.json')
}

export async function readSelection(stateDir: string): Promise<string[]> {
  return JSON.parse(await readFile(selectionFile(stateDir), 'utf8').catch(() => '[]'))
}

export async function writeSelection(stateDir: string, overlays: string[]): Promise<void> {
  await mkdir(stateDir, { recursive: true })
  await writeFile(selectionFile(stateDir), JSON.stringify(overlays))
}
