import { hostname } from 'node:os'
import { XclusterError, defineOperation } from '@xcluster/core/adapter'
import { cliVersion } from './cli-version.js'
import { untilSignalled } from './until-signalled.js'
import { CLI_SUMMARIES } from './summaries.js'

/** The port the page is served on when --port does not say: the same each time, so its URL is too. */
const DEFAULT_PORT = 7480

/** `xcluster ui`: the running cluster in a browser, on 127.0.0.1 only. */
export const uiOperation = defineOperation({
  name: 'ui',
  output: 'the URL of the page, then what the server refuses, until Ctrl-C',
  summary: CLI_SUMMARIES.ui,
  usage: '[--port=N]',
  help: `Serves the running cluster's page on 127.0.0.1:N (default ${DEFAULT_PORT}) until Ctrl-C, and prints its URL,
which carries a secret token (kept with the port in <stateDir>/ui-token, 0600, while it runs). The page draws the
cluster with each VM's state and links live, opens VM consoles, captures packets, takes links down,
sets netem, saves snapshots and runs fault timelines; every action is an endpoint of an HTTP JSON API
(/api/openapi.json), and /events streams the changes. Only loopback names are served (from a laptop:
ssh -L N:127.0.0.1:N this-host, then open the URL there); a request without the token gets 401, one
from another site 403. The page's server holds sockets of its own (vm-NNN.events; the console is
written to only while typing), so \`xcluster vm\`, \`stop-vm\` and \`snapshot\` keep working.`,
  flags: {
    port: { type: 'string', value: 'N', help: `the port on 127.0.0.1 (default ${DEFAULT_PORT}; 0: any free one)` },
  },
  stream: true,
  cliOnly: true,
  async run(input) {
    const word = input.flags.port ?? String(DEFAULT_PORT)
    if (!/^\d{1,5}$/.test(word) || Number(word) > 65535)
      throw new XclusterError(`--port=${word}: must be a port number from 0 to 65535`)
    const pageDir = new URL('../page/', import.meta.url).pathname
    const { startUi } = await import('./ui/ui-server.js')
    const server = await startUi(input, { port: Number(word), pageDir, version: cliVersion() })
    input.stdout(`${server.url}\n`)
    input.stderr(
      `xcluster: serving the cluster on 127.0.0.1:${server.port} until Ctrl-C; from a laptop:` +
        ` ssh -L ${server.port}:127.0.0.1:${server.port} ${hostname()}\n`,
    )
    await untilSignalled()
    await server.close()
    return 0
  },
})
