import { z } from '@xcluster/image/zod'

// What the watch reads of the operations it calls, as their `--json` prints it.

/** A row of `status --json`: what the page shows of a VM. */
export const statusRow = z.object({
  id: z.number().int(),
  hostname: z.string(),
  role: z.string(),
  state: z.enum(['running', 'paused', 'down']),
  pid: z.number().int().nullable(),
  nets: z.array(z.number().int()),
  ipv4: z.array(z.string().nullable()),
  linksDown: z.array(z.number().int()),
  template: z.string().nullable(),
  hostLinks: z.array(z.string().nullable()),
})
export type StatusRow = z.infer<typeof statusRow>
/** `netem --show --json`: the shaped NICs. */
export const netemShown = z.object({
  shaped: z.array(z.object({ hostname: z.string(), net: z.number().int(), netem: z.string() })),
})
