// `npm run worker`: the outbox worker and schedulers on their own, without serving HTTP.
//
// Starting is retried for a while (the database may come up after the worker, or a migration may
// be running in the web process); a crash after that is for the process supervisor to restart.
// Nothing is lost either way: what a dead worker held is sent again when its lease runs out.
import { ConfigError, loadConfig, type Config } from '../config.js'
import { buildApp } from '../app.js'
import { startSchedulers } from './schedulers.js'
import { armExitDeadline } from '../shutdown.js'

const START_ATTEMPTS = 5

async function start(config: Config) {
  for (let attempt = 1; ; attempt++) {
    try {
      const app = await buildApp(config)
      await app.ready()
      return app
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err
      console.error(`Worker could not start (try ${attempt} of ${START_ATTEMPTS}): ${(err as Error).message}`)
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
    }
  }
}

try {
  const config = loadConfig()
  const app = await start(config)
  const stop = startSchedulers(app)
  app.mail.worker.start()
  console.log(`Champion Rota worker running (${app.mail.transport.kind} transport)`)
  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    armExitDeadline(undefined, () => console.error('Worker could not close within the deadline: exiting'))
    stop()
    // Finishes the emails in hand, or gives them back (src/jobs/outbox-worker.ts stop()).
    await app.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void close())
  process.on('SIGINT', () => void close())
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Worker failed: ${(err as Error).message}`)
  process.exit(1)
}
