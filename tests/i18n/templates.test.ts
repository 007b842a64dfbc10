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

/**
 * The keys of the refusals services throw as a Wording, `{ key: … }` (in `new …Error({ key: … })`, a
 * Wording constant or argument): each dotted quoted key in the key's expression, so both of
 * `open ? 'a.b' : 'a.c'`; and the access rules' `refusal: '…'`. Undotted keys (eligibility's
 * reasons, the mail failures) name no catalogue entry and are left out.
 */
function refusalKeys(source: string): string[] {
  const expressions = [
    ...[...source.matchAll(/\{\s*key:\s*([^,}]+)/g)].map((m) => m[1]!),
    ...[...source.matchAll(/\brefusal: ('[a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+')/g)].map((m) => m[1]!),
  ]
  return expressions.flatMap((e) => [...e.matchAll(/'([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)'/g)].map((m) => m[1]!))
}

t.test('every refusal key the code throws exists', async (t) => {
  t.same(refusalKeys(`throw new ConflictError({ key: open ? 'a.open' : 'a.closed', values: { name } })`), ['a.open', 'a.closed'], 'both keys of a choice')
  t.same(refusalKeys(`new NotFoundError({ key: 'b.c' }); const X: Wording = { key: 'd.e' }; x = { refusal: 'f.g' }`), ['b.c', 'd.e', 'f.g'])
  t.same(refusalKeys(`new UserError('There is no such thing'); t('h.i'); say({ key: 'homeLibrary' })`), [], 'a sentence, a translation or an undotted key is not a refusal key')
  const files = fs.readdirSync('src', { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts'))
  let thrown = 0
  for (const f of files) {
    const file = path.join(f.parentPath, f.name)
    for (const key of refusalKeys(fs.readFileSync(file, 'utf8'))) {
      thrown++
      if (!known.has(key)) t.fail(`${file} throws ${key}, which the catalogue lacks`)
    }
  }
  t.ok(thrown > 40, `${thrown} refusal keys thrown in src/`)
})
