import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XCLUSTER_BIN } from './netns.js'

/** A directory holding an `xcluster` program (this checkout's CLI), to put first on PATH as an install would. */
export async function xclusterOnPath(dir: string): Promise<string> {
  await writeFile(join(dir, 'xcluster'), `#!/bin/sh\nexec ${XCLUSTER_BIN} "$@"\n`)
  await chmod(join(dir, 'xcluster'), 0o755)
  return `${dir}:${process.env.PATH}`
}

/**
 * The bash script that loads `xcluster completion bash` and calls its function as bash does when
 * Tab is pressed at the end of `line`, then prints what it offers, one per line.
 */
export function completeInBash(line: string): string {
  // bash splits the line into COMP_WORDS at its COMP_WORDBREAKS (spaces and = among them).
  return `eval "$(xcluster completion bash)"
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
read -ra COMP_WORDS <<< "\${COMP_LINE//=/ = }"
[[ $COMP_LINE == *' ' || $COMP_LINE == *= ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_xcluster
printf '%s\\n' "\${COMPREPLY[@]}"`
}
