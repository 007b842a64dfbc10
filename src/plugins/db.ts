// The database handle as a decorator: opened and migrated before routes, closed with the app.
import fp from 'fastify-plugin'
import { onDatabaseProblem, type DbHandle, type Db, type DialectName } from '../db/connect.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    dialect: DialectName
  }
}

export default fp<{ handle: DbHandle; closeOnExit: boolean }>(
  async function db(app, opts) {
    app.decorate('db', opts.handle.db)
    app.decorate('dialect', opts.handle.dialect)
    // A deleted database file, say: the operator must hear of it at once, not at the next restart.
    onDatabaseProblem(opts.handle.db, (message) => app.log.fatal({ database: 'unavailable' }, message))
    if (opts.closeOnExit) app.addHook('onClose', async () => opts.handle.close())
  },
  { name: 'db', dependencies: ['config'] },
)
