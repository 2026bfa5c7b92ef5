import { importPackage } from '../installed/import-package.js'
import { type PluginPackage, commandPackage, installedPluginPackages } from '../installed/plugin-packages.js'
import type { Command, CommandInput } from './command.js'
import { packageProjects } from '../load/session.js'

/**
 * The installed plugin packages that add commands, among the dependencies of the working
 * directory's project and of core; each package passed over is said on stderr.
 */
export async function commandPackages(input: Pick<CommandInput, 'session' | 'stderr'>): Promise<PluginPackage[]> {
  const { packages, refused } = await installedPluginPackages(packageProjects(input.session.options))
  for (const why of refused) input.stderr(`xcluster: passed over: ${why}\n`)
  return packages.filter((pkg) => (pkg.manifest.commands ?? []).length > 0)
}

/** Loads the command `name` from the package that declares it; the package exports `commands: Command[]`. */
export async function packageCommand(
  name: string,
  packages: PluginPackage[],
  input: CommandInput,
): Promise<Command | undefined> {
  const pkg = commandPackage(packages, name)
  if (!pkg) return undefined
  const module = await importPackage<{ commands?: Command[] }>(
    pkg.name,
    packageProjects(input.session.options),
    `xcluster ${name}`,
  )
  return module.commands?.find((command) => command.name === name)
}
