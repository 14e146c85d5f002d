/**
 * The module boundaries of src/ (issue 14, "Module facades"), checked in CI by `npm run lint:boundaries`.
 *
 * - Each folder under src/modules/ is a module; its index.ts is its facade. Code outside a module (another module,
 *   src/web, src/dev, src/http, src/app.ts, src/compose.ts, src/server.ts, …) imports it only through that index.ts.
 *   Inside a module, files import each other directly.
 * - Modules do not depend on each other in a cycle: .dependency-cruiser-cycles.cjs, the second half of the check.
 *   The two cycles issue 14 named were broken, not excepted: membership ↔ notifications by a port (Deps.memberCard,
 *   wired in compose.ts), membership ↔ wallet by moving walletBalance into the ledger and the prepayment horizon into
 *   the rule book. Two more the check found went the same way: staff-audit is its own module (audit), and reference
 *   data no longer imports the rule book's Sector type.
 * - Tests (*.test.ts, test/**) and bench/ are not cruised: they may import a module's internals to test or measure
 *   them. Type-only imports count (tsPreCompilationDeps): a type is part of a module's API like a function.
 *
 * `npm run docs:modules` draws the module graph from the same cruise into docs/architecture.md.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-deep-import',
      severity: 'error',
      comment:
        "A module imports another module only through its facade (src/modules/<name>/index.ts); export what it needs there. Issue 14.",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-deep-import',
      severity: 'error',
      comment:
        'Code outside src/modules (web, dev, http, the composition root, the server) imports a module only through its facade (src/modules/<name>/index.ts). Issue 14.',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the cruise cannot resolve would escape the rules above; every import in src/ must resolve.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: '\\.test\\.tsx?$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      mermaid: { minify: false },
    },
  },
};
