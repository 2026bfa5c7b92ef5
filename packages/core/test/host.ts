import type { HostFacts } from '../src/host/host-facts.js'

/** A fixed host for pure tests: main namespace, no kvm, a clean environment unless given. */
export function testHost(env: NodeJS.ProcessEnv = {}, facts: Partial<HostFacts> = {}): HostFacts {
  return { user: 'alice', home: '/home/alice', netns: undefined, kvm: false, cpus: 2, env, ...facts }
}
