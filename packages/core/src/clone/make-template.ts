import { readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import type { Host } from '../host/host.js'
import { ifPresent } from '../host/if-present.js'
import { ignoreSharedMemory, migrationDone, saveMemory } from '../snapshot/migration-stream.js'
import { processExists } from '../vm/end-process.js'
import { createDisk, launchQemu } from '../vm/launch.js'
import { qmpCommand } from '../vm/qmp.js'
import { lastLines } from '../vm/readiness.js'
import { withCloneDevices } from './clone-devices.js'
import { type Template, endProcessesIn, finishTemplate, partialTemplateDir, templateOf } from './template-store.js'
import { type TemplateShape, templateArgv, templateFile } from './template-shape.js'

/** What the guest's /init prints when it waits for an identity, and when it cannot (no virtio console). */
const WAITING = 'xcluster: template waiting for an identity'
const NO_PORT = 'xcluster: no identity port'

/** A template that can never be made of its shape (its kernel cannot wait for an identity), not a passing failure. */
export class UnclonableShape extends XclusterError {}

/** What making a template needs. */
export interface TemplatePlan {
  host: Host
  workspace: string
  /** The image its disk is a copy-on-write layer over. */
  image: string
  /** The size of its blank cdrom: the clones' cdrom is padded to it. */
  cdromBytes: number
  /** Seconds its boot may take (bootTimeout). */
  timeoutSeconds: number
}

/** Waits until the template's guest waits for an identity; fails when it cannot, dies, or takes too long. */
async function untilWaiting(consoleLog: string, pid: () => Promise<number | undefined>, seconds: number) {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const log = (await ifPresent(readFile(consoleLog, 'utf8'))) ?? ''
    if (log.includes(WAITING)) return
    if (log.includes(NO_PORT))
      throw new UnclonableShape(
        'its guest has no virtio console: its kernel lacks CONFIG_VIRTIO_CONSOLE (`xcluster kernel build` makes one' +
          ' that has it), or its module virtio_console was kept out (modprobe.blacklist)',
      )
    const running = await pid()
    const why =
      running === undefined || !processExists(running)
        ? 'its qemu stopped'
        : Date.now() > deadline
          ? `it did not wait for an identity within ${seconds} s (bootTimeout)`
          : undefined
    if (why) throw new XclusterError(`the template ${why}; last console lines:\n${lastLines(log)}`)
    await sleep(50)
  }
}

/**
 * Boots a template of `shape` and saves it where its clones find it: its guest boots to the point where it waits for
 * an identity, then is frozen and its devices saved (its RAM stays in its file, which clones map), and qemu quits. Its
 * disk is the state it had then. Nothing of a template that failed is left.
 */
export async function makeTemplate(shape: TemplateShape, plan: TemplatePlan): Promise<Template> {
  const dir = await partialTemplateDir(plan.workspace, shape.key)
  const file = (name: Parameters<typeof templateFile>[1]) => templateFile(dir, name)
  const pid = async () => {
    const text = await ifPresent(readFile(file('pid'), 'utf8'))
    return text === undefined ? undefined : Number(text.trim())
  }
  try {
    await createDisk(plan.host, { disk: file('disk') }, plan.image)
    // A blank cdrom of the size the clones' will have: the guest's kernel took its size before the template waited.
    await writeFile(file('cdrom'), '', { mode: 0o600 })
    await truncate(file('cdrom'), plan.cdromBytes)
    const argv = withCloneDevices(templateArgv(shape, dir), {
      memory: file('memory'),
      share: true,
      identity: file('identity'),
    })
    await launchQemu(plan.host, { hostname: `the template ${shape.key}` }, argv)
    await untilWaiting(file('consoleLog'), pid, plan.timeoutSeconds)
    const qmp = file('qmp')
    await qmpCommand(qmp, 'stop')
    await ignoreSharedMemory(qmp)
    await saveMemory(qmp, file('state'))
    await migrationDone(qmp, `the template ${shape.key}`)
    await qmpCommand(qmp, 'quit').catch(() => undefined)
    await endProcessesIn(dir)
    // What a template is stays (its console log too: each clone's log begins with it, as a booted VM's begins with
    // its boot); the rest its qemu had (sockets, pid file, the blank cdrom) goes, whatever a VM's files come to be.
    const { memory, state, disk, consoleLog } = templateOf(dir, shape.key)
    const kept = new Set([memory, state, disk, consoleLog])
    for (const name of await readdir(dir)) if (!kept.has(join(dir, name))) await rm(join(dir, name), { force: true })
    return await finishTemplate(plan.workspace, shape.key, dir)
  } catch (error) {
    // By its command line, not its pid file: one that failed early may have none yet.
    await endProcessesIn(dir)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
