/**
 * The second half of `npm run lint:boundaries` (issue 14): no cycles between modules, and none inside the portal
 * (src/web, src/dev). The rules and options of
 * .dependency-cruiser.cjs, with one difference: the composition seam, src/deps.ts and src/config.ts, is not followed.
 * Every module takes Deps and Config (type-only imports), and they name the modules' ports and settings (config.ts
 * the development SNAP key), so every chain through them would look like a cycle; they are no dependency between
 * modules. That is the one exclusion: no module and no pair of modules is excepted.
 *
 * A cycle is an import into another module that leads back into the importing one, on the file graph (with every
 * cross-module import going through a facade, a cycle between two modules shows there). The folder graph
 * (scope: 'folder') would lump src/http into one node and report identity → reference → src/http → identity, which no
 * chain of imports makes (rate-limiter.ts imports identity; reference.routes.ts imports openapi-app.ts).
 */
const base = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-cycle',
      severity: 'error',
      comment:
        'An import into another module that leads back into this one: the modules depend on each other in a cycle. Break it with a port passed in (as Deps.memberCard), an event through the outbox, or by moving the shared piece to a module both may depend on. Issue 14.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/$1/', circular: true },
    },
    {
      name: 'web-cycle',
      severity: 'error',
      comment:
        'A portal file that imports something leading back to it (pages ↔ portal.ts). Shared pieces (cookie names, session, components) live in their own files that import no page. Issue 14.',
      from: { path: '^src/(web|dev)/' },
      to: { path: '^src/(web|dev)/', circular: true },
    },
  ],
  options: { ...base.options, doNotFollow: { path: '^node_modules|^src/(deps|config)\\.ts$' } },
};
