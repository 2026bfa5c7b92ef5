import type { Cluster } from '../lifecycle/cluster.js'
import { localHost } from '../host/host.js'
import type { LoadOptions, SessionOptions } from './load-options.js'
import { loadedCluster } from './resolve-load.js'
import { Session } from './session.js'

/**
 * A cluster as a program gets it without the command line: the config file of `cwd`'s project
 * (or `configPath`), the hook module, the plugins, the settings given; nothing is started.
 * `const cluster = await loadCluster({ cwd: '/my/project', settings: { nvm: '2' } }); await cluster.start()`
 */
export async function loadCluster(options: Partial<SessionOptions> & LoadOptions = {}): Promise<Cluster> {
  const {
    cwd = process.cwd(),
    host = localHost(process.env),
    command = 'api',
    configPath,
    defaultPlugins,
    ...load
  } = options
  return loadedCluster(new Session({ cwd, host, command, configPath, defaultPlugins }), load)
}
