// Mail as a decorator: the composer (templates), the transport (SMTP or database) and the outbox worker.
import fp from 'fastify-plugin'
import { EmailComposer } from '../mail/composer.js'
import { createDatabaseTransport, createSmtpTransport, type MailTransport } from '../mail/transport.js'
import { OutboxWorker, type OutboxWorkerOptions } from '../jobs/outbox-worker.js'

declare module 'fastify' {
  interface FastifyInstance {
    mail: {
      composer: EmailComposer
      transport: MailTransport
      worker: OutboxWorker
    }
  }
}

export interface MailPluginOptions {
  /** Replaces the transport chosen from SMTP_URL (tests). */
  transport?: MailTransport
  worker?: Partial<OutboxWorkerOptions>
}

export default fp<MailPluginOptions>(
  async function mail(app, opts) {
    const transport =
      opts.transport ??
      (app.config.smtpUrl ? createSmtpTransport(app.config.smtpUrl) : createDatabaseTransport(app.db, () => app.clock.now()))
    const worker = new OutboxWorker({
      db: app.db,
      dialect: app.dialect,
      transport,
      from: app.config.mailFrom,
      now: () => app.clock.now(),
      log: app.log,
      ...opts.worker,
    })
    app.decorate('mail', { composer: new EmailComposer(app.config), transport, worker })
    app.addHook('onClose', async () => {
      await worker.stop()
      await transport.close()
    })
  },
  { name: 'mail', dependencies: ['config', 'db'] },
)
