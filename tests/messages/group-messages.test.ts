// Messages to a group (issue 16 item 2): scope, the count shown equals the rows queued, opting out holds (except for a session they are on), the daily limit, escaping, Reply-To, and no copy sent twice after a worker dies mid-batch.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { world, volunteer, type World } from '../coordination/world.js'
import { claimDueMessages, enqueueEmail, markSent } from '../../src/mail/outbox.repository.js'
import { inTransaction } from '../../src/db/transaction.js'

t.comment(`database: ${databaseLabel}`)

async function groupRows(w: World) {
  return w.db.selectFrom('outbox').select(['id', 'dedupe_key', 'to_address', 'subject', 'text_body', 'html_body', 'headers', 'reply_to', 'status']).where('kind', '=', 'group-message').orderBy('id').execute()
}

/** The number the preview page says will get it. */
function countShown(html: string): number | null {
  const m = /id="recipient-count">(\d+) volunteers? will get it/.exec(html)
  return m ? Number(m[1]) : null
}

const hiddenValue = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]

/** Preview, then send exactly what the preview's form carries. */
async function previewAndSend(client: Client, form: { audience: string; subject: string; body: string }) {
  const preview = await client.post('/coordinate/messages/preview', form)
  const count = countShown(preview.body)
  const sent = await client.post('/coordinate/messages/send', { ...form, count: hiddenValue(preview.body, 'count') })
  return { preview, count, sent }
}

async function join(w: World, sessionId: number, volunteerId: number, state: 'confirmed' | 'waitlisted') {
  await givePlace(w.db, { sessionId, volunteerId, state, source: 'coordinator' })
}

t.test('scope: another branch’s or service’s coordinator cannot reach a session or branch they do not look after, and a skill reaches only their branches', async (t) => {
  const w = await world(t)
  const session = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Secret Central drop-in' })
  const cara = await volunteer(w, 'cara@example.org', 'Cara Central', [w.central], { skills: [w.skills.polish] })
  const eddie = await volunteer(w, 'eddie@example.org', 'Eddie East', [w.east], { skills: [w.skills.polish] })
  const bo = await volunteer(w, 'bo@example.org', 'Bo Both', [w.central, w.east], { skills: [w.skills.polish] })
  await volunteer(w, 'emma@example.org', 'Emma East', [w.east])
  await join(w, session, cara.volunteerId, 'confirmed')
  const east = await new Client(w.app).signInAs(w.eastCoordinatorId)
  const south = await new Client(w.app).signInAs(w.otherCoordinatorId)
  const form = { subject: 'Hello', body: 'A note.' }

  for (const [who, client] of [['East’s coordinator', east], ['another service’s coordinator', south]] as const) {
    const page = await client.get(`/coordinate/messages/new?session=${session}`)
    t.ok([403, 404].includes(page.statusCode), `${who}: the form for a Central session → ${page.statusCode}`)
    t.notMatch(page.body, /Secret Central drop-in|Cara Central/)
    const open = await client.get('/coordinate/messages/new')
    t.equal(open.statusCode, 200)
    t.notMatch(open.body, /Secret Central drop-in|Volunteers at Central Library/, `${who}: Central is not offered`)
    for (const audience of [`session:${session}`, `branch:${w.central}`]) {
      const preview = await client.post('/coordinate/messages/preview', { ...form, audience })
      t.ok([403, 404].includes(preview.statusCode), `${who}: preview to ${audience} → ${preview.statusCode}`)
      const send = await client.post('/coordinate/messages/send', { ...form, audience, count: '1' })
      t.ok([403, 404].includes(send.statusCode), `${who}: send to ${audience} → ${send.statusCode}`)
      t.notMatch(send.body, /Cara Central|cara@example\.org/)
    }
  }
  const skillFromSouth = await south.post('/coordinate/messages/send', { ...form, audience: `skill:${w.skills.polish}`, count: '3' })
  t.equal(skillFromSouth.statusCode, 403, 'another service’s skill is refused')
  t.equal((await groupRows(w)).length, 0, 'nothing queued by any refusal')
  t.equal((await w.db.selectFrom('group_messages').select('id').execute()).length, 0)

  // East's coordinator writing to Polish speakers reaches East's (Eddie, and Bo who goes to both), not Cara.
  const { count, sent } = await previewAndSend(east, { ...form, audience: `skill:${w.skills.polish}` })
  t.equal(count, 2, 'the preview counts two Polish speakers at East')
  t.equal(sent.statusCode, 303)
  t.same((await groupRows(w)).map((r) => r.to_address).sort(), ['bo@example.org', 'eddie@example.org'])
  void eddie
  void bo
})

t.test('the count on the preview equals the rows queued; a change since the preview sends nothing and says so; the list shows recipients and delivery', async (t) => {
  const w = await world(t)
  for (const [email, name] of [['a@example.org', 'Ada Active'], ['b@example.org', 'Ben Active'], ['c@example.org', 'Cy Active']]) await volunteer(w, email!, name!, [w.central])
  await volunteer(w, 'paused@example.org', 'Pat Paused', [w.central], { status: 'paused' })
  await volunteer(w, 'applied@example.org', 'Apu Applied', [w.central], { status: 'applied' })
  const left = await volunteer(w, 'left@example.org', 'Lee Left', [w.central])
  await w.db.updateTable('volunteers').set({ status: 'left', left_at: 0 }).where('id', '=', left.volunteerId).execute()
  const gone = await volunteer(w, 'gone@example.org', 'Gus Gone', [w.central])
  await w.db.updateTable('people').set({ anonymised_at: 1 }).where('id', '=', gone.personId).execute()
  await volunteer(w, 'east-only@example.org', 'Eve Eastonly', [w.east])
  const form = { audience: `branch:${w.central}`, subject: 'Library closed on Friday', body: 'The library is closed on Friday for staff training.\n\nSessions go ahead on Saturday.' }

  const preview = await w.coordinator.post('/coordinate/messages/preview', form)
  t.equal(preview.statusCode, 200)
  t.equal(countShown(preview.body), 3, 'active volunteers of Central only: not paused, applied, left or erased')
  t.match(preview.body, /Replies go to.*coord@example\.org/s)
  t.match(preview.body, /Sessions go ahead on Saturday/, 'the email as it will look')
  t.match(preview.body, /Send to 3 volunteers/)

  // Someone joins Central between the preview and Send: nothing goes, and the page says why.
  await volunteer(w, 'd@example.org', 'Dee New', [w.central])
  const changed = await w.coordinator.post('/coordinate/messages/send', { ...form, count: '3' })
  t.equal(changed.statusCode, 409)
  t.match(changed.body, /has not been sent: it would now go to 4 volunteers, not 3/)
  t.equal((await groupRows(w)).length, 0, 'nothing queued')

  const sent = await w.coordinator.post('/coordinate/messages/send', { ...form, count: hiddenValue(changed.body, 'count') })
  t.equal(sent.statusCode, 303)
  const rows = await groupRows(w)
  t.equal(rows.length, 4, 'the count shown (4) is the rows queued')
  t.same(rows.map((r) => r.to_address).sort(), ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'])
  const message = await w.db.selectFrom('group_messages').selectAll().executeTakeFirstOrThrow()
  t.equal(message.recipient_count, 4)
  t.ok(rows.every((r) => r.dedupe_key.startsWith(`group-message:${message.id}:`)), 'each copy keyed by message and volunteer')
  const audit = await w.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'message.sent').execute()
  t.equal(audit.length, 1, 'audited')
  t.same(JSON.parse(audit[0]!.detail), { audienceKind: 'branch', audienceId: w.central, count: 4 })
  t.notMatch(audit[0]!.detail, /closed|Friday/, 'the audit keeps no words of the message')

  const page = await w.coordinator.get(sent.headers.location as string)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Your message is on its way to 4 volunteers/)
  t.match(page.body, /Ada Active[\s\S]*Queued/)
  t.equal((page.body.match(/govuk-tag--blue">Queued</g) ?? []).length, 4)
  await w.app.mail.worker.drain()
  const after = await w.coordinator.get(sent.headers.location as string)
  t.equal((after.body.match(/govuk-tag--green">Sent</g) ?? []).length, 4, 'each copy now sent')
  t.match(after.body, /4 volunteers: 4 sent/)
  const list = await w.coordinator.get('/coordinate/messages')
  t.match(list.body, /Library closed on Friday[\s\S]*Volunteers at Central Library[\s\S]*>4</)
  const east = await new Client(w.app).signInAs(w.eastCoordinatorId)
  t.equal((await east.get(sent.headers.location as string)).statusCode, 404, 'another coordinator cannot open it')
  t.notMatch((await east.get('/coordinate/messages')).body, /Library closed on Friday/)
})

t.test('opting out holds for branch and skill messages, not for a session they are on; the one-click POST works without signing in', async (t) => {
  const w = await world(t)
  const olive = await volunteer(w, 'olive@example.org', 'Olive Optout', [w.central], { skills: [w.skills.email] })
  await volunteer(w, 'sam@example.org', 'Sam Stays', [w.central], { skills: [w.skills.email] })
  const first = await previewAndSend(w.coordinator, { audience: `branch:${w.central}`, subject: 'News', body: 'First news.' })
  t.equal(first.count, 2)
  const toOlive = (await groupRows(w)).find((r) => r.to_address === 'olive@example.org')!
  const headers = JSON.parse(toOlive.headers) as Record<string, string>
  t.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
  const url = /^<(http:\/\/rota\.test\/group-messages\/[^>]+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1]
  t.ok(url, `List-Unsubscribe: ${headers['List-Unsubscribe']}`)
  t.match(toOlive.text_body, url!, 'the link is in the email too')
  t.notMatch(url!, /\/reminders\//, 'its own URL, not the reminders one')

  // What a mail provider does: POST, no cookies, no CSRF token.
  const path = new URL(url!).pathname
  const oneClick = await w.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
  t.equal(oneClick.statusCode, 200)
  t.match(oneClick.body, /Messages from coordinators are off/)
  const v = await w.db.selectFrom('volunteers').select(['group_messages_enabled', 'reminders_enabled']).where('id', '=', olive.volunteerId).executeTakeFirstOrThrow()
  t.same(v, { group_messages_enabled: 0, reminders_enabled: 1 }, 'group messages off, reminders untouched')
  t.equal((await w.app.inject({ method: 'POST', url: path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode, 404, 'a forged token does nothing')
  const page = await w.app.inject(path)
  t.match(page.body, /Messages from coordinators are off/)
  t.match(page.body, /Turn messages from coordinators back on/)

  const branch = await previewAndSend(w.coordinator, { audience: `branch:${w.central}`, subject: 'More news', body: 'Second news.' })
  t.equal(branch.count, 1, 'the branch message counts only Sam')
  const skill = await previewAndSend(w.coordinator, { audience: `skill:${w.skills.email}`, subject: 'Email helpers', body: 'Third.' })
  t.equal(skill.count, 1, 'the skill message counts only Sam')
  const session = await createSession(w.db, w.central, { date: '2026-12-09', title: 'Email drop-in' })
  await join(w, session, olive.volunteerId, 'waitlisted')
  const onSession = await previewAndSend(w.coordinator, { audience: `session:${session}`, subject: 'About Wednesday', body: 'Room change.' })
  t.equal(onSession.count, 1, 'the session message counts Olive, who is waiting on it')
  const toOliveNow = (await groupRows(w)).filter((r) => r.to_address === 'olive@example.org')
  t.same(toOliveNow.map((r) => r.subject), ['News', 'About Wednesday'], 'Olive got the session message and nothing else since opting out')
  t.same(JSON.parse(toOliveNow[1]!.headers), {}, 'a session message has no unsubscribe: it is about her place')
  t.match(toOliveNow[1]!.text_body, /you are on Email drop-in/)

  // Signed in, her profile has the question; answering yes turns them back on.
  const olivesClient = await new Client(w.app).signInAs(olive.personId)
  const prefs = await olivesClient.get('/profile/preferences')
  t.match(prefs.body, /messages from coordinators/i)
  t.match(prefs.body, /id="groupMessages-no" name="groupMessages" type="radio" value="no" checked/)
  t.match((await olivesClient.get('/profile')).body, /Messages from coordinators[\s\S]{0,200}Only about sessions you are on/)
  t.equal((await olivesClient.post('/profile/preferences', { maxPerMonth: '4', reminders: 'yes', groupMessages: 'yes' })).statusCode, 303)
  t.equal((await w.db.selectFrom('volunteers').select('group_messages_enabled').where('id', '=', olive.volunteerId).executeTakeFirstOrThrow()).group_messages_enabled, 1)
  // A form without the question leaves it as it is.
  t.equal((await olivesClient.post('/profile/preferences', { maxPerMonth: '5', reminders: 'yes' })).statusCode, 303)
  t.equal((await w.db.selectFrom('volunteers').select('group_messages_enabled').where('id', '=', olive.volunteerId).executeTakeFirstOrThrow()).group_messages_enabled, 1)
})

t.test('the daily limit: the sixth group message in 24 hours is refused plainly, nothing queued; a day later it goes', async (t) => {
  const w = await world(t)
  await volunteer(w, 'a@example.org', 'Ada Active', [w.central])
  for (let i = 1; i <= 5; i++) {
    const { sent } = await previewAndSend(w.coordinator, { audience: `branch:${w.central}`, subject: `Note ${i}`, body: 'Hello.' })
    t.equal(sent.statusCode, 303, `message ${i} sent`)
    w.clock.advance(60_000)
  }
  const refusal = /You have sent 5 group messages today\. You can send more from 1 December 2026 at 9am/
  const preview = await w.coordinator.post('/coordinate/messages/preview', { audience: `branch:${w.central}`, subject: 'Note 6', body: 'Hello.' })
  t.equal(preview.statusCode, 409)
  t.match(preview.body, refusal, 'the preview says so, with when')
  t.notMatch(preview.body, /Send to 1 volunteer/, 'and offers no Send')
  const send = await w.coordinator.post('/coordinate/messages/send', { audience: `branch:${w.central}`, subject: 'Note 6', body: 'Hello.', count: '1' })
  t.equal(send.statusCode, 409)
  t.match(send.body, refusal)
  t.match(send.body, /value="Note 6"/, 'what they typed is kept')
  t.equal((await groupRows(w)).length, 5, 'nothing queued')
  t.equal((await w.db.selectFrom('group_messages').select('id').execute()).length, 5)

  w.clock.set(Date.parse('2026-12-01T09:00:00Z') + 1)
  await w.coordinator.signInAs(w.coordinatorId) // a day on the clock: a fresh sign-in
  const later = await previewAndSend(w.coordinator, { audience: `branch:${w.central}`, subject: 'Note 6', body: 'Hello.' })
  t.equal(later.sent.statusCode, 303, 'once the first is 24 hours old, one more may go')
})

t.test('subject and body are escaped in the HTML email and on the pages; the plain text keeps them as typed; Reply-To is the coordinator', async (t) => {
  const w = await world(t)
  await volunteer(w, 'a@example.org', 'Ada <Active>', [w.central])
  const form = { audience: `branch:${w.central}`, subject: 'Tea & <b>cake</b>', body: '<script>alert(1)</script>\nSecond line & more\n\n\n\nLast paragraph' }
  const { preview, sent } = await previewAndSend(w.coordinator, form)
  t.notMatch(preview.body, /<script>alert|<b>cake/, 'the preview page escapes it')
  t.match(preview.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  t.equal(sent.statusCode, 303)
  const [row] = await groupRows(w)
  t.equal(row!.subject, 'Tea & <b>cake</b>', 'the subject header as typed')
  t.notMatch(row!.html_body, /<script>|<b>cake|<Active>/, 'nothing of it is markup in the HTML part')
  t.match(row!.html_body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;<br>Second line &amp; more<\/p>/)
  t.match(row!.html_body, /Hello Ada &lt;Active&gt;,/)
  t.match(row!.text_body, /^<script>alert\(1\)<\/script>\nSecond line & more\n\nLast paragraph$/m, 'the plain text as typed, runs of empty lines made one')
  t.same(JSON.parse(row!.reply_to!), { address: 'coord@example.org', name: 'Chris Walker' }, 'Reply-To stored on the row')
  t.notMatch((await w.coordinator.get(sent.headers.location as string)).body, /<script>alert|<b>cake/, 'the sent message’s page escapes it')

  await w.app.mail.worker.drain()
  const kept = await w.db.selectFrom('mailbox').select(['headers', 'to_address']).execute()
  t.equal(kept.length, 1)
  t.equal((JSON.parse(kept[0]!.headers) as Record<string, string>)['Reply-To'], 'Chris Walker <coord@example.org>', 'the sent email has Reply-To')
  const { toNodemailerMessage } = await import('../../src/mail/transport.js')
  const smtp = toNodemailerMessage({ from: { name: 'Rota', address: 'rota@rota.test' }, to: { name: 'Ada', address: 'a@example.org' }, subject: 's', text: 't', html: 'h', headers: {}, replyTo: { name: 'Chris Walker', address: 'coord@example.org' }, ical: null, outboxId: 1 }, '<x@rota.test>')
  t.same(smtp.replyTo, { name: 'Chris Walker', address: 'coord@example.org' }, 'over SMTP too')
})

t.test('a worker killed mid-batch: each copy is delivered once, and queuing the copies again is a no-op', async (t) => {
  const w = await world(t)
  for (let i = 0; i < 5; i++) await volunteer(w, `v${i}@example.org`, `Vol ${i}`, [w.central])
  const { sent } = await previewAndSend(w.coordinator, { audience: `branch:${w.central}`, subject: 'Batch', body: 'Hello all.' })
  t.equal(sent.statusCode, 303)
  const rows = await groupRows(w)
  t.equal(rows.length, 5)

  // A worker claims the whole batch, delivers two, and dies (its leases stay behind).
  const now = w.clock.now()
  const claimed = await claimDueMessages(w.db, w.app.ctx.dialect, 'dead-worker', now, now + 60_000, 10)
  t.equal(claimed.length, 5)
  for (const m of claimed.slice(0, 2)) t.ok(await markSent(w.db, m.id, 'dead-worker', now))
  // The send is retried (a double click, a retried request): the same keys queue nothing.
  const again = await inTransaction(w.db, async (tx) => {
    let added = 0
    for (const r of rows) if (await enqueueEmail(tx, { dedupeKey: r.dedupe_key, kind: 'group-message', to: { address: r.to_address }, subject: r.subject, text: r.text_body, html: r.html_body }, now)) added++
    return added
  })
  t.equal(again, 0, 're-queuing is a no-op')
  t.equal((await groupRows(w)).length, 5)

  // Another worker, once the dead one's leases run out, delivers only the three left.
  w.clock.advance(61_000)
  await w.app.mail.worker.drain()
  const delivered = await w.db.selectFrom('mailbox').select('to_address').execute()
  t.equal(delivered.length, 3, 'the two delivered before the kill are not sent again')
  t.equal(new Set(delivered.map((d) => d.to_address)).size, 3)
  t.ok((await groupRows(w)).every((r) => r.status === 'sent'), 'every copy sent')
  t.notOk(delivered.some((d) => claimed.slice(0, 2).some((m) => m.to_address === d.to_address)))
})

t.test('bad input gets messages beside the fields and queues nothing', async (t) => {
  const w = await world(t)
  await volunteer(w, 'a@example.org', 'Ada Active', [w.central])
  const res = await w.coordinator.post('/coordinate/messages/preview', { audience: '', subject: 'x'.repeat(151), body: 'y'.repeat(5001) })
  t.equal(res.statusCode, 400)
  t.match(res.body, /There is a problem/)
  t.match(res.body, /Select who the message is for/)
  t.match(res.body, /Subject must be 150 characters or fewer/)
  t.match(res.body, /Message must be 5,000 characters or fewer/)
  const nobody = await w.coordinator.post('/coordinate/messages/preview', { audience: `branch:${w.east}`, subject: 'Hi', body: 'Hello' })
  t.equal(nobody.statusCode, 400)
  t.match(nobody.body, /Nobody would receive this message/)
  const noCsrf = await w.coordinator.post('/coordinate/messages/send', { audience: `branch:${w.central}`, subject: 'Hi', body: 'Hello', count: '1', _csrf: 'nope' })
  t.equal(noCsrf.statusCode, 403, 'Send needs the form’s CSRF token')
  t.equal((await groupRows(w)).length, 0)
  // The links to it.
  const session = await createSession(w.db, w.central, { date: '2026-12-08', title: 'Drop-in' })
  t.match((await w.coordinator.get(`/coordinate/sessions/${session}`)).body, new RegExp(`href="/coordinate/messages/new\\?session=${session}">Message these volunteers`))
  t.match((await w.coordinator.get('/coordinate')).body, /href="\/coordinate\/messages\/new">Message volunteers/)
  const form = await w.coordinator.get(`/coordinate/messages/new?session=${session}`)
  t.match(form.body, new RegExp(`<option value="session:${session}" selected>`))
  // "Change the message" from the preview: the form again, as typed.
  const change = await w.coordinator.post('/coordinate/messages/new', { audience: `branch:${w.central}`, subject: 'Draft & more', body: 'Line one\nLine two', count: '1' })
  t.equal(change.statusCode, 200)
  t.match(change.body, /value="Draft &amp; more"/)
  t.match(change.body, />Line one\nLine two<\/textarea>/)
  t.match(change.body, new RegExp(`<option value="branch:${w.central}" selected>`))
  t.equal((await groupRows(w)).length, 0)
})
