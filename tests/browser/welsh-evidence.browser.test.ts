// In Chromium (issue 16): the evidence pages in Welsh, axe-clean with lang="cy" and no "not
// translated" notice. With JavaScript on at 320 px (no sideways scrolling): /reports with its charts
// and an htmx swap, the attendance page, the session report and a partner's /network. With it off:
// the per-place check-in link's button, then the recording link's form, refused and then sent.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'
import { createSession, givePlace } from '../helpers/fixtures.js'
import { queueRecordingPrompts } from '../../src/evidence/recording-links.service.js'
import { placeCheckinUrl } from '../../src/evidence/checkin.service.js'

const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, width320: boolean) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  t.equal(await page.getAttribute('html', 'lang'), 'cy', `${label}: lang="cy"`)
  t.equal(await page.locator('.rota-not-translated').count(), 0, `${label}: no “not translated” notice`)
  if (width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

async function afterSwap(page: Page) {
  const deadline = Date.now() + 10_000
  while (!(await page.evaluate('!!(document.activeElement && document.activeElement.hasAttribute("data-focus-after-swap"))'))) {
    if (Date.now() > deadline) throw new Error('focus did not move to the swapped figures')
    await new Promise((r) => setTimeout(r, 50))
  }
}

t.test('reports, attendance, the session report and the network view in Welsh, JavaScript on, at 320 px', async (t) => {
  const { app, baseUrl } = await serve(t, { now: NOW })
  const browser = await launch(t)
  const page = await (await newContext(browser, { javaScript: true, width: 320 })).newPage()
  await signInThroughPages(page, app, baseUrl, 'coordinator@example.org')
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.waitForLoadState()

  await page.goto(baseUrl + '/reports')
  await page.getByRole('heading', { name: 'Adroddiadau', level: 1 }).waitFor()
  await page.getByRole('heading', { name: 'Fesul mis' }).waitFor()
  t.match(String(await page.locator('#chart-months-title').textContent()), /Pobl a gafodd help ac oriau gwirfoddolwyr fesul mis/)
  await check(t, page, 'reports', true)
  await page.getByRole('link', { name: 'y 3 mis diwethaf' }).click()
  await afterSwap(page)
  await page.waitForURL('**/reports?from=*')
  t.equal(await page.locator('#table-months-sessions tbody tr').count(), 3, 'three months after the htmx swap')
  t.equal(await page.getByRole('button', { name: 'Dangos y ffigurau' }).count(), 1, 'the swapped filters are Welsh')
  await check(t, page, 'reports after the htmx swap', true)

  // A session that ended in the last fortnight with places on it.
  const ended = await app.db
    .selectFrom('sessions')
    .innerJoin('assignments', 'assignments.session_id', 'sessions.id')
    .select(['sessions.id', 'sessions.title'])
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.ends_at', '<', NOW)
    .where('sessions.ends_at', '>', NOW - 14 * 86_400_000)
    .where('assignments.state', 'in', ['confirmed', 'attended', 'no_show'])
    .orderBy('sessions.ends_at', 'desc')
    .executeTakeFirstOrThrow()
  await page.goto(baseUrl + `/coordinate/sessions/${ended.id}/attendance`)
  await page.getByRole('heading', { name: 'Pwy ddaeth' }).waitFor()
  await page.getByRole('link', { name: 'Yn ôl i’r sesiwn' }).waitFor()
  await check(t, page, 'the attendance page', true)
  await page.goto(baseUrl + `/sessions/${ended.id}/report`)
  await page.getByLabel('Faint o bobl y gwnaethoch chi eu helpu?').waitFor()
  await check(t, page, 'the session report', true)

  const service = await app.db.selectFrom('library_services').select('id').orderBy('id').executeTakeFirstOrThrow()
  const partner = await app.db.insertInto('people').values({ email: 'partner@example.org', name: 'Pat Partner', phone: null, created_at: 0, anonymised_at: null }).returning('id').executeTakeFirstOrThrow()
  await app.db.insertInto('role_grants').values({ person_id: partner.id, role: 'partner', library_service_id: service.id, branch_id: null, created_at: 0 }).execute()
  const partnerPage = await (await newContext(browser, { javaScript: true, width: 320 })).newPage()
  await signInThroughPages(partnerPage, app, baseUrl, 'partner@example.org')
  await partnerPage.waitForURL('**/network')
  await partnerPage.getByRole('link', { name: 'Cymraeg' }).click()
  await partnerPage.getByRole('heading', { name: 'Ffigurau’r rhwydwaith', level: 1 }).waitFor()
  await check(t, partnerPage, 'the network view', true)
})

t.test('check-in and the recording link in Welsh, JavaScript off', async (t) => {
  const { app, baseUrl, clock } = await serve(t, { now: NOW })
  const who = await app.db
    .selectFrom('volunteers')
    .innerJoin('people', 'people.id', 'volunteers.person_id')
    .innerJoin('volunteer_branches', 'volunteer_branches.volunteer_id', 'volunteers.id')
    .select(['volunteers.id', 'people.email', 'volunteer_branches.branch_id'])
    .where('volunteers.status', '=', 'active')
    .where('people.anonymised_at', 'is', null)
    .orderBy('volunteers.id')
    .executeTakeFirstOrThrow()
  const sessionId = await createSession(app.db, who.branch_id, { date: '2026-12-01', start: '10:00', end: '12:00', title: 'Phone help drop-in', max: 5 })
  const assignmentId = await givePlace(app.db, { sessionId, volunteerId: who.id })
  const browser = await launch(t)
  const page = await (await newContext(browser, { javaScript: false, width: 1024 })).newPage()

  // The per-place link in the reminder on the day: no sign-in.
  clock.set(Date.parse('2026-12-01T09:30:00Z'))
  await page.goto(placeCheckinUrl(app.ctx, assignmentId))
  await page.getByRole('link', { name: 'Cymraeg' }).click()
  await page.getByRole('heading', { name: 'Cofrestru', level: 1 }).waitFor()
  await check(t, page, 'the check-in page', false)
  await page.getByRole('button', { name: 'Rydw i yma' }).click()
  await page.getByRole('heading', { name: 'Rydych chi wedi cofrestru', level: 1 }).waitFor()
  await page.getByText('Fe wnaethoch chi gofrestru am 9:30yb.').waitFor()
  await check(t, page, 'checked in', false)

  // After the session, the link in the email: a refused answer, then a good one.
  clock.set(Date.parse('2026-12-01T13:00:00Z'))
  t.ok((await queueRecordingPrompts(app.ctx)) >= 1, 'the prompt is queued')
  const mail = await app.db.selectFrom('outbox').select('text_body').where('kind', '=', 'recording-prompt').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
  const link = /https?:\/\/\S+\/record\/[A-Za-z0-9_-]+/.exec(mail.text_body)![0]
  await page.goto(link)
  await page.getByRole('heading', { name: 'Sut aeth Phone help drop-in?', level: 1 }).waitFor()
  await check(t, page, 'the recording form', false)
  await page.getByLabel('Faint o bobl y gwnaethoch chi eu helpu?').fill('abc')
  await page.getByRole('button', { name: 'Anfon' }).click()
  await page.getByText('Rhaid i nifer y bobl y gwnaethoch chi eu helpu fod yn rhif cyfan, fel 6').first().waitFor()
  t.equal(await page.title(), 'Gwall: Sut aeth Phone help drop-in? – Champion Rota')
  await check(t, page, 'the refused recording form', false)
  await page.getByLabel('Faint o bobl y gwnaethoch chi eu helpu?').fill('4')
  await page.getByRole('button', { name: 'Anfon' }).click()
  await page.getByRole('heading', { name: 'Diolch', level: 1 }).waitFor()
  await check(t, page, 'the thank-you page', false)
  const saved = await app.db.selectFrom('session_reports').select('people_helped').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
  t.equal(saved.people_helped, 4)
})
