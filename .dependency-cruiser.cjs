// The arrows between the parts of src/ (docs/CODEBASE.md has the map). Data
// flows remote -> state -> steps -> screens; app/ and cli.ts compose them.
// `npm test` runs this: an import against an arrow fails the build.
// Type-only imports of Triton's record types into state/ are allowed: the
// domain judges those records, it never calls the clients.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'screens-do-no-io',
      severity: 'error',
      comment: 'screens render state and dispatch inputs; they never reach hosts, APIs or the restore steps.',
      from: { path: '^src/screens/' },
      to: { path: '^src/(remote|steps|app)/' },
    },
    {
      name: 'state-is-pure',
      severity: 'error',
      comment: 'the domain judges and plans from values; it runs nothing and knows no screen.',
      from: { path: '^src/state/' },
      to: { path: '^src/(steps|screens|app)/' },
    },
    {
      name: 'state-calls-no-client',
      severity: 'error',
      comment: 'state may name Triton record types, never call a host or a client.',
      from: { path: '^src/state/' },
      to: { path: '^src/remote/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'remote-knows-no-ui-and-no-restore',
      severity: 'error',
      comment: 'hosts, Triton clients and the simulator know nothing of the console or the restore procedures.',
      from: { path: '^src/remote/' },
      to: { path: '^src/(screens|steps|app)/' },
    },
    {
      name: 'clients-know-no-domain',
      severity: 'error',
      comment: "a Triton client parses and runs; judging its answer is state's job.",
      from: { path: '^src/remote/(?!sim/)' },
      to: { path: '^src/state/' },
    },
    {
      name: 'the-restore-cannot-see-the-simulator',
      severity: 'error',
      comment: 'steps and state cannot tell the simulator from a real DC; only app/ chooses it.',
      from: { path: '^src/(steps|state|screens)/' },
      to: { path: '^src/remote/sim/' },
    },
    {
      name: 'the-simulator-does-not-share-our-beliefs',
      severity: 'error',
      comment:
        'the simulator models Triton from its own physics; if it read the catalogue, a wrong belief would pass its own test.',
      from: { path: '^src/remote/sim/' },
      to: { path: '^src/catalogue\\.ts$' },
    },
    {
      name: 'leaves-stay-leaves',
      severity: 'error',
      comment: 'the catalogue and the value schemas are read by every part, so they import nothing of ours.',
      from: { path: '^src/(catalogue\\.ts|values/)' },
      to: { path: '^src/', pathNot: '^src/values/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
