import { execa } from 'execa'

// The end-to-end tests run the built CLI (packages/cli/dist/bin.js), as users do: built here once
// before any test, incrementally (a few seconds when nothing changed), and timed apart.
export default async function buildOnce(): Promise<void> {
  const started = Date.now()
  await execa('pnpm', ['run', '--silent', 'build'], { stdio: 'inherit' })
  process.stderr.write(`\nbuilt the packages for the tests in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}
