import { NODE_SETTING_NAMES, SETTINGS, kindOf, type Setting, flagsOf } from './settings.js'

/** How a setting is spelled on the command line and in the environment, and its default. */
function spellings(setting: Setting) {
  return {
    flags: flagsOf(setting)
      .map((flag) => `--${flag}=${setting.value}`)
      .join(' '),
    env: [setting.shell && `__${setting.shell}`, setting.env].filter(Boolean).join(' '),
    default:
      typeof setting.default === 'function'
        ? 'per host'
        : setting.default === undefined
          ? ''
          : kindOf(setting).format(setting.default),
  }
}

/** The settings paragraph of `--help`. */
export function settingsHelp(table: readonly Setting[] = SETTINGS): string {
  return `Cluster settings, on top of xcluster.config.ts (command line > environment > file > defaults):
${settingLines(table, true).join('\n')}`
}

/** One line per setting: its spellings, then its help and default; `perNode`: the per-node settings' line too. */
export function settingLines(table: readonly Setting[], perNode = false): string[] {
  const rows = table.map((setting) => {
    const { flags, env, default: value } = spellings(setting)
    return [
      flags || `(${setting.path} in the config)`,
      env,
      `${setting.help}${value && value !== 'per host' ? ` (${value})` : ''}`,
    ]
  })
  if (perNode)
    rows.push([
      NODE_SETTING_NAMES.map((name) => `--${name}I=`).join(' '),
      NODE_SETTING_NAMES.slice(0, 2)
        .map((name) => `__${name}I`)
        .concat('...')
        .join(' '),
      'per node I (--mem201=256)',
    ])
  const width = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map(([flags, env, help]) => `  ${flags.padEnd(width[0])}  ${env.padEnd(width[1])}  ${help}`.trimEnd())
}

/** The table of settings of docs/configuration.md: a test compares the page with this. */
export function settingsMarkdown(table: readonly Setting[] = SETTINGS): string {
  const code = (text: string) => (text ? `\`${text}\`` : '')
  const rows = table.map((setting) => {
    const { flags, env, default: value } = spellings(setting)
    const cells = [code(setting.path), code(flags), code(env), code(value), setting.help]
    return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`
  })
  return ['| setting | command line | environment | default | what it is |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  )
}

/** The help paragraph on cluster settings, for the commands that are about them (start, env): made when asked. */
export const settingsParagraph = (): string => `${settingsHelp()}
  --config=FILE --topology=NAME (env TOPOLOGY) --plugins=pkg,pkg (env XCLUSTER_PLUGINS: added after the config's)`
