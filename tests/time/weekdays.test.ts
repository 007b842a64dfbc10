// Days of the week from one module: names, ISO numbers and RRULE codes, a date's weekday and its week's Monday.
import t from 'tap'
import { dayName, isoDayOf, isoWeekday, ISO_WEEKDAYS, listOfDays, mondayOf, weekdayName, WEEKDAYS } from '../../src/time/weekdays.js'
import { WEEKDAYS as RECURRENCE_WEEKDAYS } from '../../src/time/recurrence.js'

t.test('names, numbers and codes agree, Monday first', async (t) => {
  t.same(ISO_WEEKDAYS.map(dayName), ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
  t.same(WEEKDAYS.map(isoDayOf), [1, 2, 3, 4, 5, 6, 7])
  t.same(WEEKDAYS.map(weekdayName), ISO_WEEKDAYS.map(dayName))
  t.equal(dayName(0), '', 'no day 0')
  t.equal(RECURRENCE_WEEKDAYS, WEEKDAYS, 'the series code uses the same list')
})

t.test("a date's weekday and the Monday of its week", async (t) => {
  t.equal(isoWeekday('2026-11-30'), 1, 'Monday 30 November 2026')
  t.equal(isoWeekday('2026-12-06'), 7, 'Sunday 6 December 2026')
  t.equal(isoWeekday('2028-02-29'), 2, 'a leap day')
  t.equal(mondayOf('2026-12-06'), '2026-11-30')
  t.equal(mondayOf('2026-11-30'), '2026-11-30', 'a Monday is its own')
  t.equal(mondayOf('2027-01-01'), '2026-12-28', 'across the year')
  t.equal(mondayOf('2027-03-28'), '2027-03-22', 'the day the clocks change is a calendar day like any other')
})

t.test('days in a sentence', async (t) => {
  t.equal(listOfDays([]), '')
  t.equal(listOfDays(['Tuesday']), 'Tuesday')
  t.equal(listOfDays(['Tuesday', 'Thursday']), 'Tuesday and Thursday')
  t.equal(listOfDays(['Monday', 'Wednesday', 'Friday']), 'Monday, Wednesday and Friday')
})
