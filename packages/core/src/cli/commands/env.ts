import { type Command, SETTINGS_HELP } from '../command.js'
import { configOf } from '../session.js'

export const envCommand: Command = {
  name: 'env',
  summary: 'print the effective settings',
  help: `Usage: xcluster env [--json] [settings]

Prints every setting after defaults, the config file, the environment and the command line
are combined and validated: one \`name=value\` line each, or one JSON object with --json.
\`plugins\` lists the resolved plugins in the order they tap the hooks: the config's, those of
--plugins, then the defaults core added (network backend, topology, DNS).

${SETTINGS_HELP}`,
  flags: ['json'],
  async run(input) {
    const { config, plugins, filepath } = await configOf(input, 'env', this.flags)
    const settings = { configFile: filepath ?? null, ...config, plugins: plugins.map(({ name, provides }) => ({ name, provides: provides ?? [] })) }
    if (input.options.json) input.stdout(`${JSON.stringify(settings, null, 2)}\n`)
    else for (const [key, value] of Object.entries(settings)) input.stdout(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}\n`)
    return 0
  },
}
