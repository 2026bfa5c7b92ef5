import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'

/*
 * The one list of the cluster's nodes while it runs: written by start, changed by scaleout and
 * scalein, read by status, stop, rsh and the plugins (DNS names, /etc/hosts). A node's nets are
 * what it was started with, whatever the config says later.
 */

const recordPath = (stateDir: string) => join(stateDir, 'nodes.json')

function isNode(value: unknown): value is Node {
  const node = value as Node
  return (
    typeof node === 'object' &&
    node !== null &&
    Number.isInteger(node.id) &&
    typeof node.hostname === 'string' &&
    Array.isArray(node.nics)
  )
}

/** The recorded nodes, by id; none when the cluster has not started. */
export async function readNodeRecord(stateDir: string): Promise<Node[]> {
  let text: string
  try {
    text = await readFile(recordPath(stateDir), 'utf8')
  } catch {
    return []
  }
  let nodes: unknown
  try {
    nodes = JSON.parse(text)
  } catch {
    nodes = undefined
  }
  if (!Array.isArray(nodes) || !nodes.every(isNode)) {
    throw new XclusterError(
      `${recordPath(stateDir)} is not a list of nodes (was it edited?): \`xcluster stop\` ends the cluster and` +
        ` removes it`,
    )
  }
  return nodes
}

/** Replaces the record (nodes sorted by id, as the Cluster keeps them); a reader never sees half a file. */
export async function writeNodeRecord(stateDir: string, nodes: Node[]): Promise<void> {
  const path = recordPath(stateDir)
  await writeFile(`${path}.new`, JSON.stringify(nodes), { mode: 0o600 })
  await rename(`${path}.new`, path)
}

export async function removeNodeRecord(stateDir: string): Promise<void> {
  await rm(recordPath(stateDir), { force: true })
}
