// Scheduling sessions and weekly series: wall-clock times across the clock changes, skipped dates, editing "this and all future", cancelling.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { localToInstant } from '../../src/time/wall-clock.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, volunteer, outbox, type World } from './world.js'

t.comment(`database: ${databaseLabel}`)

const form = (w: World, extra: Record<string, string | string[]>) => ({
  branch: String(w.central),
  title: 'Digital help drop-in',
  kind: 'drop_in',
  repeat: 'weekly',
  days: ['TU'],
  start: '10:00',
  end: '12:00',
  min: '1',
  max: '2',
  notes: 'Tea in the staff room.',
  ...extra,
})

async function sessionsOf(w: World, seriesId: number) {
  return w.db.selectFrom('sessions').selectAll().where('series_id', '=', seriesId).orderBy('local_date').execute()
}

async function createSeries(w: World, extra: Record<string, string | string[]>) {
  const res = await w.coordinator.post('/coordinate/sessions/new', form(w, extra))
  if (res.statusCode !== 303) throw new Error(`expected a redirect, got ${res.statusCode}: ${res.body.slice(0, 2000)}`)
  const sessionId = Number(/\/coordinate\/sessions\/(\d+)/.exec(res.headers.location as string)![1])
  const s = await w.db.selectFrom('sessions').select('series_id').where('id', '=', sessionId).executeTakeFirstOrThrow()
  return { sessionId, seriesId: s.series_id! }
}

t.test('a weekly 10:00 series stays at 10:00 local across the March and October clock changes', async (t) => {
  const w = await world(t)
  for (const [from, until, change] of [
    ['2027-03-16', '2027-04-06', '2027-03-28'],
    ['2027-10-19', '2027-11-09', '2027-10-31'],
  ] as const) {
    const { seriesId } = await createSeries(w, { from, until })
    const sessions = await sessionsOf(w, seriesId)
    t.same(sessions.map((s) => s.local_date), [from, ...(from === '2027-03-16' ? ['2027-03-23', '2027-03-30', '2027-04-06'] : ['2027-10-26', '2027-11-02', '2027-11-09'])])
    for (const s of sessions) {
      t.equal(s.start_time, '10:00', `${s.local_date} starts at 10:00 local`)
      const summer = s.local_date > '2027-03-28' && s.local_date < '2027-10-31'
      const utcHour = new Date(s.starts_at).getUTCHours()
      t.equal(utcHour, summer ? 9 : 10, `${s.local_date} is ${summer ? '09:00' : '10:00'} UTC (${s.local_date < change ? 'before' : 'after'} the change)`)
      t.equal(s.ends_at - s.starts_at, 2 * 3_600_000, 'two hours long, even in the week of the change')
    }
    const series = await w.db.selectFrom('series').selectAll().where('id', '=', seriesId).executeTakeFirstOrThrow()
    t.match(series.rrule, /FREQ=WEEKLY;.*BYDAY=TU/, 'the series keeps its RFC 5545 rule')
  }
})

t.test('skipped dates are skipped, and several days a week are supported', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2026-12-14', until: '2027-01-08', days: ['TU', 'TH'], skipped: '24/12/2026\n2026-12-29, 31/12/2026' })
  const dates = (await sessionsOf(w, seriesId)).map((s) => s.local_date)
  t.same(dates, ['2026-12-15', '2026-12-17', '2026-12-22', '2027-01-05', '2027-01-07'])
  const page = await w.coordinator.get(`/coordinate/sessions/${(await sessionsOf(w, seriesId))[0]!.id}`)
  t.match(page.body, /Every Tuesday and Thursday until Friday 8 January 2027/)
})

t.test('a one-off session is created in the branch’s time zone', async (t) => {
  const w = await world(t)
  const res = await w.coordinator.post('/coordinate/sessions/new', form(w, { repeat: 'once', date: '8/12/2026', start: '14:30', end: '16:00' }))
  t.equal(res.statusCode, 303)
  const s = await w.db.selectFrom('sessions').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.equal(s.local_date, '2026-12-08')
  t.equal(s.starts_at, localToInstant('2026-12-08', '14:30', 'Europe/London'))
  t.equal(s.series_id, null)
})

t.test('bad input gets clear messages and creates nothing', async (t) => {
  const w = await world(t)
  const cases: Array<[Record<string, string | string[]>, RegExp]> = [
    [{ title: '' }, /Enter a title for the session/],
    [{ end: '09:00', from: '2026-12-01', until: '2026-12-31' }, /End time must be after the start time/],
    [{ start: '25:00', from: '2026-12-01', until: '2026-12-31' }, /Start time must be a real time/],
    [{ from: '2026-12-01', until: '2026-12-31', days: [] }, /Select the days of the week/],
    [{ from: '2026-11-01', until: '2026-12-31' }, /The first week must start today or later/],
    [{ from: '2026-12-10', until: '2026-12-01' }, /The end date must be on or after the start date/],
    [{ from: '2026-12-01', until: '2028-01-01' }, /A series can run for up to a year/],
    [{ from: '2026-12-01', until: '2026-12-31', skipped: 'next tuesday' }, /“next tuesday” is not a real date/],
    [{ from: '2026-12-01', until: '2026-12-31', min: '3', max: '2' }, /The most volunteers must be at least the fewest it needs/],
    [{ from: '2026-12-01', until: '2026-12-31', required: ['999999'] }, /Select skills from the list/],
    [{ repeat: 'once', date: '31/02/2027' }, /must be a real date/],
    [{ repeat: 'sometimes' }, /Select whether the session happens once or every week/],
    [{ repeat: 'once', date: '31/12/9999' }, /Sessions can be scheduled up to 2 years ahead/],
    [{ from: '2030-01-01', until: '2030-02-01' }, /Sessions can be scheduled up to 2 years ahead/],
    // 01:30 does not exist in London on 28 March 2027 (the clocks go from 01:00 to 02:00).
    [{ repeat: 'once', date: '28/3/2027', start: '01:30', end: '02:30' }, /The clocks go forward on Sunday 28 March 2027, so 01:30 does not exist at this branch that day/],
    [{ repeat: 'once', date: '28/3/2027', start: '00:30', end: '01:15' }, /so 01:15 does not exist/],
    [{ from: '2027-03-01', until: '2027-04-30', days: ['SU'], start: '01:00', end: '03:00' }, /The clocks go forward on Sunday 28 March 2027, so 01:00 does not exist/],
  ]
  for (const [extra, message] of cases) {
    const res = await w.coordinator.post('/coordinate/sessions/new', form(w, extra))
    t.equal(res.statusCode, 400, `400 for ${JSON.stringify(extra)}`)
    t.match(res.body, message)
    t.match(res.body, /govuk-error-summary/)
  }
  const count = await w.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(count.n), 0, 'nothing was created')
})

t.test('moving a session to a time the clocks skip, or decades ahead, is refused and changes nothing', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2027-03-01', until: '2027-04-30', days: ['SU'], start: '10:00', end: '12:00' })
  const sessions = await sessionsOf(w, seriesId)
  const body = { title: 'Digital help drop-in', kind: 'drop_in', start: '01:30', end: '03:00', min: '1', max: '2', notes: '' }
  const one = await w.coordinator.post(`/coordinate/sessions/${sessions[0]!.id}/edit`, { ...body, scope: 'one', date: '28/3/2027' })
  t.equal(one.statusCode, 400)
  t.match(one.body, /The clocks go forward on Sunday 28 March 2027, so 01:30 does not exist/)
  const future = await w.coordinator.post(`/coordinate/sessions/${sessions[0]!.id}/edit`, { ...body, scope: 'future', until: '2027-04-30' })
  t.equal(future.statusCode, 400)
  t.match(future.body, /The clocks go forward on Sunday 28 March 2027/)
  const far = await w.coordinator.post(`/coordinate/sessions/${sessions[0]!.id}/edit`, { ...body, start: '10:00', end: '12:00', scope: 'one', date: '1/1/2099' })
  t.equal(far.statusCode, 400)
  t.match(far.body, /Sessions can be scheduled up to 2 years ahead/)
  t.same(await sessionsOf(w, seriesId), sessions, 'no session changed')
})

t.test('editing "this and all future" leaves the past alone and emails only those affected', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2026-12-01', until: '2027-01-12', required: [String(w.skills.email)] })
  const sessions = await sessionsOf(w, seriesId)
  t.equal(sessions.length, 7)
  const [earlier, edited, later] = [sessions[2]!, sessions[3]!, sessions[5]!] // 15 Dec, 22 Dec, 5 Jan
  const ann = await volunteer(w, 'ann@example.org', 'Ann Early', [w.central], { skills: [w.skills.email] })
  const bob = await volunteer(w, 'bob@example.org', 'Bob Later', [w.central], { skills: [w.skills.email] })
  const past = await volunteer(w, 'pat@example.org', 'Pat Past', [w.central], { skills: [w.skills.email] })
  const book = (sessionId: number, volunteerId: number) => takePlace(w.app.ctx, { sessionId, volunteerId, source: 'coordinator', actorPersonId: w.coordinatorId, wording: 'assigned' })
  t.equal((await book(sessions[0]!.id, past.volunteerId)).kind, 'confirmed')
  t.equal((await book(earlier.id, ann.volunteerId)).kind, 'confirmed')
  t.equal((await book(later.id, bob.volunteerId)).kind, 'confirmed')
  // A week on: the first sessions are now in the past (the coordinator signs in again).
  w.clock.set(Date.parse('2026-12-09T12:00:00Z'))
  await w.coordinator.signInAs(w.coordinatorId)
  const before = await outbox(w.db)

  const res = await w.coordinator.post(`/coordinate/sessions/${edited.id}/edit`, {
    scope: 'future',
    title: 'Digital help drop-in',
    kind: 'drop_in',
    start: '11:00',
    end: '13:00',
    min: '1',
    max: '2',
    required: [String(w.skills.email)],
    notes: 'Tea in the staff room.',
    until: '2027-01-12',
  })
  t.equal(res.statusCode, 303, res.body.slice(0, 500))
  const after = await sessionsOf(w, seriesId)
  for (const s of after) {
    const changed = s.local_date >= edited.local_date
    t.equal(s.start_time, changed ? '11:00' : '10:00', `${s.local_date} ${changed ? 'moved' : 'left alone'}`)
    t.equal(s.starts_at, localToInstant(s.local_date, changed ? '11:00' : '10:00', 'Europe/London'))
  }
  const sent = (await outbox(w.db)).slice(before.length)
  t.same(sent.map((m) => m.to_address), ['bob@example.org'], 'only the volunteer on a changed session is emailed')
  t.equal(sent[0]!.ical_method, 'REQUEST')
  t.match(sent[0]!.text_body, /it now runs 11am to 1pm \(it was 10am to 12pm\)/)
  const bobsInvite = before.find((m) => m.to_address === 'bob@example.org')!
  const seq = (ics: string | null) => Number(/SEQUENCE:(\d+)/.exec(ics ?? '')?.[1])
  t.ok(seq(sent[0]!.ical) > seq(bobsInvite.ical), 'same event, higher SEQUENCE')
  t.equal(/UID:(\S+)/.exec(sent[0]!.ical!)![1], /UID:(\S+)/.exec(bobsInvite.ical!)![1], 'same UID')
  const series = await w.db.selectFrom('series').selectAll().where('id', '=', seriesId).executeTakeFirstOrThrow()
  t.equal(series.start_time, '11:00', 'the series template follows the change')

  // Changing only the maximum is not news for volunteers: no email.
  const quiet = await w.coordinator.post(`/coordinate/sessions/${edited.id}/edit`, {
    scope: 'future', title: 'Digital help drop-in', kind: 'drop_in', start: '11:00', end: '13:00', min: '1', max: '3', required: [String(w.skills.email)], notes: 'Tea in the staff room.', until: '2027-01-12',
  })
  t.equal(quiet.statusCode, 303)
  t.equal((await outbox(w.db)).length, before.length + 1, 'no email for a change of capacity')
})

t.test('a change that would break a rule for someone already booked is refused with their name', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2026-12-01', until: '2026-12-22' })
  const sessions = await sessionsOf(w, seriesId)
  const cat = await volunteer(w, 'cat@example.org', 'Cat Booked', [w.central, w.east])
  await takePlace(w.app.ctx, { sessionId: sessions[1]!.id, volunteerId: cat.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const other = (await w.db.insertInto('sessions').values({ branch_id: w.east, series_id: null, title: 'Job club', kind: 'drop_in', local_date: sessions[2]!.local_date, start_time: '13:00', end_time: '15:00', starts_at: localToInstant(sessions[2]!.local_date, '13:00', 'Europe/London'), ends_at: localToInstant(sessions[2]!.local_date, '15:00', 'Europe/London'), min_volunteers: 1, max_volunteers: 2, created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow()).id
  t.equal((await takePlace(w.app.ctx, { sessionId: other, volunteerId: cat.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  const base = { title: 'Digital help drop-in', kind: 'drop_in', min: '1', max: '2', notes: '' }

  const skill = await w.coordinator.post(`/coordinate/sessions/${sessions[1]!.id}/edit`, { ...base, scope: 'one', date: sessions[1]!.local_date, start: '10:00', end: '12:00', required: [String(w.skills.polish)] })
  t.equal(skill.statusCode, 409)
  t.match(skill.body, /Cat Booked is confirmed on Tuesday 8 December 2026 and lacks Polish/)

  const clash = await w.coordinator.post(`/coordinate/sessions/${sessions[1]!.id}/edit`, { ...base, scope: 'one', date: sessions[2]!.local_date, start: '14:00', end: '16:00' })
  t.equal(clash.statusCode, 409)
  t.match(clash.body, /Cat Booked is confirmed on Tuesday 15 December 2026 and already on Job club at that time/)

  const unchanged = await w.db.selectFrom('sessions').selectAll().where('id', '=', sessions[1]!.id).executeTakeFirstOrThrow()
  t.equal(unchanged.local_date, '2026-12-08')
  t.equal(unchanged.start_time, '10:00')
  t.equal((await w.db.selectFrom('session_skills').selectAll().where('session_id', '=', sessions[1]!.id).execute()).length, 0, 'nothing changed')
})

t.test('extending and shortening a series from a session on', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2026-12-01', until: '2026-12-15' })
  let sessions = await sessionsOf(w, seriesId)
  const base = { scope: 'future', title: 'Digital help drop-in', kind: 'drop_in', start: '10:00', end: '12:00', min: '1', max: '2', notes: 'Tea in the staff room.' }
  t.equal((await w.coordinator.post(`/coordinate/sessions/${sessions[1]!.id}/edit`, { ...base, until: '2026-12-29' })).statusCode, 303)
  sessions = await sessionsOf(w, seriesId)
  t.same(sessions.map((s) => s.local_date), ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29'], 'two weeks added on the same day')
  const dee = await volunteer(w, 'dee@example.org', 'Dee Late', [w.central])
  await takePlace(w.app.ctx, { sessionId: sessions[4]!.id, volunteerId: dee.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  t.equal((await w.coordinator.post(`/coordinate/sessions/${sessions[1]!.id}/edit`, { ...base, until: '2026-12-20' })).statusCode, 303)
  sessions = await sessionsOf(w, seriesId)
  t.same(sessions.filter((s) => s.status === 'scheduled').map((s) => s.local_date), ['2026-12-01', '2026-12-08', '2026-12-15'])
  const mail = await outbox(w.db, 'dee@example.org')
  t.same(mail.map((m) => m.ical_method), ['REQUEST', 'CANCEL'], 'the volunteer on a dropped week gets a cancellation')
})

t.test('cancelling one session, or the rest of the series, tells those booked and those waiting', async (t) => {
  const w = await world(t)
  const { seriesId } = await createSeries(w, { from: '2026-12-01', until: '2026-12-29' })
  const sessions = await sessionsOf(w, seriesId)
  const eve = await volunteer(w, 'eve@example.org', 'Eve One', [w.central])
  const fay = await volunteer(w, 'fay@example.org', 'Fay Two', [w.central])
  await takePlace(w.app.ctx, { sessionId: sessions[0]!.id, volunteerId: eve.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  await takePlace(w.app.ctx, { sessionId: sessions[3]!.id, volunteerId: fay.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })

  // Gil waits for a place on the first one (as if it were full).
  const gil = await volunteer(w, 'gil@example.org', 'Gil Waiting', [w.central])
  await givePlace(w.db, { sessionId: sessions[0]!.id, volunteerId: gil.volunteerId, state: 'waitlisted', at: 1 })

  const one = await w.coordinator.post(`/coordinate/sessions/${sessions[0]!.id}/cancel`, { scope: 'one', reason: 'The library is closed for repairs' })
  t.equal(one.statusCode, 303)
  const gilMail = await outbox(w.db, 'gil@example.org')
  t.equal(gilMail.length, 1, 'the volunteer on the waiting list is told')
  t.equal(gilMail[0]!.ical, null, 'with no calendar part: they had no calendar entry')
  t.match(gilMail[0]!.subject, /^Session cancelled: /)
  t.match(gilMail[0]!.text_body, /You were on the waiting list for this session, and it has been cancelled/)
  t.match(gilMail[0]!.text_body, /The library is closed for repairs/)
  const gilAssignment = await w.db.selectFrom('assignments').select(['state']).where('volunteer_id', '=', gil.volunteerId).executeTakeFirstOrThrow()
  t.equal(gilAssignment.state, 'cancelled')
  const eveMail = await outbox(w.db, 'eve@example.org')
  t.equal(eveMail.at(-1)!.ical_method, 'CANCEL')
  t.match(eveMail.at(-1)!.ical!, /STATUS:CANCELLED/)
  t.match(eveMail.at(-1)!.text_body, /The library is closed for repairs/)

  const rest = await w.coordinator.post(`/coordinate/sessions/${sessions[2]!.id}/cancel`, { scope: 'rest' })
  t.equal(rest.statusCode, 303)
  const after = await sessionsOf(w, seriesId)
  t.same(after.map((s) => s.status), ['cancelled', 'scheduled', 'cancelled', 'cancelled', 'cancelled'])
  t.same((await outbox(w.db, 'fay@example.org')).map((m) => m.ical_method), ['REQUEST', 'CANCEL'])
  const fayAssignment = await w.db.selectFrom('assignments').select(['state']).where('volunteer_id', '=', fay.volunteerId).executeTakeFirstOrThrow()
  t.equal(fayAssignment.state, 'cancelled')
  const series = await w.db.selectFrom('series').select('until_on').where('id', '=', seriesId).executeTakeFirstOrThrow()
  t.equal(series.until_on, '2026-12-14', 'the series now ends before the first cancelled week')
})

t.test('a session that has started or been cancelled cannot be changed', async (t) => {
  const w = await world(t)
  const { sessionId } = await createSeries(w, { from: '2026-12-01', until: '2026-12-08' })
  await w.coordinator.post(`/coordinate/sessions/${sessionId}/cancel`, { scope: 'one' })
  const page = await w.coordinator.get(`/coordinate/sessions/${sessionId}/edit`)
  t.match(page.body, /has already started or been cancelled, so it cannot be changed/)
  t.notMatch(page.body, /Save changes/)
  const post = await w.coordinator.post(`/coordinate/sessions/${sessionId}/edit`, form(w, { scope: 'one', date: '2026-12-02' }))
  t.equal(post.statusCode, 409)
  t.match(post.body, /This session has been cancelled, so it cannot be changed/)
  t.equal((await w.coordinator.post(`/coordinate/sessions/${sessionId}/cancel`, { scope: 'one' })).statusCode, 409)
})
