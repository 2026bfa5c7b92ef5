import { resolve } from 'node:path'
import type { Flags, OperationInput, Presentation } from '../contract/operation.js'
import { XclusterError } from '../errors.js'
import { writeUserFile } from '../host/user-file.js'
import type { NetworkPicture } from '../picture/network-picture.js'

/** The flags of an operation that draws: `--svg` or `--dot`, and `-o FILE` / `--output=FILE`. */
export const PICTURE_FLAGS = {
  svg: { type: 'boolean', help: 'draw the network as SVG (Graphviz)' },
  dot: { type: 'boolean', help: "print the drawing's Graphviz source" },
  output: { type: 'string', short: 'o', value: 'FILE', help: 'write the drawing to FILE instead of standard output' },
} as const satisfies Flags

type PictureInput = Pick<OperationInput<typeof PICTURE_FLAGS>, 'flags' | 'cwd'>

/** A drawing: its SVG or Graphviz source, or the file it was written to. */
export type Drawing = { format: 'svg' | 'dot'; source: string } | { format: 'svg' | 'dot'; written: string }

/** Whether the operation was asked for a drawing. */
export function wantsPicture(input: PictureInput): boolean {
  return input.flags.svg === true || input.flags.dot === true
}

/** The picture as `--svg` or `--dot` asked, written to `--output` when given. */
export async function drawPicture(input: PictureInput, picture: NetworkPicture): Promise<Drawing> {
  if (input.flags.svg && input.flags.dot) throw new XclusterError('--svg and --dot: choose one')
  const format = input.flags.svg ? 'svg' : 'dot'
  // What draws is loaded when a drawing is asked for (status loads this module every time).
  const { pictureDot } = await import('../picture/picture-dot.js')
  const dot = pictureDot(picture)
  const source = format === 'svg' ? await (await import('../picture/render-svg.js')).renderSvg(dot) : dot
  const output = input.flags.output
  if (output === undefined) return { format, source }
  if (output === '') throw new XclusterError('-o/--output needs a file name: `-o network.svg`')
  const written = resolve(input.cwd, output)
  await writeUserFile(written, (file) => file.writeFile(source))
  return { format, written }
}

export function presentDrawing(drawing: Drawing): Presentation {
  return { text: 'source' in drawing ? drawing.source : '' }
}
