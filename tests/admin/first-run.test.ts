// From nothing to a working rota without a JSON file: admin:create on an empty database, then everything else in the browser, in production mode.
import t from 'tap'
import { execFile } from 'node:child_process'
import { buildApp } from '../../src/app.js'
import { ManualClock } from '../../src/clock.js'
import { databaseLabel, freshDatabase, migrateFresh, testConfig } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { textOf } from '../bookings/world.js'
import { adminCreate, type ToolOutput } from '../../src/tools/admin-create.js'
import { firstRunHint } from '../../src/admin/admin.service.js'
import type { FastifyInstance } from 'fastify'
import { nodeArgs } from '../helpers/paths.js'

t.comment(`database: ${databaseLabel}`)

const PROD = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(48), BASE_URL: 'https://rota.example.org', MAIL_FROM: 'Champion Rota <rota@rota.example.org>' }

/** The real command as an operator runs it (SQLite file); on PostgreSQL the same code in-process, on this test's schema. */
function runTool(database: Awaited<ReturnType<typeof freshDatabase>>, args: string[]): Promise<ToolOutput> {
  if (database.kind === 'postgres') return adminCreate(args, testConfig(database, PROD))
  return new Promise((resolve) =>
    execFile(process.execPath, [...nodeArgs('src/tools/admin-create.ts'), ...args], { env: { ...process.env, ...PROD, DATABASE_URL: database.file } }, (err, out, errOut) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: out.trim(), err: errOut.trim() }),
    ),
  )
}

/** Signs in the real way: ask for a link, open it from the email (the outbox: production keeps no dev mailbox), confirm. */
async function signIn(app: FastifyInstance, email: string): Promise<Client> {
  const client = new Client(app)
  await client.get('/sign-in')
  t.equal((await client.post('/sign-in', { email })).statusCode, 303)
  const mail = await app.db.selectFrom('outbox').select('text_body').where('kind', '=', 'sign-in').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow()
  const token = /https:\/\/rota\.example\.org\/sign-in\/confirm\/(\S+)/.exec(mail.text_body)![1]!
  t.equal((await client.get(`/sign-in/confirm/${token}`)).statusCode, 200)
  t.equal((await client.post('/sign-in/confirm', { token })).statusCode, 303)
  return client
}

t.test('admin:create, then an admin adds a branch, a topic, a training and a coordinator, who schedules a session', async (t) => {
  const database = await freshDatabase(t)
  await migrateFresh(database)
  const config = testConfig(database, PROD)
  t.ok(config.isProduction)
  const clock = new ManualClock(Date.parse('2026-11-30T09:00:00Z'))
  let app = await buildApp(config, { clock, logger: false, migrate: false })
  t.teardown(() => app.close())
  t.match(await firstRunHint(app.ctx), 'npm run admin:create -- --service "Eastvale Libraries" --email ada@eastvale.example', 'the start-up log says how to begin')
  await app.close()

  const usage = await runTool(database, ['--service', 'Eastvale Libraries'])
  t.equal(usage.code, 2)
  t.match(usage.err, 'Usage: npm run admin:create')
  const bad = await runTool(database, ['--service', 'Eastvale Libraries', '--email', 'not-an-address'])
  t.equal(bad.code, 1)
  t.match(bad.err, '--email "not-an-address" is not an email address; nothing was changed')
  const made = await runTool(database, ['--service', 'Eastvale Libraries', '--email', 'Ada@Eastvale.example', '--name', 'Ada Lovelace'])
  t.equal(made.code, 0, made.err)
  t.equal(made.out, 'Created the library service "Eastvale Libraries"; ada@eastvale.example is its admin. They can sign in at https://rota.example.org/sign-in')
  const twice = await runTool(database, ['--service', 'Eastvale Libraries', '--email', 'ada@eastvale.example'])
  t.equal(twice.code, 0)
  t.match(twice.out, 'already exists', 'running it again changes nothing')

  app = await buildApp(config, { clock, logger: false, migrate: false })
  await app.ready()
  t.equal(await firstRunHint(app.ctx), null, 'no hint once there is an admin')
  t.equal((await app.db.selectFrom('role_grants').select('id').execute()).length, 1, 'one right, not two')

  const ada = await signIn(app, 'ada@eastvale.example')
  t.match(textOf((await ada.get('/admin')).body), 'Library service admin')
  t.equal((await ada.post('/admin/branches/new', { name: 'Eastvale Central Library', address: '1 Market Square', postcode: 'EV1 1AA', timezone: 'Europe/London' })).statusCode, 303)
  t.equal((await ada.post('/admin/skills/new', { kind: 'topic', name: 'Smartphones and tablets' })).statusCode, 303)
  t.equal((await ada.post('/admin/trainings/new', { name: 'Digital champion essentials', kind: 'training', expires: 'no' })).statusCode, 303)
  const branch = await app.db.selectFrom('branches').selectAll().executeTakeFirstOrThrow()
  t.equal((await ada.post('/admin/people/new', { name: 'Hal Hillside', email: 'hal@eastvale.example', role: 'coordinator', scope: String(branch.id) })).statusCode, 303)
  t.match(textOf((await ada.get('/admin/people')).body), 'Hal Hillside')

  const hal = await signIn(app, 'hal@eastvale.example')
  const form = await hal.get('/coordinate/sessions/new')
  t.equal(form.statusCode, 200)
  t.match(textOf(form.body), 'Eastvale Central Library')
  const skill = await app.db.selectFrom('skills').select('id').executeTakeFirstOrThrow()
  const training = await app.db.selectFrom('training_kinds').select('id').executeTakeFirstOrThrow()
  const res = await hal.post('/coordinate/sessions/new', {
    branch: String(branch.id),
    title: 'Digital help drop-in',
    kind: 'drop_in',
    repeat: 'once',
    date: '2026-12-10',
    start: '10:00',
    end: '12:00',
    required: [String(skill.id)],
    trainings: [String(training.id)],
    min: '1',
    max: '3',
  })
  t.equal(res.statusCode, 303, textOf(res.body).slice(0, 400))
  const session = await app.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
  t.match(session, { branch_id: branch.id, title: 'Digital help drop-in', local_date: '2026-12-10', start_time: '10:00', status: 'scheduled' })
  t.equal((await app.db.selectFrom('session_skills').select('skill_id').where('session_id', '=', session.id).executeTakeFirstOrThrow()).skill_id, skill.id)
  const actions = (await app.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((a) => a.action).filter((a) => a !== 'signed_in')
  t.same(actions.slice(0, 5), ['right.granted', 'branch.added', 'skill.added', 'training_kind.added', 'right.granted'], 'every admin step audited')
})
