// Messages to a group of volunteers in Welsh and in English (issue 16): the form and its mistakes,
// the preview (and its refusals: a changed count, the daily limit), the sent list and one sent
// message. The audience is kept as data, so one message reads in Welsh on a Welsh page and in
// English on an English one, with the Welsh names admins gave; a message sent before that was kept
// shows the English words it was sent with, marked lang="en-GB".
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession } from '../helpers/fixtures.js'
import { world, volunteer, type World } from '../coordination/world.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]
const hiddenValue = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]

async function setUp(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  await w.db.updateTable('branches').set({ name_cy: 'Llyfrgell Ganolog' }).where('id', '=', w.central).execute()
  await w.db.updateTable('skills').set({ name_cy: 'Pwyleg' }).where('id', '=', w.skills.polish).execute()
  await createSession(w.db, w.central, { date: '2026-12-08', title: 'Digital help drop-in' })
  await volunteer(w, 'ada@example.org', 'Ada Active', [w.central], { skills: [w.skills.polish] })
  await volunteer(w, 'bea@example.org', 'Bea Active', [w.central])
  const welsh = await new Client(w.app).signInAs(w.coordinatorId)
  await welsh.get('/language/cy')
  return { w, welsh }
}

const branchForm = (w: World) => ({ audience: `branch:${w.central}`, subject: 'Library closed on Friday', body: 'Closed for training.' })

t.test('writing, checking and sending a message in Welsh', async (t) => {
  const { w, welsh } = await setUp(t)

  let res = await welsh.get('/coordinate/messages/new')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Anfon neges at wirfoddolwyr')
  t.equal(titleOf(res.body), 'Anfon neges at wirfoddolwyr – Champion Rota')
  t.notMatch(res.body, /rota-not-translated/, 'no "not translated" notice')
  for (const x of [/Bydd atebion yn dod atoch chi yn coord@example\.org/, /At bwy mae hi\?/, /Dewiswch at bwy/, /<optgroup label="Sesiwn">/, /<optgroup label="Cangen">/, /<optgroup label="Sgil neu iaith">/, />Gwirfoddolwyr yn Llyfrgell Ganolog</, />Siaradwyr Pwyleg</, />Helpu gyda Email</, /Digital help drop-in, Maw 8 Rhag 10yb i 12yh, Llyfrgell Ganolog/, /150 nod neu lai/, /Testun plaen, 5,000 nod neu lai/, />Rhagolwg</]) {
    t.match(res.body, x)
  }
  for (const e of [/Who is it for/, /Choose who/, /A session/, /A branch/, /Volunteers at/, /speakers/, /Help with/, /Tue 8 Dec/, /characters or fewer/, />Preview</, /Messages you have sent/]) t.notMatch(res.body, e, `no ${e}`)

  res = await welsh.post('/coordinate/messages/preview', { audience: '', subject: '', body: '' })
  t.equal(res.statusCode, 400, 'a form with mistakes')
  t.equal(titleOf(res.body), 'Gwall: Anfon neges at wirfoddolwyr – Champion Rota')
  t.match(res.body, /Mae problem wedi codi/)
  t.match(res.body, /Dewiswch at bwy mae’r neges/)
  t.match(res.body, /Rhowch bwnc/)
  t.match(res.body, /Rhowch y neges/)
  t.notMatch(res.body, /Select who|Enter a subject|Enter the message/)
  res = await welsh.post('/coordinate/messages/preview', { audience: `branch:${w.east}`, subject: 'Hi', body: 'Hello.' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Ni fyddai neb yn cael y neges hon: dewiswch grŵp arall/)
  t.notMatch(res.body, /Nobody would receive/)
  res = await welsh.post('/coordinate/messages/preview', { audience: `branch:${w.central}`, subject: 'x'.repeat(151), body: 'Hello.' })
  t.match(res.body, /Rhaid i’r maes ‘Pwnc’ fod yn 150 nod neu lai/)

  const preview = await welsh.post('/coordinate/messages/preview', branchForm(w))
  t.equal(preview.statusCode, 200)
  t.equal(htmlLang(preview.body), 'cy')
  t.equal(h1(preview.body), 'Gwirio eich neges')
  for (const x of [/>Gwirfoddolwyr yn Llyfrgell Ganolog</, /id="recipient-count">Bydd 2 wirfoddolwr yn ei chael</, /Atebion yn mynd at/, /Ni fydd pobl sydd wedi diffodd negeseuon gan gydlynwyr yn ei chael/, /Pwnc: Library closed on Friday/, /\[eu henw\]/, />Anfon at 2 wirfoddolwr</, />Newid y neges</]) {
    t.match(preview.body, x)
  }
  t.notMatch(preview.body, /Check your message|will get it|Replies go to|Turned off|The email|Send to|Change the message|\[their name\]|\[their own link/)

  // Someone joins between the preview and the send: nothing goes, and the page says so in Welsh.
  await volunteer(w, 'cy@example.org', 'Cy Newydd', [w.central])
  const changed = await welsh.post('/coordinate/messages/send', { ...branchForm(w), count: hiddenValue(preview.body, 'count') })
  t.equal(changed.statusCode, 409)
  t.match(changed.body, /Nid yw eich neges wedi’i hanfon: byddai’n mynd at 3 gwirfoddolwr erbyn hyn, nid 2\. Gwiriwch hi ac anfonwch eto\./)
  t.notMatch(changed.body, /has not been sent: it would now go/)

  const sent = await welsh.post('/coordinate/messages/send', { ...branchForm(w), count: '3' })
  t.equal(sent.statusCode, 303)
  res = await welsh.get(sent.headers.location as string)
  t.equal(htmlLang(res.body), 'cy')
  t.notMatch(res.body, /rota-not-translated/)
  t.match(res.body, /Mae eich neges ar ei ffordd at 3 gwirfoddolwr/)
  t.match(res.body, /Cangen: Gwirfoddolwyr yn Llyfrgell Ganolog/)
  t.match(res.body, /30 Tachwedd 2026/)
  t.notMatch(res.body, /A branch|Volunteers at|November/)

  // The same message, read by an English page.
  res = await w.coordinator.get(sent.headers.location as string)
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(res.body, /A branch: Volunteers at Central Library/)
  t.match(res.body, /3 volunteers: 0 sent, 3 queued/)
  res = await w.coordinator.get('/coordinate/messages')
  t.match(res.body, /Library closed on Friday[\s\S]*Volunteers at Central Library[\s\S]*>3</)
})

t.test('the sent list in Welsh, with a message sent before its audience was kept as data', async (t) => {
  const { w, welsh } = await setUp(t)
  const preview = await welsh.post('/coordinate/messages/preview', { audience: `skill:${w.skills.polish}`, subject: 'Polish café', body: 'Come along.' })
  t.match(preview.body, />Siaradwyr Pwyleg</, 'a skill audience in Welsh, with the Welsh name')
  t.equal((await welsh.post('/coordinate/messages/send', { audience: `skill:${w.skills.polish}`, subject: 'Polish café', body: 'Come along.', count: hiddenValue(preview.body, 'count') })).statusCode, 303)
  // An older message: only the English label it was sent with.
  await w.db
    .insertInto('group_messages')
    .values({ library_service_id: w.service, sender_person_id: w.coordinatorId, audience_kind: 'branch', audience_id: w.east, audience_label: 'Volunteers at East Library', subject: 'Old news', body: 'Hello.', recipient_count: 1, created_at: Date.parse('2026-11-20T10:00:00Z') })
    .execute()

  let res = await welsh.get('/coordinate/messages')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Negeseuon rydych chi wedi’u hanfon')
  t.notMatch(res.body, /rota-not-translated/)
  t.match(res.body, /Sgil neu iaith:<\/span> Siaradwyr Pwyleg</)
  t.match(res.body, /Cangen:<\/span> <span lang="en-GB">Volunteers at East Library<\/span>/, 'the old one as it was sent, marked English')
  t.match(res.body, /20 Tachwedd 2026 am 10yb/)
  t.notMatch(res.body, /Polish speakers|A skill or language|Messages you have sent|November/)

  res = await w.coordinator.get('/coordinate/messages')
  t.equal(htmlLang(res.body), 'en-GB')
  t.match(res.body, /A skill or language:<\/span> Polish speakers</)
  t.match(res.body, /A branch:<\/span> Volunteers at East Library</, 'no lang mark on an English page')
})

t.test('the daily limit in Welsh and in English', async (t) => {
  const { w, welsh } = await setUp(t)
  for (let i = 1; i <= 5; i++) {
    const preview = await w.coordinator.post('/coordinate/messages/preview', { ...branchForm(w), subject: `Note ${i}` })
    t.equal((await w.coordinator.post('/coordinate/messages/send', { ...branchForm(w), subject: `Note ${i}`, count: hiddenValue(preview.body, 'count') })).statusCode, 303)
    w.clock.advance(60_000)
  }
  let res = await welsh.post('/coordinate/messages/preview', { ...branchForm(w), subject: 'Note 6' })
  t.equal(res.statusCode, 409)
  t.equal(titleOf(res.body), 'Gwall: Gwirio eich neges – Champion Rota')
  t.match(res.body, /Ni allwch anfon y neges hon eto/)
  t.match(res.body, /Rydych chi wedi anfon 5 neges grŵp heddiw\. Gallwch anfon mwy o negeseuon o 1 Rhagfyr 2026 am 9yb ymlaen\./)
  t.notMatch(res.body, /Anfon at 2 wirfoddolwr/, 'no Send button')
  t.notMatch(res.body, /You have sent|You cannot send/)
  res = await welsh.post('/coordinate/messages/send', { ...branchForm(w), subject: 'Note 6', count: '2' })
  t.equal(res.statusCode, 409)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Nid yw eich neges wedi’i hanfon/)
  t.match(res.body, /Rydych chi wedi anfon 5 neges grŵp heddiw/)

  res = await w.coordinator.post('/coordinate/messages/preview', { ...branchForm(w), subject: 'Note 6' })
  t.match(res.body, /You have sent 5 group messages today\. You can send more from 1 December 2026 at 9am/)
  t.match(res.body, /<title>Error: Check your message – Champion Rota<\/title>/)
})
