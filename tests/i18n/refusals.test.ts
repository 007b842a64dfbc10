// A service's refusals in the reader's language (issue 16): what privacy, evidence, the profile,
// group messages, admin, the calendar feeds, reminder links, access rules and the development
// mailbox refuse is thrown as a catalogue key (a Wording), so the error page says it in Welsh on a
// Welsh page (lang="cy"), and in English as before on an English one.
import t, { type Test } from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createAdmin } from '../helpers/fixtures.js'
import { world, textOf } from '../bookings/world.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()

interface Refusal {
  name: string
  who: 'admin' | 'coordinator' | 'volunteer' | 'nobody'
  method?: 'GET' | 'POST'
  /** The path, given what the world holds. */
  path: (w: Awaited<ReturnType<typeof setup>>) => string
  status: number
  english: { title: string; message: string }
  welsh: { title: string; message: string }
}

const NOT_FOUND = { en: 'Page not found', cy: 'Heb ddod o hyd i’r dudalen' }
const FORBIDDEN = { en: 'You cannot do that', cy: 'Does dim modd i chi wneud hynny' }
const INVALID = { en: 'There is a problem', cy: 'Mae problem wedi codi' }

const REFUSALS: Refusal[] = [
  {
    name: 'privacy: an erasure request for a volunteer who does not exist',
    who: 'admin',
    path: () => '/admin/volunteers/987654/delete',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'There is no such volunteer' },
    welsh: { title: NOT_FOUND.cy, message: 'Does dim gwirfoddolwr o’r fath' },
  },
  {
    name: 'evidence: the reports of a branch the coordinator does not coordinate',
    who: 'coordinator',
    path: (w) => `/reports?branch=${w.elsewhere}`,
    status: 403,
    english: { title: FORBIDDEN.en, message: 'You do not coordinate this branch, so you cannot see its evidence' },
    welsh: { title: FORBIDDEN.cy, message: 'Dydych chi ddim yn cydlynu’r gangen hon, felly allwch chi ddim gweld ei thystiolaeth' },
  },
  {
    name: 'evidence: a figures download with a date that is not one',
    who: 'coordinator',
    path: () => '/reports/months.csv?from=nope',
    status: 400,
    english: { title: INVALID.en, message: 'Enter the start date as a real date, like 1/6/2026' },
    welsh: { title: INVALID.cy, message: 'Rhowch y dyddiad dechrau fel dyddiad go iawn, fel 1/6/2026' },
  },
  {
    name: 'evidence: a check-in code that belongs to no session',
    who: 'nobody',
    path: () => '/checkin/ZZZZZZZZ',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'There is no session with this check-in code. Check the address, or scan the code again' },
    welsh: { title: NOT_FOUND.cy, message: 'Does dim sesiwn gyda’r cod cofrestru hwn. Gwiriwch y cyfeiriad, neu sganiwch y cod eto' },
  },
  {
    name: 'profile: removing a time that is not in the availability',
    who: 'volunteer',
    method: 'POST',
    path: () => '/profile/availability/987654/remove',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'We could not find that time in your availability. It may have been removed already' },
    welsh: { title: NOT_FOUND.cy, message: 'Doedd dim modd dod o hyd i’r amser hwnnw yn eich argaeledd. Efallai ei fod wedi’i ddileu’n barod' },
  },
  {
    name: 'messages: a group message to a session that is not one',
    who: 'coordinator',
    path: () => '/coordinate/messages/new?session=none',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'There is no such session' },
    welsh: { title: NOT_FOUND.cy, message: 'Does dim sesiwn o’r fath' },
  },
  {
    name: 'messages: an unsubscribe link that is not right',
    who: 'nobody',
    path: () => '/group-messages/not-a-real-token',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'This link does not work. Sign in and go to your profile to change the messages you get from coordinators.' },
    welsh: { title: NOT_FOUND.cy, message: 'Dydy’r ddolen hon ddim yn gweithio. Mewngofnodwch ac ewch i’ch proffil i newid y negeseuon rydych chi’n eu cael gan gydlynwyr.' },
  },
  {
    name: 'reminders: a reminder link that is not right',
    who: 'nobody',
    path: () => '/reminders/not-a-real-token',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'This link does not work. Sign in and go to your calendar page to change your reminder emails.' },
    welsh: { title: NOT_FOUND.cy, message: 'Dydy’r ddolen hon ddim yn gweithio. Mewngofnodwch ac ewch i dudalen eich calendr i newid eich e-byst atgoffa.' },
  },
  {
    name: 'feeds: resetting the calendar of a branch that does not exist',
    who: 'coordinator',
    method: 'POST',
    path: () => '/coordinate/calendars/987654/reset',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'That branch does not exist' },
    welsh: { title: NOT_FOUND.cy, message: 'Dydy’r gangen honno ddim yn bodoli' },
  },
  {
    name: 'admin: editing a branch that does not exist',
    who: 'admin',
    path: () => '/admin/branches/987654',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'There is no such branch' },
    welsh: { title: NOT_FOUND.cy, message: 'Nid oes cangen o’r fath' },
  },
  {
    name: 'access: a coordinator on an admin page',
    who: 'coordinator',
    path: () => '/admin/branches',
    status: 403,
    english: { title: FORBIDDEN.en, message: 'This page is for admins' },
    welsh: { title: FORBIDDEN.cy, message: 'Mae’r dudalen hon ar gyfer gweinyddwyr' },
  },
  {
    name: 'access: a volunteer on a coordinator’s page',
    who: 'volunteer',
    path: () => '/coordinate/calendars',
    status: 403,
    english: { title: FORBIDDEN.en, message: 'This page is for coordinators' },
    welsh: { title: FORBIDDEN.cy, message: 'Mae’r dudalen hon ar gyfer cydlynwyr' },
  },
  {
    name: 'devmail: a message that is not in the mailbox',
    who: 'nobody',
    path: () => '/dev/mail/987654',
    status: 404,
    english: { title: NOT_FOUND.en, message: 'That message is not in the mailbox' },
    welsh: { title: NOT_FOUND.cy, message: 'Dydy’r neges honno ddim yn y blwch post' },
  },
]

async function setup(t: Test) {
  const w = await world(t)
  const adminId = await createAdmin(w.db, 'ada@example.org', w.service, 'Ada Admin')
  const volunteer = await w.volunteer({ name: 'Ewa Nowak' })
  return { ...w, adminId, volunteerPersonId: volunteer.personId }
}

async function clientFor(w: Awaited<ReturnType<typeof setup>>, who: Refusal['who']): Promise<Client> {
  if (who === 'nobody') return new Client(w.app)
  const personId = who === 'admin' ? w.adminId : who === 'coordinator' ? w.coordinator : w.volunteerPersonId
  return w.signIn(personId)
}

const ask = (client: Client, r: Refusal, path: string) => (r.method === 'POST' ? client.post(path, {}) : client.get(path))

t.test('each refusal in Welsh for a Welsh reader: lang="cy", a Welsh title and message, no English left', async (t) => {
  const w = await setup(t)
  for (const r of REFUSALS) {
    const client = await clientFor(w, r.who)
    await client.get('/language/cy')
    const res = await ask(client, r, r.path(w))
    t.equal(res.statusCode, r.status, `${r.name}: ${r.status}`)
    t.equal(htmlLang(res.body), 'cy', `${r.name}: the page is marked Welsh`)
    t.notMatch(res.body, /rota-not-translated/, `${r.name}: no "not translated" notice`)
    t.equal(h1(res.body), r.welsh.title, `${r.name}: the Welsh title`)
    const text = textOf(res.body)
    t.match(text, r.welsh.message, `${r.name}: the Welsh message`)
    t.notMatch(text, r.english.message, `${r.name}: not the English sentence`)
    t.notMatch(text, r.english.title, `${r.name}: not the English title`)
  }
})

t.test('the same refusals for an English reader, as before', async (t) => {
  const w = await setup(t)
  for (const r of REFUSALS) {
    const res = await ask(await clientFor(w, r.who), r, r.path(w))
    t.equal(res.statusCode, r.status, `${r.name}: ${r.status}`)
    t.equal(htmlLang(res.body), 'en-GB', `${r.name}: the page is English`)
    t.equal(h1(res.body), r.english.title, `${r.name}: the English title`)
    t.match(textOf(res.body), r.english.message, `${r.name}: the English message`)
  }
})

t.test('a refusal a page shows on itself is in the page’s language: an admin’s conflict in Welsh', async (t) => {
  const w = await setup(t)
  const admin = await w.signIn(w.adminId)
  await admin.get('/language/cy')
  const res = await admin.post(`/admin/skills/${w.skills.nhs}/restore`, {})
  t.equal(res.statusCode, 409, 'an offered topic cannot be restored')
  t.equal(htmlLang(res.body), 'cy')
  t.match(textOf(res.body), 'Mae NHS App and health yn cael ei gynnig yn barod')
  t.notMatch(textOf(res.body), 'is already offered')
})
