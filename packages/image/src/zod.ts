// One zod for every package: core, the plugins and the DNS server declare their schemas with this one. A module of
// its own: what reads JSON without a schema (read-json.ts's parseJsonObject) loads no zod.
export { z } from 'zod'
