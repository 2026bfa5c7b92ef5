import { setTimeout as sleep } from 'node:timers/promises'

/** Whether a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
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
