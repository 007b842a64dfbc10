// A bad environment value stops the process at once with one clear line naming the variable.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { ConfigError, loadConfig } from '../../src/config.js'
import { nodeArgs } from '../helpers/paths.js'

t.test('defaults', async (t) => {
  const c = loadConfig({})
  t.equal(c.port, 3000)
  t.equal(c.database.kind, 'sqlite')
  t.match(c.database.kind === 'sqlite' ? c.database.file : '', /data\/champion-rota\.sqlite$/)
  t.equal(c.smtpUrl, null)
  t.equal(c.nodeEnv, 'development')
  t.ok(Object.isFrozen(c))
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).database.kind, 'postgres')
})

const bad: Array<[Record<string, string>, string, RegExp]> = [
  [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /DATABASE_URL must be a SQLite path or a postgres:\/\/ URL/],
  [{ PORT: 'eighty' }, 'PORT', /PORT must be a whole number/],
  [{ PORT: '70000' }, 'PORT', /PORT must be a whole number/],
  [{ SMTP_URL: 'http://mail' }, 'SMTP_URL', /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
  [{ BASE_URL: 'not a url' }, 'BASE_URL', /BASE_URL must be an absolute/],
  [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM', /MAIL_FROM must be an email address/],
  [{ NODE_ENV: 'staging' }, 'NODE_ENV', /NODE_ENV must be one of/],
  [{ NODE_ENV: 'production', BASE_URL: 'https://rota.example.org' }, 'SESSION_SECRET', /SESSION_SECRET is required in production/],
  [{ NODE_ENV: 'production', BASE_URL: 'https://rota.example.org', SESSION_SECRET: 'short' }, 'SESSION_SECRET', /at least 32 characters/],
  [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }, 'BASE_URL', /BASE_URL is required in production/],
]

for (const [env, variable, message] of bad) {
  t.test(`${JSON.stringify(env)} is refused, naming ${variable}`, async (t) => {
    let caught: unknown
    try {
      loadConfig(env)
    } catch (err) {
      caught = err
    }
    t.ok(caught instanceof ConfigError, 'a ConfigError')
    t.equal((caught as ConfigError).variable, variable)
    t.match((caught as ConfigError).message, message)
  })
}

t.test('the server exits non-zero with one line and no stack trace', async (t) => {
  const run = spawnSync(process.execPath, nodeArgs('src/server.ts'), {
    env: { ...process.env, DATABASE_URL: 'mysql://x', NODE_ENV: 'development' },
    encoding: 'utf8',
    // Generous: under a loaded CI machine, tsx compiling the whole app took over 20 s once.
    timeout: 90_000,
  })
  t.not(run.status, 0)
  const lines = run.stderr.trim().split('\n').filter((l) => l.trim() !== '')
  t.equal(lines.length, 1, 'one line on stderr')
  t.equal(lines[0], 'Configuration error: DATABASE_URL must be a SQLite path or a postgres:// URL')
  t.notMatch(run.stderr, /\s+at\s/, 'no stack trace')
})
