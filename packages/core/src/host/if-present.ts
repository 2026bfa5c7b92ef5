// Defined by @xcluster/image, the package below core that reads files the same way.
export { ifPresent } from '@xcluster/image'
