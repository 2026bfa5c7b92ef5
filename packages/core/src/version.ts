import { createRequire } from 'node:module'

/** The version of @xcluster/core; plugins declare the range of it they support. */
export const CORE_VERSION: string = createRequire(import.meta.url)('../package.json').version
