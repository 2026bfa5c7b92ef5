import { shellAssignments, shellVariables } from '../../config/shell-variables.js'
import { defineCommand } from '../command.js'
import { SETTINGS_HELP } from '../parse-words.js'
import { configOf } from '../cluster-of.js'

export const envCommand = defineCommand({
  name: 'env',
  summary: 'print the effective settings as shell variables (eval "$(xcluster env)"), or --json',
  usage: `[--json] [settings]`,
  help: `Prints every setting after defaults, the config file, the environment and the command line
are combined and validated, as \`NAME='value'\` lines under the shell tool's names (__nvm,
__nets_vm, __mem, __kbin, __image, XCLUSTER_WORKSPACE, XCLUSTER_TMP, ...), sorted, so that
\`eval "$(xcluster env)"\` sets them in a shell; each name read back from the environment means
the same setting. XCLUSTER is the xcluster program that overlay tar scripts run.

${SETTINGS_HELP}`,
  flags: {
    json: {
      type: 'boolean',
      help:
        "one JSON object under the config's names, with configFile and plugins: the resolved plugins in the order" +
        " they tap the hooks (the config's, those of --plugins, then the defaults core added)",
    },
  },
  async run(input) {
    const { config, plugins, filepath } = await configOf(input)
    if (input.flags.json) {
      const settings = {
        configFile: filepath ?? null,
        ...config,
        plugins: plugins.map(({ name, provides }) => ({ name, provides: provides ?? [] })),
      }
      input.stdout(`${JSON.stringify(settings, null, 2)}\n`)
      return 0
    }
    const program = input.host.env.XCLUSTER
    input.stdout(shellAssignments({ ...shellVariables(config), ...(program ? { XCLUSTER: program } : {}) }))
    return 0
  },
})
