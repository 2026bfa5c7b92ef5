import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Whether a process with this pid runs. A zombie does not: it has ended and waits for its parent
 * to reap it, and an orphan's parent is init, which may take a second or more (the init of these
 * machines did: every stop waited for it).
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = readProcStat(pid)
  return stat === undefined || !/^\d+ \(.*\) Z /s.test(stat)
}

function readProcStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
}

/** Ends one process we started: SIGTERM (qemu exits cleanly), then SIGKILL after the grace time. */
export async function endProcess(pid: number, graceMs = 5000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name)
    } catch {
      // already gone
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (processExists(pid) && Date.now() < deadline) await sleep(50)
  if (!processExists(pid)) return
  signal('SIGKILL')
  while (processExists(pid)) await sleep(20)
}
