// Admins run their library service from the browser: every action works and is audited; every refusal says why and changes nothing.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { world, textOf } from '../bookings/world.js'
import { createAdmin } from '../helpers/fixtures.js'
import { mapUnmappedTopics } from '../../src/evidence/framework.js'

t.comment(`database: ${databaseLabel}`)

async function setup(t: Test) {
  const w = await world(t)
  const { db } = w
  const adminId = await createAdmin(db, 'ada@example.org', w.service, 'Ada Admin')
  const otherAdminId = await createAdmin(db, 'olly@example.org', w.otherService, 'Olly Other')
  const admin = await w.signIn(adminId)
  const other = await w.signIn(otherAdminId)
  const auditCount = async () => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const lastAudit = () => db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  return { ...w, adminId, otherAdminId, admin, other, auditCount, lastAudit }
}

/** A refused form: 400, the error summary with the message, and nothing saved. */
function refused(t: Test, res: { statusCode: number; body: string }, message: string) {
  t.equal(res.statusCode, 400, `refused: ${message}`)
  t.match(res.body, 'govuk-error-summary')
  t.match(textOf(res.body), message)
}

const SETTINGS = {
  name: 'Testshire Libraries',
  contact: 'Sam at Central, 01234 567890',
  bookingWindowDays: '42',
  withdrawCutoffHours: '12',
  reminders: ['2d', '0d@08:00'],
  customDays: '',
  customTime: '',
  shortAlertDays: '4',
  digestDay: '3',
  digestTime: '07:30',
  retentionMonths: '18',
}

t.test('settings: saved with an audit entry naming the fields; a preview sentence; bad values refused', async (t) => {
  const w = await setup(t)
  const page = await w.admin.get('/admin/settings')
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), 'Preview: Volunteers get a reminder email two days before, and at 8am on the day each session.')

  const preview = await w.admin.post('/admin/settings', { ...SETTINGS, reminders: ['1d@18:00'], customDays: '0', customTime: '09:00', intent: 'preview' })
  t.equal(preview.statusCode, 200)
  t.match(textOf(preview.body), 'Preview: Volunteers get a reminder email at 6pm the day before, and at 9am on the day each session.')
  t.equal((await w.db.selectFrom('library_services').select('reminder_offsets').where('id', '=', w.service).executeTakeFirstOrThrow()).reminder_offsets, '2d,0d@08:00', 'a preview saves nothing')

  const before = await w.auditCount()
  const saved = await w.admin.post('/admin/settings', { ...SETTINGS, customDays: '1', customTime: '', intent: 'save' })
  t.equal(saved.statusCode, 303)
  const s = await w.db.selectFrom('library_services').selectAll().where('id', '=', w.service).executeTakeFirstOrThrow()
  t.match(s, { booking_window_days: 42, withdraw_cutoff_hours: 12, reminder_offsets: '2d,0d@08:00,1d', short_alert_days: 4, digest_day: 3, digest_time: '07:30', contact: 'Sam at Central, 01234 567890', retention_months: 18 })
  t.equal(await w.auditCount(), before + 1)
  const entry = await w.lastAudit()
  t.match(entry, { action: 'service.settings_changed', object_type: 'library_service', object_id: String(w.service), actor_person_id: w.adminId })
  t.same(JSON.parse(entry.detail).fields.sort(), ['booking_window_days', 'contact', 'digest_day', 'digest_time', 'reminder_offsets', 'retention_months', 'short_alert_days', 'withdraw_cutoff_hours'])
  t.notMatch(entry.detail, '01234', 'no values in the audit entry')

  const snapshot = await w.db.selectFrom('library_services').selectAll().where('id', '=', w.service).executeTakeFirstOrThrow()
  const audits = await w.auditCount()
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, name: 'Elsewhere Libraries' }), 'Another library service already has that name')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, customDays: '0' }), '0 days before at the session’s time is when it starts')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, customDays: '30' }), 'Enter how many days before, from 0 to 14')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, customDays: '2', customTime: '' }), 'That reminder is already ticked above')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, customDays: '1', customTime: '25:00' }), 'Enter the time as on a 24-hour clock')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, reminders: ['2d', '1d', '1d@18:00', '0d@08:00', '3h'] }), 'Choose at most 4 reminders')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, reminders: ['7h'] }), 'Choose reminder times from the list')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, bookingWindowDays: 'lots' }), 'How many days ahead volunteers can book must be a whole number')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, withdrawCutoffHours: '999' }), 'must be between 0 and 336')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, digestTime: 'noon' }), 'Enter the digest time')
  refused(t, await w.admin.post('/admin/settings', { ...SETTINGS, name: '' }), 'Enter the library service’s name')
  const typed = await w.admin.post('/admin/settings', { ...SETTINGS, contact: 'Typed <b>contact</b>', customDays: '0' })
  t.match(typed.body, 'Typed &lt;b&gt;contact&lt;/b&gt;', 'what was typed comes back, escaped')
  t.same(await w.db.selectFrom('library_services').selectAll().where('id', '=', w.service).executeTakeFirstOrThrow(), snapshot, 'nothing changed')
  t.equal(await w.auditCount(), audits, 'no audit entry for a refusal')
})

t.test('the contact an admin sets is what volunteers see on a session and on My sessions, as written and escaped', async (t) => {
  const w = await setup(t)
  const session = await w.session({ date: '2026-12-08', title: 'Tablet help' })
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const volunteer = await w.signIn(v.personId)
  t.notMatch((await volunteer.get(`/sessions/${session}`)).body, /data-service-contact/, 'no contact set: no empty line for it')
  t.notMatch(textOf((await volunteer.get('/my-sessions')).body), /Questions about volunteering/)

  t.equal((await w.admin.post('/admin/settings', { ...SETTINGS, contact: 'Sam <b>at</b> Central\n01234 567890', intent: 'save' })).statusCode, 303)
  const page = await volunteer.get(`/sessions/${session}`)
  t.match(textOf(page.body), 'For anything else about volunteering with Testshire Libraries: Sam &lt;b&gt;at&lt;/b&gt; Central 01234 567890', 'on its own lines, as written')
  t.match(page.body, 'Sam &lt;b&gt;at&lt;/b&gt; Central', 'escaped in the page')
  const mine = await volunteer.get('/my-sessions')
  t.match(textOf(mine.body), 'Questions about volunteering Contact Testshire Libraries: Sam &lt;b&gt;at&lt;/b&gt; Central 01234 567890')
  t.notMatch(mine.body, '<b>at</b>')
  // Another service's volunteers see their own service's contact, not this one.
  const elsewhere = await w.session({ date: '2026-12-08', branch: w.elsewhere })
  t.notMatch((await volunteer.get(`/sessions/${elsewhere}`)).body, /Sam &lt;b&gt;/)
})

t.test('names are the same whatever their case, spacing or script, on both databases, and two admins adding one name at once get one', async (t) => {
  const w = await setup(t)
  t.equal((await w.admin.post('/admin/skills/new', { kind: 'topic', name: 'Café  apps' })).statusCode, 303)
  const audits = await w.auditCount()
  refused(t, await w.admin.post('/admin/skills/new', { kind: 'topic', name: 'CAFÉ apps' }), 'There is already a topic or language called CAFÉ apps')
  refused(t, await w.admin.post('/admin/branches/new', { name: 'CENTRAL LIBRARY', timezone: 'Europe/London' }), 'There is already a branch called CENTRAL LIBRARY')
  t.equal((await w.admin.post('/admin/trainings/new', { name: 'Éducation numérique', kind: 'training', expires: 'no' })).statusCode, 303)
  refused(t, await w.admin.post('/admin/trainings/new', { name: 'ÉDUCATION NUMÉRIQUE', kind: 'training', expires: 'no' }), 'There is already training or a check called ÉDUCATION NUMÉRIQUE')
  t.equal(await w.auditCount(), audits + 1, 'only the one added')

  // The same new name from two admins at the same moment: one is added, the other is told.
  const second = await w.signIn(await createAdmin(w.db, 'bea@example.org', w.service, 'Bea Admin'))
  const answers = await Promise.all([w.admin.post('/admin/skills/new', { kind: 'topic', name: 'Online safety' }), second.post('/admin/skills/new', { kind: 'topic', name: 'online safety' })])
  t.same(answers.map((a) => a.statusCode).sort(), [303, 400], 'one added, one refused')
  t.match(textOf(answers.find((a) => a.statusCode === 400)!.body), /There is already a topic or language called online safety/i)
  const rows = await w.db.selectFrom('skills').select('name').where('library_service_id', '=', w.service).execute()
  t.equal(rows.filter((r) => r.name.toLowerCase() === 'online safety').length, 1, 'one row')
})

t.test('branches: add, edit, close and reopen; duplicate names and unknown time zones refused', async (t) => {
  const w = await setup(t)
  const form = { name: 'Riverside Library', address: '2 River Road', postcode: 'tt2 2bb', timezone: 'Europe/London', arrivalNotes: 'Side door', accessibilityNotes: 'Lift' }
  let audits = await w.auditCount()
  t.equal((await w.admin.post('/admin/branches/new', form)).statusCode, 303)
  const b = await w.db.selectFrom('branches').selectAll().where('name', '=', 'Riverside Library').executeTakeFirstOrThrow()
  t.match(b, { library_service_id: w.service, postcode: 'TT2 2BB', timezone: 'Europe/London', arrival_notes: 'Side door', active: 1 })
  t.match(await w.lastAudit(), { action: 'branch.added', object_id: String(b.id) })
  t.equal(await w.auditCount(), ++audits)
  t.match(textOf((await w.admin.get('/admin/branches')).body), 'Riverside Library')

  const count = async () => (await w.db.selectFrom('branches').select('id').execute()).length
  const n = await count()
  refused(t, await w.admin.post('/admin/branches/new', { ...form, name: 'central library' }), 'There is already a branch called central library')
  refused(t, await w.admin.post('/admin/branches/new', { ...form, name: 'Moon Base', timezone: 'Mars/Olympus_Mons' }), '“Mars/Olympus_Mons” is not a time zone we know')
  refused(t, await w.admin.post('/admin/branches/new', { ...form, name: 'Offset', timezone: 'UTC+1' }), 'is not a time zone we know')
  refused(t, await w.admin.post('/admin/branches/new', { ...form, name: '' }), 'Enter the branch’s name')
  t.equal(await count(), n, 'no branch added')
  t.equal(await w.auditCount(), audits)
  // The same name in another library service is fine: names are per service.
  t.equal((await w.other.post('/admin/branches/new', { ...form, name: 'Central Library' })).statusCode, 303)
  audits++

  t.equal((await w.admin.post(`/admin/branches/${b.id}`, { ...form, timezone: 'Europe/Dublin', arrivalNotes: 'Front door' })).statusCode, 303)
  t.match(await w.db.selectFrom('branches').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow(), { timezone: 'Europe/Dublin', arrival_notes: 'Front door' })
  const edited = await w.lastAudit()
  t.match(edited, { action: 'branch.changed' })
  t.same(JSON.parse(edited.detail), { fields: ['timezone', 'arrival_notes'] })
  refused(t, await w.admin.post(`/admin/branches/${b.id}`, { ...form, name: 'Northgate Library' }), 'There is already a branch called Northgate Library')

  const close = await w.admin.post(`/admin/branches/${w.north}/close`)
  t.equal(close.statusCode, 303)
  t.match(await w.db.selectFrom('branches').selectAll().where('id', '=', w.north).executeTakeFirstOrThrow(), { active: 0, closed_at: w.clock.now() })
  t.match(await w.lastAudit(), { action: 'branch.closed', object_id: String(w.north) })
  const again = await w.admin.post(`/admin/branches/${w.north}/close`)
  t.equal(again.statusCode, 409)
  t.match(textOf(again.body), 'Northgate Library is already closed')
  t.equal((await w.admin.post(`/admin/branches/${w.north}/reopen`)).statusCode, 303)
  t.equal((await w.db.selectFrom('branches').select('active').where('id', '=', w.north).executeTakeFirstOrThrow()).active, 1)
})

t.test('a closed branch keeps its sessions and takes no new ones', async (t) => {
  const w = await setup(t)
  const old = await w.session({ date: '2026-12-10', branch: w.north })
  t.equal((await w.admin.post(`/admin/branches/${w.north}/close`)).statusCode, 303)
  t.ok(await w.db.selectFrom('sessions').select('id').where('id', '=', old).executeTakeFirst(), 'its sessions stay')
  const coordinator = await w.signIn(w.wholeService)
  const sessions = () => w.db.selectFrom('sessions').select('id').where('branch_id', '=', w.north).execute()
  const before = (await sessions()).length
  const res = await coordinator.post('/coordinate/sessions/new', { branch: String(w.north), title: 'Drop-in', kind: 'drop_in', date: '2026-12-15', start: '10:00', end: '12:00', min: '1', max: '2', repeat: 'once' })
  refused(t, res, 'Northgate Library is closed and takes no new sessions')
  t.equal((await sessions()).length, before)
  t.notMatch(textOf((await coordinator.get('/coordinate/sessions/new')).body), 'Northgate Library', 'not offered for new sessions')
})

t.test('topics and languages: add, rename, retire, restore, reorder; duplicates refused', async (t) => {
  const w = await setup(t)
  t.equal((await w.admin.post('/admin/skills/new', { kind: 'language', name: 'Urdu' })).statusCode, 303)
  const urdu = await w.db.selectFrom('skills').selectAll().where('name', '=', 'Urdu').executeTakeFirstOrThrow()
  t.match(urdu, { kind: 'language', active: 1, library_service_id: w.service })
  t.match(await w.lastAudit(), { action: 'skill.added', object_id: String(urdu.id) })
  const audits = await w.auditCount()
  refused(t, await w.admin.post('/admin/skills/new', { kind: 'topic', name: 'polish' }), 'There is already a topic or language called polish')
  refused(t, await w.admin.post('/admin/skills/new', { kind: 'dance', name: 'Tango' }), 'Choose whether this is a topic or a language')
  refused(t, await w.admin.post(`/admin/skills/${urdu.id}`, { name: 'Polish' }), 'There is already a topic or language called Polish')
  t.equal(await w.auditCount(), audits)

  t.equal((await w.admin.post(`/admin/skills/${w.skills.nhs}`, { name: 'NHS App and health services' })).statusCode, 303)
  t.equal((await w.db.selectFrom('skills').select('name').where('id', '=', w.skills.nhs).executeTakeFirstOrThrow()).name, 'NHS App and health services')
  t.same(JSON.parse((await w.lastAudit()).detail), { fields: ['name'] })

  // Retire: gone from the volunteer's choices, kept on their profile.
  const v = await w.volunteer({ skills: [w.skills.phones] })
  t.equal((await w.admin.post(`/admin/skills/${w.skills.phones}/retire`)).statusCode, 303)
  t.match(await w.lastAudit(), { action: 'skill.retired' })
  t.ok(await w.db.selectFrom('volunteer_skills').selectAll().where('volunteer_id', '=', v.volunteerId).executeTakeFirst(), 'still on the profile')
  const volunteer = await w.signIn(v.personId)
  t.notMatch(textOf((await volunteer.get('/profile/skills')).body), 'Smartphones and tablets', 'no longer offered')
  t.equal((await w.admin.post(`/admin/skills/${w.skills.phones}/retire`)).statusCode, 409)
  t.equal((await w.admin.post(`/admin/skills/${w.skills.phones}/restore`)).statusCode, 303)

  // Reorder the topics.
  const order = async () => (await w.db.selectFrom('skills').select(['name', 'sort_order']).where('kind', '=', 'topic').where('library_service_id', '=', w.service).orderBy('sort_order').orderBy('name').execute()).map((s) => s.name)
  const first = await order()
  t.equal((await w.admin.post(`/admin/skills/${w.skills.phones}/move`, { direction: 'up' })).statusCode, 303)
  const moved = await order()
  t.not(moved.join(), first.join(), 'the order changed')
  t.equal(moved.indexOf('Smartphones and tablets'), first.indexOf('Smartphones and tablets') - 1)
  t.match(await w.lastAudit(), { action: 'skill.moved' })
  t.equal((await w.admin.post(`/admin/skills/${w.skills.phones}/move`, { direction: 'sideways' })).statusCode, 400)
})

/** People helped per framework area on /reports, keyed by area. */
function areaFigures(html: string): Record<string, string> {
  const table = /<table[^>]*id="table-areas"[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
  return Object.fromEntries([...table.matchAll(/data-area="(\w+)">[\s\S]*?data-measure="people">([^<]*)</g)].map((m) => [m[1]!, m[2]!.trim()]))
}

t.test('framework areas: an admin changes the areas a topic counts towards; the page, the audit log and the reports follow', async (t) => {
  const w = await setup(t)
  await mapUnmappedTopics(w.db, w.service) // NHS App and health → Transacting; Smartphones and tablets → Foundation skills
  const areasOf = async (skill: number) => (await w.db.selectFrom('skill_framework_areas').select('area_key').where('skill_id', '=', skill).orderBy('area_key').execute()).map((r) => r.area_key)
  // A reported session at Central: 4 people helped with the NHS App.
  const held = await w.session({ date: '2026-11-10', title: 'NHS App help' })
  await w.db.insertInto('session_reports').values({ session_id: held, people_helped: 4, new_to_library: null, came_back: null, notes: '', recorded_by_person_id: null, recorded_at: 0 }).execute()
  await w.db.insertInto('session_report_topics').values({ session_id: held, skill_id: w.skills.nhs, people_count: 4 }).execute()
  const casey = await w.signIn(w.coordinator)
  const reports = async () => areaFigures((await casey.get('/reports?from=2026-11-01&to=2026-11-30')).body)
  t.match(await reports(), { transacting: '4', being_safe: '0', communicating: '0' }, 'before: under Transacting only')

  const list = await w.admin.get('/admin/skills')
  t.match(textOf(list.body), 'NHS App and health Counts towards: Transacting Rename Framework areas')
  t.match(list.body, `<a class="govuk-link" href="/admin/skills/${w.skills.nhs}/areas">Framework areas<span class="govuk-visually-hidden"> for NHS App and health</span></a>`, 'the link names its topic for screen readers')
  t.match(textOf(list.body), 'Smartphones and tablets Counts towards: Foundation skills')
  t.notMatch(list.body, `href="/admin/skills/${w.skills.polish}/areas"`, 'languages have no areas')

  const form = await w.admin.get(`/admin/skills/${w.skills.nhs}/areas`)
  t.equal(form.statusCode, 200)
  const formText = textOf(form.body)
  t.match(formText, 'Framework areas for NHS App and health')
  t.match(formText, 'The UK Essential Digital Skills framework sorts the skills people need online into these areas')
  t.match(formText, 'Foundation skills Communicating Handling information and content Transacting Problem solving Being safe and legal online', 'every area, in the framework’s order')
  t.same([...form.body.matchAll(/name="areas" type="checkbox" value="(\w+)" checked/g)].map((m) => m[1]), ['transacting'], 'the current one ticked')
  t.match(form.body, /<button type="submit" class="govuk-button"[^>]*>Save the areas<\/button>/)

  let audits = await w.auditCount()
  const saved = await w.admin.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: ['being_safe', 'transacting'] })
  t.equal(saved.statusCode, 303)
  t.same(await areasOf(w.skills.nhs), ['being_safe', 'transacting'])
  t.equal(await w.auditCount(), ++audits)
  const entry = await w.lastAudit()
  t.match(entry, { action: 'skill.areas_changed', object_type: 'skill', object_id: String(w.skills.nhs), actor_person_id: w.adminId, library_service_id: w.service })
  t.same(JSON.parse(entry.detail), { before: ['transacting'], after: ['transacting', 'being_safe'] })
  const after = await w.admin.get('/admin/skills')
  t.match(textOf(after.body), 'NHS App and health counts towards: Transacting, Being safe and legal online', 'the success message')
  t.match(textOf(after.body), 'NHS App and health Counts towards: Transacting, Being safe and legal online Rename')
  t.same([...(await w.admin.get(`/admin/skills/${w.skills.nhs}/areas`)).body.matchAll(/name="areas" type="checkbox" value="(\w+)" checked/g)].map((m) => m[1]), ['transacting', 'being_safe'])
  t.match(await reports(), { transacting: '4', being_safe: '4', foundation: '0' }, 'after: counted under both areas')

  // Saving the same areas again changes nothing and audits nothing.
  t.equal((await w.admin.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: ['transacting', 'being_safe'] })).statusCode, 303)
  t.equal(await w.auditCount(), audits)

  // Refusals: a clear message, the form again, nothing changed, nothing audited.
  const rows = async () => w.db.selectFrom('skill_framework_areas').selectAll().orderBy('skill_id').orderBy('area_key').execute()
  const snapshot = await rows()
  refused(t, await w.admin.post(`/admin/skills/${w.skills.nhs}/areas`, {}), 'Choose at least one area this topic counts towards')
  const unknown = await w.admin.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: ['transacting', 'time_travel'] })
  refused(t, unknown, 'Choose areas from the list')
  t.match(unknown.body, /value="transacting" checked/, 'what was ticked stays ticked')
  t.match(unknown.body, /<a href="#areas">Choose areas from the list<\/a>/, 'the summary links to the checkboxes')
  refused(t, await w.admin.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: 'time_travel' }), 'Choose areas from the list')
  // A language counts towards no area.
  for (const res of [await w.admin.get(`/admin/skills/${w.skills.polish}/areas`), await w.admin.post(`/admin/skills/${w.skills.polish}/areas`, { areas: 'communicating' })]) {
    t.equal(res.statusCode, 404)
    t.match(textOf(res.body), 'Polish is a language: only topics count towards Essential Digital Skills areas')
  }
  t.equal((await w.admin.get('/admin/skills/999999/areas')).statusCode, 404)
  // Another service's admin, a coordinator and a volunteer are refused.
  const other = await w.other.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: 'communicating' })
  t.equal(other.statusCode, 403)
  t.match(textOf(other.body), 'You are not an admin of this library service')
  t.equal((await w.other.get(`/admin/skills/${w.skills.nhs}/areas`)).statusCode, 403)
  const coordinator = await w.signIn(w.wholeService)
  t.equal((await coordinator.get(`/admin/skills/${w.skills.nhs}/areas`)).statusCode, 403)
  t.equal((await coordinator.post(`/admin/skills/${w.skills.nhs}/areas`, { areas: 'communicating' })).statusCode, 403)
  t.same(await rows(), snapshot, 'nothing changed')
  t.equal(await w.auditCount(), audits, 'no audit entry for a refusal')
  t.match(await reports(), { transacting: '4', being_safe: '4', communicating: '0' })

  // A topic an admin adds counts towards its default areas at once; a language towards none.
  t.equal((await w.admin.post('/admin/skills/new', { kind: 'topic', name: 'Online shopping and banking' })).statusCode, 303)
  const shopping = (await w.db.selectFrom('skills').select('id').where('name', '=', 'Online shopping and banking').executeTakeFirstOrThrow()).id
  t.same(await areasOf(shopping), ['transacting'])
  t.same(JSON.parse((await w.lastAudit()).detail), { kind: 'topic', areas: ['transacting'] })
  t.match(textOf((await w.admin.get('/admin/skills')).body), 'Online shopping and banking Counts towards: Transacting')
  t.equal((await w.admin.post('/admin/skills/new', { kind: 'language', name: 'Arabic' })).statusCode, 303)
  const arabic = (await w.db.selectFrom('skills').select('id').where('name', '=', 'Arabic').executeTakeFirstOrThrow()).id
  t.same(await areasOf(arabic), [])
})

t.test('training kinds: add with a validity or none, edit, retire; mistakes refused', async (t) => {
  const w = await setup(t)
  t.equal((await w.admin.post('/admin/trainings/new', { name: 'Safeguarding', kind: 'training', expires: 'yes', validityMonths: '24' })).statusCode, 303)
  const k = await w.db.selectFrom('training_kinds').selectAll().where('name', '=', 'Safeguarding').executeTakeFirstOrThrow()
  t.match(k, { validity_months: 24, kind: 'training', active: 1 })
  t.match(await w.lastAudit(), { action: 'training_kind.added', object_id: String(k.id) })
  const audits = await w.auditCount()
  refused(t, await w.admin.post('/admin/trainings/new', { name: 'DBS check', kind: 'check', expires: 'no' }), 'There is already training or a check called DBS check')
  refused(t, await w.admin.post('/admin/trainings/new', { name: 'First aid', kind: 'training', expires: 'yes', validityMonths: '0' }), 'Months it lasts')
  refused(t, await w.admin.post('/admin/trainings/new', { name: 'First aid', kind: 'training', expires: 'yes', validityMonths: '' }), 'Enter how many months it lasts')
  refused(t, await w.admin.post('/admin/trainings/new', { name: 'First aid', kind: 'training' }), 'Choose whether it runs out')
  t.equal(await w.auditCount(), audits)
  t.equal((await w.admin.post(`/admin/trainings/${k.id}`, { name: 'Safeguarding', kind: 'training', expires: 'no' })).statusCode, 303)
  t.equal((await w.db.selectFrom('training_kinds').select('validity_months').where('id', '=', k.id).executeTakeFirstOrThrow()).validity_months, null)
  t.same(JSON.parse((await w.lastAudit()).detail), { fields: ['validity_months'] })
  t.equal((await w.admin.post(`/admin/trainings/${k.id}/retire`)).statusCode, 303)
  t.equal((await w.db.selectFrom('training_kinds').select('active').where('id', '=', k.id).executeTakeFirstOrThrow()).active, 0)
  t.match(await w.lastAudit(), { action: 'training_kind.retired' })
})

t.test('people with rights: invite, change, remove (signs them out); the last admin cannot go', async (t) => {
  const w = await setup(t)
  t.equal((await w.admin.post('/admin/people/new', { name: 'Cora Ordinator', email: 'Cora@Example.org', role: 'coordinator', scope: String(w.central) })).statusCode, 303)
  const cora = await w.db.selectFrom('people').selectAll().where('email', '=', 'cora@example.org').executeTakeFirstOrThrow()
  const grant = await w.db.selectFrom('role_grants').selectAll().where('person_id', '=', cora.id).executeTakeFirstOrThrow()
  t.match(grant, { role: 'coordinator', branch_id: w.central, library_service_id: w.service })
  t.match(await w.lastAudit(), { action: 'right.granted', object_type: 'role_grant', object_id: String(grant.id) })
  t.notMatch((await w.lastAudit()).detail, 'cora', 'ids, not the address')
  const link = await w.db.selectFrom('outbox').selectAll().where('kind', '=', 'sign-in').where('to_address', '=', 'cora@example.org').executeTakeFirst()
  t.ok(link, 'a sign-in link is emailed')
  t.match(link!.text_body, /\/sign-in\/confirm\//)

  const audits = await w.auditCount()
  refused(t, await w.admin.post('/admin/people/new', { name: 'Cora Ordinator', email: 'cora@example.org', role: 'coordinator', scope: String(w.central) }), 'Cora Ordinator already has this right')
  refused(t, await w.admin.post('/admin/people/new', { name: 'X', email: 'not-an-address', role: 'coordinator', scope: 'all' }), 'Enter an email address in the correct format')
  refused(t, await w.admin.post('/admin/people/new', { name: 'Y', email: 'y@example.org', role: 'admin', scope: String(w.central) }), 'An admin looks after the whole library service')
  refused(t, await w.admin.post('/admin/people/new', { name: 'Z', email: 'z@example.org', role: 'coordinator', scope: String(w.elsewhere) }), 'Choose one of your branches')
  refused(t, await w.admin.post('/admin/people/new', { name: 'Z', email: 'z@example.org', role: 'owner', scope: 'all' }), 'Choose coordinator, admin or partner')
  t.equal(await w.auditCount(), audits)

  t.equal((await w.admin.post(`/admin/people/${grant.id}`, { role: 'coordinator', scope: 'all' })).statusCode, 303)
  t.equal((await w.db.selectFrom('role_grants').select('branch_id').where('id', '=', grant.id).executeTakeFirstOrThrow()).branch_id, null)
  t.match(await w.lastAudit(), { action: 'right.changed' })

  // Removing a right ends their signed-in sessions at once.
  const coraBrowser = await w.signIn(cora.id)
  t.equal((await coraBrowser.get('/coordinate')).statusCode, 200)
  t.equal((await w.admin.post(`/admin/people/${grant.id}/remove`)).statusCode, 303)
  t.notOk(await w.db.selectFrom('role_grants').select('id').where('id', '=', grant.id).executeTakeFirst())
  t.equal((await coraBrowser.get('/coordinate')).statusCode, 303, 'signed out: sent to sign in')
  t.match(await w.lastAudit(), { action: 'right.removed', object_id: String(grant.id) })

  // The last admin.
  const adminGrant = await w.db.selectFrom('role_grants').selectAll().where('person_id', '=', w.adminId).executeTakeFirstOrThrow()
  const before = await w.auditCount()
  const last = await w.admin.post(`/admin/people/${adminGrant.id}/remove`)
  t.equal(last.statusCode, 409)
  t.match(textOf(last.body), 'A library service must keep at least one admin')
  refused(t, await w.admin.post(`/admin/people/${adminGrant.id}`, { role: 'coordinator', scope: 'all' }), 'A library service must keep at least one admin')
  t.match(await w.db.selectFrom('role_grants').selectAll().where('id', '=', adminGrant.id).executeTakeFirstOrThrow(), { role: 'admin' }, 'still an admin')
  t.equal(await w.auditCount(), before)

  // With a second admin, the first can go.
  t.equal((await w.admin.post('/admin/people/new', { name: 'Bea Second', email: 'bea@example.org', role: 'admin', scope: 'all' })).statusCode, 303)
  t.equal((await w.admin.post(`/admin/people/${adminGrant.id}/remove`)).statusCode, 303)
  t.equal((await w.admin.get('/admin')).statusCode, 303, 'and is signed out')
})

t.test('coordinators and volunteers get 403 on every admin route; an admin of one service cannot touch another’s objects', async (t) => {
  const w = await setup(t)
  const v = await w.volunteer()
  const coordinator = await w.signIn(w.wholeService)
  const volunteer = await w.signIn(v.personId)
  const adminRoutes = w.app.routeTable.filter((r) => r.url.startsWith('/admin') && (r.method === 'GET' || r.method === 'POST'))
  t.ok(adminRoutes.length >= 25, `${adminRoutes.length} admin routes`)
  for (const route of adminRoutes) {
    const url = route.url.replace(':id', String(v.volunteerId))
    for (const [who, client] of [['coordinator', coordinator], ['volunteer', volunteer]] as const) {
      const res = route.method === 'GET' ? await client.get(url) : await client.post(url, { name: 'x' })
      t.equal(res.statusCode, 403, `${who}: ${route.method} ${route.url}`)
    }
  }
  t.equal((await w.app.inject({ url: '/admin/settings' })).statusCode, 303, 'signed out: sent to sign in')

  // Olly administers Elsewhere: Testshire's objects are out of reach.
  const skill = w.skills.polish
  const essentials = w.essentials
  const grant = (await w.db.selectFrom('role_grants').select('id').where('person_id', '=', w.adminId).executeTakeFirstOrThrow()).id
  const snapshot = async () => ({
    branches: await w.db.selectFrom('branches').selectAll().orderBy('id').execute(),
    skills: await w.db.selectFrom('skills').selectAll().orderBy('id').execute(),
    areas: await w.db.selectFrom('skill_framework_areas').selectAll().orderBy('skill_id').orderBy('area_key').execute(),
    trainings: await w.db.selectFrom('training_kinds').selectAll().orderBy('id').execute(),
    grants: await w.db.selectFrom('role_grants').selectAll().orderBy('id').execute(),
    audits: await w.auditCount(),
  })
  const before = await snapshot()
  const attempts: Array<[string, Record<string, string>]> = [
    [`/admin/branches/${w.central}`, { name: 'Hijacked', timezone: 'Europe/London' }],
    [`/admin/branches/${w.central}/close`, {}],
    [`/admin/skills/${skill}`, { name: 'Hijacked' }],
    [`/admin/skills/${skill}/retire`, {}],
    [`/admin/skills/${skill}/move`, { direction: 'up' }],
    [`/admin/skills/${w.skills.nhs}/areas`, { areas: 'communicating' }],
    [`/admin/trainings/${essentials}`, { name: 'Hijacked', kind: 'training', expires: 'no' }],
    [`/admin/trainings/${essentials}/retire`, {}],
    [`/admin/people/${grant}`, { role: 'coordinator', scope: 'all' }],
    [`/admin/people/${grant}/remove`, {}],
  ]
  for (const [url, form] of attempts) {
    t.equal((await w.other.get(url.replace(/\/(close|retire|move|remove)$/, ''))).statusCode, 403, `GET ${url}`)
    const res = await w.other.post(url, form)
    t.equal(res.statusCode, 403, `POST ${url}`)
    t.match(textOf(res.body), 'You are not an admin of this library service')
  }
  t.same(await snapshot(), before, 'nothing changed, nothing audited')
  t.notMatch(textOf((await w.other.get('/admin/branches')).body), 'Central Library', 'lists show only their own service')
})
