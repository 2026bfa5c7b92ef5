import { createRequire } from 'node:module'

/** The version of this package (@xcluster/cli), as its package.json says: what its servers name themselves by. */
export function cliVersion(): string {
  // From src/ or from dist/ (a bundle's files sit at its top, as deep as the sources): the package is one up.
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version
}
