// The calendar module alone: invites, updates, cancellations and feeds that every client reads the same, in any server zone.
import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { buildFeed, buildInvite, eventUid, foldLine, sessionUid, type CalendarEvent } from '../../src/calendar/ics.js'
import { weeklyDates } from '../../src/time/recurrence.js'
import { checkIcs, icsProblems, libicalCheck, readIcs, unfold } from '../helpers/calendar-checks.js'
import { nodeArgs } from '../helpers/paths.js'

const run = promisify(execFile)

t.comment(`process TZ: ${process.env.TZ ?? '(unset)'} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`)

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: eventUid(12, 34, 'rota.test'),
    sequence: 1,
    summary: 'Digital help drop-in (Central Library)',
    description: 'Digital help drop-in at Central Library, 10am to 12pm.\n\nDetails and changes: https://rota.test/sessions/12',
    location: 'Central Library, 1 High Street, Testtown, TT1 1AA',
    timezone: 'Europe/London',
    localDate: '2026-12-01',
    startTime: '10:00',
    endTime: '12:00',
    stampMs: Date.parse('2026-11-30T09:00:00Z'),
    url: 'https://rota.test/sessions/12',
    cancelled: false,
    organizer: { name: 'Champion Rota', email: 'rota@rota.test' },
    attendee: { name: 'Vol One', email: 'v1@example.org' },
    ...overrides,
  }
}

t.test('an invite, its update and its cancellation: one UID, SEQUENCE going up, the right METHOD and STATUS', async (t) => {
  const request = await checkIcs(t, buildInvite('REQUEST', event()), 'request')
  const update = await checkIcs(t, buildInvite('REQUEST', event({ sequence: 2, startTime: '11:00', endTime: '13:00' })), 'request', 'update')
  const cancel = await checkIcs(t, buildInvite('CANCEL', event({ sequence: 3 })), 'cancel')
  const [r, u, c] = [request.events[0]!, update.events[0]!, cancel.events[0]!]
  t.equal(r.uid, 'session-12-volunteer-34@rota.test')
  t.ok(r.uid === u.uid && u.uid === c.uid, 'the same UID throughout')
  t.ok(r.sequence < u.sequence && u.sequence < c.sequence, 'SEQUENCE goes up')
  t.equal(r.startLocal, '20261201T100000')
  t.equal(r.startTzid, 'Europe/London')
  t.equal(r.startUtc, Date.parse('2026-12-01T10:00:00Z'))
  t.equal(u.startUtc, Date.parse('2026-12-01T11:00:00Z'), 'the update carries the new time')
  t.equal(r.dtstamp, '20261130T090000Z')
  t.match(r.organizer, /^mailto:rota@rota\.test$/i)
  t.match(r.attendees[0], /^mailto:v1@example\.org$/i)
  t.equal(r.location, 'Central Library, 1 High Street, Testtown, TT1 1AA')
  t.match(r.description, /Details and changes: https:\/\/rota\.test\/sessions\/12/)
  t.equal(c.transp, 'TRANSPARENT', 'a cancelled event no longer blocks the time')
})

t.test('a feed: no METHOD, a name, a refresh interval, cancelled events kept as STATUS:CANCELLED, no attendees', async (t) => {
  const ics = buildFeed('Vol One; Champion Rota, Testshire', [
    event({ attendee: undefined }),
    event({ uid: eventUid(13, 34, 'rota.test'), localDate: '2026-12-08', cancelled: true, sequence: 4, attendee: undefined }),
  ])
  const feed = await checkIcs(t, ics, 'feed')
  t.equal(feed.name, 'Vol One Champion Rota Testshire', 'a name every client shows the same (no TEXT escapes)')
  t.equal(feed.refresh, 'PT60M')
  t.equal(feed.ttl, 'PT60M')
  t.same(feed.events.map((e) => e.status), ['CONFIRMED', 'CANCELLED'])
  t.equal(sessionUid(12, 'rota.test'), 'session-12@rota.test', 'branch feeds use the session, a different identity')
})

t.test('the libical check has teeth: broken calendars fail it', async (t) => {
  const good = buildInvite('REQUEST', event())
  const broken = {
    'no DTSTAMP': good.replace(/DTSTAMP:.*\r\n/, ''),
    'no ORGANIZER': good.replace(/ORGANIZER.*\r\n/, ''),
    'no ATTENDEE in a REQUEST': unfold(good).replace(/ATTENDEE.*\r\n/, ''),
    'an unreadable DTSTART': good.replace('DTSTART;TZID=Europe/London:20261201T100000', 'DTSTART;TZID=Europe/London:2026-12-01 10:00'),
    'not a calendar': 'BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n',
  }
  const results = await libicalCheck(Object.values(broken).map((ics) => ({ ics })))
  Object.keys(broken).forEach((label, i) => {
    t.equal(results[i]!.ok, false, `libical rejects ${label}`)
  })
  const feedWithoutStamp = buildFeed('x', [event({ attendee: undefined })]).replace(/DTSTAMP:.*\r\n/, '')
  const [asIs, asPublished] = await libicalCheck([{ ics: feedWithoutStamp }, { ics: feedWithoutStamp, publish: true }])
  t.equal(asIs!.ok, true, 'on its own, libical checks little in a calendar without METHOD')
  t.equal(asPublished!.ok, false, 'checked as METHOD:PUBLISH, a feed event without DTSTAMP fails')
})

t.test('our own rules catch what libical lets through', async (t) => {
  const good = buildInvite('REQUEST', event())
  t.same(icsProblems(good, 'request'), [])
  t.match(icsProblems(good.replace('DTSTAMP:20261130T090000Z', 'DTSTAMP:20261130T090000'), 'request'), [/DTSTAMP .* is not UTC/])
  t.match(icsProblems(good.replace('DTSTART;TZID=Europe/London:20261201T100000', 'DTSTART:20261201T100000'), 'request'), [/DTSTART .* no TZID/])
  t.match(icsProblems(buildInvite('CANCEL', event()).replace('STATUS:CANCELLED', 'STATUS:CONFIRMED'), 'cancel'), [/not CANCELLED/])
  t.match(icsProblems(good.replace(/\r\n/g, '\n'), 'request'), ['a line does not end with CRLF'])
  t.match(icsProblems(unfold(good), 'request'), [/longer than 75 octets/])
})

t.test('the same text in every server time zone, where the known ical-generator traps differ', async (t) => {
  const zones = ['UTC', 'America/New_York', 'Europe/London', 'Pacific/Chatham', 'Australia/Lord_Howe']
  const outputs = await Promise.all(
    zones.map(async (TZ) => {
      const { stdout } = await run(process.execPath, nodeArgs('tests/calendar/render-in-zone.ts'), { env: { ...process.env, TZ } })
      return JSON.parse(stdout) as Record<'request' | 'cancel' | 'feed' | 'trapDate' | 'trapName', string>
    }),
  )
  for (const key of ['request', 'cancel', 'feed'] as const) {
    const distinct = new Set(outputs.map((o) => o[key]))
    t.equal(distinct.size, 1, `${key}: byte-identical under ${zones.join(', ')}`)
  }
  const request = outputs[0]!.request
  t.match(request, /DTSTART;TZID=Europe\/London:20270314T023000\r\n/, '02:30 stays 02:30 although it does not exist in New York that night')
  t.equal(readIcs(request).events[0]!.startUtc, Date.parse('2027-03-14T02:30:00Z'))
  await checkIcs(t, outputs[0]!.feed, 'feed', 'feed rendered in a child process')

  // What the tests guard against: both traps really are there in ical-generator 10.
  t.ok(new Set(outputs.map((o) => o.trapDate)).size > 1, 'a Date start "in Europe/London" comes out differently per server zone')
  t.match(icsProblems(outputs[0]!.trapName, 'feed'), [/DTSTAMP .* is not UTC/], 'a calendar-level zone name makes DTSTAMP floating')
})

t.test('a weekly 10:00 Europe/London session across the clock changes of 2026 and 2027', async (t) => {
  // The last Sundays of March and October are the changes; the sessions either side, and on the day.
  const expected: Array<[string, string]> = [
    ['2026-03-22', '2026-03-22T10:00:00Z'],
    ['2026-03-29', '2026-03-29T09:00:00Z'],
    ['2026-04-05', '2026-04-05T09:00:00Z'],
    ['2026-10-18', '2026-10-18T09:00:00Z'],
    ['2026-10-25', '2026-10-25T10:00:00Z'],
    ['2026-11-01', '2026-11-01T10:00:00Z'],
    ['2027-03-21', '2027-03-21T10:00:00Z'],
    ['2027-03-28', '2027-03-28T09:00:00Z'],
    ['2027-04-04', '2027-04-04T09:00:00Z'],
    ['2027-10-24', '2027-10-24T09:00:00Z'],
    ['2027-10-31', '2027-10-31T10:00:00Z'],
    ['2027-11-07', '2027-11-07T10:00:00Z'],
  ]
  const sundays = [
    ...weeklyDates({ startsOn: '2026-03-22', untilOn: '2026-04-05', days: ['SU'] }),
    ...weeklyDates({ startsOn: '2026-10-18', untilOn: '2026-11-01', days: ['SU'] }),
    ...weeklyDates({ startsOn: '2027-03-21', untilOn: '2027-04-04', days: ['SU'] }),
    ...weeklyDates({ startsOn: '2027-10-24', untilOn: '2027-11-07', days: ['SU'] }),
  ]
  t.same(sundays, expected.map(([d]) => d), 'the series falls on those Sundays')
  const events = sundays.map((localDate, i) => event({ uid: eventUid(100 + i, 34, 'rota.test'), localDate, attendee: undefined }))
  const feed = await checkIcs(t, buildFeed('Across the changes', events), 'feed')
  feed.events.forEach((e, i) => {
    const [date, utc] = expected[i]!
    t.equal(e.startLocal, `${date.replace(/-/g, '')}T100000`, `${date}: DTSTART;TZID=Europe/London:…T100000`)
    t.equal(new Date(e.startUtc).toISOString(), new Date(utc).toISOString(), `${date}: 10:00 in London is ${utc}`)
    t.equal(e.endUtc - e.startUtc, 2 * 3600_000, `${date}: two hours long`)
  })
  for (const [date, utc] of expected) {
    const invite = readIcs(buildInvite('REQUEST', event({ localDate: date })))
    t.equal(invite.events[0]!.startUtc, Date.parse(utc), `invite on ${date} agrees`)
  }
})

t.test('names, titles and notes cannot break the calendar or add properties', async (t) => {
  const nasty = event({
    summary: 'Drop-in\r\nATTENDEE:mailto:evil@example.org; with, punctuation \\ and “quotes” 😀',
    description: 'Line one\nEND:VEVENT\nBEGIN:VEVENT',
    location: 'Café "Bücherei"; Straße, 1',
    attendee: { name: 'Ann "Nan" O\'Neil,\r\nX-EVIL:1', email: 'ann@example.org' },
    organizer: { name: 'Rota; "Team"', email: 'rota@rota.test' },
  })
  for (const method of ['REQUEST', 'CANCEL'] as const) {
    const cal = await checkIcs(t, buildInvite(method, nasty), method === 'REQUEST' ? 'request' : 'cancel', `${method} with awkward text`)
    t.equal(cal.events.length, 1)
    t.same(cal.events[0]!.attendees.map((a) => a.toLowerCase()), ['mailto:ann@example.org'], 'still one attendee')
    t.match(cal.events[0]!.summary, /Drop-in\s+ATTENDEE:mailto:evil@example\.org; with, punctuation \\ and “quotes” 😀/)
    t.equal(cal.events[0]!.location, 'Café "Bücherei"; Straße, 1')
  }
  const feed = await checkIcs(t, buildFeed('Ann "Nan"; O\'Neil,\nX-EVIL:1', [{ ...nasty, attendee: undefined }]), 'feed')
  t.notMatch(feed.name, /\n/)
})

t.test('line folding: at most 75 octets, never inside a character, and unfolding gives the line back', async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
      const line = `DESCRIPTION:${text.replace(/[\r\n]/g, ' ')}`
      const folded = foldLine(line)
      const parts = folded.split('\r\n')
      return (
        parts.every((p) => Buffer.byteLength(p, 'utf8') <= 75) &&
        parts.slice(1).every((p) => p.startsWith(' ')) &&
        parts.every((p) => !/[\ud800-\udbff]$/.test(p)) &&
        folded.replace(/\r\n /g, '') === line
      )
    }),
    { numRuns: 500 },
  )
  t.pass('folding holds for any text')
})

t.test('an impossible local time is refused rather than written wrong', async (t) => {
  t.throws(() => buildInvite('REQUEST', event({ localDate: '2026-02-30' })), RangeError)
  t.throws(() => buildInvite('REQUEST', event({ startTime: '25:00' })), RangeError)
  t.throws(() => buildInvite('REQUEST', event({ timezone: 'Mars/Olympus_Mons' })), RangeError)
})
