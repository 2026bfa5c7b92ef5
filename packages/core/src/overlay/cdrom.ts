import { chmod, cp, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import { copyProgram } from '@xcluster/image'
import { dirname, join } from 'node:path'
import type { Host } from '../host/host.js'
import { ensurePrivateDir } from '../host/trusted-path.js'
import type { Overlay } from '../contract/context.js'
import { packDirectory, plainTar } from './tar-file.js'
import { runTarScript } from './tar-script.js'

/** An overlay with generated files or host programs, put together in `dir`: its directory, its files, its programs. */
async function stageOverlay(overlay: Overlay, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  if (overlay.path) await cp(overlay.path, dir, { recursive: true })
  for (const program of overlay.programs ?? []) await copyProgram(dir, { path: program })
  for (const [path, file] of Object.entries(overlay.files ?? {})) {
    const target = join(dir, path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, file.content)
    if (file.mode !== undefined) await chmod(target, file.mode)
  }
}

/** `00env.tar`, `01iptools.tar`...: in the given order, a later overlay's files win. Duplicate names keep the first. */
function numbered(overlays: Overlay[]): [string, Overlay][] {
  const seen = new Set<string>()
  const unique = overlays.filter((o) => !seen.has(o.name) && seen.add(o.name))
  return unique.map((overlay, k) => [`${String(k).padStart(2, '0')}${overlay.name}.tar`, overlay])
}

/**
 * Packs the overlays with tar and writes them into an ISO at `iso`, replacing the old one only
 * when complete. Tar scripts run with `scriptEnv` as their environment.
 */
export async function buildCdrom(
  host: Host,
  overlays: Overlay[],
  iso: string,
  scriptEnv: Record<string, string>,
): Promise<void> {
  await ensurePrivateDir(dirname(iso), 'state directory')
  const work = await mkdtemp(join(dirname(iso), '.cdrom-'))
  try {
    const stage = join(work, 'iso')
    await mkdir(stage)
    for (const [file, overlay] of numbered(overlays)) {
      const tar = join(stage, file)
      const asItIs = !overlay.files && !overlay.programs
      if (overlay.tarScript) await runTarScript(host, overlay.name, overlay.tarScript, tar, scriptEnv)
      else if (asItIs && overlay.path && (await stat(overlay.path)).isFile())
        await plainTar(host, overlay.name, overlay.path, tar)
      else if (asItIs && overlay.path) await packDirectory(overlay.path, tar)
      else {
        const staged = join(work, overlay.name)
        await stageOverlay(overlay, staged)
        await packDirectory(staged, tar)
      }
    }
    await host.run('genisoimage', ['-quiet', '-volid', 'xcluster', '-r', '-J', '-o', `${iso}.new`, stage])
    await rename(`${iso}.new`, iso)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
