// The services' AppContext, built once from the decorators and shared by every route.
import fp from 'fastify-plugin'
import type { AppContext } from '../context.js'
import { afterCommit } from '../db/transaction.js'

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext
  }
}

export default fp(
  async function context(app) {
    app.decorate('ctx', {
      db: app.db,
      dialect: app.dialect,
      config: app.config,
      clock: app.clock,
      composer: app.mail.composer,
      // Woken once the transaction that queued the mail has committed (at once outside one).
      outboxQueued: (db) => afterCommit(db, () => app.mail.worker.kick()),
    } satisfies AppContext)
  },
  { name: 'context', dependencies: ['config', 'db', 'mail'] },
)
