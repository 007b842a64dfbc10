// Welsh and English pages (issue 16): the language a person gets and how they switch, `lang` right on
// every page, a page not yet translated shown in English and saying so, and dates and times in Welsh.
import t, { type Test } from 'tap'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { createAdmin, createBranch, createService, createVolunteer } from '../helpers/fixtures.js'
import { formatFor } from '../../src/views/format.js'
import { chooseLocale, fromAcceptLanguage } from '../../src/i18n/i18n.js'
import { TRANSLATED_TEMPLATES } from '../../src/i18n/coverage.js'

t.comment(`database: ${databaseLabel}`)

/** Shows `template` as not translated until the test ends. */
function untranslated(t: Test, template: string) {
  const listed = TRANSLATED_TEMPLATES as Set<string>
  listed.delete(template)
  t.teardown(() => void listed.add(template))
}

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1]
const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]

t.test('the browser’s language chooses the first page; the header switches it and the choice is kept', async (t) => {
  const { app } = await testApp(t)
  const client = new Client(app)

  let res = await client.get('/')
  t.equal(htmlLang(res.body), 'en-GB', 'English by default')
  t.equal(h1(res.body), 'Help people get online at your library')
  t.match(res.body, /<a class="rota-header__link rota-header__language" href="\/language\/cy\?return=%2F" lang="cy" hreflang="cy">Cymraeg<\/a>/, 'a plain link to Welsh, marked as Welsh')

  res = await client.get('/', { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.5' })
  t.equal(htmlLang(res.body), 'cy', 'a browser that asks for Welsh first gets Welsh')
  t.equal(h1(res.body), 'Helpwch bobl i fynd ar-lein yn eich llyfrgell')
  t.match(res.body, /lang="en-GB" hreflang="en-GB">English<\/a>/, 'and a link back to English, marked as English')
  t.match(res.body, /<title>Champion Rota<\/title>/)

  res = await client.get('/sign-in?next=%2F%2Fevil.example%2Fphish')
  t.notMatch(res.body, /evil\.example/, 'the switch does not repeat a page’s next')
  res = await client.get('/language/cy?return=%2Fsign-in%3Fnext%3D%252Fmy-sessions')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/sign-in?next=%2Fmy-sessions', 'back to the page the link was on')
  res = await client.get('/sign-in?next=%2Fmy-sessions')
  t.equal(htmlLang(res.body), 'cy', 'the choice is remembered in this browser')
  t.match(res.body, /<title>Mewngofnodi – Champion Rota<\/title>/)
  t.match(res.body, /<label class="govuk-label govuk-label--m" for="email">Cyfeiriad e-bost<\/label>/)

  res = await client.post('/sign-in', { email: 'not an address', next: '/my-sessions' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Mae problem wedi codi/, 'the error summary in Welsh')
  t.match(res.body, /Rhowch gyfeiriad e-bost yn y fformat cywir/, 'and the message')
  t.match(res.body, /<title>Gwall: Mewngofnodi – Champion Rota<\/title>/)

  res = await client.get('/no-such-page')
  t.equal(res.statusCode, 404)
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Heb ddod o hyd i’r dudalen/, 'page not found, in Welsh')

  res = await client.get('/language/en?return=/accessibility')
  t.equal(res.headers.location, '/accessibility')
  res = await client.get('/accessibility', { 'accept-language': 'cy' })
  t.equal(htmlLang(res.body), 'en-GB', 'the switch back to English wins over the browser')
})

t.test('the switch refuses what is not ours: another language, another site', async (t) => {
  const { app } = await testApp(t)
  const client = new Client(app)
  let res = await client.get('/language/fr?return=/sign-in')
  t.equal(res.statusCode, 303)
  t.notOk(client.cookies.has('rota_lang'), 'no language remembered')
  for (const back of ['//evil.example/phish', 'https://evil.example/', '/\t/evil.example']) {
    res = await client.get(`/language/cy?return=${encodeURIComponent(back)}`)
    t.equal(res.headers.location, '/', `${back} → the home page`)
  }
  res = await client.get(`/language/cy?return=${'a'.repeat(2000)}`)
  t.equal(res.statusCode, 400, 'an overlong address is refused with the service’s page')
  t.match(res.headers['content-type'], /text\/html/)
})

t.test('a page not yet in Welsh is shown in English, marked so, with a line in Welsh saying it', async (t) => {
  const { app } = await testApp(t)
  // The privacy page is translated; taken out of the list here, it stands for a page that is not.
  untranslated(t, 'privacy/privacy')
  const client = new Client(app)
  await client.get('/language/cy')
  const res = await client.get('/privacy')
  t.equal(res.statusCode, 200)
  t.equal(htmlLang(res.body), 'en-GB', 'the page says it is in English')
  t.match(res.body, /<p class="govuk-inset-text rota-not-translated" lang="cy">Nid yw’r dudalen hon ar gael yn Gymraeg eto.<\/p>/)
  t.match(res.body, /lang="en-GB" hreflang="en-GB">English<\/a>/, 'the switch offers English, the language shown')
  t.match(res.body, />Privacy<\/a>/, 'its header and footer in English too, so nothing is mislabelled')
})

t.test('a volunteer of a Welsh-speaking library service gets Welsh; their own choice wins', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db, 'Gwasanaeth Llyfrgell')
  const branchId = await createBranch(app.db, serviceId, 'Llyfrgell Ganolog')
  await app.db.updateTable('library_services').set({ default_language: 'cy' }).where('id', '=', serviceId).execute()
  const { personId } = await createVolunteer(app.db, 'gwen@example.org', serviceId, [branchId], { name: 'Gwen' })
  const client = await new Client(app).signInAs(personId)
  let res = await client.get('/')
  t.equal(htmlLang(res.body), 'cy')
  t.match(res.body, /Wedi mewngofnodi fel <strong>Gwen<\/strong>/)
  t.match(res.body, />Dangosfwrdd</, 'the menu in Welsh')
  await app.db.updateTable('people').set({ language: 'en' }).where('id', '=', personId).execute()
  res = await client.get('/', { 'accept-language': 'cy' })
  t.equal(htmlLang(res.body), 'en-GB', 'their profile’s English wins over the service and the browser')
})

t.test('names put into a Welsh sentence are escaped', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  const branchId = await createBranch(app.db, serviceId)
  const { personId } = await createVolunteer(app.db, 'x@example.org', serviceId, [branchId], { name: '<img src=x onerror=alert(1)>' })
  const client = await new Client(app).signInAs(personId)
  await client.get('/language/cy')
  const res = await client.get('/')
  t.notMatch(res.body, /<img src=x/)
  t.match(res.body, /fel <strong>&lt;img src=x onerror=alert\(1\)&gt;<\/strong>/)
})

t.test('which language: the switch, then the profile, then the service, then the browser', async (t) => {
  t.equal(chooseLocale({ chosen: 'en', profile: 'cy', serviceDefault: 'cy', acceptLanguage: 'cy' }), 'en')
  t.equal(chooseLocale({ chosen: 'xx', profile: 'cy', acceptLanguage: 'en' }), 'cy')
  t.equal(chooseLocale({ serviceDefault: 'cy', acceptLanguage: 'en' }), 'cy')
  t.equal(chooseLocale({ acceptLanguage: 'fr, cy;q=0.8, en;q=0.5' }), 'cy')
  t.equal(chooseLocale({ acceptLanguage: 'fr, de' }), 'en', 'neither of ours: English')
  t.equal(fromAcceptLanguage('en-US,en;q=0.9'), 'en')
  t.equal(fromAcceptLanguage(undefined), undefined)
})

t.test('dates and times read naturally in Welsh', async (t) => {
  const cy = formatFor('cy')
  t.equal(cy.longDate('2026-12-01'), 'Dydd Mawrth 1 Rhagfyr 2026')
  t.equal(cy.clockTime('10:30'), '10:30yb')
  t.equal(cy.timeRange('10:00', '14:30'), '10yb i 2:30yh')
  t.equal(cy.instant(Date.parse('2026-12-01T14:05:00Z'), 'Europe/London'), '1 Rhagfyr 2026 am 2:05yh')
  const en = formatFor('en')
  t.equal(en.timeRange('10:00', '14:30'), '10am to 2:30pm', 'English as before')
})

t.test('a volunteer chooses their language on their profile: saved, audited, and a wrong answer changes nothing', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db)
  const branchId = await createBranch(app.db, serviceId)
  const { personId } = await createVolunteer(app.db, 'dai@example.org', serviceId, [branchId], { name: 'Dai' })
  const client = await new Client(app).signInAs(personId)
  let res = await client.get('/profile/preferences')
  t.match(res.body, /<input class="govuk-radios__input" id="language" name="language" type="radio" value="en" checked>/, 'English until they choose')
  t.match(res.body, /for="language-cy" lang="cy">Cymraeg<\/label>/)

  res = await client.post('/profile/preferences', { maxPerMonth: 4, reminders: 'yes', groupMessages: 'yes', language: 'fr' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Select the language you want your emails and calendar invitations in/)
  const language = async () => (await app.db.selectFrom('people').select('language').where('id', '=', personId).executeTakeFirstOrThrow()).language
  t.equal(await language(), null, 'nothing saved')

  res = await client.post('/profile/preferences', { maxPerMonth: 4, reminders: 'yes', groupMessages: 'yes', language: 'cy' })
  t.equal(res.statusCode, 303)
  t.equal(await language(), 'cy')
  res = await client.get('/')
  t.equal(htmlLang(res.body), 'cy', 'their pages follow')
  const audit = await app.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'preferences_changed').execute()
  t.match(audit.at(-1)?.detail ?? '', /"language":"cy"/, 'audited')
})

t.test('an admin sets the library service’s default language; a wrong answer changes nothing', async (t) => {
  const { app } = await testApp(t)
  const serviceId = await createService(app.db, 'Testshire Libraries')
  const branchId = await createBranch(app.db, serviceId)
  const adminId = await createAdmin(app.db, 'admin@example.org', serviceId)
  const { personId } = await createVolunteer(app.db, 'ifan@example.org', serviceId, [branchId], { name: 'Ifan' })
  const admin = await new Client(app).signInAs(adminId)
  const settings = {
    name: 'Testshire Libraries', contact: 'Sam', bookingWindowDays: '42', withdrawCutoffHours: '12', reminders: ['2d'],
    customDays: '', customTime: '', shortAlertDays: '3', digestDay: '1', digestTime: '08:00', retentionMonths: '24', intent: 'save',
  }
  let res = await admin.get('/admin/settings')
  t.match(res.body, /for="defaultLanguage-1" lang="cy">Cymraeg<\/label>/, 'each language named in its own words')
  res = await admin.post('/admin/settings', { ...settings, defaultLanguage: 'de' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Select the language for people who have not chosen one/)
  const current = async () => (await app.db.selectFrom('library_services').select('default_language').where('id', '=', serviceId).executeTakeFirstOrThrow()).default_language
  t.equal(await current(), 'en', 'nothing changed')
  res = await admin.post('/admin/settings', { ...settings, defaultLanguage: 'cy' })
  t.equal(res.statusCode, 303)
  t.equal(await current(), 'cy')
  const volunteer = await new Client(app).signInAs(personId)
  t.equal(htmlLang((await volunteer.get('/')).body), 'cy', 'a volunteer who has not chosen now gets Welsh')
})

t.test('the switch keeps a page’s filters, drops its next and return, and stays short', async (t) => {
  const { languageSwitchHref } = await import('../../src/i18n/language.routes.js')
  t.equal(languageSwitchHref('cy', '/sessions?day=2026-12-01&branch=3'), '/language/cy?return=%2Fsessions%3Fday%3D2026-12-01%26branch%3D3')
  t.equal(languageSwitchHref('en', '/sign-in?next=%2Fmy-sessions'), '/language/en?return=%2Fsign-in')
  t.equal(languageSwitchHref('cy', `/sessions?q=${'a'.repeat(600)}`), '/language/cy?return=%2Fsessions')
})
