import { createHash } from 'node:crypto'
import type { VmFiles } from '../qemu/state-files.js'

/** Stands for the template's directory in a shape's words: the key does not depend on where templates live. */
export const TEMPLATE_DIR = '<template>'

/** What a clone must share with its template: the words of its qemu command line, the VM's own taken out. */
export interface TemplateShape {
  /** The template's argv, its files in TEMPLATE_DIR; every NIC's backend a hub of its own (no state to migrate). */
  words: string[]
  /** The hash of the words and of what they name (kernel, initrd, image, cdrom size, qemu), in hex. */
  key: string
}

/** What a VM's argv names of its own: its files, its name, the cluster's cdrom. */
export interface OwnWords {
  files: VmFiles
  hostname: string
  cdrom?: string
}

/** The template's file of each VM file, by the same name (`template.qmp`: the migration socket is found beside it). */
export function templateFile(dir: string, name: keyof VmFiles | 'memory' | 'state' | 'cdrom'): string {
  return `${dir}/template.${name}`
}

/** Replaces every path of the VM's own in a word (`file=/x/vm-001.qcow2,if=virtio`) with the template's. */
function withTemplatePaths(word: string, own: OwnWords): string {
  let out = word
  // Longest first: vm-001.console before a path it begins with.
  const paths = Object.entries(own.files).sort(([, a], [, b]) => b.length - a.length) as [keyof VmFiles, string][]
  for (const [name, path] of paths) out = out.split(path).join(templateFile(TEMPLATE_DIR, name))
  if (own.cdrom) out = out.split(own.cdrom).join(templateFile(TEMPLATE_DIR, 'cdrom'))
  return out
}

/**
 * The template shape of a VM's argv: its own words (files, name, MACs, the backends of its NICs) replaced by the
 * template's, so that VMs that differ only in those share one template; `facts` are what else the guest depends on
 * (the kernel's, initrd's and image's identity, the cdrom's size, the qemu program).
 */
export function templateShape(argv: string[], own: OwnWords, facts: Record<string, string>): TemplateShape {
  const words: string[] = []
  for (let k = 0; k < argv.length; k++) {
    const [option, value] = [argv[k], argv[k + 1]]
    if (option === '-name') {
      words.push(option, 'xcluster-template')
      k++
    } else if (option === '-netdev' && value !== undefined) {
      const id = /(?:^|,)id=([^,]+)/.exec(value)?.[1] ?? ''
      words.push(option, `hubport,id=${id},hubid=${words.filter((word) => word === '-netdev').length}`)
      k++
    } else words.push(withTemplatePaths(option, own).replace(/(^|,)mac=[0-9a-fA-F:]{17}/g, '$1mac=02:00:00:00:00:00'))
  }
  const key = createHash('sha256').update(JSON.stringify({ words, facts })).digest('hex').slice(0, 16)
  return { words, key }
}

/** The shape's words for a template in `dir`. */
export function templateArgv(shape: TemplateShape, dir: string): string[] {
  return shape.words.map((word) => word.split(TEMPLATE_DIR).join(dir))
}
