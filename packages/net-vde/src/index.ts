export { default, default as vde } from './vde-plugin.js'
export type { VdeOptions } from './vde-plugin.js'
