// Child of bench/soak.ts: runs `xcluster start --dry-run` in-process on fuzzed configs and prints
// one JSON line per config: { seed, status, stderr, made }. The parent kills it when it hangs.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { main } from '../../packages/cli/src/main.js'

const [from, count] = process.argv.slice(2).map(Number)

/** A small deterministic generator, so a failing seed can be replayed. */
function random(seed: number) {
  let state = seed * 2654435761 + 1
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

const KEYS = [
  'nodes',
  'routers',
  'testers',
  'nets',
  'mem',
  'smp',
  'mtu',
  'append',
  'qemuArgs',
  'node',
  'qemu',
  'machine',
  'accel',
  'kernel',
  'initrd',
  'image',
  'workspace',
  'stateDir',
  'ipv6Prefix',
  'ports',
  'overlays',
  'ovlPath',
  'batch',
  'bootTimeout',
  'plugins',
  'telnet',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'nvm',
  '',
]
const ENV = [
  '__nvm',
  '__nrouters',
  '__mem201',
  '__nets1',
  'constructor',
  '__toString',
  '__proto__',
  'XCLUSTER_TMP',
  'XCLUSTER_TELNET',
  'XCLUSTER_SSH_BASE',
  'USER',
]

function value(next: () => number, depth = 0): unknown {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]
  switch (Math.floor(next() * 10)) {
    case 0:
      // biome-ignore lint/correctness/noPrecisionLoss: infinities, as a config may bring
      return pick([0, -1, 1, 4, 200, 201, 1e400, -1e400, 99999999999, 0.5, Number.MAX_SAFE_INTEGER])
    case 1:
      return pick([
        '',
        'x',
        '/tmp/a,file=/etc/shadow',
        '../../../root/x',
        'a\nb',
        'q35',
        'pc,accel=tcg',
        'kvm',
        'tcg',
        '1000::1:0.0.0.0/96',
        'x'.repeat(5000),
      ])
    case 2:
      return depth > 2 ? null : Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1))
    case 3:
      return depth > 2
        ? {}
        : Object.fromEntries(
            Array.from({ length: Math.floor(next() * 4) }, () => [
              pick([...KEYS, '1', '201', '999', 'vm', 'router']),
              value(next, depth + 1),
            ]),
          )
    case 4:
      return pick([true, false, null])
    case 5:
      return [0, 1, 2].slice(0, Math.floor(next() * 4))
    default:
      return Math.floor(next() * 300) - 20
  }
}

/** An environment value: strings as they are, anything else as its JSON (never more than 100 characters). */
const envText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).slice(0, 100)

for (let seed = from; seed < from + count; seed++) {
  const next = random(seed)
  const config = Object.fromEntries(
    Array.from({ length: 1 + Math.floor(next() * 5) }, () => [KEYS[Math.floor(next() * KEYS.length)], value(next)]),
  )
  const env = Object.fromEntries(
    Array.from({ length: Math.floor(next() * 3) }, () => [ENV[Math.floor(next() * ENV.length)], envText(value(next))]),
  )
  const dir = await mkdtemp('/tmp/xcluster-soak-config-')
  // Dry runs never touch the host: the state directory, if the config names one, goes under dir.
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ ...config, stateDir: join(dir, 'state') }))
  let stderr = ''
  let status: number | string
  try {
    status = await main(['start', '--dry-run'], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...env },
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
    })
  } catch (error) {
    status = `crash: ${(error as Error).stack}`
  }
  try {
    const made = (await readdir(dir)).filter((f) => f !== 'xcluster.config.json')
    console.log(JSON.stringify({ seed, status, stderr: stderr.slice(0, 300), made }))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
