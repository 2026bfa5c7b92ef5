export { buildImage, imageFiles, imageState } from './build-image.js'
export type { ImageFiles, ImageState } from './build-image.js'
export { KERNEL_METAPACKAGE } from './kernel.js'
export { copyProgram } from './guest-programs.js'
