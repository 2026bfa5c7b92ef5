// Defined by @xcluster/image, the package below core that reads its records the same way: the one place JSON is read.
export {
  MAX_RECORD_BYTES,
  RecordError,
  describeIssues,
  jsonCopy,
  parseAs,
  parseJsonAs,
  parseJsonObject,
} from '@xcluster/image/read-json'
