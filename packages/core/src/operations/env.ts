import { shellAssignments, shellVariables } from '../config/shell-variables.js'
import { settingsParagraph } from '../config/settings-help.js'
import { settingsTable } from '../config/plugin-settings.js'
import { defineOperation } from '../contract/operation.js'
import { configOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const envOperation = defineOperation({
  name: 'env',
  output:
    "one object under the config's names, with configFile and plugins: the resolved plugins in the order they tap" +
    " the hooks (the config's, those of --plugins, then the defaults core added)",
  summary: SUMMARIES.env,
  usage: `[--json] [settings]`,
  // Made when read (the settings paragraph is the table's): loading the operation does not make it.
  get help() {
    return `Prints every setting after defaults, the config file, the environment and the command line
are combined and validated, as \`NAME='value'\` lines under the shell tool's names (__nvm,
__nets_vm, __mem, __kbin, __image, XCLUSTER_WORKSPACE, XCLUSTER_TMP, ...), sorted, so that
\`eval "$(xcluster env)"\` sets them in a shell; each name read back from the environment means
the same setting. XCLUSTER is the xcluster program that overlay tar scripts run.

${settingsParagraph()}`
  },
  flags: {},
  async run(input) {
    const { config, plugins, filepath } = await configOf(input)
    const program = input.host.env.XCLUSTER
    return {
      settings: {
        configFile: filepath ?? null,
        ...config,
        plugins: plugins.map(({ name, provides }) => ({ name, provides: provides ?? [] })),
      },
      shell: { ...shellVariables(config, settingsTable(plugins)), ...(program ? { XCLUSTER: program } : {}) },
    }
  },
  present: ({ shell }) => ({ text: shellAssignments(shell) }),
  json: ({ settings }) => settings,
})
