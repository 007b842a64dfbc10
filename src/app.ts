// buildApp(config): the whole application, as the server and every test build it. Wiring is explicit.
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyCompress from '@fastify/compress'
import { constants as zlibConstants } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import type { Config } from './config.js'
import { systemClock, type Clock } from './clock.js'
import { openDatabase, type DbHandle } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import { stdoutLog } from './logging/destination.js'
import type { MailTransport } from './mail/transport.js'
import type { OutboxWorkerOptions } from './jobs/outbox-worker.js'
import corePlugin from './plugins/core.js'
import dbPlugin from './plugins/db.js'
import mailPlugin from './plugins/mail.js'
import contextPlugin from './plugins/context.js'
import securityPlugin from './plugins/security.js'
import authPlugin from './plugins/auth.js'
import viewsPlugin from './plugins/views.js'
import { errorSerializer, requestSerializer } from './plugins/log-redaction.js'
import errorsPlugin, { clientErrorPage, frameworkErrorPage } from './plugins/errors.js'
import healthRoutes from './health/health.routes.js'
import homeRoutes from './home/home.routes.js'
import languageRoutes from './i18n/language.routes.js'
import authRoutes from './auth/auth.routes.js'
import dashboardRoutes from './dashboard/dashboard.routes.js'
import applyRoutes from './volunteers/apply.routes.js'
import profileRoutes from './volunteers/profile.routes.js'
import bookingRoutes from './bookings/bookings.routes.js'
import devMailRoutes from './devmail/devmail.routes.js'
import feedsRoutes from './feeds/feeds.routes.js'
import remindersRoutes from './reminders/reminders.routes.js'
import undeliveredRoutes from './mail/undelivered.routes.js'
import coordinateSessionRoutes from './coordination/sessions.routes.js'
import coordinateGapRoutes from './coordination/gaps.routes.js'
import coordinateAutofillRoutes from './coordination/autofill.routes.js'
import coordinateVolunteerRoutes from './coordination/volunteers.routes.js'
import invitationResponseRoutes from './coordination/invitation-response.routes.js'
import privacyRoutes from './privacy/privacy.routes.js'
import adminRoutes from './admin/admin.routes.js'
import evidenceRoutes from './evidence/evidence.routes.js'
import groupMessageRoutes from './messages/group-messages.routes.js'
import recordingRoutes from './evidence/recording.routes.js'
import checkinRoutes from './evidence/checkin.routes.js'
import { buildValidator } from './plugins/validators.js'

export interface BuildOptions {
  clock?: Clock
  /** An already-open database (tests share one per file); otherwise opened from config and closed with the app. */
  db?: DbHandle
  /** Run migrations before serving (default true). */
  migrate?: boolean
  mailTransport?: MailTransport
  worker?: Partial<OutboxWorkerOptions>
  logger?: boolean
  /** Where log lines go instead of stdout (tests read them to prove no token is logged). */
  logStream?: { write(line: string): unknown }
}

// src/ → ../static from source; dist/src → ../../static when compiled.
const staticRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../static/' : '../static/', import.meta.url))

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const handle = options.db ?? openDatabase(config.database)
  if (options.migrate !== false) await migrateToLatest(handle.db, handle.schema)

  const app = Fastify({
    schemaController: { compilersFactory: { buildValidator } },
    logger:
      options.logger === false || config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Cookies and tokens never reach the logs: URLs and error messages are redacted.
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
            serializers: { req: requestSerializer, err: errorSerializer },
            // Never blocks: a log nobody reads drops lines rather than stopping the service.
            // (Tests may pass their own stream to read what would have been logged.)
            stream: options.logStream ?? stdoutLog(),
          },
    bodyLimit: 64 * 1024,
    // request.ip is the address the trusted hops vouch for: with n hops, the n-th X-Forwarded-For
    // entry from the right (what the last proxy saw), never a value the client wrote itself.
    // Every per-address rate limit keys on request.ip.
    trustProxy: config.trustedProxyHops === 0 ? false : (_address: string, hop: number) => hop < config.trustedProxyHops,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // The router's and Node's own refusals get the service's error page, not raw JSON.
    frameworkErrors: frameworkErrorPage,
    clientErrorHandler: clientErrorPage,
  })

  await app.register(corePlugin, { config, clock: options.clock ?? systemClock })
  await app.register(dbPlugin, { handle, closeOnExit: options.db === undefined })
  await app.register(mailPlugin, { transport: options.mailTransport, worker: options.worker })
  await app.register(contextPlugin)
  await app.register(securityPlugin)
  await app.register(authPlugin)
  await app.register(viewsPlugin)
  await app.register(errorsPlugin)

  // HTML answers compressed in the app (coordinator pages are 40–50 KB, a tenth of that in brotli):
  // in the app rather than in fly.toml's proxy so every deployment gets it, and so Vary is right —
  // the plugin appends Accept-Encoding to the HX-Request that reply.page sets. Registered before
  // @fastify/static, as its README requires; static files keep their precompressed .br/.gz.
  // Brotli at quality 5: near its best ratio for HTML at a fraction of quality 11's CPU per request.
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  })

  await app.register(fastifyStatic, {
    root: staticRoot,
    prefix: '/static/',
    maxAge: config.isProduction ? '1d' : 0,
    index: false,
    // Serves app.css.br / .gz written by the build when the browser accepts them.
    preCompressed: true,
  })

  await app.register(healthRoutes)
  await app.register(homeRoutes)
  await app.register(languageRoutes)
  await app.register(authRoutes)
  await app.register(dashboardRoutes)
  await app.register(applyRoutes)
  await app.register(profileRoutes)
  await app.register(bookingRoutes)
  await app.register(feedsRoutes)
  await app.register(remindersRoutes)
  await app.register(undeliveredRoutes)
  await app.register(coordinateSessionRoutes)
  await app.register(coordinateGapRoutes)
  await app.register(coordinateAutofillRoutes)
  await app.register(coordinateVolunteerRoutes)
  await app.register(invitationResponseRoutes)
  await app.register(privacyRoutes)
  await app.register(adminRoutes)
  await app.register(evidenceRoutes)
  await app.register(groupMessageRoutes)
  await app.register(recordingRoutes)
  await app.register(checkinRoutes)
  // The mailbox only holds mail when there is no SMTP_URL; with one, mail leaves and the pages would mislead.
  if (!config.isProduction && !config.smtpUrl) await app.register(devMailRoutes)

  return app
}
