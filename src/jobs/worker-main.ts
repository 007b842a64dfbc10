// `npm run worker`: the outbox worker and schedulers on their own, without serving HTTP.
import { ConfigError, loadConfig } from '../config.js'
import { buildApp } from '../app.js'
import { startSchedulers } from './schedulers.js'

try {
  const config = loadConfig()
  const app = await buildApp(config)
  await app.ready()
  const stop = startSchedulers(app)
  app.mail.worker.start()
  console.log(`Champion Rota worker running (${app.mail.transport.kind} transport)`)
  const close = async () => {
    stop()
    await app.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void close())
  process.on('SIGINT', () => void close())
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Worker failed: ${(err as Error).message}`)
  process.exit(1)
}
