#!/usr/bin/env node
// The embedded DNS service, run from its TypeScript sources through tsx.
import { register } from 'tsx/esm/api'

register()
await import('../src/server/main.ts')
