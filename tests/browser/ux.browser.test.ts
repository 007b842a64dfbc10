// In Chromium: what a new user sees first — one typeface everywhere, and the find page on a 320 px phone.
import t from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext, axe, describeViolations, sidewaysOverflow, signInThroughPages } from './browser.js'

// A Monday morning: the demo's sessions are laid out around it.
const NOW = Date.parse('2026-11-30T09:00:00Z')

async function fontOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().evaluate((el) => getComputedStyle(el).fontFamily)) as string
}

t.test('the header brand is set in the same typeface as the body text', async (t) => {
  const served = await serve(t, { now: NOW })
  const browser = await launch(t)
  const page = await (await newContext(browser)).newPage()
  for (const path of ['/', '/sign-in', '/apply']) {
    await page.goto(served.baseUrl + path)
    const brand = await fontOf(page, '.rota-header__brand')
    const body = await fontOf(page, 'main .govuk-body, main p')
    t.equal(brand, body, `${path}: the brand "Champion Rota" uses the body's font family`)
    t.notMatch(brand, /Times|(?<!sans-)serif\s*$/i, `${path}: not the browser's default serif (${brand})`)
    t.equal(await fontOf(page, 'body'), body, `${path}: the page's own font is the same stack`)
  }
})

for (const javaScript of [true, false]) {
  t.test(`at 320 px the find page's first result is on the first screen, the filters one tap away (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const served = await serve(t, { now: NOW })
    const browser = await launch(t)
    const context = await newContext(browser, { javaScript, width: 320 })
    const page = await context.newPage()
    await signInThroughPages(page, served.app, served.baseUrl, 'volunteer1@example.org')
    await page.goto(served.baseUrl + '/sessions')

    const first = page.locator('.rota-result').first()
    const box = await first.boundingBox()
    t.ok(box, 'there is a result')
    t.ok(box!.y + 40 <= 640, `the first result starts within the first 640 px (at ${Math.round(box!.y)} px)`)
    t.equal(await page.evaluate('window.scrollY'), 0, 'without scrolling')
    const summary = page.locator('#filters > summary')
    t.ok(await summary.isVisible(), 'a "Filter" disclosure is on the first screen')
    t.match(await summary.textContent(), /Filter\s+sessions:\s+All your libraries, \w{3} \d+ \w{3} to \w{3} \d+ \w{3}, any topic/, 'with the filters in force on one line')
    t.notOk(await page.getByLabel('Library').isVisible(), 'the fields are folded away')
    const summaryBox = (await summary.boundingBox())!
    t.ok(summaryBox.height <= 80, `the summary stays short (${Math.round(summaryBox.height)} px)`)

    await summary.click()
    t.ok(await page.getByLabel('Library').isVisible(), 'one tap shows the filters')
    const violations = await axe(page)
    t.equal(violations.length, 0, `axe: no violations with the filters open${violations.length ? '\n' + describeViolations(violations) : ''}`)
    if (javaScript) t.equal(await sidewaysOverflow(page), 0, 'nothing scrolls sideways')

    // Choosing a topic: the results change and the one-line summary says so.
    const topic = await page.locator('#topic option').nth(1).textContent()
    if (javaScript) {
      await page.getByLabel('Topic or language').selectOption({ index: 1 })
      await page.waitForURL(/topic=/)
      await page.locator('#filter-summary').filter({ hasText: topic!.replace(/^In /, '') }).waitFor()
    } else {
      await page.getByLabel('Topic or language').selectOption({ index: 1 })
      await page.getByRole('button', { name: 'Show sessions' }).click()
      await page.waitForURL(/topic=/)
    }
    t.match(await page.locator('#filter-summary').textContent(), new RegExp(topic!.replace(/^In /, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), 'the summary shows the topic chosen')
  })
}

t.test('from tablet width the filters show without a tap', async (t) => {
  const served = await serve(t, { now: NOW })
  const browser = await launch(t)
  for (const javaScript of [true, false]) {
    const page = await (await newContext(browser, { javaScript, width: 1024 })).newPage()
    await signInThroughPages(page, served.app, served.baseUrl, 'volunteer1@example.org')
    await page.goto(served.baseUrl + '/sessions')
    t.ok(await page.getByLabel('Library').isVisible(), `JavaScript ${javaScript ? 'on' : 'off'}: the Library filter is visible at 1024 px`)
  }
})
