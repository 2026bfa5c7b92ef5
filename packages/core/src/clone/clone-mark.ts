import { readFile, writeFile } from 'node:fs/promises'
import { ifPresent } from '../host/if-present.js'
import type { VmFiles } from '../qemu/state-files.js'

/** A template's key: 16 hex digits (it names a directory). */
export const TEMPLATE_KEY = /^[0-9a-f]{16}$/

/** Notes beside a VM's files that it is a clone of template `key` (a clone start or a restore of one writes it). */
export async function markClone(files: Pick<VmFiles, 'template'>, key: string): Promise<void> {
  await writeFile(files.template, `${key}\n`, { mode: 0o600 })
}

/** The template a VM is a clone of, as its mark says; anything but a key is none. */
export async function cloneMark(files: Pick<VmFiles, 'template'>): Promise<string | undefined> {
  const key = (await ifPresent(readFile(files.template, 'utf8')))?.trim()
  return key !== undefined && TEMPLATE_KEY.test(key) ? key : undefined
}
