// `npm run admin:create -- --service "Eastvale Libraries" --email ada@eastvale.example [--name "Ada Lovelace"]`: the first library service and its first admin.
//
// For an operator with an empty database and no JSON file (`npm run setup:service` stays for
// scripted set-up). The admin then signs in at /sign-in and sets up everything else in the browser.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { openDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import { systemClock } from '../clock.js'
import { UserError } from '../errors.js'
import { createFirstAdmin } from '../admin/admin.service.js'

const USAGE = 'Usage: npm run admin:create -- --service "Eastvale Libraries" --email ada@eastvale.example [--name "Ada Lovelace"]'

export interface ToolOutput {
  code: number
  out: string
  err: string
}

/** The command, with its config and arguments given (the tests run it in-process on PostgreSQL). */
export async function adminCreate(argv: string[], configOrEnv: Config | NodeJS.ProcessEnv = process.env): Promise<ToolOutput> {
  let args: { service?: string; email?: string; name?: string }
  try {
    args = parseArgs({ args: argv, options: { service: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } }, strict: true }).values
  } catch (err) {
    return { code: 2, out: '', err: `${(err as Error).message}\n${USAGE}` }
  }
  if (!args.service || !args.email) return { code: 2, out: '', err: USAGE }
  let config: Config
  try {
    config = 'database' in configOrEnv ? (configOrEnv as Config) : loadConfig(configOrEnv as NodeJS.ProcessEnv)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    return { code: 1, out: '', err: `Configuration error: ${err.message}` }
  }
  const handle = openDatabase(config.database)
  try {
    await migrateToLatest(handle.db, handle.schema)
    const done = await createFirstAdmin({ db: handle.db, clock: systemClock }, { service: args.service, email: args.email, ...(args.name ? { name: args.name } : {}) })
    const what = done.service === 'created' ? `Created the library service "${args.service.trim()}"` : `The library service "${args.service.trim()}" already exists`
    return { code: 0, out: `${what}; ${done.email} is its admin. They can sign in at ${config.baseUrl}/sign-in`, err: '' }
  } catch (err) {
    if (err instanceof UserError) return { code: 1, out: '', err: `${err.message}; nothing was changed.\n${USAGE}` }
    throw err
  } finally {
    await handle.close()
  }
}

if (process.argv[1] && /admin-create\.(js|ts)$/.test(process.argv[1])) {
  const result = await adminCreate(process.argv.slice(2))
  if (result.out) console.log(result.out)
  if (result.err) console.error(result.err)
  process.exitCode = result.code
}
