import { importPackage } from '../lifecycle/import-package.js'
import type { Command, CommandInput } from './command.js'
import { packageSearchPath } from './session.js'

/** Commands that come with a package rather than with core, by name. */
export const PACKAGE_COMMANDS: Readonly<Record<string, string>> = {
  nsadd: '@xcluster/net-bridge',
  nsdel: '@xcluster/net-bridge',
  nsenter: '@xcluster/net-bridge',
  'br-setup': '@xcluster/net-bridge',
  topology: '@xcluster/ovl-network-topology',
  doctor: '@xcluster/dns-coredns',
}

/** Loads a package's command; the package exports `commands: Command[]`. */
export async function packageCommand(name: string, input: CommandInput): Promise<Command | undefined> {
  const pkg = PACKAGE_COMMANDS[name]
  if (!pkg) return undefined
  const module = await importPackage<{ commands: Command[] }>(pkg, packageSearchPath(input), `xcluster ${name}`)
  return module.commands.find((command) => command.name === name)
}
