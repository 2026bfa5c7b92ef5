// What the benches read of a process in /proc: its CPU time and its memory.
import { readFile } from 'node:fs/promises'
import { execa } from 'execa'

let ticksPerSecond: number | undefined

/** The CPU time `pid` has used so far, in seconds (user and system, /proc/PID/stat). */
export async function cpuSeconds(pid: number): Promise<number> {
  ticksPerSecond ??= Number((await execa('getconf', ['CLK_TCK'])).stdout)
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // After the command's name (which may hold spaces) in parentheses: utime and stime are the 12th and 13th fields.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

/** Resident memory of `pid` in MiB (VmRSS). */
export async function rssMiB(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
}

/** Proportional set size of `pid` in MiB: the pages it shares with others (clones of one template) counted by share. */
export async function pssMiB(pid: number): Promise<number> {
  return Number(/^Pss:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024
}
