import { copyFile, stat, truncate } from 'node:fs/promises'
import { findProgram } from '@xcluster/image/find-program'
import type { ClusterContext } from '../contract/context.js'
import { XclusterError, messageOf } from '../errors.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { type BootStrategy, booted } from '../runtime/boot-strategy.js'
import { ignoreSharedMemory, runFromState } from '../snapshot/migration-stream.js'
import { markClone } from './clone-mark.js'
import { waitUntilReady } from '../vm/readiness.js'
import { withCloneDevices } from './clone-devices.js'
import { identityLines, tellIdentity } from './identity.js'
import { UnclonableShape, makeTemplate } from './make-template.js'
import { type Template, madeTemplate, markUnclonable, touchTemplate, unclonable } from './template-store.js'
import { type TemplateShape, templateShape } from './template-shape.js'

/** A cdrom is padded to a multiple of this: the template's blank one had that size when the guest probed it. */
const CDROM_STEP = 64 << 20

/** What a file is, for a template's key: its path, size and time of change. */
async function fileFact(path: string): Promise<string> {
  const s = await stat(path)
  return `${path} ${s.size} ${s.mtimeMs}`
}

/**
 * VMs started as clones of a template of their shape (`clone: yes`), each template booted and saved the first time a
 * shape needs it; a VM whose template cannot be made boots, and the log says why. VMs a plugin launches elsewhere (on
 * other machines) boot as before.
 */
export function cloning(context: ClusterContext, launchedByPlugin: boolean): BootStrategy {
  const boot = booted(context)
  const templates = new Map<number, Template>()
  const templateOf = (node: Node) => templates.get(node.id)
  const { config, host } = context

  /** Each target's template, found or made; a target whose template cannot be made boots. */
  async function chooseTemplates(argvs: ReadonlyMap<number, string[]>, cdromBytes: number): Promise<void> {
    // The qemu program as a file (an upgrade replaces it), not its --version: no process on the way to every start.
    const qemu = findProgram(config.qemu, host.env.PATH ?? '')
    const argv = argvs.values().next().value ?? []
    const named = (option: string) => argv[argv.indexOf(option) + 1]
    const facts = {
      kernel: await fileFact(named('-kernel')),
      initrd: await fileFact(named('-initrd')),
      image: await fileFact(config.image),
      cdrom: String(cdromBytes),
      qemu: qemu === undefined ? config.qemu : await fileFact(qemu),
    }
    const byShape = new Map<string, { shape: TemplateShape; nodes: Node[] }>()
    for (const node of context.targets) {
      const own = { files: vmFiles(context.stateDir, node.id), hostname: node.hostname, cdrom: context.cdrom }
      const shape = templateShape(argvs.get(node.id)!, own, facts)
      const entry = byShape.get(shape.key) ?? { shape, nodes: [] }
      entry.nodes.push(node)
      byShape.set(shape.key, entry)
    }
    for (const { shape, nodes } of byShape.values()) {
      const names = nodes.map((node) => node.hostname).join(', ')
      try {
        const cannot = await unclonable(config.workspace, shape.key)
        if (cannot) throw new XclusterError(`the template ${shape.key}: ${cannot}`)
        let template = await madeTemplate(config.workspace, shape.key)
        if (!template) {
          context.log(`making the template ${shape.key} of ${names} (once for this shape)`)
          const plan = { host, workspace: config.workspace, image: config.image, cdromBytes }
          template = await makeTemplate(shape, { ...plan, timeoutSeconds: config.bootTimeout })
        }
        await touchTemplate(template)
        for (const node of nodes) templates.set(node.id, template)
      } catch (error) {
        if (error instanceof UnclonableShape) await markUnclonable(config.workspace, shape.key, error.message)
        context.log(`no template for ${names}: ${messageOf(error)}; they boot`)
      }
    }
  }

  return {
    async prepare(argvs) {
      if (launchedByPlugin) {
        context.log('a plugin launches the VMs (on other machines): they boot, as clones start on this machine only')
        return
      }
      // Zeros after an ISO's end are no part of it: padded, the cdrom has the size of the template's blank one.
      const cdromBytes = context.cdrom
        ? Math.ceil((await stat(context.cdrom)).size / CDROM_STEP) * CDROM_STEP
        : CDROM_STEP
      if (context.cdrom) await truncate(context.cdrom, cdromBytes)
      await chooseTemplates(argvs, cdromBytes)
    },
    describe: (node) => {
      const template = templateOf(node)
      return template ? `cloning ${node.hostname} from the template ${template.key}` : boot.describe(node)
    },
    async disk(node, files) {
      const template = templateOf(node)
      if (!template) return boot.disk(node, files)
      await host.run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', template.disk, '-F', 'qcow2', files.disk])
      // Its console log begins with the template's boot, which its qemu appends to.
      await copyFile(template.consoleLog, files.consoleLog)
    },
    argv(node, argv) {
      const template = templateOf(node)
      if (!template) return argv
      const { identity, consoleLog } = vmFiles(context.stateDir, node.id)
      const appended = argv.map((word) => (word.endsWith(`logfile=${consoleLog}`) ? `${word},logappend=on` : word))
      return [...withCloneDevices(appended, { memory: template.memory, share: false, identity }), '-incoming', 'defer']
    },
    async untilUp(node, alive) {
      const template = templateOf(node)
      if (!template) return boot.untilUp(node, alive)
      const files = vmFiles(context.stateDir, node.id)
      await ignoreSharedMemory(files.qmp)
      const state = { file: template.state, what: "its template's state" }
      await runFromState(files.qmp, state, node.hostname, config.bootTimeout, alive)
      const close = await tellIdentity(
        files.identity,
        await identityLines(host, node, `${files.identity}.key`),
        node.hostname,
      )
      try {
        await markClone(files, template.key)
        await waitUntilReady(node, files.consoleLog, config.bootTimeout, alive)
      } finally {
        close()
      }
    },
  }
}
