import { chmod, cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kernel } from './kernel.js'
import { GUEST_PROGRAMS, copyProgram, installBusybox } from './guest-programs.js'
import { programPath } from './find-program.js'
import { run } from './run.js'

const ROOT_DISK_SIZE = '384M'
const EMPTY_DIRS = [
  'proc',
  'sys',
  'dev',
  'tmp',
  'run',
  'mnt',
  'var/log',
  'var/run',
  'etc/dropbear',
  'etc/profile.d',
  'root/.ssh',
]

/**
 * An ext4 file system of the tree `stage` whose every file is root's, whoever builds it: `mke2fs -d` copies each
 * file's owner, and a user's tree would leave the guest's /root/.ssh the user's (dropbear then refuses its key).
 * Built by a user, the tree is made root's inside fakeroot, whose record of it (`-s`, then `-i`) mke2fs reads.
 */
async function makeExt4(stage: string, raw: string): Promise<void> {
  const mke2fs = ['-q', '-F', '-t', 'ext4', '-L', 'xcluster', '-d', stage, '-E', 'root_owner=0:0', raw, ROOT_DISK_SIZE]
  if (process.geteuid?.() === 0) {
    await run('mke2fs', mke2fs)
    return
  }
  // fakeroot runs them from PATH: the paths found here (mke2fs is in /usr/sbin, off a user's PATH).
  const [chown, mkfs] = [programPath('chown'), programPath('mke2fs')]
  const owners = `${raw}.fakeroot`
  try {
    await run('fakeroot', ['-s', owners, '--', chown, '-R', '-h', '0:0', stage])
    await run('fakeroot', ['-i', owners, '--', mkfs, ...mke2fs])
  } finally {
    await rm(owners, { force: true })
  }
}

/**
 * Builds the shared root disk: busybox, dropbear with its libraries, every kernel module, the
 * guest scripts, and the workspace's ssh key for root; ext4 made with `mke2fs -d`, then qcow2.
 */
export async function buildRootDisk(
  kernel: Kernel,
  guestDir: string,
  authorizedKey: string,
  stage: string,
  output: string,
): Promise<void> {
  await cp(join(guestDir, 'rootfs'), stage, { recursive: true })
  for (const dir of EMPTY_DIRS) await mkdir(join(stage, dir), { recursive: true })
  for (const program of GUEST_PROGRAMS) await copyProgram(stage, program)
  await installBusybox(stage)
  await cp(join(kernel.root, 'lib', 'modules'), join(stage, 'lib', 'modules'), { recursive: true })
  await writeFile(join(stage, 'root', '.ssh', 'authorized_keys'), authorizedKey)
  await chmod(join(stage, 'root', '.ssh'), 0o700)
  await chmod(join(stage, 'root', '.ssh', 'authorized_keys'), 0o600)
  await chmod(join(stage, 'etc', 'shadow'), 0o600)
  await chmod(join(stage, 'tmp'), 0o1777)
  // Modes are set here, not taken from the package's files: a packed npm package does not keep them.
  await chmod(join(stage, 'init'), 0o755)
  for (const script of await readdir(join(stage, 'etc', 'init.d')))
    await chmod(join(stage, 'etc', 'init.d', script), 0o755)
  const raw = `${output}.raw`
  await makeExt4(stage, raw)
  await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, output])
  await run('rm', ['-f', raw])
}
