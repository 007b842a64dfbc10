// The two message catalogues (issue 16): the same keys, the same values put in, the same marked
// phrases, and every plural form each language needs. A key missing from one fails here.
import t from 'tap'
import { en } from '../../src/i18n/catalogue/en.js'
import { cy } from '../../src/i18n/catalogue/cy.js'
import { LOCALES, translator } from '../../src/i18n/i18n.js'
import { compareCatalogues, flatten } from '../../src/i18n/catalogue-check.js'

const catalogues = { en, cy }

t.test('English and Welsh have the same messages, values and markers', async (t) => {
  t.same(compareCatalogues(catalogues), [], 'no differences')
})

t.test('the comparison finds what a translator could get wrong', async (t) => {
  const base = { a: { b: 'Hello {{name}}', c: 'See <0>this</0>' }, n_one: '{{count}} session', n_other: '{{count}} sessions' }
  t.match(compareCatalogues({ en: base, cy: { a: { b: 'Helo', c: 'Gweler <0>hwn</0>' }, n_one: 'x', n_other: 'y' } }), [/cy a\.b: .*\{\{name\}\}/, /cy n:.*(zero|two|few|many)/])
  t.match(compareCatalogues({ en: base, cy: { a: { b: 'Helo {{name}}' }, n_zero: '', n_one: '', n_two: '', n_few: '', n_many: '', n_other: '' } }), [/cy lacks a\.c/])
  t.match(compareCatalogues({ en: { a: 'x' }, cy: { a: 'y', extra: 'z' } }), [/cy has extra, which en lacks/])
  t.match(compareCatalogues({ en: { a: 'See <0>this</0>' }, cy: { a: 'Gweler hwn' } }), [/cy a: .*<0>/])
})

t.test('every message has words in both languages', async (t) => {
  for (const locale of LOCALES) {
    for (const [key, value] of flatten(catalogues[locale])) {
      if (value.trim() === '') t.fail(`${locale} ${key} is empty`)
    }
  }
  t.equal(translator('cy')('home.heading'), cy.home.heading)
  t.equal(translator('en')('home.heading'), en.home.heading)
})
