import type { Viz } from '@viz-js/viz'

let viz: Promise<Viz> | undefined

/** An SVG drawn from DOT by Graphviz (its WebAssembly build: no system package), loaded on first use. */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((module) => module.instance())
  return (await viz).renderString(dot, { format: 'svg' })
}
