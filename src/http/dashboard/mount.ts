import { join } from 'node:path'
import { runOp } from '../../ops.js'
import type { SecondMe } from '../../node.js'
import type { HttpMount } from '../mount.js'
import { TokenSource } from '../token.js'
import { createDashboard, type Dashboard } from './index.js'

// One dashboard per node served (tests and `npm start` serve several nodes in one process).
const dashboards = new WeakMap<SecondMe, Promise<Dashboard>>()

function dashboardOf (me: SecondMe): Promise<Dashboard> {
  let d = dashboards.get(me)
  if (d === undefined) {
    const tokens = new TokenSource(me.paths.root)
    d = createDashboard({
      token: async () => await tokens.current(),
      uploadDir: join(me.paths.root, 'uploads'),
      ingestFile: async (path) => await runOp(me, 'ingest', { paths: [path] })
    })
    dashboards.set(me, d)
  }
  return d
}

/**
 * The dashboard as a mount of the node's HTTP server: its pages and login routes, and its session
 * cookie (with CSRF on changes) as a second way to the owner's doors besides the bearer token.
 */
export const dashboardMount: HttpMount = {
  name: 'dashboard',
  authenticate: async (c, ctx) => await (await dashboardOf(ctx.me)).authenticate(c.req.raw) === 'session',
  routes: (app, ctx) => {
    const ready = dashboardOf(ctx.me)
    app.all('*', async (c, next) => {
      const res = await (await ready).handle(c.req.raw)
      if (res === undefined) return await next()
      return res
    })
  }
}
