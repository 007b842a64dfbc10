// `npm run setup:service`: the first library service of a production deploy, from a file; a file with mistakes changes nothing.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { databaseLabel, testApp, usingPostgres } from '../helpers/app.js'
import { nodeArgs } from '../helpers/paths.js'
import { Client, firstLink, latestMailTo } from '../helpers/client.js'
import { checkServiceFile, setupService, type ServiceFileInput } from '../../src/tools/setup-service.js'

t.comment(`database: ${databaseLabel}`)

const good: ServiceFileInput = {
  name: 'Eastvale Libraries',
  bookingWindowDays: 42,
  branches: [
    { name: 'Eastvale Central Library', address: '1 Market Street, Eastvale', postcode: 'EV1 1AA', arrivalNotes: 'Ask at the front desk' },
    { name: 'Hillside Library', timezone: 'Europe/London' },
  ],
  topics: ['Email', 'Online banking'],
  languages: ['Polish'],
  trainings: [{ name: 'Safeguarding adults', validityMonths: 24 }, { name: 'DBS check', kind: 'check', validityMonths: 36 }],
  admins: [{ name: 'Ada Admin', email: 'Ada@Eastvale.example ' }],
  coordinators: [{ name: 'Hal Hillside', email: 'hal@eastvale.example', branches: ['Hillside Library'] }],
}

t.test('a good file creates the service, and its admin and coordinator can sign in', async (t) => {
  const { app } = await testApp(t)
  const done = await setupService(app.db, good, Date.now())
  t.same([done.branches, done.skills, done.trainings], [2, 3, 2])
  t.same(done.people, ['ada@eastvale.example', 'hal@eastvale.example'])
  const service = await app.db.selectFrom('library_services').selectAll().where('id', '=', done.serviceId).executeTakeFirstOrThrow()
  t.equal(service.slug, 'eastvale-libraries')
  t.equal(service.booking_window_days, 42)
  const grants = await app.db.selectFrom('role_grants').innerJoin('people', 'people.id', 'role_grants.person_id').select(['people.email', 'role_grants.role', 'role_grants.branch_id']).orderBy('people.email').execute()
  t.equal(grants.length, 2)
  t.same(grants.map((g) => [g.email, g.role, g.branch_id === null]), [['ada@eastvale.example', 'admin', true], ['hal@eastvale.example', 'coordinator', false]])

  // The admin signs in through the emailed link, as anyone does.
  const admin = new Client(app)
  await admin.post('/sign-in', { email: 'ada@eastvale.example' })
  const link = firstLink((await latestMailTo(app, 'ada@eastvale.example'))?.text_body ?? '')
  t.ok(link, 'the admin is emailed a sign-in link')
  t.equal((await admin.post('/sign-in/confirm', { token: new URL(link!).pathname.split('/').pop()! })).statusCode, 303)
  const home = await admin.get('/admin')
  t.equal(home.statusCode, 200)
  t.match(home.body, /Eastvale Central Library/)

  await t.rejects(setupService(app.db, good, Date.now()), /A library service called "Eastvale Libraries" already exists; nothing was changed/)
  t.equal((await app.db.selectFrom('library_services').select('id').execute()).length, 1, 'run twice, it changes nothing')
})

t.test('a partner listed in two services\' files is one person with a read-only right in each, and lands on /network', async (t) => {
  const { app } = await testApp(t)
  const nia = { name: 'Nia Network', email: 'Nia@Partner.example' }
  const east = await setupService(app.db, { ...good, partners: [nia] }, Date.now())
  const west = await setupService(app.db, { name: 'Westvale Libraries', branches: [{ name: 'Westvale Library' }], admins: [{ name: 'Wes Admin', email: 'wes@westvale.example' }], partners: [nia] }, Date.now())
  const grants = await app.db.selectFrom('role_grants').innerJoin('people', 'people.id', 'role_grants.person_id').select(['role_grants.person_id', 'role_grants.library_service_id', 'role_grants.branch_id']).where('people.email', '=', 'nia@partner.example').where('role_grants.role', '=', 'partner').orderBy('role_grants.library_service_id').execute()
  t.same(grants.map((g) => [g.library_service_id, g.branch_id]), [[east.serviceId, null], [west.serviceId, null]])
  t.equal(new Set(grants.map((g) => g.person_id)).size, 1, 'one person')
  const browser = await new Client(app).signInAs(grants[0]!.person_id)
  t.equal((await browser.get('/dashboard')).headers.location, '/network')
  const page = await browser.get('/network')
  t.match(page.body, /Eastvale Libraries/)
  t.match(page.body, /Westvale Libraries/)
  t.equal((await browser.get('/coordinate')).statusCode, 403)
  t.match(checkServiceFile({ ...good, partners: [{ name: 'X', email: 'nope' }] }).join('\n'), /"nope" \(X\) is not an email address/)
})

t.test('every mistake in a file is named', async (t) => {
  t.same(checkServiceFile(good), [])
  const bad = structuredClone(good) as ServiceFileInput
  bad.branches.push({ name: 'Hillside Library', timezone: 'Mars/Olympus' })
  bad.admins[0]!.email = 'not-an-address'
  bad.coordinators![0]!.branches = ['Nowhere Library']
  const errors = checkServiceFile(bad)
  t.match(errors.join('\n'), /branch "Hillside Library" is listed twice/)
  t.match(errors.join('\n'), /"Mars\/Olympus" is not a time zone/)
  t.match(errors.join('\n'), /"not-an-address" \(Ada Admin\) is not an email address/)
  t.match(errors.join('\n'), /coordinator Hal Hillside: there is no branch "Nowhere Library"/)
  t.match(checkServiceFile({ name: 'X', branches: [], admins: [] }).join('\n'), /\/branches/)
  t.match(checkServiceFile({ ...good, colour: 'blue' }).join('\n'), /Unexpected property/)
})

t.test('the command refuses a bad file with a clear message and changes nothing', { skip: usingPostgres && 'the command is checked on SQLite' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-service-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const database = path.join(dir, 'rota.sqlite')
  const run = (file: string) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [...nodeArgs('src/tools/setup-service.ts'), file], { env: { ...process.env, DATABASE_URL: database, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), BASE_URL: 'https://rota.example.org' } }, (err, out, errOut) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, out, err: errOut }),
      )
    })
  const badFile = path.join(dir, 'bad.json')
  fs.writeFileSync(badFile, JSON.stringify({ ...good, admins: [{ name: 'Ada', email: 'nope' }] }))
  const bad = await run(badFile)
  t.equal(bad.code, 1)
  t.match(bad.err, /bad\.json has a mistake; nothing was changed:\n {2}- "nope" \(Ada\) is not an email address/)
  t.notOk(fs.existsSync(database), 'no database was even opened')

  const goodFile = path.join(dir, 'good.json')
  fs.writeFileSync(goodFile, JSON.stringify(good))
  const ok = await run(goodFile)
  t.equal(ok.code, 0, ok.err)
  t.match(ok.out, /Created "Eastvale Libraries": 2 branches, 3 topics and languages, 2 trainings and checks\. They can sign in at https:\/\/rota\.example\.org\/sign-in: ada@eastvale\.example, hal@eastvale\.example/)
  const again = await run(goodFile)
  t.equal(again.code, 1)
  t.match(again.err, /already exists; nothing was changed/)
})
