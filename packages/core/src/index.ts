// The plugin and config API of @xcluster/core, and its operations: what the command line (@xcluster/cli), and any
// other way in, runs.
export { defineConfig } from './config/define-config.js'
export type {
  Accel,
  ClusterConfig,
  NodeOverride,
  PluginSettings,
  PortSettings,
  UserSettings,
} from './contract/settings.js'
export type { ConfigEnv, ConfigInput, UserConfig } from './contract/user-config.js'
export type { FaultStep, FaultTime } from './contract/faults.js'
export { resolveConfig, defaultConfig } from './config/resolve.js'
export type { ConfigSources } from './config/resolve.js'
export type { ConfigLayer } from './config/layer.js'
export { ConfigError, XclusterError, messageOf } from './errors.js'
export { NODE_SETTING_NAMES } from './config/settings.js'
export type { ConfigIssue } from './errors.js'
export { CommandFailed, isLoopbackAddress, localHost, nameserversOf } from './host/host.js'
export type { Host, RunOptions } from './host/host.js'
export type { HostFacts } from './host/host-facts.js'
export { Cluster } from './lifecycle/cluster.js'
export type { ClusterOptions, ClusterStatus, LaunchResult } from './lifecycle/cluster.js'
export type { ClusterHooks, PluginTarget } from './contract/hooks.js'
export type { ClusterContext, Endpoint, NetArgs, NodeNet, Overlay, ReportLine } from './contract/context.js'
export { assertCompatible } from './contract/plugin.js'
export type { Plugin, PluginSpec } from './contract/plugin.js'
export { resolvePlugins } from './lifecycle/resolve-plugins.js'
export type { PluginManifest } from './installed/plugin-packages.js'
export { HOST_ID, hostname, ipv4Address, ipv6Address, macAddress } from './node/addressing.js'
export { DEFAULT_IPV6_PREFIX, embedIpv4, parseIpv6Cidr } from './node/ipv6.js'
export { ipv4ToNumber, numberToIpv4 } from './node/ipv4.js'
export { clusterIds, clusterNodes, nodeOf } from './node/node.js'
export type { Nic, Node } from './node/node.js'
export { ROLE_RANGES, roleOf } from './node/roles.js'
export type { Role } from './node/roles.js'
export { defaultPicture, netRanges } from './picture/network-picture.js'
export type { NetworkPicture, PictureLink, PictureNet, PictureNode } from './picture/network-picture.js'
export { pictureDot } from './picture/picture-dot.js'
export { renderSvg } from './picture/render-svg.js'
export { kernelCommandLine, qemuArgv } from './qemu/argv.js'
export { netdevId, nicDevice } from './qemu/nic.js'
export { vmFiles } from './qemu/state-files.js'
export { createDisk, removeVmFiles } from './vm/launch.js'
export type { VmFiles } from './qemu/state-files.js'
export type { BootFiles, VmLaunch } from './contract/vm-launch.js'
export type { VmState } from './runtime/vm-states.js'
export { endProcess, processExists } from './vm/end-process.js'
export { idsWithFiles, processesWithArgument, runningVms } from './vm/processes.js'
export { assertTrustedFile, ensurePrivateDir } from './host/trusted-path.js'
export { CORE_VERSION } from './version.js'
export { dirEntries, ifPresent } from './host/if-present.js'
export { Session } from './load/session.js'
export { loadCluster } from './load/load-cluster.js'
export type { LoadOptions, LoadedCluster, SessionOptions } from './load/load-options.js'
// The schema layer: every file read back and every option checked is declared with zod (one instance for all packages).
export { z } from 'zod'
export { RecordError, parseAs, parseJsonAs } from './schema/read-json.js'
// Operations: core's, and what a plugin's operations are declared with and build on.
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
export { CORE_OPERATIONS } from './operations/index.js'
export { operationKind, operationsMarkdown } from './operations/operations-markdown.js'
export type { DeclaredOperation } from './operations/operations-markdown.js'
export { clusterOf, configOf, loadOptions } from './operations/cluster-of.js'
export { runningVmIds } from './operations/completion-words.js'
export { PICTURE_FLAGS, drawPicture, presentDrawing, wantsPicture } from './operations/picture-output.js'
export type { Drawing } from './operations/picture-output.js'
export { remoteQuote } from './vm/ssh.js'
export { operationPackages, packageOperation } from './installed/package-operations.js'
export type { PluginPackage } from './installed/plugin-packages.js'
export { overlayNamesOf } from './operations/completion-words.js'
// The settings table: what a setting is called on the command line and in the environment, its kind and help.
export { SETTINGS, flagsOf, kindOf } from './config/settings.js'
export { settingLines, settingsMarkdown } from './config/settings-help.js'
export { settingsTable } from './config/plugin-settings.js'
export { shellVariables } from './config/shell-variables.js'
export type { Setting } from './config/settings.js'
export type { SettingKind } from './config/setting-kinds.js'
export { KINDS } from './config/setting-kinds.js'
export { SETTINGS_HELP } from './config/settings-help.js'
export { didYouMean } from './config/suggest.js'
