// In Chromium: what a new user sees first — one typeface everywhere, and the find page on a 320 px phone.
import t from 'tap'
import type { Page } from 'playwright-core'
import { serve, launch, newContext } from './browser.js'

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
