import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { defineOperation } from '../contract/operation.js'
import { SUMMARIES } from './summaries.js'

export const initOperation = defineOperation({
  name: 'init',
  output: '`{ dir, written, completed, kept }`',
  summary: SUMMARIES.init,
  usage: `[DIR]`,
  help: `Makes DIR (default: the working directory) an xcluster project, empty or an existing npm project.
Writes what is missing and never overwrites a file:
  package.json        new: ESM; existing: scripts start/stop/status and the dev dependencies
                      @xcluster/core, typescript, @types/node are added where absent
  tsconfig.json       strict, NodeNext, for \`npx tsc --noEmit -p .\`
  xcluster.config.ts  every main setting at its default, with a comment each (.mts when the
                      package is not ESM)
Then run \`npm install\` and \`npm start\`.`,
  flags: {},
  async run(input) {
    if (input.args.length > 1)
      throw new XclusterError(`one directory at most, got ${input.args.length}: ${input.args.join(' ')}`)
    const { initProject } = await import('../project/init-project.js')
    return initProject(resolve(input.cwd, input.args[0] ?? '.'))
  },
  present(report) {
    const line = (what: string, files: string[]) => (files.length > 0 ? `  ${what}: ${files.join(', ')}\n` : '')
    const lines = [
      line('written', report.written),
      line('completed', report.completed),
      line('kept as they were', report.kept),
    ]
    return { text: `xcluster init ${report.dir}\n${lines.join('')}next: npm install, then npm start\n` }
  },
})
