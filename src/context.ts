// What services need from the app, passed explicitly: services never see Fastify.
import type { Config } from './config.js'
import type { Clock } from './clock.js'
import type { Db, DialectName, Tx } from './db/connect.js'
import type { EmailComposer } from './mail/composer.js'

export interface AppContext {
  readonly db: Db
  readonly dialect: DialectName
  readonly config: Config
  readonly clock: Clock
  readonly composer: EmailComposer
  /** Something was queued in the outbox through `db`: wake the worker (once `db`, a transaction begun by inTransaction, has committed; at once for the database itself). */
  readonly outboxQueued: (db: Db | Tx) => void
}
