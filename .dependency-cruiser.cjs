// Layers point one way (ARCHITECTURE.md): foundation → memory/model → agent → policy → net → node →
// api → doors. A module may import its own layer and any lower one, never a higher one (types
// included: a type a lower layer needs lives low, e.g. src/progress.ts). No runtime import cycles.
// `npm run lint` runs this (depcruise src).

const FOUNDATION = '^src/(errors|log|progress|scope|config|home|home-perms)[.]ts$|^src/(util|vault|identity)/'
const MEMORY_MODEL = '^src/(memory|model)/'
const AGENT = '^src/agent/'
const POLICY = '^src/policy/'
const NET = '^src/net/'
const NODE = '^src/(node|doctor|home-config|rotation)[.]ts$|^src/backup/'
const API = '^src/api/'
const DOORS = '^src/(cli|control|sim|http|web)/|^src/ops[.]ts$'

const ORDER = [
  ['foundation', FOUNDATION], ['memory-model', MEMORY_MODEL], ['agent', AGENT], ['policy', POLICY],
  ['net', NET], ['node', NODE], ['api', API], ['doors', DOORS]
]

const layerRules = ORDER.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} must not import a higher layer (${ORDER.slice(i + 1).map(([n]) => n).join(', ')})`,
  severity: 'error',
  from: { path },
  to: { path: ORDER.slice(i + 1).map(([, p]) => `(${p})`).join('|') }
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment: 'a runtime import cycle (type-only imports are erased and do not count)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] }, dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a new top-level module must be placed in a layer above',
      severity: 'error',
      from: { path: '^src/[^/]+([.]ts|/)', pathNot: ORDER.map(([, p]) => `(${p})`).join('|') },
      to: {}
    },
    ...layerRules
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/web/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
