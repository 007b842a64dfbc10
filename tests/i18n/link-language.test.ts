// Issue 16: a page reached through a link that belongs to someone (an invitation, a reminder or
// group-message switch, a recording link, a per-place check-in link) is in that person's language,
// as the email that carried the link was, even in a browser that asks for another; a language
// chosen in the header still wins, and someone with no choice of their own gets their library
// service's default.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession } from '../helpers/fixtures.js'
import { evidenceWorld } from '../evidence/world.js'
import { world as coordinationWorld, volunteer, outbox } from '../coordination/world.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { placeCheckinUrl } from '../../src/evidence/checkin.service.js'
import { switchUrl } from '../../src/mail/switches.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const ENGLISH_BROWSER = { 'accept-language': 'en-GB,en;q=0.9' }
const WELSH_BROWSER = { 'accept-language': 'cy-GB,cy;q=0.9' }

t.test('recording, check-in and switch links open in their volunteer’s language, not the browser’s', async (t) => {
  const w = await evidenceWorld(t)
  const sunday = await w.session({ date: '2026-11-29', start: '10:00', end: '12:00', title: 'Sunday drop-in', max: 6 })
  const today = await w.session({ date: '2026-11-30', start: '09:00', end: '12:00', title: 'Monday drop-in', max: 6 })
  const gwen = await w.volunteer({ name: 'Gwen Jones' })
  const ed = await w.volunteer({ name: 'Ed Jones' })
  await w.db.updateTable('people').set({ language: 'cy' }).where('id', '=', gwen.personId).execute()
  const gwenSunday = await w.place(sunday, gwen.volunteerId)
  const edSunday = await w.place(sunday, ed.volunteerId)
  const gwenToday = await w.place(today, gwen.volunteerId)
  await queueRecordingPrompts(w.app.ctx)
  const recordLink = async (assignmentId: number) => {
    const mail = await w.db.selectFrom('outbox').select('text_body').where('dedupe_key', '=', `recording-prompt:${assignmentId}`).executeTakeFirstOrThrow()
    return /http:\/\/rota\.test(\/record\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!
  }
  const path = (url: string) => new URL(url).pathname

  // Gwen chose Welsh on her profile; her browser asks for English.
  const gwenLinks = {
    record: await recordLink(gwenSunday),
    checkin: path(placeCheckinUrl(w.app.ctx, gwenToday)),
    reminders: path(switchUrl(w.app.ctx, 'reminders', gwen.volunteerId)),
    messages: path(switchUrl(w.app.ctx, 'group-messages', gwen.volunteerId)),
  }
  const welshHeadings: Record<keyof typeof gwenLinks, string | RegExp> = {
    record: 'Sut aeth Sunday drop-in?',
    checkin: /^(Cofrestru|Allwch chi ddim cofrestru yma)$/,
    reminders: 'Negeseuon e-bost atgoffa',
    messages: 'Negeseuon gan gydlynwyr',
  }
  for (const [kind, link] of Object.entries(gwenLinks) as Array<[keyof typeof gwenLinks, string]>) {
    const res = await new Client(w.app).get(link, ENGLISH_BROWSER)
    t.equal(res.statusCode, 200, `${kind}: shown`)
    t.equal(htmlLang(res.body), 'cy', `${kind}: in Gwen’s Welsh, though the browser asks for English`)
    t.match(h1(res.body), welshHeadings[kind], `${kind}: the Welsh heading`)
    t.notMatch(res.body, /rota-not-translated/, `${kind}: no “not translated” notice`)
  }

  // Answering from the link keeps her language: the confirmation after the switch's button.
  const reader = new Client(w.app)
  let res = await reader.post(gwenLinks.messages, { groupMessages: 'off' }, { headers: ENGLISH_BROWSER })
  t.equal(res.statusCode, 303)
  res = await reader.get(gwenLinks.messages, ENGLISH_BROWSER)
  t.match(res.body, /Mae negeseuon gan gydlynwyr wedi’u diffodd\./, 'the confirmation in Welsh')
  res = await reader.post(gwenLinks.checkin, {}, { headers: ENGLISH_BROWSER })
  t.equal(res.statusCode, 303, 'checked in from the link')
  res = await reader.get(gwenLinks.checkin, ENGLISH_BROWSER)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(/<h1 class="govuk-panel__title">([^<]*)<\/h1>/.exec(res.body)?.[1], 'Rydych chi wedi cofrestru', 'checked in, said in Welsh')

  // A language chosen in this browser's header still decides.
  const chooser = new Client(w.app)
  await chooser.get('/language/en')
  res = await chooser.get(gwenLinks.record, WELSH_BROWSER)
  t.equal(htmlLang(res.body), 'en-GB', 'the header’s choice wins over the link’s owner')
  t.equal(h1(res.body), 'How did Sunday drop-in go?')

  // Ed made no choice: his library service's default (English), whatever his browser asks for.
  res = await new Client(w.app).get(await recordLink(edSunday), WELSH_BROWSER)
  t.equal(htmlLang(res.body), 'en-GB', 'no choice of his own: the service’s default')
  await w.db.updateTable('library_services').set({ default_language: 'cy' }).execute()
  res = await new Client(w.app).get(await recordLink(edSunday), ENGLISH_BROWSER)
  t.equal(htmlLang(res.body), 'cy', 'a Welsh-speaking service: its default')
})

t.test('an invitation link opens in the invited volunteer’s language; a bad link in the browser’s', async (t) => {
  const w = await coordinationWorld(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', start: '10:00', end: '12:00', title: 'Sesiwn galw heibio', min: 1, max: 2 })
  const gwen = await volunteer(w, 'gwen@example.org', 'Gwen Jones', [w.central])
  await w.db.updateTable('people').set({ language: 'cy' }).where('id', '=', gwen.personId).execute()
  t.equal((await w.coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(gwen.volunteerId)] })).statusCode, 303)
  const mail = (await outbox(w.db, 'gwen@example.org')).filter((m) => m.kind === 'invitation').at(-1)!
  t.match(mail.subject, /Sesiwn galw heibio/)
  const link = /http:\/\/rota\.test(\/invitations\/[A-Za-z0-9_-]+)\?answer=accept/.exec(mail.text_body)![1]!

  let res = await new Client(w.app).get(link, ENGLISH_BROWSER)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy', 'the page in her Welsh, as the email was')
  t.equal(h1(res.body), 'Allwch chi helpu yn y sesiwn hon?')
  const client = new Client(w.app)
  res = await client.post(link, { answer: 'accept' }, { headers: ENGLISH_BROWSER })
  t.equal(res.statusCode, 303)
  res = await client.get(link, ENGLISH_BROWSER)
  t.equal(h1(res.body), 'Rydych chi wedi archebu lle', 'booked, in Welsh')

  res = await new Client(w.app).get('/invitations/not-a-real-link-at-all-0000000000000', WELSH_BROWSER)
  t.equal(res.statusCode, 404)
  t.equal(htmlLang(res.body), 'cy', 'a link that belongs to nobody: the browser’s language')
})
