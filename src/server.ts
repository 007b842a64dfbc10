// Starts the app: read config, build, seed the demo if asked, listen, run the worker, close gracefully.
import { ConfigError, loadConfig, type Config } from './config.js'

let config: Config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`)
    process.exit(1)
  }
  throw err
}

// The app is loaded only once the configuration is known to be good, so a mistake in it is
// reported at once, not after every module has loaded.
const { buildApp } = await import('./app.js')
const { seedDemoIfEmpty } = await import('./seed/demo.js')
const { startSchedulers } = await import('./jobs/schedulers.js')
const { armExitDeadline } = await import('./shutdown.js')
const { firstRunHint } = await import('./admin/admin.service.js')

const started = performance.now()
const app = await buildApp(config).catch((err: Error) => {
  console.error(`Could not start: ${err.message}`)
  process.exit(1)
})

if (config.seedDemo) {
  const seeded = await seedDemoIfEmpty(app.ctx)
  if (seeded) app.log.info({ ms: Math.round(seeded.ms) }, 'demo data seeded')
}

const stopSchedulers = config.runWorker ? startSchedulers(app) : () => {}
if (config.runWorker) app.mail.worker.start()

let closing = false
async function close(signal: string): Promise<void> {
  if (closing) return
  closing = true
  // Armed before anything else can get stuck; whatever happens next, the process is gone in 15 s.
  armExitDeadline(undefined, () => console.error('Could not close within the deadline: exiting'))
  app.log.info({ signal }, 'closing')
  stopSchedulers()
  await app.close()
  process.exit(0)
}
process.on('SIGTERM', () => void close('SIGTERM'))
process.on('SIGINT', () => void close('SIGINT'))

try {
  await app.listen({ port: config.port, host: config.host })
} catch (err) {
  console.error(`Could not listen on ${config.host}:${config.port}: ${(err as Error).message}`)
  process.exit(1)
}

const ms = Math.round(performance.now() - started)
const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL'
console.log(`Champion Rota is ready at ${config.baseUrl} (${where}, started in ${ms} ms)`)
// An empty production database: say how the first admin gets in.
const hint = await firstRunHint(app.ctx)
if (hint) console.log(hint)
if (!config.isProduction && !config.smtpUrl) {
  console.log(`Mail is kept in the database: read it at ${config.baseUrl}/dev/mail`)
}
if (config.seedDemo) {
  console.log(
    `Demo sign-in: go to ${config.baseUrl}/sign-in and use admin@example.org, coordinator@example.org or volunteer1@example.org … volunteer60@example.org`,
  )
}
