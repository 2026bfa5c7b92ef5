import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { PATH } from '../config/setting-kinds.js'
import { nodeSchema } from '../schema/node-schema.js'
import { parseJsonAs } from '../schema/read-json.js'
import { TEMPLATE_KEY } from '../clone/clone-mark.js'

export const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const PLUGIN_NAME = /^[\w@./-]{1,214}$/

/** What a snapshot holds besides its files: what it was taken of, compared at a restore. */
const manifestSchema = z.strictObject({
  name: z.string().regex(SNAPSHOT_NAME),
  created: z.iso.datetime(),
  nodes: z
    .array(nodeSchema)
    .min(1)
    .max(240)
    .refine((nodes) => new Set(nodes.map((node) => node.id)).size === nodes.length, 'each node once'),
  plugins: z.array(z.string().regex(PLUGIN_NAME)).max(100),
  kernel: z.string().regex(PATH),
  initrd: z.string().regex(PATH),
  image: z.string().regex(PATH),
  /** The VMs that are clones, each with its template's key: a restore maps its memory and layers over its disk. */
  templates: z
    .array(z.strictObject({ id: z.number().int().min(1).max(240), key: z.string().regex(TEMPLATE_KEY) }))
    .max(240)
    .optional(),
})

export type SnapshotManifest = z.infer<typeof manifestSchema>

export const manifestFile = (dir: string) => join(dir, 'snapshot.json')

export async function writeManifest(dir: string, manifest: SnapshotManifest): Promise<void> {
  await writeFile(manifestFile(dir), JSON.stringify(manifest, null, 2), { mode: 0o600, flag: 'wx' })
}

/** A snapshot's manifest, checked whole: a node id, MAC or path that xcluster would not have written is refused. */
export async function parseManifest(dir: string): Promise<SnapshotManifest> {
  const file = manifestFile(dir)
  return parseJsonAs(manifestSchema, await readFile(file, 'utf8'), `${file} is not a snapshot xcluster wrote`)
}

/** What a snapshot must match to be restored: the kernel, initrd and image the VMs run, and the plugins. */
export type SnapshotIdentity = Pick<SnapshotManifest, 'kernel' | 'initrd' | 'image' | 'plugins'>

/** How a snapshot differs from what would start now: each difference named, with both values. */
export function differences(manifest: SnapshotManifest, now: SnapshotIdentity): string[] {
  const keys = ['kernel', 'initrd', 'image', 'plugins'] as const
  const shown = (value: string | string[]) => (Array.isArray(value) ? value.join(',') : value) || 'none'
  return keys
    .filter((key) => shown(manifest[key]) !== shown(now[key]))
    .map((key) => `${key}: the snapshot has ${shown(manifest[key])}, now ${shown(now[key])}`)
}
