// The volunteer's pages in Welsh (issue 16): the dashboard, finding and booking sessions, the
// session page, My sessions and withdrawing, each in Welsh with lang="cy" and no English left,
// and in English as before; what the matching rules say, worded from the catalogue.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { givePlace } from '../helpers/fixtures.js'
import { world, textOf, htmx } from '../bookings/world.js'
import { inEnglish, type Said } from '../../src/matching/eligibility.js'
import { catalogueWording, wordingFor } from '../../src/bookings/volunteer-wording.js'
import { kindLabel, kindLabelIn, SESSION_KINDS } from '../../src/sessions/kinds.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const mainText = (body: string) => textOf(/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body)

async function welshWorld(t: Parameters<typeof world>[0]) {
  const w = await world(t)
  const v = await w.volunteer({ name: 'Gwen Jones', skills: [w.skills.polish] })
  const browser = await w.signIn(v.personId)
  await browser.get('/language/cy')
  return { ...w, v, browser }
}

t.test('the dashboard in Welsh, and in English as before', async (t) => {
  const w = await welshWorld(t)
  let res = await w.browser.get('/dashboard')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Helo, Gwen Jones')
  const text = mainText(res.body)
  t.match(text, /Eich sesiynau nesaf/)
  t.match(text, /Does gennych chi ddim sesiynau wedi’u harchebu yn ystod y 6 wythnos nesaf/)
  t.notMatch(text, /upcoming|Find sessions|no sessions booked/, 'no English left')
  t.match(res.body, /<title>Eich dangosfwrdd – Champion Rota<\/title>/)
  await w.browser.get('/language/en')
  res = await w.browser.get('/dashboard')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Hello, Gwen Jones')
  t.match(mainText(res.body), /Your upcoming sessions You have no sessions booked in the next 6 weeks\./)
})

t.test('finding sessions in Welsh: filters, cards, what is needed, why it suits, and the htmx results', async (t) => {
  const w = await welshWorld(t)
  await w.session({ date: '2026-12-08', title: 'Sesiwn galw heibio', min: 2, max: 3, preferred: [w.skills.polish] })
  let res = await w.browser.get('/sessions')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Dod o hyd i sesiynau')
  const text = mainText(res.body)
  t.match(text, /Wedi dod o hyd i 1 sesiwn/)
  t.match(text, /Galw heibio/, 'the kind in Welsh')
  t.match(text, /Angen 2 wirfoddolwr arall; angen siaradwr Polish/, 'what is needed, in Welsh (the skill is the service’s own name)')
  t.match(text, /Rydych chi’n siarad Polish/, 'why it suits them')
  t.match(text, /Mae boreau dydd Mawrth yn eich argaeledd/)
  t.match(text, /Hidlo Eich holl lyfrgelloedd, Llun 30 Tach i Sul 10 Ion, unrhyw bwnc/, 'the filter line')
  t.match(res.body, /aria-label="Pam mae’n addas i chi"/)
  t.notMatch(text, /Find sessions|Still needed|more volunteer|speaker wanted|You speak|All your libraries|Drop-in|session found/, 'no English left')

  res = await w.browser.get('/sessions?outside=1&full=1', htmx())
  t.equal(res.statusCode, 200)
  t.match(res.body, /role="status" hx-swap-oob="true">Wedi dod o hyd i 1 sesiwn</)
  t.match(res.body, /, y tu allan i’ch amseroedd arferol hefyd, rhai llawn hefyd/)

  res = await w.browser.get('/sessions?from=2026-13-45')
  t.equal(res.statusCode, 400)
  t.match(res.body, /<title>Gwall: Dod o hyd i sesiynau – Champion Rota<\/title>/)
  t.match(mainText(res.body), /Dim sesiynau i’w dangos/)
})

t.test('booking in Welsh: the confirmation, the htmx swap, the session page and a refusal', async (t) => {
  const w = await welshWorld(t)
  const s = await w.session({ date: '2026-12-08', title: 'Help gyda ffonau', min: 1, max: 2 })
  let res = await w.browser.post(`/sessions/${s}/book`, { return: '/sessions' })
  t.equal(res.statusCode, 303)
  res = await w.browser.get('/sessions')
  t.match(mainText(res.body), /Rydych chi wedi archebu lle ar Help gyda ffonau, Dydd Mawrth 8 Rhagfyr 2026, 10yb i 12yh yn Central Library\. Rydyn ni wedi anfon gwahoddiad calendr atoch drwy e-bost/, 'the flash in Welsh')

  const other = await w.session({ date: '2026-12-09', title: 'Sesiwn arall', max: 2 })
  res = await w.browser.post(`/sessions/${other}/book`, { return: '/sessions' }, { headers: htmx() })
  t.equal(res.statusCode, 200)
  t.match(textOf(res.body), /Wedi archebu Ei gweld yn Fy sesiynau/)
  t.match(res.body, /Mae gennych chi 2 sesiwn i ddod\./)

  res = await w.browser.get(`/sessions/${s}`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /<title>Help gyda ffonau, Dydd Mawrth 8 Rhagfyr 2026 – Champion Rota<\/title>/)
  const text = mainText(res.body)
  t.match(text, /Galw heibio yn Central Library/)
  t.match(text, /Wedi archebu Rydych chi wedi archebu lle ar y sesiwn hon\. Diolch\./)
  t.match(text, /Pwy arall sy’n helpu Does neb arall wedi archebu eto\./)
  t.notMatch(text, /Your place|What is needed|Who else|Contact|When you arrive/, 'no English left')

  // Northgate is not one of her libraries: the rule's refusal, in Welsh.
  const north = await w.session({ date: '2026-12-10', branch: w.north, title: 'Yn y gogledd' })
  res = await w.browser.post(`/sessions/${north}/book`, { return: '/sessions' })
  t.equal(res.statusCode, 409)
  t.match(mainText(res.body), /Nid yw Northgate Library yn un o’r llyfrgelloedd yn eich proffil/)
})

t.test('My sessions and withdrawing in Welsh; a reason too long is refused in Welsh', async (t) => {
  const w = await welshWorld(t)
  const s = await w.session({ date: '2026-12-15', title: 'Sesiwn Rhagfyr' })
  const past = await w.session({ date: '2026-11-10', start: '10:00', end: '12:30', title: 'Hen sesiwn' })
  await givePlace(w.db, { sessionId: past, volunteerId: w.v.volunteerId, state: 'attended' })
  const assignmentId = await givePlace(w.db, { sessionId: s, volunteerId: w.v.volunteerId, state: 'confirmed' })
  let res = await w.browser.get('/my-sessions')
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Fy sesiynau')
  let text = mainText(res.body)
  t.match(text, /Rydych chi wedi helpu mewn 1 sesiwn: 2\.5 awr i gyd\. Diolch\./)
  t.match(text, /Gallwch dynnu’n ôl tan 14 Rhagfyr 2026 am 10yb/)
  t.notMatch(text, /Coming up|Past sessions|You can withdraw|Thank you/, 'no English left')

  res = await w.browser.get(`/my-sessions/${assignmentId}/withdraw`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Tynnu’n ôl o’r sesiwn hon?')
  text = mainText(res.body)
  t.match(text, /Gofyn am rywun yn eich lle yn lle hynny/)
  t.notMatch(text, /Withdraw|Keep my place|Ask for cover/, 'no English left')

  res = await w.browser.post(`/my-sessions/${assignmentId}/withdraw`, { reason: 'x'.repeat(501) })
  t.equal(res.statusCode, 400)
  t.match(res.body, /<title>Gwall: Tynnu’n ôl o’r sesiwn hon – Champion Rota<\/title>/)
  t.match(res.body, /Rhaid i’ch rheswm fod yn 500 nod neu lai/)

  res = await w.browser.post(`/my-sessions/${assignmentId}/withdraw`, { reason: '' })
  t.equal(res.statusCode, 303)
  res = await w.browser.get('/my-sessions')
  t.match(mainText(res.body), /Rydych chi wedi tynnu’n ôl o Sesiwn Rhagfyr ar Dydd Mawrth 15 Rhagfyr 2026/)
})

t.test('the catalogue’s English says what the rules always said; Welsh has a word for each', async (t) => {
  const said: Said[] = [
    { key: 'status', status: 'applied' }, { key: 'status', status: 'paused' }, { key: 'status', status: 'left' },
    { key: 'branch', branch: 'Central Library' }, { key: 'skills', list: 'Polish, NHS App' },
    { key: 'trainingLapsed', name: 'DBS check', date: '2026-12-03' }, { key: 'training', name: 'DBS check' },
    { key: 'timeOff', until: '2026-12-24' }, { key: 'availability', day: 4, part: 'afternoons' },
    { key: 'clash', title: 'Drop-in' }, { key: 'monthlyCap', count: 1, month: '2026-12-10' }, { key: 'monthlyCap', count: 4, month: '2026-01-10' },
    { key: 'speaks', skill: 'Polish' }, { key: 'knows', skill: 'NHS App' }, { key: 'hasSkill', skill: 'NHS App' },
    { key: 'available', day: 7, part: 'evenings' }, { key: 'homeLibrary' },
    { key: 'needed', toMin: 1, toMax: 2, languages: [] }, { key: 'needed', toMin: 0, toMax: 2, languages: ['Polish', 'Welsh'] },
    { key: 'needed', toMin: 0, toMax: 1, languages: [] }, { key: 'needed', toMin: 0, toMax: 0, languages: ['Polish'] },
  ]
  const english = catalogueWording('en')
  for (const s of said) t.equal(english(s), inEnglish(s), `${s.key} in English`)
  t.equal(wordingFor('en'), inEnglish, 'English pages use the rules’ own words')
  const welsh = wordingFor('cy')
  for (const s of said) t.not(welsh(s), inEnglish(s), `${s.key} in Welsh`)
  t.equal(welsh({ key: 'availability', day: 4, part: 'afternoons' }), 'Nid yw prynhawniau dydd Iau yn eich argaeledd')
  t.equal(welsh({ key: 'timeOff', until: '2026-12-24' }), 'Rydych chi ar wyliau tan 24 Rhag')
  for (const k of SESSION_KINDS) {
    t.equal(kindLabelIn(k.value, 'en'), kindLabel(k.value), 'the English label as before')
    t.not(kindLabelIn(k.value, 'cy'), k.label, `${k.value} in Welsh`)
  }
  t.equal(kindLabelIn('unknown_kind', 'cy'), 'unknown_kind', 'an unknown kind as stored')
})

t.test('the find filters’ mistakes are said in Welsh; the shared readers keep their English', async (t) => {
  const w = await welshWorld(t)
  let res = await w.browser.get('/sessions?from=2026-02-31&branch=999999')
  t.equal(res.statusCode, 400)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Rhaid i’r maes ‘Y diwrnod cyntaf’ fod yn ddyddiad go iawn, fel 8\/12\/2026/)
  t.match(res.body, /Dewiswch lyfrgell o’r rhestr/)
  t.notMatch(mainText(res.body), /must be|Select a library/, 'no English left')
  await w.browser.get('/language/en')
  res = await w.browser.get('/sessions?from=2026-02-31&branch=999999')
  t.match(res.body, /The first day must be a real date, like 8\/12\/2026/)
  t.match(res.body, /Select a library from the list/)
})
