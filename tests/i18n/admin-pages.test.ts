// The admin's pages in Welsh and English (issue 16), and the Welsh names admins enter for topics,
// languages, training and branches: saved, audited, checked like the English name, in the export.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { world, textOf } from '../bookings/world.js'
import { createAdmin } from '../helpers/fixtures.js'
import { previewReminders } from '../../src/admin/admin.service.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1]?.trim()

async function setup(t: Test) {
  const w = await world(t)
  const adminId = await createAdmin(w.db, 'ada@example.org', w.service, 'Ada Admin')
  const admin = await w.signIn(adminId)
  const lastAudit = () => w.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  return { ...w, admin, adminId, lastAudit }
}

// Each page: its path, its Welsh heading, and English words that must be gone in Welsh.
const PAGES: Array<[string, string, string[]]> = [
  ['/admin', 'Gweinyddu’r gwasanaeth llyfrgell', ['Your library service', 'Coordinators and admins', 'Overview']],
  ['/admin/settings', 'Gosodiadau', ['Reminder emails to volunteers', 'Save settings', 'Wednesday', 'Volunteers get a reminder email']],
  ['/admin/branches', 'Canghennau', ['Add a branch', 'A closed branch keeps']],
  ['/admin/branches/new', 'Ychwanegu cangen', ['Time zone', 'Name in Welsh', 'Cancel']],
  ['/admin/skills', 'Pynciau ac ieithoedd', ['Add a topic or language', 'Counts towards', 'Move down']],
  ['/admin/skills/new', 'Ychwanegu pwnc neu iaith', ['Is it a topic or a language?']],
  ['/admin/trainings', 'Hyfforddiant a gwiriadau', ['Add training or a check', 'Does not run out', 'months']],
  ['/admin/trainings/new', 'Ychwanegu hyfforddiant neu wiriad', ['Does it run out?']],
  ['/admin/people', 'Pobl â hawliau', ['Invite a coordinator', 'the whole library service']],
  ['/admin/people/new', 'Gwahodd cydlynydd, gweinyddwr neu bartner', ['Full name', 'Covers']],
  ['/admin/audit', 'Log archwilio', ['Show entries', 'Kind of record', 'entries']],
  ['/coordinate/undelivered', 'Negeseuon e-bost heb eu danfon', ['Every email in the last']],
]

t.test('every admin page in Welsh, with lang="cy", and in English as before', async (t) => {
  const w = await setup(t)
  const english = await Promise.all(PAGES.map(([path]) => w.admin.get(path)))
  await w.admin.get('/language/cy')
  for (const [i, [path, heading, gone]] of PAGES.entries()) {
    const res = await w.admin.get(path)
    t.equal(res.statusCode, 200, path)
    t.equal(htmlLang(res.body), 'cy', `${path} is marked as Welsh`)
    t.equal(h1(res.body), heading, `${path} has a Welsh heading`)
    const text = textOf(res.body)
    for (const words of gone) t.notMatch(text, words, `${path}: “${words}” is gone`)
    t.notMatch(text, 'Nid yw’r dudalen hon ar gael yn Gymraeg eto', `${path} is not marked untranslated`)
    t.equal(htmlLang(english[i]!.body), 'en-GB', `${path} in English first`)
  }
  const settings = textOf((await w.admin.get('/admin/settings')).body)
  t.match(settings, 'Dydd Mercher', 'the digest day in Welsh')
  t.match(settings, 'Rhagolwg: Mae gwirfoddolwyr yn cael e-bost atgoffa', 'the reminders preview in Welsh')
})

t.test('Welsh mistakes and flashes: the error summary, the title and the message in Welsh', async (t) => {
  const w = await setup(t)
  await w.admin.get('/language/cy')
  let res = await w.admin.post('/admin/branches/new', { name: '', timezone: 'Mars/Olympus' })
  t.equal(res.statusCode, 400)
  t.match(res.body, '<title>Gwall: Ychwanegu cangen – Champion Rota</title>')
  t.match(textOf(res.body), 'Rhowch enw’r gangen')
  t.match(textOf(res.body), 'Nid yw “Mars/Olympus” yn gylchfa amser')
  res = await w.admin.post('/admin/skills/new', { kind: 'topic', name: 'Scams' })
  t.equal(res.statusCode, 303)
  t.match(textOf((await w.admin.get('/admin/skills')).body), 'Mae Scams wedi’i ychwanegu')
  res = await w.admin.post(`/admin/branches/${w.central}/reopen`, {})
  t.equal(res.statusCode, 409, 'an open branch cannot reopen')
  t.match(textOf(res.body), 'Mae Central Library ar agor yn barod')
  t.match(textOf(res.body), 'Mynd yn ôl. Does dim wedi newid.')
  res = await w.admin.post('/admin/settings', { intent: 'preview', reminders: ['1d@18:00', '3h'] })
  t.match(textOf(res.body), 'Rhagolwg: Mae gwirfoddolwyr yn cael e-bost atgoffa am 6yh y diwrnod cyn, a 3 awr cyn pob sesiwn.')
})

t.test('the reminders preview keeps the English wording exactly', async (t) => {
  t.equal(previewReminders('2d,0d@08:00'), 'Volunteers get a reminder email two days before, and at 8am on the day each session.')
  t.equal(previewReminders(''), 'Volunteers get no reminder emails before their sessions.')
  t.equal(previewReminders('', 'cy'), 'Nid yw gwirfoddolwyr yn cael negeseuon e-bost atgoffa cyn eu sesiynau.')
})

t.test('a Welsh name for a branch, a topic and a training: saved, audited, shown on the form, checked, exported', async (t) => {
  const w = await setup(t)
  const { db } = w

  // Branch
  const { postcode } = await db.selectFrom('branches').select('postcode').where('id', '=', w.central).executeTakeFirstOrThrow()
  let res = await w.admin.post(`/admin/branches/${w.central}`, { name: 'Central Library', nameCy: '  Llyfrgell   Ganolog ', address: '1 High Street, Testtown', postcode, timezone: 'Europe/London', arrivalNotes: 'Ask at the enquiry desk.', accessibilityNotes: 'Step-free entrance.' })
  t.equal(res.statusCode, 303)
  t.equal((await db.selectFrom('branches').select('name_cy').where('id', '=', w.central).executeTakeFirstOrThrow()).name_cy, 'Llyfrgell Ganolog', 'one line, spaces tidied')
  let audit = await w.lastAudit()
  t.equal(audit.action, 'branch.changed')
  t.same(JSON.parse(audit.detail).fields, ['name_cy'], 'the audit names the field, not its value')
  t.match((await w.admin.get(`/admin/branches/${w.central}`)).body, /id="nameCy" name="nameCy" type="text" spellcheck="false" value="Llyfrgell Ganolog"/)
  t.match((await w.admin.get('/admin/branches')).body, '<span class="govuk-body-s" lang="cy">(Llyfrgell Ganolog)</span>', 'the list shows the Welsh name, marked as Welsh')

  // Topic: rename with a Welsh form; a NUL and an over-long name refused, nothing saved
  res = await w.admin.post(`/admin/skills/${w.skills.phones}`, { name: 'Smartphones and tablets', nameCy: 'Ffonau clyfar a llechi' })
  t.equal(res.statusCode, 303)
  audit = await w.lastAudit()
  t.equal(audit.action, 'skill.renamed')
  t.same(JSON.parse(audit.detail).fields, ['name_cy'])
  res = await w.admin.post(`/admin/skills/${w.skills.phones}`, { name: 'Smartphones and tablets', nameCy: 'Ffonau\u0000' })
  t.equal(res.statusCode, 400)
  t.match(textOf(res.body), 'The name in Welsh must not include hidden characters')
  res = await w.admin.post(`/admin/skills/${w.skills.phones}`, { name: 'Smartphones and tablets', nameCy: 'x'.repeat(81) })
  t.equal(res.statusCode, 400)
  t.match(textOf(res.body), 'The name in Welsh must be 80 characters or fewer')
  res = await w.admin.post(`/admin/skills/${w.skills.phones}`, { name: 'Smart\u0000phones' })
  t.equal(res.statusCode, 400, 'a NUL in the English name is refused too, on both databases')
  t.match(textOf(res.body), 'A name must not include hidden characters')
  t.equal((await db.selectFrom('skills').select(['name', 'name_cy']).where('id', '=', w.skills.phones).executeTakeFirstOrThrow()).name_cy, 'Ffonau clyfar a llechi', 'refusals changed nothing')
  res = await w.admin.post('/admin/skills/new', { kind: 'language', name: 'Welsh', nameCy: 'Cymraeg' })
  t.equal(res.statusCode, 303)
  t.equal((await db.selectFrom('skills').select('name_cy').where('name', '=', 'Welsh').executeTakeFirstOrThrow()).name_cy, 'Cymraeg')
  t.match((await w.admin.get('/admin/skills')).body, 'Welsh <span class="govuk-body-s" lang="cy">(Cymraeg)</span>')

  // Training: an empty Welsh name is none; a form without the field leaves it as it is
  res = await w.admin.post(`/admin/trainings/${w.dbs}`, { name: 'DBS check', nameCy: 'Gwiriad DBS', kind: 'check', expires: 'yes', validityMonths: '36' })
  t.equal(res.statusCode, 303)
  t.same(JSON.parse((await w.lastAudit()).detail).fields, ['name_cy'])
  res = await w.admin.post(`/admin/trainings/${w.dbs}`, { name: 'DBS check', kind: 'check', expires: 'yes', validityMonths: '36' })
  t.equal((await db.selectFrom('training_kinds').select('name_cy').where('id', '=', w.dbs).executeTakeFirstOrThrow()).name_cy, 'Gwiriad DBS', 'an older form keeps the Welsh name')
  res = await w.admin.post(`/admin/trainings/${w.dbs}`, { name: 'DBS check', nameCy: '', kind: 'check', expires: 'yes', validityMonths: '36' })
  t.equal((await db.selectFrom('training_kinds').select('name_cy').where('id', '=', w.dbs).executeTakeFirstOrThrow()).name_cy, null, 'emptied: no Welsh name')

  // The volunteer's download names the Welsh forms beside the English ones
  await db.updateTable('training_kinds').set({ name_cy: 'Gwiriad DBS' }).where('id', '=', w.dbs).execute()
  const v = await w.volunteer({ skills: [w.skills.phones] })
  await db.insertInto('volunteer_trainings').values({ volunteer_id: v.volunteerId, training_kind_id: w.dbs, completed_on: '2026-01-05', expires_on: '2029-01-05', created_at: 0 }).execute()
  const data = JSON.parse((await (await w.signIn(v.personId)).get('/profile/data.json')).body)
  t.match(data.tables.volunteer_skills, [{ name: 'Smartphones and tablets', name_cy: 'Ffonau clyfar a llechi' }])
  t.match(data.tables.volunteer_branches, [{ name: 'Central Library', name_cy: 'Llyfrgell Ganolog' }])
  t.match(data.tables.volunteer_trainings, [{ name: 'DBS check', name_cy: 'Gwiriad DBS' }])
})
