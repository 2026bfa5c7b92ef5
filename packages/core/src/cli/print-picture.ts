import { writeUserFile } from '../host/user-file.js'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import type { NetworkPicture } from '../picture/network-picture.js'
import { pictureDot } from '../picture/picture-dot.js'
import { renderSvg } from '../picture/render-svg.js'
import type { CommandInput } from './command.js'

/** The options of a command that draws: `--svg` or `--dot`, and `-o FILE` / `--output=FILE`. */
export const PICTURE_FLAGS = ['svg', 'dot', 'output'] as const

export const PICTURE_HELP = `--svg draws the network as SVG (Graphviz), --dot prints its Graphviz source;
-o FILE (--output=FILE) writes it to FILE instead of standard output.`

/** Whether the command was asked for a picture. */
export function wantsPicture(input: CommandInput): boolean {
  return input.options.svg !== undefined || input.options.dot !== undefined
}

/** Writes the picture as `--svg` or `--dot` asked, to `--output` or standard output. */
export async function printPicture(input: CommandInput, picture: NetworkPicture): Promise<void> {
  if (input.options.svg !== undefined && input.options.dot !== undefined) throw new XclusterError('--svg and --dot: choose one')
  const dot = pictureDot(picture)
  const text = input.options.svg !== undefined ? await renderSvg(dot) : dot
  const output = input.options.output
  if (output === undefined) return input.stdout(text)
  if (output === '' || output === 'yes') throw new XclusterError('-o/--output needs a file name: `-o network.svg`')
  await writeUserFile(resolve(input.cwd, output), (file) => file.writeFile(text))
}
