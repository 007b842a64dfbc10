// The form field readers on their own: times, dates, ids against the person's options, lists, and text with hidden characters.
import t from 'tap'
import { FormReader, parseDate, parseTime, query, searchText } from '../../src/forms/fields.js'
import { ValidationError } from '../../src/errors.js'

t.test('times are read the way people write them, the same for every form', async (t) => {
  const cases: Array<[string, string | null]> = [
    ['9', '09:00'], ['9:30', '09:30'], ['09:30', '09:30'], ['9.30', '09:30'], ['9:30am', '09:30'], ['9.30 a.m.', '09:30'], ['2pm', '14:00'], ['2 PM', '14:00'],
    ['12pm', '12:00'], ['12am', '00:00'], ['noon', '12:00'], ['14:00', '14:00'], ['14.30', '14:30'], ['23:59', '23:59'],
    ['24:00', null], ['13pm', null], ['9:75', null], ['nine', null], ['0am', null], ['9:30\u0000', null],
  ]
  for (const [input, expected] of cases) t.equal(parseTime(input), expected, JSON.stringify(input))
  t.equal(parseTime(''), '', 'blank is blank, not wrong')
  t.equal(parseTime(undefined), '')
  const form = new FormReader({ start: '9:30am', end: 'half nine' })
  t.equal(form.time('start', { label: 'Start time', required: true }), '09:30')
  t.equal(form.time('end', { label: 'End time', required: true }), '')
  t.same(form.errors, [{ field: 'end', message: 'End time must be a real time, like 9:30am or 14:00' }])
})

t.test('dates: ISO and day/month/year, real days only, years 1900 to 2099', async (t) => {
  t.equal(parseDate('2026-12-08'), '2026-12-08')
  t.equal(parseDate('8/12/2026'), '2026-12-08')
  t.equal(parseDate('8.12.2026'), '2026-12-08')
  t.equal(parseDate('31/2/2026'), null, '31 February is not a day')
  t.equal(parseDate('2026-13-01'), null)
  t.equal(parseDate(''), '')
  const form = new FormReader({ a: '0000-01-01', b: '1/1/2100', c: '1899-12-31', d: '1900-01-01', e: '31/12/2099', f: 'soon' })
  t.equal(form.date('a', { label: 'The date it was done' }), '')
  t.equal(form.date('b', { label: 'B' }), '')
  t.equal(form.date('c', { label: 'C' }), '')
  t.equal(form.date('d', { label: 'D' }), '1900-01-01')
  t.equal(form.date('e', { label: 'E' }), '2099-12-31')
  t.equal(form.date('f', { label: 'F' }), '')
  t.same(form.errors.map((e) => e.field), ['a', 'b', 'c', 'f'])
  t.equal(form.errors[0]!.message, 'The date it was done must be a date between 1900 and 2099')
  t.equal(form.errors[3]!.message, 'F must be a real date, like 8/12/2026')
  const blank = new FormReader({})
  t.equal(blank.date('when', { label: 'The date', what: 'the date of the session', required: true }), '')
  t.same(blank.errors, [{ field: 'when', message: 'Enter the date of the session' }])
})

t.test('the GOV.UK date input: what is missing, then whether it is real, then the year', async (t) => {
  const read = (body: Record<string, string>) => {
    const form = new FormReader(body)
    return { value: form.dateParts('start', { label: 'The date your time off starts', required: true }), errors: form.errors }
  }
  t.same(read({ 'start-day': '1', 'start-month': 'Dec', 'start-year': '2026' }), { value: '2026-12-01', errors: [] })
  t.same(read({ 'start-day': '1', 'start-year': '2026' }).errors, [{ field: 'start-month', message: 'The date your time off starts must include a month' }])
  t.same(read({ 'start-day': '30', 'start-month': '2', 'start-year': '2026' }).errors, [{ field: 'start-day', message: 'The date your time off starts must be a real date' }])
  t.same(read({ 'start-day': '1', 'start-month': '1', 'start-year': '0000' }).errors, [{ field: 'start-year', message: 'The date your time off starts must be a date between 1900 and 2099' }])
  t.same(read({}).errors, [{ field: 'start-day', message: 'Enter the date your time off starts' }])
})

t.test("ids are checked against the person's own options", async (t) => {
  const options = new Set([3, 7])
  for (const bad of ['abc', '-1', '0', '1e3', '9', '3.0', ' 3x', '99999999999']) {
    const form = new FormReader({ home: bad })
    t.equal(form.choice('home', options, { label: 'Home library', what: 'your home library' }), null, bad)
    t.same(form.errors, [{ field: 'home', message: 'Select your home library from the list' }], bad)
  }
  const ok = new FormReader({ home: ' 7 ' })
  t.equal(ok.choice('home', options, { label: 'Home library' }), 7)
  t.ok(ok.ok)
  const required = new FormReader({ home: '' })
  t.equal(required.choice('home', options, { label: 'Home library', what: 'your home library', required: true }), null)
  t.same(required.errors, [{ field: 'home', message: 'Select your home library' }])

  const ticks = new FormReader({ skills: ['3', '7', '3'], other: ['3', 'abc'], one: '7', none: undefined })
  t.same(ticks.choices('skills', options, { label: 'Skills' }), [3, 7], 'repeats count once')
  t.same(ticks.choices('one', options, { label: 'Skills' }), [7], 'a single tick arrives as a string')
  t.same(ticks.choices('other', options, { label: 'Skills', what: 'skills' }), [])
  t.same(ticks.choices('none', options, { label: 'Libraries', what: 'at least one library', required: true }), [])
  t.same(ticks.errors, [
    { field: 'other', message: 'Select skills from the list' },
    { field: 'none', message: 'Select at least one library' },
  ])
})

t.test('fixed choices and whole numbers', async (t) => {
  const form = new FormReader({ kind: 'drop_in', repeat: 'sometimes', days: ['MO', 'XX'], weekdays: ['WE', 'MO'], n: '7', m: '0', k: '4.5' })
  t.equal(form.oneOf('kind', ['drop_in', 'one_to_one'] as const, { label: 'Kind' }), 'drop_in')
  t.equal(form.oneOf('repeat', ['once', 'weekly'] as const, { label: 'Repeat', what: 'whether it repeats' }), null)
  t.same(form.someOf('days', ['MO', 'TU', 'WE'] as const, { label: 'Days', what: 'days' }), [])
  t.same(form.someOf('weekdays', ['MO', 'TU', 'WE'] as const, { label: 'Days' }), ['MO', 'WE'], 'in the order of the options')
  t.equal(form.wholeNumber('n', { label: 'N', min: 1, max: 31 }), 7)
  t.equal(form.wholeNumber('m', { label: 'The most sessions in a month', min: 1, max: 31 }), null)
  t.equal(form.wholeNumber('k', { label: 'K', min: 1, max: 31 }), null)
  t.same(form.errors.map((e) => e.message), [
    'Select whether it repeats',
    'Select days from the list',
    'The most sessions in a month must be a whole number from 1 to 31',
    'K must be a whole number from 1 to 31',
  ])
  t.throws(() => form.done(), ValidationError)
})

t.test('one-line text refuses hidden characters; several lines drop them; search boxes ignore them', async (t) => {
  const form = new FormReader({ name: 'Ada\u0000 Lovelace', title: '  Phone   basics\tand more ', bell: 'Ring\u0007', long: 'x'.repeat(101), del: 'a\u007fb', c1: 'a\u0085b' })
  t.equal(form.line('name', { label: 'Full name', max: 100, required: true }), '')
  t.equal(form.line('title', { label: 'Title', max: 100 }), 'Phone basics and more', 'whitespace, tabs included, becomes one space')
  t.equal(form.line('bell', { label: 'Bell', max: 100 }), '')
  t.equal(form.line('long', { label: 'Title', max: 100 }), 'x'.repeat(101))
  t.equal(form.line('del', { label: 'Del', max: 100 }), '')
  t.equal(form.line('c1', { label: 'C1', max: 100 }), '')
  t.same(form.errors, [
    { field: 'name', message: 'Full name must not include hidden characters, like a null character. Type it in again rather than pasting it' },
    { field: 'bell', message: 'Bell must not include hidden characters, like a null character. Type it in again rather than pasting it' },
    { field: 'long', message: 'Title must be 100 characters or fewer' },
    { field: 'del', message: 'Del must not include hidden characters, like a null character. Type it in again rather than pasting it' },
    { field: 'c1', message: 'C1 must not include hidden characters, like a null character. Type it in again rather than pasting it' },
  ])

  const notes = new FormReader({ notes: 'Bring\u0000 a laptop\r\nand\u000bthe charger\u001b', long: 'y'.repeat(2001) })
  t.equal(notes.paragraph('notes', { label: 'Notes', max: 2000 }), 'Bring a laptop\nand\nthe charger')
  notes.paragraph('long', { label: 'Notes', max: 2000 })
  t.same(notes.errors, [{ field: 'long', message: 'Notes must be 2,000 characters or fewer' }])

  t.equal(searchText(' ada\u0000 love\tlace ', 100), 'ada love lace')
  t.same(query({ q: ['first\u0000', 'second'], branch: '3' }), { q: 'first', branch: '3' })
})

t.test('a list of dates: one per line or by commas, the first bad one named', async (t) => {
  const form = new FormReader({ skipped: '25/12/2026\n2026-12-26, 25/12/2026', bad: '1/1/2027\nChristmas', nul: 'a\u0000' })
  t.same(form.dateList('skipped', { label: 'Skipped dates', what: 'skipped dates' }), ['2026-12-25', '2026-12-26'])
  t.same(form.dateList('bad', { label: 'Skipped dates', what: 'skipped dates' }), [])
  t.same(form.dateList('nul', { label: 'Skipped dates', what: 'skipped dates' }), [])
  t.same(form.errors.map((e) => e.message), [
    '“Christmas” is not a real date. Enter skipped dates like 25/12/2026, one on each line',
    'One of them is not a real date. Enter skipped dates like 25/12/2026, one on each line',
  ])
})
