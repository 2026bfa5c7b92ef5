// A resolve hook that makes the workspace's packages resolve to their TypeScript sources: their
// package.json exports map the "source" condition to src/ and the default to the built dist/.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'source'] })
}
