import { importPackage } from '../lifecycle/import-package.js'
import { type PluginPackage, commandPackage, installedPluginPackages } from '../lifecycle/plugin-packages.js'
import type { Command, CommandInput } from './command.js'
import { packageSearchPath } from './session.js'

/** The installed plugin packages that add commands, found from the working directory (then next to core). */
export async function commandPackages(input: Pick<CommandInput, 'cwd'>): Promise<PluginPackage[]> {
  return (await installedPluginPackages(packageSearchPath(input))).filter((pkg) => (pkg.manifest.commands ?? []).length > 0)
}

/** Loads the command `name` from the package that declares it; the package exports `commands: Command[]`. */
export async function packageCommand(name: string, packages: PluginPackage[], input: CommandInput): Promise<Command | undefined> {
  const pkg = commandPackage(packages, name)
  if (!pkg) return undefined
  const module = await importPackage<{ commands?: Command[] }>(pkg.name, packageSearchPath(input), `xcluster ${name}`)
  return module.commands?.find((command) => command.name === name)
}
