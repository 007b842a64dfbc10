// The profile rules without HTTP: times as people type them, windows that overlap or touch, date ranges.
import t from 'tap'
import { validateNewWindows, validateTimeOff } from '../../src/volunteers/profile.validation.js'
import { parseTime } from '../../src/forms/fields.js'

t.test('times are read the way people write them', async (t) => {
  const cases: Array<[string, string | null]> = [
    ['9', '09:00'], ['9:30', '09:30'], ['09:30', '09:30'], ['9.30am', '09:30'], ['9.30 a.m.', '09:30'], ['2pm', '14:00'], ['2 PM', '14:00'],
    ['12pm', '12:00'], ['12am', '00:00'], ['noon', '12:00'], ['14:00', '14:00'], ['23:59', '23:59'],
    ['24:00', null], ['13pm', null], ['9:75', null], ['nine', null], ['0am', null],
  ]
  for (const [input, expected] of cases) t.equal(parseTime(input), expected, JSON.stringify(input))
  t.equal(parseTime(undefined), '', 'blank is blank')
})

t.test('windows: the same times on several days, touching is fine, overlapping is not', async (t) => {
  const existing = [{ day: 1, start: '09:00', end: '12:00' }]
  const ok = validateNewWindows({ days: ['1', '3'], from: '12:00', to: '15:00' }, existing)
  t.same(ok, { ok: true, value: [{ day: 1, start: '12:00', end: '15:00' }, { day: 3, start: '12:00', end: '15:00' }] })
  const overlap = validateNewWindows({ days: '1', from: '11:00', to: '13:00' }, existing)
  t.match(overlap, { ok: false, errors: [{ field: 'from', message: /On Monday this overlaps 9am to 12pm/ }] })
  const inside = validateNewWindows({ days: '1', from: '10:00', to: '11:00' }, existing)
  t.equal(inside.ok, false, 'a window inside another overlaps it')
  const full = Array.from({ length: 6 }, (_, i) => ({ day: 2, start: `0${i}:00`, end: `0${i}:30` }))
  t.match(validateNewWindows({ days: '2', from: '20:00', to: '21:00' }, full), { ok: false, errors: [{ field: 'days', message: /up to 6 times for each day/ }] })
})

t.test('time off: one day, a range, month names, and the rules on dates', async (t) => {
  const today = '2026-11-30'
  t.same(validateTimeOff({ 'start-day': '1', 'start-month': '12', 'start-year': '2026' }, today, []), { ok: true, value: { start: '2026-12-01', end: '2026-12-01', note: '' } })
  t.same(validateTimeOff({ 'start-day': '1', 'start-month': 'December', 'start-year': '2026', 'end-day': '4', 'end-month': 'dec', 'end-year': '2026', note: ' Away ' }, today, []), {
    ok: true,
    value: { start: '2026-12-01', end: '2026-12-04', note: 'Away' },
  })
  t.equal(validateTimeOff({ 'start-day': '20', 'start-month': '11', 'start-year': '2026', 'end-day': '30', 'end-month': '11', 'end-year': '2026' }, today, []).ok, true, 'a range ending today is fine')
  t.match(validateTimeOff({ 'start-day': '1', 'start-month': '12', 'start-year': '26' }, today, []), { ok: false, errors: [{ message: /must be a real date/ }] })
  t.match(validateTimeOff({ 'start-day': '1', 'start-month': '12', 'start-year': '2026', note: 'x'.repeat(101) }, today, []), { ok: false, errors: [{ field: 'note' }] })
})
