import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ifPresent } from '../host/if-present.js'
import { MAX_NODE_ID } from '../node/roles.js'
import { nodeSchema } from '../schema/node-schema.js'
import { parseJsonAs } from '../schema/read-json.js'
import type { Node } from '../node/node.js'

/*
 * The one list of the cluster's nodes while it runs: written by start, changed by scaleout and
 * scalein, read by status, stop, rsh and the plugins (DNS names, /etc/hosts). A node's nets are
 * what it was started with, whatever the config says later.
 */

const recordPath = (stateDir: string) => join(stateDir, 'nodes.json')

/** The recorded nodes, by id; none when the cluster has not started. */
export async function readNodeRecord(stateDir: string): Promise<Node[]> {
  const text = await ifPresent(readFile(recordPath(stateDir), 'utf8'))
  if (text === undefined) return []
  return parseJsonAs(
    z.array(nodeSchema).max(MAX_NODE_ID),
    text,
    `${recordPath(stateDir)} is not a list of nodes (was it edited?): \`xcluster stop\` ends the cluster and` +
      ' removes it',
  )
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
