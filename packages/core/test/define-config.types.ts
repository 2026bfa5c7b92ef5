// Type tests of defineConfig, checked by `pnpm typecheck` (part of scripts/test): the line after
// each expect-error comment must be an error, every other line must compile.
import { type UserConfig, defineConfig } from '@xcluster/core'

const object: UserConfig = defineConfig({ nodes: 2, routers: 0 })
const promised: Promise<UserConfig> = defineConfig(Promise.resolve({ nodes: 2 }))
const fromCommand = defineConfig(({ command }) => ({ nodes: command === 'start' ? 3 : 1 }))
const fromCommandLater = defineConfig(async ({ command }) => ({ mem: command.length > 0 ? 256 : 128 }))
export const checked = [object, promised, fromCommand({ command: 'start' }), fromCommandLater({ command: 'status' })]

// @ts-expect-error nodes is a number
defineConfig({ nodes: 'four' })
// @ts-expect-error an unknown setting is refused
defineConfig({ nodez: 4 })
// @ts-expect-error a function gets { command }, not a string
defineConfig((command: string) => ({ nodes: command.length }))
// @ts-expect-error a promise of a wrong setting
defineConfig(Promise.resolve({ mem: '128' }))
