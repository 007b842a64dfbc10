// What a new user reads: page titles, counts that agree with their nouns, success messages as sentences, emails that greet by name, a home page that promises only what is true.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { world, textOf } from '../bookings/world.js'
import { plural, sentence } from '../../src/views/format.js'

t.comment(`database: ${databaseLabel}`)

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]
const bannerOf = (html: string) => /govuk-notification-banner__heading">([^<]*)</.exec(html)?.[1]?.replace(/&#39;/g, "'")

t.test('one helper for counts and nouns, one for sentences', async (t) => {
  t.equal(plural(1, 'place'), '1 place')
  t.equal(plural(0, 'place'), '0 places')
  t.equal(plural(1, 'session that needs training', 'sessions that need training'), '1 session that needs training')
  t.equal(plural(2, 'session that needs training', 'sessions that need training'), '2 sessions that need training')
  t.equal(sentence('Session created'), 'Session created.')
  t.equal(sentence('Reminder emails are off.'), 'Reminder emails are off.')
  t.equal(sentence('Can you help?'), 'Can you help?')
})

t.test('the home page: its title is the service name once, and it promises what is true', async (t) => {
  const w = await world(t)
  const home = await w.app.inject('/')
  t.equal(titleOf(home.body), 'Champion Rota', 'not "Champion Rota – Champion Rota"')
  t.equal(titleOf((await w.app.inject('/sign-in')).body), 'Sign in – Champion Rota', 'other pages: their title, then the service')
  const text = textOf(home.body)
  t.notMatch(text, /everyone records how many people were helped/, 'no promise of a feature that is not there yet')
  t.match(text, /volunteers see the sessions they have helped at and the hours they have given/)
})

t.test('counts agree with their nouns where a person reads them', async (t) => {
  const w = await world(t)
  const { skills, essentials } = w
  const v = await w.volunteer({ name: 'Ewa Nowak', skills: [skills.nhs] })
  const one = await w.session({ date: '2026-12-08', title: 'One-to-one help', min: 1, max: 1 })
  await w.session({ date: '2026-12-10', title: 'NHS App clinic', required: [skills.nhs], trainings: [essentials] })
  const coordinator = await w.signIn(w.coordinator)
  t.match(textOf((await coordinator.get(`/coordinate/sessions/${one}`)).body), /0 booked of 1 place; needs at least 1/, 'not "1 places"')
  const volunteer = await w.signIn(v.personId)
  const find = textOf((await volunteer.get('/sessions')).body)
  t.match(find, /1 session that needs training you have not done/, 'not "1 session that need training"')
  t.match(find, /1 session found/)
})

t.test('success messages end with a full stop', async (t) => {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const one = await w.session({ date: '2026-12-08', title: 'Drop-in', min: 1, max: 2 })
  const coordinator = await w.signIn(w.coordinator)
  t.equal((await coordinator.post(`/coordinate/sessions/${one}/assign`, { assign: v.volunteerId })).statusCode, 303)
  const banner = bannerOf((await coordinator.get(`/coordinate/sessions/${one}`)).body)
  t.match(banner, /Ewa Nowak/, 'the coordinator sees what happened')
  t.match(banner, /\.$/, `"${banner}" ends with a full stop`)
  const cancelled = await coordinator.post(`/coordinate/sessions/${one}/cancel`, { scope: 'one', reason: '' })
  t.equal(cancelled.statusCode, 303)
  const second = bannerOf((await coordinator.get(`/coordinate/sessions/${one}`)).body)
  t.equal(second, '1 session cancelled, 1 volunteer emailed a cancellation.', 'counts agree and the sentence ends')
})

t.test('"you already have an account" greets the person by the name we hold', async (t) => {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Ewa Nowak' })
  const email = (await w.db.selectFrom('people').select('email').where('id', '=', v.personId).executeTakeFirstOrThrow()).email
  const anyone = new Client(w.app)
  t.equal((await anyone.post('/apply', { name: 'Someone Else', email, branches: w.central })).statusCode, 303)
  await w.app.mail.worker.drain()
  const mail = await w.db.selectFrom('mailbox').selectAll().where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.equal(mail.subject, 'You already have a Champion Rota account')
  t.match(mail.text_body, /^Hello Ewa Nowak,\n/, 'the text greets by name')
  t.match(mail.html_body, /Hello Ewa Nowak,/, 'and so does the HTML')
  t.notMatch(mail.text_body, /Someone Else/, 'never the name someone else typed')
})
