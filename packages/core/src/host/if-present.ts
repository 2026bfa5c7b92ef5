// Defined by @xcluster/image, the package below core that reads files the same way.
export { dirEntries, ifPresent } from '@xcluster/image/if-present'
