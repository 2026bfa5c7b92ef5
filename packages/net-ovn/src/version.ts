import { createRequire } from 'node:module'

/** The version of this package: a machine driven over ssh must run the same one. */
export const NET_OVN_VERSION: string = createRequire(import.meta.url)('../package.json').version
