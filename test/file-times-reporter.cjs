// Prints how long each test file took, the slowest first, and the total, after the summary.
const { relative } = require('node:path')

class FileTimes {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir
  }

  onRunComplete(_contexts, results) {
    const rows = results.testResults
      .map((file) => [(file.perfStats.end - file.perfStats.start) / 1000, relative(this.root, file.testFilePath)])
      .sort((a, b) => b[0] - a[0])
    const lines = rows.map(([seconds, file]) => `${seconds.toFixed(1).padStart(7)} s  ${file}`)
    const wall = (Date.now() - results.startTime) / 1000
    process.stderr.write(
      `\nTime per test file:\n${lines.join('\n')}\n${wall.toFixed(1).padStart(7)} s  the whole run\n`,
    )
  }
}

module.exports = FileTimes
