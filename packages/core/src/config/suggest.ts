function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}

/** ` (did you mean "nodes"?)` for a near miss among the known names, else an empty string. */
export function didYouMean(name: string, known: readonly string[]): string {
  const lower = name.toLowerCase()
  // A name that starts with a known one (`memory` for `mem`) is as near as a typo.
  const best = known
    .map((candidate) => ({
      candidate,
      d: lower.startsWith(candidate.toLowerCase()) ? 1 : distance(lower, candidate.toLowerCase()),
    }))
    .sort((x, y) => x.d - y.d)[0]
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best.candidate}"?)` : ''
}
