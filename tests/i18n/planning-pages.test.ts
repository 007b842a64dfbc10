// The coordinator's session forms and the form to record a training or check, in Welsh and in
// English (issue 16): scheduling a session (and its mistakes), changing one or a series (and a
// change refused for someone booked), recording a training. Welsh after the header's switch:
// lang="cy", a Welsh heading, Welsh errors and flashes, none of the English words; English as before.
import t from 'tap'
import { databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createSession } from '../helpers/fixtures.js'
import { takePlace } from '../../src/assignments/places.service.js'
import { world, volunteer, type World } from '../coordination/world.js'

t.comment(`database: ${databaseLabel}`)

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1]

async function welshClient(w: World): Promise<Client> {
  const client = await new Client(w.app).signInAs(w.coordinatorId)
  await client.get('/language/cy')
  return client
}

const seriesForm = (w: World, extra: Record<string, string | string[]> = {}) => ({
  branch: String(w.central),
  title: 'Digital help drop-in',
  kind: 'drop_in',
  repeat: 'weekly',
  days: ['TU'],
  from: '2026-12-01',
  until: '2026-12-15',
  start: '10:00',
  end: '12:00',
  min: '1',
  max: '2',
  ...extra,
})

t.test('scheduling a session in Welsh: the form, its mistakes and the line after it is made', async (t) => {
  const w = await world(t)
  const welsh = await welshClient(w)

  let res = await welsh.get('/coordinate/sessions/new')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Trefnu sesiwn')
  t.notMatch(res.body, /rota-not-translated/, 'no "not translated" notice')
  t.equal(titleOf(res.body), 'Trefnu sesiwn – Champion Rota')
  for (const w of [/Ychwanegwch sesiwn untro/, /Dewiswch gangen/, /Pa mor aml/, /Bob wythnos \(cyfres\)/, /Dyddiau’r wythnos/, />Dydd Llun</, />Dydd Sul</, />Galw heibio</, /Mae pobl yn dod pryd bynnag/, />Dosbarth grŵp</, /Amser dechrau/, /Y nifer lleiaf o wirfoddolwyr sydd eu hangen/, /Sgiliau y mae’n rhaid i wirfoddolwyr eu cael/, />Pynciau</, />Ieithoedd</, /Hyfforddiant a gwiriadau sydd eu hangen/, /Nodiadau i wirfoddolwyr \(dewisol\)/, /Dyddiadau i’w hepgor \(dewisol\)/, /Ar gyfer sesiwn untro/, />Creu</]) {
    t.match(res.body, w)
  }
  for (const e of [/Schedule a session/, /How often/, /Every week/, /Days of the week/, />Monday</, />Drop-in</, /People come when they like/, /Kind of session/, /Start time/, />Topics</, />Languages</, /Training and checks needed/, /Notes for volunteers/, /For a one-off session/, />Create</, /Choose a branch/]) {
    t.notMatch(res.body, e, `no ${e}`)
  }

  res = await welsh.post('/coordinate/sessions/new', { repeat: 'weekly', skipped: 'nonsense' })
  t.equal(res.statusCode, 400, 'nothing made')
  t.equal(htmlLang(res.body), 'cy')
  t.equal(titleOf(res.body), 'Gwall: Trefnu sesiwn – Champion Rota')
  t.match(res.body, /Mae problem wedi codi/)
  for (const w of [/Dewiswch y gangen/, /Rhowch deitl ar gyfer y sesiwn/, /Rhowch amser dechrau, fel 10:00/, /Rhowch y nifer lleiaf o wirfoddolwyr sydd eu hangen ar y sesiwn/, /Rhowch ddyddiad yr wythnos gyntaf/, /Dewiswch y dyddiau o’r wythnos y cynhelir y sesiwn/, /Nid yw “nonsense” yn ddyddiad go iawn/, /<span class="govuk-visually-hidden">Gwall:<\/span>/]) {
    t.match(res.body, w)
  }
  t.notMatch(res.body, /Select the branch|Enter a title|Enter a start time|is not a real date|There is a problem|>Error:</, 'none of the English errors')

  res = await welsh.post('/coordinate/sessions/new', seriesForm(w, { end: '09:00', max: '0' }))
  t.equal(res.statusCode, 400)
  t.match(res.body, /Rhaid i’r amser gorffen fod ar ôl yr amser dechrau/)
  t.match(res.body, /Rhaid i’r maes ‘Y nifer mwyaf o wirfoddolwyr’ fod yn rhif cyfan o 1 i 50/)
  t.notMatch(res.body, /End time must be after|must be a whole number/)

  res = await welsh.post('/coordinate/sessions/new', seriesForm(w))
  t.equal(res.statusCode, 303, 'the series is made')
  const page = await welsh.get(res.headers.location as string)
  t.match(page.body, /Mae’r gyfres wythnosol wedi’i chreu: 3 sesiwn/)
  t.notMatch(page.body, /Weekly series created/)
})

t.test('changing a session in Welsh, and a change refused for someone booked', async (t) => {
  const w = await world(t)
  const english = w.coordinator
  const made = await english.post('/coordinate/sessions/new', seriesForm(w))
  const first = Number(/\/coordinate\/sessions\/(\d+)/.exec(made.headers.location as string)![1])
  const sessions = await w.db.selectFrom('sessions').select(['id', 'local_date']).where('branch_id', '=', w.central).orderBy('local_date').execute()
  const second = sessions[1]!
  const cat = await volunteer(w, 'cat@example.org', 'Cat Booked', [w.central])
  await takePlace(w.app.ctx, { sessionId: second.id, volunteerId: cat.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })
  const welsh = await welshClient(w)

  let res = await welsh.get(`/coordinate/sessions/${first}/edit`)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Newid y sesiwn hon')
  t.notMatch(res.body, /rota-not-translated/)
  t.match(res.body, /Mae newidiadau’n berthnasol i’r sesiwn hon yn unig/)
  t.match(res.body, /Cadw’r newidiadau/)
  t.match(res.body, /Yn ôl i’r sesiwn/)
  t.notMatch(res.body, /Changes apply|Save changes|Back to the session|Kind of session/)

  res = await welsh.get(`/coordinate/sessions/${first}/edit?scope=future`)
  t.equal(h1(res.body), 'Newid hon a phob sesiwn ddiweddarach')
  t.match(res.body, /Mae newidiadau’n berthnasol i’r sesiwn ar Dydd Mawrth 1 Rhagfyr 2026 a phob un ddiweddarach yn y gyfres/)
  t.match(res.body, /Mae’r gyfres yn rhedeg tan/)
  t.notMatch(res.body, /The series runs until|An earlier date cancels/)

  const base = { title: 'Digital help drop-in', kind: 'drop_in', min: '1', max: '2', start: '10:00', end: '12:00' }
  res = await welsh.post(`/coordinate/sessions/${first}/edit`, { ...base, scope: 'future', until: '2026-11-01' })
  t.equal(res.statusCode, 400)
  t.equal(titleOf(res.body), 'Gwall: Newid hon a phob sesiwn ddiweddarach – Champion Rota')
  t.match(res.body, /Rhaid i’r gyfres redeg o leiaf tan y sesiwn hon, Dydd Mawrth 1 Rhagfyr 2026/)
  t.notMatch(res.body, /The series must run at least/)

  res = await welsh.post(`/coordinate/sessions/${second.id}/edit`, { ...base, scope: 'one', date: second.local_date, required: [String(w.skills.polish)] })
  t.equal(res.statusCode, 409, 'refused, nothing changed')
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Mae lle Cat Booked wedi’i gadarnhau ar Dydd Mawrth 8 Rhagfyr 2026, ond nid oes ganddyn nhw Polish\. Tynnwch nhw oddi ar y sesiwn honno yn gyntaf/)
  t.notMatch(res.body, /is confirmed on|lacks Polish|Remove them/)

  res = await welsh.post(`/coordinate/sessions/${first}/edit`, { ...base, scope: 'one', date: '2026-12-01', title: 'Digital help café' })
  t.equal(res.statusCode, 303)
  const after = await welsh.get(res.headers.location as string)
  t.match(after.body, /1 sesiwn wedi newid, nid oedd angen e-bost ar neb/)

  // The same in English, word for word as before.
  res = await english.get(`/coordinate/sessions/${first}/edit?scope=future`)
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Change this and all later sessions')
  t.match(res.body, /Changes apply to the session on Tuesday 1 December 2026 and every later one in the series/)
  res = await english.post(`/coordinate/sessions/${second.id}/edit`, { ...base, scope: 'one', date: second.local_date, required: [String(w.skills.polish)] })
  t.equal(res.statusCode, 409)
  t.match(res.body, /Cat Booked is confirmed on Tuesday 8 December 2026 and lacks Polish\. Remove them from that session first, or change it differently\./)
  res = await english.post(`/coordinate/sessions/${first}/edit`, { ...base, scope: 'one', date: '2026-12-01', title: 'Digital help club' })
  t.match((await english.get(res.headers.location as string)).body, /1 session changed, nobody needed an email/)
})

t.test('recording a training or check in Welsh and in English', async (t) => {
  const w = await world(t)
  const tia = await volunteer(w, 'tia@example.org', 'Tia Trained', [w.central])
  const url = `/coordinate/volunteers/${tia.volunteerId}/trainings/new`
  const welsh = await welshClient(w)

  let res = await welsh.get(url)
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'cy')
  t.equal(h1(res.body), 'Cofnodi hyfforddiant neu wiriad')
  t.equal(titleOf(res.body), 'Cofnodi hyfforddiant neu wiriad ar gyfer Tia Trained – Champion Rota')
  t.notMatch(res.body, /rota-not-translated/)
  for (const w of [/Pa hyfforddiant neu wiriad/, /Yn ddilys am 24 mis/, /Nid yw’n dod i ben/, /Y dyddiad y cafodd ei wneud/, /Yn ddilys tan \(dewisol\)/, />Cofnodi</, /Yn ôl at Tia Trained/]) t.match(res.body, w)
  t.notMatch(res.body, /Which training|Valid for|Does not expire|Date it was done|Record it|Back to Tia/)

  res = await welsh.post(url, {})
  t.equal(res.statusCode, 400)
  t.equal(titleOf(res.body), 'Gwall: Cofnodi hyfforddiant neu wiriad ar gyfer Tia Trained – Champion Rota')
  t.match(res.body, /Dewiswch yr hyfforddiant neu’r gwiriad/)
  t.match(res.body, /Rhowch y dyddiad y cafodd ei wneud/)
  t.notMatch(res.body, /Select the training|Enter the date/)
  res = await welsh.post(url, { kind: String(w.trainings.safeguarding), completed: '2026-11-03', expires: '2026-01-01' })
  t.match(res.body, /Rhaid i’r dyddiad dod i ben fod ar ôl y dyddiad y cafodd ei wneud/)

  res = await welsh.post(url, { kind: String(w.trainings.safeguarding), completed: '3/11/2026' })
  t.equal(res.statusCode, 303)
  t.match((await welsh.get(res.headers.location as string)).body, /Safeguarding adults wedi’i gofnodi ar gyfer Tia Trained, yn ddilys tan Dydd Gwener 3 Tachwedd 2028/)

  const english = w.coordinator
  res = await english.get(url)
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Record a training or check')
  t.match(res.body, /Valid for 24 months/)
  t.match(res.body, /Does not expire/)
  res = await english.post(url, {})
  t.equal(res.statusCode, 400)
  t.match(res.body, /Select the training or check/)
  t.match(res.body, /<title>Error: Record a training or check for Tia Trained – Champion Rota<\/title>/)
})

t.test('the session forms in English are as before', async (t) => {
  const w = await world(t)
  const english = w.coordinator
  let res = await english.get('/coordinate/sessions/new')
  t.equal(htmlLang(res.body), 'en-GB')
  t.equal(h1(res.body), 'Schedule a session')
  for (const e of [/How often/, /Every week \(a series\)/, />Monday</, />Drop-in</, /People come when they like/, /Kind of session/, />Topics</, />Create</]) t.match(res.body, e)
  res = await english.post('/coordinate/sessions/new', { repeat: 'weekly', skipped: 'nonsense' })
  t.equal(res.statusCode, 400)
  t.equal(titleOf(res.body), 'Error: Schedule a session – Champion Rota')
  for (const e of [/Select the branch/, /Enter a title for the session/, /Enter a start time, like 10:00/, /Enter the date of the first week/, /“nonsense” is not a real date\. Enter skipped dates like 25\/12\/2026, one on each line/]) t.match(res.body, e)
  res = await english.post('/coordinate/sessions/new', seriesForm(w))
  t.equal(res.statusCode, 303)
  t.match((await english.get(res.headers.location as string)).body, /Weekly series created: 3 sessions/)
  const one = await createSession(w.db, w.central, { date: '2026-12-03', title: 'Thursday help' })
  res = await english.get(`/coordinate/sessions/${one}/edit`)
  t.equal(h1(res.body), 'Change this session')
  t.match(res.body, /Changes apply to this session only/)
})
