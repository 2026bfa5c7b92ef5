import { readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dirEntries, ifPresent } from '../host/if-present.js'
import { assertPrivateDirIfPresent, assertTrustedFile, ensurePrivateDir } from '../host/trusted-path.js'
import { templateFile } from './template-shape.js'
import { TEMPLATE_KEY } from './clone-mark.js'
import { endProcess, processExists } from '../vm/end-process.js'
import { processesWithPart } from '../vm/processes.js'

/** A made template: its RAM (clones map it copy-on-write), its device state, its disk (their backing file). */
export interface Template {
  key: string
  dir: string
  memory: string
  state: string
  disk: string
  /** Its console until it waited: the start of each clone's console log. */
  consoleLog: string
}

export function templatesDir(workspace: string): string {
  return join(workspace, 'templates')
}

/** The marker of a whole template: written last, so a template without it is being made or was not finished. */
const MADE = 'made.json'

export function templateOf(dir: string, key: string): Template {
  return {
    key,
    dir,
    memory: templateFile(dir, 'memory'),
    state: templateFile(dir, 'state'),
    disk: templateFile(dir, 'disk'),
    consoleLog: templateFile(dir, 'consoleLog'),
  }
}

/**
 * The template of `key` if it was made whole; its directory and files must be nobody else's (a clone maps its memory
 * and boots its devices: another user's would be code in your VMs).
 */
export async function madeTemplate(workspace: string, key: string): Promise<Template | undefined> {
  const dir = join(templatesDir(workspace), key)
  await assertPrivateDirIfPresent(dir, 'template directory')
  if (!(await ifPresent(stat(join(dir, MADE))))) return undefined
  const template = templateOf(dir, key)
  for (const file of [template.memory, template.state, template.disk, template.consoleLog, join(dir, MADE)])
    await assertTrustedFile(file, 'a file of the template')
  return template
}

/** A template being made: `<key>.partial-<pid of the start making it>`. */
const PARTIAL = /^[0-9a-f]{16}\.partial-(\d+)$/
/** The directory of a template being made, as a word of its qemu's command line names it. */
const PARTIAL_IN_WORD = /\/([0-9a-f]{16}\.partial-(\d+))\//

/** Ends this user's processes (a template's qemu) whose command line names a file in `dir`. */
export async function endProcessesIn(dir: string): Promise<void> {
  for (const { pid } of await processesWithPart(`${dir}/`)) await endProcess(pid)
}

/**
 * Templates whose making was cut off (the start making one was killed): their qemu, known by the directory its
 * command line names (also when the directory is gone), is ended and the directory removed. One whose start still
 * runs is left to it.
 */
export async function sweepAbandonedTemplates(workspace: string): Promise<void> {
  const dir = templatesDir(workspace)
  for (const { pid, word } of await processesWithPart(`${dir}/`)) {
    const maker = Number(PARTIAL_IN_WORD.exec(word)?.[2])
    if (maker && !processExists(maker)) await endProcess(pid)
  }
  for (const entry of await dirEntries(dir)) {
    const maker = Number(PARTIAL.exec(entry)?.[1])
    if (maker && !processExists(maker)) await rm(join(dir, entry), { recursive: true, force: true })
  }
}

/**
 * A private directory to make template `key` in, out of the way of any other start making it; what starts that were
 * killed left half-made goes first.
 */
export async function partialTemplateDir(workspace: string, key: string): Promise<string> {
  await ensurePrivateDir(templatesDir(workspace), 'templates directory')
  await sweepAbandonedTemplates(workspace)
  const dir = join(templatesDir(workspace), `${key}.partial-${process.pid}`)
  await rm(dir, { recursive: true, force: true })
  await ensurePrivateDir(dir, 'template directory')
  return dir
}

/**
 * Marks the template in `partial` whole and puts it in its place; when another start made the same one meanwhile,
 * that one is kept and this one removed.
 */
export async function finishTemplate(workspace: string, key: string, partial: string): Promise<Template> {
  await writeFile(join(partial, MADE), `${JSON.stringify({ key, made: new Date().toISOString() })}\n`, { mode: 0o600 })
  const dir = join(templatesDir(workspace), key)
  await rename(partial, dir).catch(async () => rm(partial, { recursive: true, force: true }))
  const made = await madeTemplate(workspace, key)
  if (!made) throw new Error(`the template ${key} is not in ${dir} after it was made`)
  return made
}

/** Where a start notes that a shape cannot be cloned (its kernel has no virtio console): later starts boot at once. */
function unclonableFile(workspace: string, key: string): string {
  return join(templatesDir(workspace), `${key}.unclonable`)
}

/** Notes that `key` cannot be cloned, and why (one line). */
export async function markUnclonable(workspace: string, key: string, why: string): Promise<void> {
  await ensurePrivateDir(templatesDir(workspace), 'templates directory')
  await writeFile(unclonableFile(workspace, key), `${why.split('\n')[0].slice(0, 300)}\n`, { mode: 0o600 })
}

/** Why `key` cannot be cloned, when a start found so; a note another user could have written is refused. */
export async function unclonable(workspace: string, key: string): Promise<string | undefined> {
  const file = unclonableFile(workspace, key)
  if (!(await ifPresent(stat(file)))) return undefined
  await assertTrustedFile(file, 'a note of the templates')
  return (await readFile(file, 'utf8')).slice(0, 300).trim()
}

/** Removes the notes that a shape cannot be cloned that are `old` (a later start of it tries cloning again). */
export async function pruneUnclonableNotes(workspace: string, old: (written: Date) => boolean): Promise<string[]> {
  const removed: string[] = []
  for (const name of await dirEntries(templatesDir(workspace))) {
    const key = /^(.+)\.unclonable$/.exec(name)?.[1]
    if (key === undefined || !TEMPLATE_KEY.test(key)) continue
    const file = unclonableFile(workspace, key)
    if (!old((await stat(file)).mtime)) continue
    await rm(file, { force: true })
    removed.push(file)
  }
  return removed
}

/** A template as `image --list` shows it. */
export interface TemplateEntry {
  key: string
  dir: string
  bytes: number
  /** When a start last cloned a VM of it. */
  lastUsed: Date
}

/** A start that clones VMs of `template` notes when it did (the time of its marker), for `image --prune`. */
export async function touchTemplate(template: Template): Promise<void> {
  const now = new Date()
  await utimes(join(template.dir, MADE), now, now)
}

/** Every template made whole in the workspace (those being made, and notes, are not). */
export async function listTemplates(workspace: string): Promise<TemplateEntry[]> {
  const entries: TemplateEntry[] = []
  for (const key of await dirEntries(templatesDir(workspace))) {
    if (!TEMPLATE_KEY.test(key)) continue
    const template = await madeTemplate(workspace, key)
    if (!template) continue
    const files = [template.memory, template.state, template.disk, template.consoleLog]
    const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size))
    const made = await stat(join(template.dir, MADE))
    entries.push({ key, dir: template.dir, bytes: sizes.reduce((a, b) => a + b, 0), lastUsed: made.mtime })
  }
  return entries
}

/** Removes a template; clones that run keep what they mapped and opened, but none can start from it any more. */
export async function removeTemplate(entry: TemplateEntry): Promise<void> {
  await rm(entry.dir, { recursive: true, force: true })
}
