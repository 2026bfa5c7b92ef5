import { copyFile, lstat, mkdir, open, rm } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { ifPresent } from './if-present.js'

const PT_DYNAMIC = 2
const PT_INTERP = 3
const MAX_HEADERS = 1024

/** What the dynamic loader needs to know of an ELF file: the loader it names, and whether it links at run time. */
export interface ElfLinking {
  /** PT_INTERP: the dynamic loader of a program; none for a library or a static program. */
  interpreter?: string
  /** PT_DYNAMIC: it has a dynamic section (programs and libraries linked at run time). */
  dynamic: boolean
}

/** Reads the program headers of a 64-bit little-endian ELF file (the machines xcluster runs on). */
export async function elfLinking(file: string): Promise<ElfLinking> {
  const handle = await open(file, 'r')
  try {
    const header = Buffer.alloc(64)
    const { bytesRead } = await handle.read(header, 0, 64, 0)
    if (bytesRead < 64 || header.readUInt32BE(0) !== 0x7f454c46)
      throw new Error(`${file} is not an ELF program or library`)
    if (header[4] !== 2 || header[5] !== 1) throw new Error(`${file} is not a 64-bit little-endian ELF file`)
    const offset = Number(header.readBigUInt64LE(0x20))
    const [size, count] = [header.readUInt16LE(0x36), header.readUInt16LE(0x38)]
    if (size < 56 || count > MAX_HEADERS) throw new Error(`${file}: its ELF program headers are malformed`)
    const table = Buffer.alloc(size * count)
    await handle.read(table, 0, table.length, offset)
    const linking: ElfLinking = { dynamic: false }
    for (let at = 0; at + size <= table.length; at += size) {
      const type = table.readUInt32LE(at)
      if (type === PT_DYNAMIC) linking.dynamic = true
      if (type !== PT_INTERP) continue
      const name = Buffer.alloc(Math.min(Number(table.readBigUInt64LE(at + 0x20)), 4096))
      await handle.read(name, 0, name.length, Number(table.readBigUInt64LE(at + 8)))
      linking.interpreter = name.toString('latin1').split('\0')[0]
    }
    return linking
  } finally {
    await handle.close()
  }
}

/** The machine's own dynamic loader: the one /bin/sh names. A file's own may be anything: it is never run. */
export async function systemLoader(): Promise<string> {
  const { interpreter } = await elfLinking('/bin/sh')
  if (!interpreter) throw new Error('/bin/sh names no dynamic loader: cannot list shared libraries here')
  return interpreter
}

/** The shared libraries of a file as the loader resolves them, the loader included, and the names it cannot find. */
export interface SharedLibraries {
  paths: string[]
  missing: string[]
}

/** Reads `ld.so --list` (what ldd prints): `name => /path (0x..)`, `/path (0x..)`, `name => not found`. */
export function parseLoaderList(text: string): SharedLibraries {
  const paths: string[] = []
  const missing: string[] = []
  for (const line of text.split('\n')) {
    const found = /^\s*(?:\S+\s+=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line)
    const lost = /^\s*(\S+)\s+=>\s+not found$/.exec(line)
    if (found) paths.push(found[1])
    else if (lost) missing.push(lost[1])
  }
  return { paths, missing }
}

/**
 * The shared libraries `file` needs, as the machine's loader resolves them (`ld.so --list`, what ldd runs, without
 * ever running the loader the file names). None for a static program.
 */
export async function sharedLibraries(file: string): Promise<SharedLibraries> {
  const linking = await elfLinking(file)
  if (!linking.dynamic) return { paths: [], missing: [] }
  const { execa } = await import('execa')
  const listed = await execa(await systemLoader(), ['--list', file], { reject: false })
  // A static-pie program has a dynamic section but no loader: listing it fails, and it needs no library.
  if (listed.exitCode !== 0 && !linking.interpreter) return { paths: [], missing: [] }
  if (listed.exitCode !== 0) throw new Error(`the loader cannot list the libraries of ${file}: ${listed.stderr.trim()}`)
  return parseLoaderList(listed.stdout)
}

/**
 * Copies `from` (by default `path` itself) to `path` under `root`, replacing a file there. Every directory on the way
 * is a real one: nothing is written through a symbolic link, which could lead anywhere on the machine.
 */
export async function copyUnder(root: string, path: string, from = path): Promise<void> {
  const target = join(root, path)
  let dir = root
  for (const part of relative(root, dirname(target)).split(sep).filter(Boolean)) {
    dir = join(dir, part)
    const found = await ifPresent(lstat(dir))
    if (!found) await mkdir(dir)
    else if (!found.isDirectory()) throw new Error(`${dir} is not a directory (a link?): no file is written through it`)
  }
  await rm(target, { force: true })
  await copyFile(from, target)
}
