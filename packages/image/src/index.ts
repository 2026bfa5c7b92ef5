export { buildImage, imageFiles, listImages, removeImage } from './build-image.js'
export type { ImageEntry, ImageFiles } from './build-image.js'
export { KERNEL_METAPACKAGE } from './kernel.js'
export { copyProgram } from './guest-programs.js'
