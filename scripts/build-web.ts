// `npm run build:web` (and `prepare`): bundle the dashboard's browser code into dist/dashboard.
import { buildBundle, BUNDLE_DIR } from '../src/http/dashboard/bundle.js'

await buildBundle()
console.log(`dashboard bundle in ${BUNDLE_DIR}`)
