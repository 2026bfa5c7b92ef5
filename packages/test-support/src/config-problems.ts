import { expect } from '@jest/globals'
import { ConfigError } from '@xcluster/core'

/** The ConfigError `run` throws, as `option=value: rule` lines; fails the test when it throws none. */
export function configProblems(run: () => unknown): string[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).issues.map((i) => `${i.option}=${JSON.stringify(i.value)}: ${i.rule}`)
  }
  throw new Error('expected a ConfigError')
}
