// The architecture as rules (`npm run lint` runs them): no import cycles, and imports only point down the layers
// shared → core → docker → api → front ends (cli, serve, mcp, electron, router); the renderer and the preload
// reach main only through main/shared, and main/shared has no Node.
const FRONT_ENDS = ['cli', 'serve', 'mcp', 'electron', 'router'];
// The layers between shared and the front ends, lowest first: each may import only those below it (and shared).
const LAYERS = [
  ['core', 'The core decides; it never reaches up to the engine, the API or a front end (nor electron).'],
  ['docker', 'The Docker side serves the API and the front ends, it does not call them.'],
  ['api', 'The API is what the front ends share; it imports none of them.'],
];
const downOnly = LAYERS.map(([layer, comment], i) => ({
  name: `${layer}-down-only`,
  comment,
  severity: 'error',
  from: { path: `^main/${layer}/` },
  to: {
    path: [
      `^main/(${[...LAYERS.slice(i + 1).map(([above]) => above), ...FRONT_ENDS].join('|')})/`,
      '^node_modules/electron/',
    ],
  },
}));
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'An import cycle (a type-only one too): move the shared type into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-leaf',
      comment: 'main/shared is compiled by the renderer too: it imports only itself and plain packages.',
      severity: 'error',
      from: { path: '^main/shared/' },
      to: { pathNot: ['^main/shared/', '^node_modules/'] },
    },
    {
      name: 'shared-no-node',
      comment: 'main/shared runs in the window: no Node modules.',
      severity: 'error',
      from: { path: '^(main/shared|renderer)/' },
      to: { dependencyTypes: ['core'] },
    },
    ...downOnly,
    {
      name: 'front-ends-apart',
      comment: 'A front end does not load another one: what two share moves down to the API.',
      severity: 'error',
      from: { path: '^main/(serve|mcp|electron|router)/' },
      to: { path: '^main/cli/' },
    },
    {
      name: 'window-through-shared',
      comment: 'The renderer and the preload reach main only through main/shared (the API table and its helpers).',
      severity: 'error',
      from: { path: '^(renderer|preload)/' },
      to: { path: '^main/', pathNot: '^main/shared/' },
    },
  ],
  options: {
    // A worktree's node_modules may be a symlink to another clone's: keep packages at node_modules/…, as the rules
    // above name them, rather than at the link's target.
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
