// Every coordinator route checks the object: a coordinator of another library service, or of another branch, can neither see nor change it.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession } from '../helpers/fixtures.js'
import { world, volunteer, outbox } from './world.js'

t.comment(`database: ${databaseLabel}`)

t.test('outsiders are refused on every route, and nothing changes', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Secret Central drop-in', min: 2, max: 3 })
  const booked = await volunteer(w, 'booked@example.org', 'Bella Booked', [w.central])
  const applicant = await volunteer(w, 'applicant@example.org', 'Archie Applicant', [w.central], { status: 'applied' })
  await w.coordinator.post(`/coordinate/sessions/${session}/assign`, { assign: String(booked.volunteerId) })
  const invited = await volunteer(w, 'invited@example.org', 'Ivy Invited', [w.central])
  await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(invited.volunteerId)] })
  const invitation = (await w.db.selectFrom('invitations').select('id').executeTakeFirstOrThrow()).id
  const groupMessage = { audience: `session:${session}`, subject: 'About the Secret Central drop-in', body: 'See you there.' }
  const preview = await w.coordinator.post('/coordinate/messages/preview', groupMessage)
  t.equal((await w.coordinator.post('/coordinate/messages/send', { ...groupMessage, count: /name="count" value="(\d+)"/.exec(preview.body)?.[1] })).statusCode, 303, 'a group message to the session')
  const message = (await w.db.selectFrom('group_messages').select('id').executeTakeFirstOrThrow()).id
  const snapshot = async () => ({
    sessions: await w.db.selectFrom('sessions').selectAll().orderBy('id').execute(),
    assignments: await w.db.selectFrom('assignments').selectAll().orderBy('id').execute(),
    invitations: await w.db.selectFrom('invitations').selectAll().orderBy('id').execute(),
    volunteers: await w.db.selectFrom('volunteers').selectAll().orderBy('id').execute(),
    trainings: await w.db.selectFrom('volunteer_trainings').selectAll().execute(),
    outbox: (await outbox(w.db)).length,
    groupMessages: (await w.db.selectFrom('group_messages').select('id').execute()).length,
  })
  const before = await snapshot()
  const secrets = /Secret Central drop-in|Bella Booked|Archie Applicant|Ivy Invited|booked@example\.org/

  const sessionForm = { title: 'Hijack', kind: 'drop_in', repeat: 'once', date: '2026-12-20', start: '10:00', end: '12:00', min: '1', max: '2', scope: 'one' }
  const gets = [
    `/coordinate/sessions/${session}`,
    `/coordinate/sessions/${session}/invitations`,
    `/coordinate/sessions/${session}/edit`,
    `/coordinate/sessions/${session}/edit?scope=future`,
    `/coordinate/sessions/${session}/cancel`,
    `/coordinate/sessions/${session}/remove?volunteer=${booked.volunteerId}`,
    `/coordinate/sessions/${session}/attendance`,
    `/coordinate/volunteers/${booked.volunteerId}`,
    `/coordinate/volunteers/${applicant.volunteerId}/trainings/new`,
    `/coordinate/volunteers/${applicant.volunteerId}/reject`,
    `/coordinate/volunteers/${booked.volunteerId}/leave`,
    `/coordinate/gaps?branch=${w.central}`,
    `/coordinate/sessions?branch=${w.central}`,
    `/coordinate/autofill?run=1&branch=${w.central}`,
    `/coordinate/messages/${message}`,
    `/coordinate/messages/new?session=${session}`,
    `/coordinate/branches/${w.central}/checkin?date=2026-12-08`,
  ]
  const posts: Array<[string, Record<string, string | string[]>]> = [
    ['/coordinate/sessions/new', { ...sessionForm, branch: String(w.central) }],
    [`/coordinate/sessions/${session}/invitations`, { invite: [String(applicant.volunteerId)] }],
    [`/coordinate/sessions/${session}/assign`, { assign: String(invited.volunteerId) }],
    [`/coordinate/sessions/${session}/remove`, { volunteer: String(booked.volunteerId), reason: 'Not yours to change' }],
    [`/coordinate/invitations/${invitation}/withdraw`, { session: String(session) }],
    [`/coordinate/sessions/${session}/edit`, sessionForm],
    [`/coordinate/sessions/${session}/cancel`, { scope: 'one' }],
    [`/coordinate/sessions/${session}/attendance`, { [`attendance-${booked.volunteerId}`]: 'attended' }],
    ['/coordinate/autofill', { lines: [`${session}:${invited.volunteerId}`], mode: 'assign' }],
    [`/coordinate/volunteers/${applicant.volunteerId}/approve`, {}],
    [`/coordinate/volunteers/${booked.volunteerId}/pause`, {}],
    [`/coordinate/volunteers/${booked.volunteerId}/resume`, {}],
    [`/coordinate/volunteers/${applicant.volunteerId}/reject`, { reason: 'Not yours to reject' }],
    [`/coordinate/volunteers/${booked.volunteerId}/leave`, {}],
    [`/coordinate/volunteers/${booked.volunteerId}/trainings/new`, { kind: String(w.trainings.essentials), completed: '2026-11-01' }],
    ['/coordinate/messages/preview', groupMessage],
    ['/coordinate/messages/send', { ...groupMessage, count: '1' }],
    ['/coordinate/messages/preview', { ...groupMessage, audience: `branch:${w.central}` }],
    ['/coordinate/messages/send', { ...groupMessage, audience: `branch:${w.central}`, count: '3' }],
  ]

  // Every route of src/coordination with an object in it is exercised here (other /coordinate
  // pages, e.g. branch calendars, belong to other parts and are tested there).
  const ours = /^\/coordinate\/(sessions|invitations|volunteers|gaps|autofill|messages|branches)\b/
  const covered = new Set([...gets, ...posts.map((p) => p[0])].map((u) => u.split('?')[0]!.replace(/\/\d+/g, '/:id').replace('/coordinate/volunteers/:id/approve', '/coordinate/volunteers/:id/:action')))
  for (const route of w.app.routeTable.filter((r) => ours.test(r.url) && r.url.includes(':'))) {
    t.ok(covered.has(route.url), `${route.method} ${route.url} is checked for outsiders`)
  }

  for (const [who, personId] of [['another service’s coordinator', w.otherCoordinatorId], ['the East branch’s coordinator', w.eastCoordinatorId]] as const) {
    const outsider = await new Client(w.app).signInAs(personId)
    for (const url of gets) {
      const res = await outsider.get(url, url.endsWith('/invitations') ? { 'hx-request': 'true' } : {})
      t.ok([403, 404].includes(res.statusCode), `${who}: GET ${url} → ${res.statusCode}`)
      t.notMatch(res.body, secrets, `${who}: GET ${url} shows nothing of it`)
    }
    for (const [url, form] of posts) {
      const res = await outsider.post(url, form)
      t.ok([403, 404].includes(res.statusCode), `${who}: POST ${url} → ${res.statusCode}`)
      t.notMatch(res.body, secrets)
    }
    // Lists show only their own scope.
    for (const url of ['/coordinate/sessions', '/coordinate/gaps?weeks=4', '/coordinate/volunteers', `/coordinate/volunteers?branch=${w.central}`, '/coordinate/autofill?run=1', '/coordinate/sessions/new', '/coordinate/messages', '/coordinate/messages/new', '/coordinate']) {
      const res = await outsider.get(url)
      t.equal(res.statusCode, 200, `${who}: ${url} opens`)
      t.notMatch(res.body, secrets, `${who}: ${url} lists nothing of Central`)
    }
  }
  t.same(await snapshot(), before, 'nothing changed')

  // The branch coordinator does see a volunteer who also goes to their branch.
  const both = await volunteer(w, 'both@example.org', 'Bo Both', [w.central, w.east])
  const east = await new Client(w.app).signInAs(w.eastCoordinatorId)
  t.equal((await east.get(`/coordinate/volunteers/${both.volunteerId}`)).statusCode, 200)
  t.match((await east.get('/coordinate/volunteers')).body, /Bo Both/)
})

t.test('objects that do not exist are 404, malformed ids are 400, never a 500', async (t) => {
  const w = await world(t)
  for (const url of ['/coordinate/sessions/999999', '/coordinate/volunteers/999999', '/coordinate/sessions/999999/edit']) {
    t.equal((await w.coordinator.get(url)).statusCode, 404, url)
  }
  for (const url of ['/coordinate/sessions/abc', '/coordinate/sessions/-1', '/coordinate/volunteers/1e9999']) {
    const res = await w.coordinator.get(url)
    t.ok(res.statusCode === 400 || res.statusCode === 404, `${url} → ${res.statusCode}`)
  }
  t.equal((await w.coordinator.post('/coordinate/invitations/999999/withdraw', {})).statusCode, 404)
  t.equal((await w.coordinator.post('/coordinate/volunteers/1/explode', {})).statusCode, 400)
})
