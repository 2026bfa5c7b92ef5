import type { ConfigLayer, UserSettings } from '../contract/settings.js'

export type { ConfigLayer }

const MERGED_BY_KEY = ['nets', 'ports'] as const

/** Later layers win, setting by setting; `nets`, `ports` and each node's override merge by field. */
export function mergeLayers(layers: ConfigLayer[]): ConfigLayer {
  const config: UserSettings = {}
  const origins: Record<string, string> = {}
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.config) as [keyof UserSettings, unknown][]) {
      if (value === undefined) continue
      if ((MERGED_BY_KEY as readonly string[]).includes(key)) {
        Object.assign(((config as Record<string, object>)[key] ??= {}), value)
      } else if (key === 'node') {
        const nodes = (config.node ??= {})
        for (const [id, override] of Object.entries(value as object)) {
          nodes[Number(id)] = { ...nodes[Number(id)], ...override }
        }
      } else {
        ;(config as Record<string, unknown>)[key] = value
      }
    }
    Object.assign(origins, layer.origins)
  }
  return { config, origins }
}
