// What services need from the app, passed explicitly: services never see Fastify.
import type { Config } from './config.js'
import type { Clock } from './clock.js'
import type { Db, DialectName } from './db/connect.js'
import type { EmailComposer } from './mail/composer.js'

export interface AppContext {
  readonly db: Db
  readonly dialect: DialectName
  readonly config: Config
  readonly clock: Clock
  readonly composer: EmailComposer
  /** Something was queued in the outbox: wake the worker (after the transaction in hand commits). */
  readonly outboxQueued: () => void
}
