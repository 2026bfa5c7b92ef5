import { importPackage } from './import-package.js'
import { type PluginPackage, commandPackage, installedPluginPackages } from './plugin-packages.js'
import type { Operation, OperationInput } from '../contract/operation.js'
import { packageProjects } from '../load/session.js'

/**
 * The installed plugin packages that add operations, among the dependencies of the working directory's project and
 * of core; each package passed over is said through `progress`.
 */
export async function operationPackages(input: Pick<OperationInput, 'session' | 'progress'>): Promise<PluginPackage[]> {
  const { packages, refused } = await installedPluginPackages(packageProjects(input.session.options))
  for (const why of refused) input.progress(`passed over: ${why}`)
  return packages.filter((pkg) => (pkg.manifest.commands ?? []).length > 0)
}

/** Loads the operation `name` from the package that declares it; the package exports `operations: Operation[]`. */
export async function packageOperation(
  name: string,
  packages: PluginPackage[],
  input: Pick<OperationInput, 'session'>,
): Promise<Operation | undefined> {
  const pkg = commandPackage(packages, name)
  if (!pkg) return undefined
  const module = await importPackage<{ operations?: Operation[] }>(
    pkg.name,
    packageProjects(input.session.options),
    `xcluster ${name}`,
  )
  return module.operations?.find((operation) => operation.name === name)
}
