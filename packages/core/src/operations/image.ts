import type { ImageEntry } from '@xcluster/image'
import { realpath } from 'node:fs/promises'
import { XclusterError } from '../errors.js'
import { processesWithArgument, processesWithPart } from '../vm/processes.js'
import type { TemplateEntry } from '../clone/template-store.js'
import type { ImagePaths } from '../workspace/ensure-image.js'
import { defineOperation } from '../contract/operation.js'
import { configOf } from './cluster-of.js'
import { ifPresent } from '../host/if-present.js'
import { SUMMARIES } from './summaries.js'

const DAY_MS = 86_400_000

/** Whether a qemu of this user boots a file of the image (its disk's backing file is there too). */
async function inUse(entry: ImageEntry): Promise<boolean> {
  return (await processesWithArgument([`${entry.dir}/vmlinuz`])).length > 0
}

/** An image as `--list` shows it. */
type ImageRow = { dir: string; mib: number; lastUsed: string; kernel: string; current: boolean }

function rowOf(entry: ImageEntry, current: string | undefined): ImageRow {
  return {
    dir: entry.dir,
    mib: Math.round(entry.bytes / 1048576),
    lastUsed: entry.lastUsed.toISOString(),
    kernel: entry.inputs.kernel ?? '',
    current: entry.dir === current,
  }
}

function describe(row: ImageRow): string {
  return (
    `${row.dir}  ${row.mib} MiB  used ${row.lastUsed.slice(0, 16).replace('T', ' ')} ` +
    ` ${row.kernel}${row.current ? '  (current)' : ''}`
  )
}

/** A template of cloned VMs as `--list` shows it. */
type TemplateRow = { dir: string; mib: number; lastUsed: string }

function templateRowOf(entry: TemplateEntry): TemplateRow {
  return { dir: entry.dir, mib: Math.round(entry.bytes / 1048576), lastUsed: entry.lastUsed.toISOString() }
}

function describeTemplate(row: TemplateRow): string {
  return `${row.dir}  ${row.mib} MiB  used ${row.lastUsed.slice(0, 16).replace('T', ' ')}  (a template of clones)`
}

/**
 * Removes images and templates not used for `days`, keeping the current image, any a running VM boots, and any
 * template a running clone maps.
 */
async function prune(workspace: string, days: number, current: string | undefined) {
  const { listImages, removeImage } = await import('@xcluster/image')
  const store = await import('../clone/template-store.js')
  await store.sweepAbandonedTemplates(workspace)
  const old = (lastUsed: Date) => Date.now() - lastUsed.getTime() >= days * DAY_MS
  const removed: ImageRow[] = []
  for (const entry of await listImages(workspace)) {
    if (entry.dir === current || !old(entry.lastUsed) || (await inUse(entry))) continue
    await removeImage(entry)
    removed.push(rowOf(entry, current))
  }
  // A snapshot of clones layers over its templates' disks: those are kept while it is.
  const { listSnapshots, readManifest } = await import('../snapshot/snapshot-files.js')
  const needed = new Set<string>()
  for (const snapshot of await listSnapshots(workspace))
    if (!snapshot.problem)
      for (const { key } of (await readManifest(workspace, snapshot.name)).templates ?? []) needed.add(key)
  const templates: TemplateRow[] = []
  for (const entry of await store.listTemplates(workspace)) {
    if (!old(entry.lastUsed) || needed.has(entry.key)) continue
    if ((await processesWithPart(`mem-path=${entry.dir}/`)).length > 0) continue
    await store.removeTemplate(entry)
    templates.push(templateRowOf(entry))
  }
  return { removed, templates, notes: await store.pruneUnclonableNotes(workspace, old) }
}

export const imageOperation = defineOperation({
  name: 'image',
  output: '`{ built }`, `{ listed, templates }` or `{ removed, templates, notes }`',
  summary: SUMMARIES.image,
  usage: `[--force] | --list | --prune[=DAYS]`,
  help: `Builds into <workspace>/images/<key>, from Debian packages: the kernel of linux-image-cloud-amd64
(downloaded with apt-get download and unpacked, never installed), an initramfs that loads the
virtio modules, and a busybox + dropbear root disk (ext4 by mke2fs -d, then qcow2). The key is a
hash of every input (package versions, the image code, the ssh key): installs of different
versions keep an image each instead of rebuilding each other's. <workspace>/image links to the one
the last start used. Nothing happens when the image is current. --force rebuilds it.
`,
  flags: {
    force: { type: 'boolean', help: 'build it again even when current' },
    list: {
      type: 'boolean',
      help: 'every image (directory, size, when a start last used it, kernel) and template of clones',
    },
    prune: {
      type: 'optional',
      value: 'DAYS',
      help:
        'remove images and templates of clones no start used for DAYS (7), never the current image, what a' +
        ' running VM boots or maps, or a template a snapshot needs; and notes older than DAYS that a shape' +
        ' could not be cloned',
    },
  },
  async run(
    input,
  ): Promise<
    | { listed: ImageRow[]; templates: TemplateRow[] }
    | { removed: ImageRow[]; templates: TemplateRow[]; notes: string[] }
    | { built: ImagePaths }
  > {
    const { config } = await configOf(input)
    const current = await ifPresent(realpath(`${config.workspace}/image`))
    const { listImages } = await import('@xcluster/image')
    if (input.flags.list) {
      const { listTemplates } = await import('../clone/template-store.js')
      return {
        listed: (await listImages(config.workspace)).map((entry) => rowOf(entry, current)),
        templates: (await listTemplates(config.workspace)).map(templateRowOf),
      }
    }
    if (input.flags.prune !== undefined) {
      const days = input.flags.prune === true ? 7 : Number(input.flags.prune)
      if (!Number.isInteger(days) || days < 0 || days > 3650)
        throw new XclusterError(`--prune=${input.flags.prune}: must be a number of days from 0 to 3650`)
      return prune(config.workspace, days, current)
    }
    const { ensureImage } = await import('../workspace/ensure-image.js')
    const { paths } = await ensureImage(input.host, config, input.progress, input.flags.force === true)
    return { built: paths }
  },
  present(result) {
    if ('listed' in result) {
      const lines = [...result.listed.map(describe), ...result.templates.map(describeTemplate)]
      return { text: lines.map((line) => `${line}\n`).join('') }
    }
    if ('removed' in result) {
      const lines = [
        ...result.removed.map(describe),
        ...result.templates.map(describeTemplate),
        ...result.notes.map(
          (file) => `${file}  (the note that a shape could not be cloned: its next start tries again)`,
        ),
      ]
      return { text: '', notes: lines.map((line) => `removed ${line}`) }
    }
    return { text: '' }
  },
})
