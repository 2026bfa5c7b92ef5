/** The import rules `pnpm lint` checks (dependency-cruiser): no cycles, within or between packages. */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'a module must not reach itself again through its imports, within a package or across packages',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-above-its-users',
      severity: 'error',
      comment: '@xcluster/core and @xcluster/image are below every other package: they import none of them',
      from: { path: '^packages/(core|image)/src' },
      to: { path: '^packages/(?!core/|image/)[^/]+/src' },
    },
    {
      name: 'only-the-program-is-the-command-line',
      severity: 'error',
      comment: 'plugins declare operations through core; none imports the command line (@xcluster/cli)',
      from: { path: '^packages/(?!cli/)[^/]+/src' },
      to: { path: '^packages/cli/src' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a circle of types is a circle of the design, whatever the compiler leaves out.
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)(test|dist|bin)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
  },
}
