// Lets Node load this workspace's TypeScript sources through tsx (workspace only: the published
// packages run the JavaScript built from them).
//
// tsx keeps its compile cache in $TMPDIR/tsx-<user>, where on a shared machine another user could
// plant code first. Here the cache lives in the checkout's own node_modules/.cache/tsx, made 0700
// and checked to be yours: it is then exactly as trusted as the sources it caches. Anything odd
// about it and the cache is off (every load compiles again).
import { fileURLToPath } from 'node:url'
import { privateDir } from './private-dir.mjs'

const dir = privateDir(fileURLToPath(new URL('../../../node_modules/.cache/tsx', import.meta.url)))
const tmpdir = process.env.TMPDIR
if (dir) process.env.TMPDIR = dir
else process.env.TSX_DISABLE_CACHE = '1'
const { register } = await import('tsx/esm/api')
register()
// tsx has taken its cache path (in this thread and its loader's); what the program runs keeps the user's TMPDIR.
if (tmpdir === undefined) delete process.env.TMPDIR
else process.env.TMPDIR = tmpdir
