// Issue 16: a template listed as translated has no words of its own (every word is the catalogue's),
// and every key a template or route asks for exists in the catalogue.
import t from 'tap'
import fs from 'node:fs'
import path from 'node:path'
import { TRANSLATED_TEMPLATES } from '../../src/i18n/coverage.js'
import { literalText, keysUsed } from '../../src/i18n/template-check.js'
import { flatten } from '../../src/i18n/catalogue-check.js'
import { en } from '../../src/i18n/catalogue/en.js'

const viewsDir = path.resolve('views')
const PLURAL = /_(zero|one|two|few|many|other)$/
const known = new Set(flatten(en).map(([k]) => k.replace(PLURAL, '')))

t.test('the check finds words written into a template', async (t) => {
  t.same(literalText(`<p><%= it.t('a.b') %></p>\n<%~ it.rich('c', []) %>\n<span>&nbsp;–</span>`), [])
  t.match(literalText(`<h1>Hello</h1>`), [{ line: 1, text: 'Hello' }])
  t.match(literalText(`<p>\n  <%= it.x %> sessions\n</p>`), [{ line: 2, text: /sessions/ }])
  t.match(literalText(`<nav aria-label="Menu"><img alt="<%= it.t('x') %>"></nav>`), [{ text: 'aria-label="Menu"' }])
  t.same(literalText(`<% if (it.user) { %>\n<!-- a note for developers -->\n<% } %>`), [])
})

for (const name of TRANSLATED_TEMPLATES) {
  t.test(`${name} takes every word from the catalogue`, async (t) => {
    const source = fs.readFileSync(path.join(viewsDir, `${name}.eta`), 'utf8')
    t.same(literalText(source), [], 'no words of its own')
    for (const key of keysUsed(source)) if (!known.has(key)) t.fail(`${name} asks for ${key}, which the catalogue lacks`)
  })
}

t.test('every key the code asks for exists', async (t) => {
  const files = fs.readdirSync('src', { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts'))
  let asked = 0
  for (const f of files) {
    const file = path.join(f.parentPath, f.name)
    for (const key of [...fs.readFileSync(file, 'utf8').matchAll(/\.t\(\s*'([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!)) {
      asked++
      if (!known.has(key)) t.fail(`${file} asks for ${key}, which the catalogue lacks`)
    }
  }
  t.ok(asked > 5, `${asked} keys asked for in src/`)
})
