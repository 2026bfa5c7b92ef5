import { execa } from 'execa'

// The end-to-end tests run the built CLI (packages/cli/dist/bin.js), as users do: built here once
// before any test, incrementally (a few seconds when nothing changed), and timed apart.
export default async function buildOnce(): Promise<void> {
  // The tests start Node programs by the thousand (the CLI, the DNS service, clients); each reads a CA bundle named
  // by NODE_EXTRA_CA_CERTS as it starts (30 ms here) and none uses it (the tests' registry is plain HTTP on
  // loopback). The workers, made after this, and everything they start inherit the environment without it.
  delete process.env.NODE_EXTRA_CA_CERTS
  const started = Date.now()
  await execa('pnpm', ['run', '--silent', 'build'], { stdio: 'inherit' })
  process.stderr.write(`\nbuilt the packages for the tests in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}
