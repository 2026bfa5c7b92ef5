import { mkdtemp, rm } from 'node:fs/promises'

// Module state is per test file (jest loads modules per file), so each file removes only its own.
const made: string[] = []

/** A fresh directory /tmp/xcluster-unit-<label>-XXXXXX, removed by removeTempDirs(). */
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(`/tmp/xcluster-unit-${label}-`)
  made.push(dir)
  return dir
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
}
