import { readFile } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import type { ConfigIssue } from '../src/errors.js'
import { commandLineLayer, environmentLayer } from '../src/config/legacy.js'
import { settingsHelp, settingsMarkdown } from '../src/config/settings-help.js'
import { SETTINGS, type Setting, type SettingPath } from '../src/config/settings.js'
import { shellVariables } from '../src/config/shell-variables.js'
import { validate } from '../src/config/validate.js'
import { resolveConfig } from '../src/config/resolve.js'
import type { ClusterConfig } from '../src/contract/settings.js'
import { testHost } from './host.js'

const REFERENCE = new URL('../../../docs/configuration.md', import.meta.url)

/** The configuration reference's table of settings: from its marker to the first blank line. */
async function referenceTable(): Promise<string> {
  const text = await readFile(REFERENCE, 'utf8')
  const start = text.indexOf('\n', text.indexOf('<!-- settings:')) + 1
  return text.slice(start, text.indexOf('\n\n', start))
}

describe('one table of settings', () => {
  test("docs/configuration.md's table of settings is the one the table makes", async () => {
    expect(await referenceTable()).toBe(settingsMarkdown())
  })

  test('every setting of the table shows in --help, with its spellings', () => {
    const help = settingsHelp()
    for (const setting of SETTINGS) {
      for (const spelled of [
        setting.shell && `__${setting.shell}`,
        setting.env,
        setting.flag && `--${setting.flag}=`,
      ]) {
        if (spelled) expect(help).toContain(spelled)
      }
    }
  })

  test(
    'a setting added to the table is validated, read from both spellings, printed by env, and in --help and the' +
      ' configuration reference (docs/configuration.md)',
    () => {
      const fake: Setting = {
        path: 'pings' as SettingPath,
        kind: 'count',
        value: 'N',
        help: 'pings per check',
        default: 3,
        limits: [1, 9],
        shell: 'npings',
        env: 'XCLUSTER_PINGS',
      }
      const table = [...SETTINGS, fake]
      const issues: ConfigIssue[] = []
      const fromEnv = environmentLayer({ __npings: '5' }, issues, table)
      const fromFlag = commandLineLayer({ npings: '12' }, [], issues, table)
      expect(issues).toEqual([])
      expect(fromEnv.config).toEqual({ pings: 5 })
      expect(validate(fromFlag, table)).toEqual([
        { option: '--npings', value: 12, rule: 'must be a whole number from 1 to 9' },
      ])
      expect(shellVariables({ ...resolveConfig({}, testHost()), pings: 4 } as ClusterConfig, table)).toMatchObject({
        __npings: '4',
      })
      expect(settingsHelp(table)).toMatch(/--npings=N +__npings XCLUSTER_PINGS +pings per check \(3\)/)
      expect(settingsMarkdown(table).split('\n').at(-1)).toBe(
        '| `pings` | `--npings=N` | `__npings XCLUSTER_PINGS` | `3` | pings per check |',
      )
    },
  )
})
