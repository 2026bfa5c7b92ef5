import { writeUserFile } from '../host/user-file.js'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import type { NetworkPicture } from '../picture/network-picture.js'
import { pictureDot } from '../picture/picture-dot.js'
import { renderSvg } from '../picture/render-svg.js'
import type { CommandInput, Flags } from './command.js'

/** The flags of a command that draws: `--svg` or `--dot`, and `-o FILE` / `--output=FILE`. */
export const PICTURE_FLAGS = {
  svg: { type: 'boolean', help: 'draw the network as SVG (Graphviz)' },
  dot: { type: 'boolean', help: "print the drawing's Graphviz source" },
  output: { type: 'string', short: 'o', value: 'FILE', help: 'write the drawing to FILE instead of standard output' },
} as const satisfies Flags

type PictureInput = Pick<CommandInput<typeof PICTURE_FLAGS>, 'flags' | 'cwd' | 'stdout'>

/** Whether the command was asked for a picture. */
export function wantsPicture(input: PictureInput): boolean {
  return input.flags.svg === true || input.flags.dot === true
}

/** Writes the picture as `--svg` or `--dot` asked, to `--output` or standard output. */
export async function printPicture(input: PictureInput, picture: NetworkPicture): Promise<void> {
  if (input.flags.svg && input.flags.dot) throw new XclusterError('--svg and --dot: choose one')
  const dot = pictureDot(picture)
  const text = input.flags.svg ? await renderSvg(dot) : dot
  const output = input.flags.output
  if (output === undefined) return input.stdout(text)
  if (output === '') throw new XclusterError('-o/--output needs a file name: `-o network.svg`')
  await writeUserFile(resolve(input.cwd, output), (file) => file.writeFile(text))
}
