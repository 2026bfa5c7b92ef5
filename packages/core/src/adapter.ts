// What an adapter of the operations needs (the command line; after it an HTTP API, agent tools): the operations'
// declarations, the session a command runs in, the settings table and the errors. Importing it loads no cluster
// code: each operation loads what it runs when it runs, so `xcluster --help` and completion stay quick.
export { CORE_CATALOG, type OperationEntry, coreOperation, coreOperations } from './operations/catalog.js'
export { defineOperation, isStream } from './contract/operation.js'
export type {
  FlagSpec,
  FlagValues,
  Flags,
  Operation,
  OperationInput,
  Presentation,
  ResultOperation,
  StreamInput,
  StreamOperation,
} from './contract/operation.js'
export { loadOptions } from './operations/cluster-of.js'
export { overlayNamesOf } from './operations/completion-words.js'
export { Session } from './load/session.js'
export { localHost } from './host/host.js'
export { XclusterError, messageOf } from './errors.js'
export { operationPackages, packageOperation } from './installed/package-operations.js'
export type { PluginPackage } from './installed/plugin-packages.js'
export { NODE_SETTING_NAMES, SETTINGS, flagsOf } from './config/settings.js'
export type { Setting } from './config/settings.js'
export { KINDS } from './config/setting-kinds.js'
export { settingLines, settingsParagraph } from './config/settings-help.js'
export { didYouMean } from './config/suggest.js'
