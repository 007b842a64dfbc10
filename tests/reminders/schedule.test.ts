// When reminders fall, in the branch's wall-clock time: the offsets, the clock changes of 2026 and 2027, and which one is due.
import t from 'tap'
import { DateTime } from 'luxon'
import {
  describeOffsets,
  digestDue,
  dueReminder,
  expiryReminderInstant,
  offsetsOrDefault,
  parseOffsets,
  reminderInstant,
  shortAlertInstant,
  REMINDER_GRACE_MS,
  type PlaceToRemind,
} from '../../src/reminders/schedule.js'
import { weeklyDates } from '../../src/time/recurrence.js'
import { localToInstant } from '../../src/time/wall-clock.js'
import { clockTime } from '../../src/views/format.js'

t.comment(`process TZ: ${process.env.TZ ?? '(unset)'} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`)

const LONDON = 'Europe/London'
const [twoDays, morning] = parseOffsets('2d,0d@08:00') as [ReturnType<typeof parseOffsets>[number], ReturnType<typeof parseOffsets>[number]]
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '')
const london = (ms: number) => DateTime.fromMillis(ms, { zone: LONDON }).toFormat("ccc yyyy-MM-dd HH:mm ZZZZ")

t.test('offsets are read from the library service setting', async (t) => {
  t.same(parseOffsets('2d, 0d@08:00 ,3h,1d@18:30').map((o) => o.kind), ['days-before', 'at-time', 'hours-before', 'at-time'])
  for (const bad of ['2', 'd2', '0d@8:00', '0d@24:00', '1d@18:60', '15d', '400h', '2d;0d@08:00']) {
    t.throws(() => parseOffsets(bad), RangeError, `"${bad}" is refused`)
  }
  t.same(offsetsOrDefault('nonsense').map((o) => o.key), ['2d', '0d@08:00'], 'a bad setting falls back to the default')
  t.equal(describeOffsets(parseOffsets('2d,0d@08:00'), clockTime), 'two days before, and at 8am on the day')
  t.equal(describeOffsets(parseOffsets('1d@18:30,3h'), clockTime), 'at 6:30pm the day before, and three hours before')
})

t.test('"two days before" is the same wall-clock time two calendar days earlier, across every clock change of 2026 and 2027', async (t) => {
  // [session date, reminder expected (UTC), hours before the start]
  const table: Array<[string, string, string, number]> = [
    ['2026-03-30', '2026-03-28T10:00:00Z', '2026-03-30T07:00:00Z', 47], // Saturday GMT → Monday BST
    ['2026-03-29', '2026-03-27T10:00:00Z', '2026-03-29T07:00:00Z', 47], // the change day itself (01:00 GMT)
    ['2026-03-31', '2026-03-29T09:00:00Z', '2026-03-31T07:00:00Z', 48], // both after the change
    ['2026-10-26', '2026-10-24T09:00:00Z', '2026-10-26T08:00:00Z', 49], // Saturday BST → Monday GMT
    ['2026-10-25', '2026-10-23T09:00:00Z', '2026-10-25T08:00:00Z', 49], // the autumn change day
    ['2027-03-29', '2027-03-27T10:00:00Z', '2027-03-29T07:00:00Z', 47],
    ['2027-11-01', '2027-10-30T09:00:00Z', '2027-11-01T08:00:00Z', 49],
    ['2027-12-01', '2027-11-29T10:00:00Z', '2027-12-01T08:00:00Z', 48],
  ]
  for (const [date, expected2d, expected0800, hours] of table) {
    const start = localToInstant(date, '10:00', LONDON)
    const at = reminderInstant(twoDays, date, '10:00', LONDON)
    t.equal(iso(at), expected2d.replace('.000', ''), `${date} 10:00: two days before is ${london(at)}`)
    t.equal(DateTime.fromMillis(at, { zone: LONDON }).toFormat('HH:mm'), '10:00', `${date}: at 10:00 on the clock`)
    t.equal((start - at) / 3_600_000, hours, `${date}: ${hours} hours before, not always 48`)
    const am = reminderInstant(morning, date, '10:00', LONDON)
    t.equal(iso(am), expected0800, `${date}: "08:00 on the day" is ${london(am)}`)
  }
})

t.test('a weekly 10:00 series either side of the changes: every reminder at 10:00 two days before and 08:00 on the day, local', async (t) => {
  const dates = [
    ...weeklyDates({ startsOn: '2026-03-01', untilOn: '2026-04-30', days: ['MO', 'TH', 'SU'] }),
    ...weeklyDates({ startsOn: '2026-10-01', untilOn: '2026-11-30', days: ['MO', 'TH', 'SU'] }),
    ...weeklyDates({ startsOn: '2027-03-01', untilOn: '2027-04-30', days: ['MO', 'TH', 'SU'] }),
    ...weeklyDates({ startsOn: '2027-10-01', untilOn: '2027-11-30', days: ['MO', 'TH', 'SU'] }),
  ]
  t.ok(dates.length > 100)
  let ok = 0
  for (const date of dates) {
    const twoBefore = DateTime.fromMillis(reminderInstant(twoDays, date, '10:00', LONDON), { zone: LONDON })
    const onTheDay = DateTime.fromMillis(reminderInstant(morning, date, '10:00', LONDON), { zone: LONDON })
    const expectedDay = DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: 2 }).toISODate()
    if (twoBefore.toISODate() === expectedDay && twoBefore.toFormat('HH:mm') === '10:00' && onTheDay.toISODate() === date && onTheDay.toFormat('HH:mm') === '08:00') ok++
    else t.fail(`${date}: reminders at ${twoBefore.toISO()} and ${onTheDay.toISO()}`)
  }
  t.equal(ok, dates.length, `all ${dates.length} sessions`)
})

t.test('times the clock skips move forward; times it repeats are the second, as session times are read', async (t) => {
  // 01:30 on 29 March 2026 does not exist in London (01:00 → 02:00).
  t.equal(iso(reminderInstant(twoDays, '2026-03-31', '01:30', LONDON)), '2026-03-29T01:30:00Z', 'skipped 01:30 becomes 02:30 BST')
  // 01:30 on 25 October 2026 happens twice (BST, then GMT).
  t.equal(iso(reminderInstant(twoDays, '2026-10-27', '01:30', LONDON)), '2026-10-25T01:30:00Z', 'repeated 01:30 is the second (GMT)')
  t.equal(localToInstant('2026-10-25', '01:30', LONDON), Date.parse('2026-10-25T01:30:00Z'), 'as a session at that time is stored')
  t.equal(iso(reminderInstant(parseOffsets('3h')[0]!, '2026-03-29', '03:00', LONDON)), '2026-03-28T23:00:00Z', '"3h" is three real hours')
  t.equal(iso(reminderInstant(twoDays, '2026-12-08', '10:00', 'America/New_York')), '2026-12-06T15:00:00Z', 'another zone, its own wall clock')
})

t.test('which reminder is due', async (t) => {
  const place = (over: Partial<PlaceToRemind> = {}): PlaceToRemind => ({
    assignmentId: 7,
    confirmedAt: Date.parse('2026-11-30T09:00:00Z'),
    localDate: '2026-12-08',
    startTime: '10:00',
    timezone: LONDON,
    startsAt: Date.parse('2026-12-08T10:00:00Z'),
    ...over,
  })
  const offsets = parseOffsets('2d,0d@08:00')
  t.equal(dueReminder(place(), offsets, Date.parse('2026-12-06T09:59:59Z')), null, 'not before its time')
  const first = dueReminder(place(), offsets, Date.parse('2026-12-06T10:00:00Z'))
  t.equal(first?.offset.key, '2d')
  t.equal(first?.dedupeKey, 'reminder:7:2026-12-08T10:00:2d')
  t.equal(dueReminder(place(), offsets, Date.parse('2026-12-08T08:00:00Z'))?.offset.key, '0d@08:00', 'on the morning, the morning one (only the latest due)')
  t.equal(dueReminder(place(), offsets, Date.parse('2026-12-08T10:00:00Z')), null, 'nothing once the session has started')
  t.equal(dueReminder(place({ confirmedAt: Date.parse('2026-12-07T12:00:00Z') }), offsets, Date.parse('2026-12-07T12:01:00Z')), null, 'never for a time already past when booked')
  t.equal(dueReminder(place({ confirmedAt: Date.parse('2026-12-07T12:00:00Z') }), offsets, Date.parse('2026-12-08T08:00:00Z'))?.offset.key, '0d@08:00', 'but the later one still comes')
  t.equal(dueReminder(place(), parseOffsets('2d'), Date.parse('2026-12-06T10:00:00Z') + REMINDER_GRACE_MS + 1), null, 'not more than 12 hours late')
  t.equal(dueReminder(place({ startTime: '07:30', startsAt: Date.parse('2026-12-08T07:30:00Z') }), parseOffsets('0d@08:00'), Date.parse('2026-12-08T07:00:00Z')), null, 'no "08:00" reminder for a 07:30 session')
})

t.test('alerts, digest and expiry notices at 08:00 local', async (t) => {
  t.equal(iso(shortAlertInstant('2026-12-08', LONDON, 3)), '2026-12-05T08:00:00Z')
  t.equal(iso(shortAlertInstant('2026-04-01', LONDON, 3)), '2026-03-29T07:00:00Z', '08:00 BST on the change day')
  t.same(digestDue(Date.parse('2026-12-07T07:59:00Z'), LONDON), null, 'Monday 07:59: not yet')
  t.same(digestDue(Date.parse('2026-12-07T08:00:00Z'), LONDON), { monday: '2026-12-07' }, 'Monday 08:00')
  t.same(digestDue(Date.parse('2026-03-30T07:00:00Z'), LONDON), { monday: '2026-03-30' }, 'the Monday after the spring change: 08:00 BST is 07:00Z')
  t.same(digestDue(Date.parse('2026-12-08T08:00:00Z'), LONDON), null, 'Tuesday: too late for last Monday')
  t.same(digestDue(Date.parse('2026-12-06T23:30:00Z'), 'Pacific/Auckland'), { monday: '2026-12-07' }, 'each zone its own Monday')
  t.same(digestDue(Date.parse('2026-12-09T07:30:00Z'), LONDON, 3, '07:30'), { monday: '2026-12-07' }, 'an admin’s Wednesday 07:30, keyed by the week')
  t.same(digestDue(Date.parse('2026-12-07T08:00:00Z'), LONDON, 3, '07:30'), null, 'not on Monday then')
  t.equal(iso(expiryReminderInstant('2027-01-15', LONDON)), '2026-12-16T08:00:00Z', '30 days before, at 08:00')
  t.equal(iso(expiryReminderInstant('2027-04-20', LONDON)), '2027-03-21T08:00:00Z')
  t.equal(iso(expiryReminderInstant('2027-04-30', LONDON)), '2027-03-31T07:00:00Z', '08:00 BST after the change')
})
