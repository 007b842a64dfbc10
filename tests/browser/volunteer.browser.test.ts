// In Chromium: a volunteer signs in, sets when they can help, finds a session, books it, sees it in My sessions and withdraws — with JavaScript on and off.
//
// axe-core runs on every page and after every htmx swap; at 320 px nothing may scroll sideways;
// booking works from the keyboard alone and focus lands on the updated result.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages, type Served } from './browser.js'
import { addVolunteer } from '../bookings/world.js'
import { createSession, fillSession } from '../helpers/fixtures.js'

// A Monday morning: the demo's sessions are laid out around it, and nothing is within the 24-hour cut-off by surprise.
const NOW = Date.parse('2026-11-30T09:00:00Z')

async function check(t: Test, page: Page, label: string, options: { width320?: boolean } = {}) {
  const violations = await axe(page)
  t.equal(violations.length, 0, `axe: no violations on ${label}${violations.length ? '\n' + describeViolations(violations) : ''}`)
  if (options.width320) t.equal(await sidewaysOverflow(page), 0, `${label} does not scroll sideways at 320 px`)
}

/** A newly approved volunteer at Westmoor Central with training done, but no skills or times yet. */
async function newVolunteer(served: Served, email: string) {
  const db = served.app.db
  const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
  const trainings = await db.selectFrom('training_kinds').select('id').where('library_service_id', '=', central.library_service_id).execute()
  return addVolunteer(db, email, central.library_service_id, central.id, { name: 'Robin Newcomer', windows: [], trainings: trainings.map((k) => k.id) })
}

/** Polls an expression in the page (waitForFunction would need eval, which the CSP rightly forbids). */
async function waitUntil(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function signIn(page: Page, served: Served, email: string) {
  await signInThroughPages(page, served.app, served.baseUrl, email)
  await page.waitForURL('**/dashboard')
}

for (const javaScript of [true, false]) {
  t.test(`the whole journey with JavaScript ${javaScript ? 'on, at 320 px' : 'off'}`, async (t) => {
    const served = await serve(t, { now: NOW })
    const email = javaScript ? 'robin.js@example.org' : 'robin.nojs@example.org'
    const me = await newVolunteer(served, email)
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: javaScript ? 320 : 1024 })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text())
    })
    const opts = { width320: javaScript }

    await signIn(page, served, email)
    await check(t, page, 'dashboard', opts)
    t.ok(await page.getByText('Tell us what you can do and when').isVisible(), 'the dashboard asks a new volunteer to set up')

    // Set up: skills, libraries, then when they can help (with a mistake first).
    await page.getByRole('link', { name: 'Set up your profile' }).click()
    await page.waitForURL('**/profile/skills?setup=1')
    await check(t, page, 'skills', opts)
    await page.getByLabel('Smartphones and tablets').check()
    await page.getByLabel('NHS App and health').check()
    await page.getByLabel('Polish').check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.waitForURL('**/profile/libraries?setup=1')
    await check(t, page, 'libraries', opts)
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.waitForURL('**/profile/availability?setup=1')
    await check(t, page, 'availability', opts)

    await page.getByLabel('Tuesday').check()
    await page.getByLabel('From').fill('5pm')
    await page.getByLabel('Until').fill('9am')
    await page.getByRole('button', { name: 'Add this time' }).click()
    await page.getByText('The time you finish must be after the time you start').first().waitFor()
    await check(t, page, 'availability with a mistake', opts)
    if (javaScript) {
      const focused = await page.evaluate('document.activeElement && document.activeElement.className')
      t.match(String(focused), /govuk-error-summary/, 'focus moves to the error summary')
    }
    await page.getByLabel('Thursday').check()
    await page.getByLabel('From').fill('9am')
    await page.getByLabel('Until').fill('5pm')
    await page.getByRole('button', { name: 'Add this time' }).click()
    await page.getByText('The times have been added to 2 days of your availability').waitFor()
    t.ok(await page.getByText('Tuesday', { exact: true }).first().isVisible())
    await check(t, page, 'availability with times', opts)
    await page.getByRole('link', { name: 'Continue' }).click()
    await page.waitForURL('**/profile/preferences?setup=1')
    await check(t, page, 'preferences', opts)
    await page.getByRole('button', { name: 'Save and finish' }).click()
    await page.waitForURL('**/profile?setup=done')
    await check(t, page, 'profile', opts)

    // Find: the default list, then a filter (in place with htmx, as a link without).
    await page.getByRole('link', { name: 'Find sessions you can help at' }).click()
    await page.waitForURL('**/sessions')
    await check(t, page, 'find sessions', opts)
    t.ok(await page.getByRole('heading', { name: /sessions? found/ }).isVisible())
    const nhs = await page.locator('#topic option', { hasText: 'NHS App and health' }).getAttribute('value')
    // On a phone the filters are folded behind "Filter": one tap opens them.
    if (!(await page.getByLabel('Topic or language').isVisible())) await page.locator('#filters > summary').click()
    await page.getByLabel('Topic or language').selectOption(nhs!)
    if (javaScript) {
      await page.waitForURL(`**/sessions?topic=${nhs}`)
      t.pass('the short URL of the filters is pushed')
      await page.locator('#results h4', { hasText: 'NHS App and online health' }).first().waitFor()
      t.equal(await page.locator('#results h4', { hasText: 'Digital help drop-in' }).count(), 0, 'the list was filtered in place')
      t.equal(await page.locator('form[action="/sessions"]').count(), 1, 'the filters were not swapped away')
      await check(t, page, 'find sessions after the htmx filter', opts)
    } else {
      await page.getByRole('button', { name: 'Show sessions' }).click()
      await page.waitForURL(new RegExp(`/sessions\\?.*topic=${nhs}`))
      await check(t, page, 'find sessions filtered', opts)
    }

    // Book the first one.
    const first = page.locator('.rota-result').filter({ has: page.getByRole('button', { name: /^Book/ }) }).first()
    const title = (await first.locator('h4').textContent())!.trim()
    const resultId = await first.getAttribute('id')
    await first.getByRole('button', { name: /^Book/ }).click()
    if (javaScript) {
      await page.locator(`#${resultId} .rota-card__action--booked`).waitFor()
      t.ok(await page.locator(`#${resultId}`).getByText(/You are booked on/).isVisible(), 'the result swaps to booked')
      t.match(await page.locator('#booking-summary').textContent(), /You have 1 session coming up/, 'the count at the top updates')
      await check(t, page, 'find sessions after booking (htmx swap)', opts)
    } else {
      await page.waitForURL(new RegExp(`/sessions\\?.*topic=${nhs}`))
      t.ok(await page.getByText(/You are booked on/).isVisible(), 'a confirmation after the redirect')
      await check(t, page, 'find sessions after booking', opts)
    }
    const row = await served.app.db.selectFrom('assignments').select(['id', 'state']).where('volunteer_id', '=', me.volunteerId).executeTakeFirstOrThrow()
    t.equal(row.state, 'confirmed')

    // The session page, then My sessions, then withdraw.
    await page.goto(served.baseUrl + `/sessions/${resultId!.replace('session-', '')}`)
    await check(t, page, 'session page', opts)
    t.ok(await page.getByText('You are booked on this session').isVisible())
    await page.getByRole('link', { name: 'My sessions' }).first().click()
    await page.waitForURL('**/my-sessions')
    await check(t, page, 'My sessions', opts)
    t.ok(await page.getByRole('link', { name: title }).first().isVisible(), 'the booking is in My sessions')
    await page.getByRole('link', { name: /^Withdraw/ }).first().click()
    await page.waitForURL('**/withdraw')
    await check(t, page, 'withdraw', opts)
    await page.getByLabel('Why are you withdrawing? (optional)').fill('Something came up')
    await page.getByRole('button', { name: 'Withdraw' }).click()
    await page.waitForURL('**/my-sessions')
    t.ok(await page.getByText(/You have withdrawn from/).isVisible())
    await check(t, page, 'My sessions after withdrawing', opts)
    const after = await served.app.db.selectFrom('assignments').select(['state', 'reason']).where('id', '=', row.id).executeTakeFirstOrThrow()
    t.same(after, { state: 'withdrawn', reason: 'Something came up' })
    t.same(errors, [], 'no script errors')
  })
}

t.test('keyboard only: tab to a Book button, press Enter, focus lands on the updated result; a refusal is announced in place', async (t) => {
  const served = await serve(t, { now: NOW })
  const email = 'robin.keys@example.org'
  const me = await newVolunteer(served, email)
  const db = served.app.db
  const skills = await db.selectFrom('skills').select('id').where('name', 'in', ['Smartphones and tablets', 'NHS App and health']).execute()
  await db.insertInto('volunteer_skills').values(skills.map((s) => ({ volunteer_id: me.volunteerId, skill_id: s.id }))).execute()
  await db.insertInto('availability_windows').values([2, 4].map((day) => ({ volunteer_id: me.volunteerId, day_of_week: day, start_time: '09:00', end_time: '17:00' }))).execute()
  const browser = await launch(t)
  const page = await (await newContext(browser, { javaScript: true })).newPage()
  await signIn(page, served, email)
  await page.goto(served.baseUrl + '/sessions')

  async function tabTo(predicate: string, limit = 150): Promise<boolean> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab')
      if (await page.evaluate(predicate)) return true
    }
    return false
  }
  const onBook = `(function () { var el = document.activeElement; return !!el && el.tagName === 'BUTTON' && /^Book/.test(el.textContent.trim()) })()`
  t.ok(await tabTo(onBook), 'a Book button can be reached with Tab')
  const resultId = (await page.evaluate(`document.activeElement.closest('.rota-result').id`)) as string
  await page.keyboard.press('Enter')
  await page.locator(`#${resultId} .rota-card__action--booked`).waitFor()
  await waitUntil(page, `!!document.activeElement && document.activeElement.hasAttribute('data-focus-after-swap')`)
  const focus = (await page.evaluate(`(function () { var el = document.activeElement; return { inResult: !!el.closest('#${resultId}'), text: el.textContent.trim() } })()`)) as { inResult: boolean; text: string }
  t.ok(focus.inResult, 'focus is inside the updated result')
  t.match(focus.text, /^You are booked on/, 'on the message saying what happened')
  await check(t, page, 'after keyboard booking')

  // Another result fills up behind the page's back; booking it is refused, in place.
  const other = page.locator('.rota-result').filter({ has: page.getByRole('button', { name: /^Book/ }) }).first()
  const otherId = (await other.getAttribute('id'))!
  const sessionId = Number(otherId.replace('session-', ''))
  const before = await db.selectFrom('sessions').select('confirmed_count').where('id', '=', sessionId).executeTakeFirstOrThrow()
  const n = Math.max(1, before.confirmed_count)
  await db.updateTable('sessions').set({ min_volunteers: 1, max_volunteers: n }).where('id', '=', sessionId).execute()
  await fillSession(db, sessionId, n - before.confirmed_count)
  await other.getByRole('button', { name: /^Book/ }).focus()
  await page.keyboard.press('Enter')
  await page.locator(`#${otherId} .rota-card__message--problem`).waitFor()
  await waitUntil(page, `!!document.activeElement && document.activeElement.closest('#${otherId}') !== null`)
  t.match(await page.locator(`#${otherId} .rota-card__message--problem`).textContent(), /Sorry, this session is full|already booked on/, 'the 409 answer is shown in place, and focused')
  await check(t, page, 'after a refusal swapped in place')
})

t.test('every other volunteer page passes axe and fits 320 px: time off, details, waiting list, a refusal, "I can\'t make it"', async (t) => {
  const served = await serve(t, { now: NOW })
  const db = served.app.db
  const email = 'robin.pages@example.org'
  const me = await newVolunteer(served, email)
  const skills = await db.selectFrom('skills').select('id').execute()
  await db.insertInto('volunteer_skills').values(skills.map((s) => ({ volunteer_id: me.volunteerId, skill_id: s.id }))).execute()
  await db.insertInto('availability_windows').values([1, 2, 3, 4, 5, 6].map((day) => ({ volunteer_id: me.volunteerId, day_of_week: day, start_time: '09:00', end_time: '17:00' }))).execute()
  await db.updateTable('volunteers').set({ max_sessions_per_month: 20 }).where('id', '=', me.volunteerId).execute()
  const central = await db.selectFrom('branches').select(['id', 'library_service_id']).where('name', '=', 'Westmoor Central Library').executeTakeFirstOrThrow()
  // One session tomorrow at 8am (inside the cut-off) and one that is full.
  const soon = await createSession(db, central.id, { date: '2026-12-01', start: '08:00', end: '09:00', title: 'Early bird help', max: 2 })
  const fullOne = await createSession(db, central.id, { date: '2026-12-02', start: '09:00', end: '10:00', title: 'Packed session', max: 1 })
  const { takePlace } = await import('../../src/assignments/places.service.js')
  const other = await addVolunteer(db, 'filler@example.org', central.library_service_id, central.id)
  t.equal((await takePlace(served.app.ctx, { sessionId: fullOne, volunteerId: other.volunteerId, source: 'coordinator', actorPersonId: null, wording: 'assigned' })).kind, 'confirmed')
  t.equal((await takePlace(served.app.ctx, { sessionId: soon, volunteerId: me.volunteerId, source: 'self', actorPersonId: null, wording: 'booked' })).kind, 'confirmed')
  const soonAssignment = await db.selectFrom('assignments').select('id').where('session_id', '=', soon).where('volunteer_id', '=', me.volunteerId).executeTakeFirstOrThrow()

  const browser = await launch(t)
  const page = await (await newContext(browser, { javaScript: true, width: 320 })).newPage()
  await signIn(page, served, email)
  const opts = { width320: true }

  for (const [path, label] of [
    ['/profile/details', 'your details'],
    ['/profile/time-off', 'time off'],
    [`/sessions?full=1&outside=1`, 'find sessions with full ones and outside my times'],
    [`/sessions/${fullOne}`, 'a full session'],
    [`/sessions/${soon}`, 'a session inside the cut-off'],
    [`/my-sessions/${soonAssignment.id}/withdraw`, '"I can\'t make it"'],
  ] as const) {
    await page.goto(served.baseUrl + path)
    await check(t, page, label, opts)
  }
  t.ok(await page.getByText('This session starts in').isVisible())

  // Time off with mistakes, then with a booking inside it.
  await page.goto(served.baseUrl + '/profile/time-off')
  await page.getByRole('button', { name: 'Add time off' }).click()
  await page.getByText('Enter the date your time off starts').first().waitFor()
  await check(t, page, 'time off with a mistake', opts)
  await page.locator('#start-day').fill('1')
  await page.locator('#start-month').fill('12')
  await page.locator('#start-year').fill('2026')
  await page.getByRole('button', { name: 'Add time off' }).click()
  await page.getByText('Your time off has been saved. You are still booked on a session').waitFor()
  await check(t, page, 'time off with a booking inside it', opts)

  // The waiting list through htmx, then "I can't make it".
  await page.goto(served.baseUrl + '/sessions?full=1&outside=1&from=2026-12-02&to=2026-12-02')
  const packed = page.locator(`#session-${fullOne}`)
  await packed.getByRole('button', { name: /Join the waiting list/ }).click()
  await packed.getByText(/You are now number 1 on the waiting list/).waitFor()
  await check(t, page, 'after joining the waiting list (htmx swap)', opts)
  await page.goto(served.baseUrl + `/my-sessions/${soonAssignment.id}/withdraw`)
  await page.getByLabel('Why can you not make it? (optional)').fill('Bus strike')
  await page.getByRole('button', { name: 'I can’t make it' }).click()
  await page.waitForURL('**/my-sessions')
  await check(t, page, 'My sessions after "I can\'t make it"', opts)
  t.ok(await page.getByText('Waiting list: number 1').isVisible())

  // Without JavaScript a refusal is a page of its own (409).
  const scriptless = await (await newContext(browser, { javaScript: false })).newPage()
  await signIn(scriptless, served, email)
  const other2 = await createSession(db, central.id, { date: '2026-12-03', start: '09:00', end: '10:00', title: 'Soon full', max: 1 })
  await scriptless.goto(served.baseUrl + `/sessions/${other2}`)
  await fillSession(db, other2, 1)
  await scriptless.getByRole('button', { name: 'Book this session' }).click()
  await scriptless.getByText('Sorry, this session is full').first().waitFor()
  await check(t, scriptless, 'the refusal page')
})
