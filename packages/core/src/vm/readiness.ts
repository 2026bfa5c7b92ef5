import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'

/** The line the guest's last rc script prints on the console. */
export function readyLine(node: Node): string {
  return `xcluster: ${node.hostname} ready`
}

export function lastLines(text: string, count = 15): string {
  return text.trimEnd().split('\n').slice(-count).map((line) => `  | ${line}`).join('\n')
}

/** Waits until the console log says the VM is up; fails early if qemu dies, and on timeout with the log's end. */
export async function waitUntilReady(node: Node, consoleLog: string, timeoutSeconds: number, alive: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    const log = await readFile(consoleLog, 'utf8').catch(() => '')
    if (log.includes(readyLine(node))) return
    if (!(await alive())) throw new XclusterError(`${node.hostname} stopped while booting; last console lines:\n${lastLines(log)}`)
    if (Date.now() > deadline) {
      throw new XclusterError(`${node.hostname} was not up after ${timeoutSeconds} s (bootTimeout); last console lines:\n${lastLines(log)}`)
    }
    await sleep(250)
  }
}
