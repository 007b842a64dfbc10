// `npm run migrate`: brings the configured database to the latest schema and exits.
import { ConfigError, loadConfig } from '../config.js'
import { openDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'

try {
  const config = loadConfig()
  const handle = openDatabase(config.database)
  try {
    const results = await migrateToLatest(handle.db, handle.schema)
    const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.')
  } finally {
    await handle.close()
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Migration failed: ${(err as Error).message}`)
  process.exit(1)
}
