import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'
import { ifPresent } from '../host/if-present.js'

/** The line the guest's last rc script prints on the console. */
export function readyLine(node: Pick<Node, 'hostname'>): string {
  return `xcluster: ${node.hostname} ready`
}

export function lastLines(text: string, count = 15): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-count)
    .map((line) => `  | ${line}`)
    .join('\n')
}

/** How many times the console log says the VM came up (once a boot). */
export async function readyCount(node: Pick<Node, 'hostname'>, consoleLog: string): Promise<number> {
  return ((await ifPresent(readFile(consoleLog, 'utf8'))) ?? '').split(readyLine(node)).length - 1
}

/**
 * Waits until the console log says the VM is up (`boots` times: 2 after one reset); fails early if
 * qemu dies, and on timeout with the log's end.
 */
export async function waitUntilReady(
  node: Node,
  consoleLog: string,
  timeoutSeconds: number,
  alive: () => Promise<boolean>,
  boots = 1,
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    const log = (await ifPresent(readFile(consoleLog, 'utf8'))) ?? ''
    if (log.split(readyLine(node)).length - 1 >= boots) return
    if (!(await alive()))
      throw new XclusterError(`${node.hostname} stopped while booting; last console lines:\n${lastLines(log)}`)
    if (Date.now() > deadline) {
      throw new XclusterError(
        `${node.hostname} was not up after ${timeoutSeconds} s (bootTimeout); last console lines:\n${lastLines(log)}`,
      )
    }
    await sleep(100)
  }
}
