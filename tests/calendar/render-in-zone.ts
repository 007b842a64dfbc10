// Run by ics.test.ts under several TZ values: prints what the calendar module builds, and what the known traps build.
import ical from 'ical-generator'
import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import { buildFeed, buildInvite, type CalendarEvent } from '../../src/calendar/ics.js'

const base: CalendarEvent = {
  uid: 'session-7-volunteer-3@rota.test',
  sequence: 2,
  summary: 'Digital help drop-in (Central Library)',
  description: 'Bring your badge.',
  location: 'Central Library, 1 High Street',
  timezone: 'Europe/London',
  localDate: '2027-03-14',
  // 02:30 on 14 March 2027 does not exist in New York (its clocks jump 02:00 → 03:00 that night).
  startTime: '02:30',
  endTime: '04:00',
  stampMs: Date.parse('2027-03-01T12:34:56Z'),
  url: 'https://rota.test/sessions/7',
  cancelled: false,
  organizer: { name: 'Champion Rota', email: 'rota@rota.test' },
  attendee: { name: 'Vol Three', email: 'v3@example.org' },
}
const october: CalendarEvent = { ...base, uid: 'session-8-volunteer-3@rota.test', localDate: '2026-10-25', startTime: '10:00', endTime: '12:00' }

// The traps: a Date start "in" the branch's zone, and a calendar-level zone name.
const trapDate = ical({ timezone: { name: null, generator: getVtimezoneComponent } })
trapDate.createEvent({ id: 'trap-date', start: new Date(Date.UTC(2027, 2, 14, 2, 30)), end: new Date(Date.UTC(2027, 2, 14, 4)), timezone: 'Europe/London', stamp: new Date(base.stampMs), summary: 'x' })
const trapName = ical({ timezone: { name: 'Europe/London', generator: getVtimezoneComponent } })
trapName.createEvent({ id: 'trap-name', start: new Date(Date.UTC(2026, 11, 1, 10)), end: new Date(Date.UTC(2026, 11, 1, 12)), stamp: new Date(base.stampMs), summary: 'x' })

console.log(
  JSON.stringify({
    request: buildInvite('REQUEST', base),
    cancel: buildInvite('CANCEL', { ...base, sequence: 3 }),
    feed: buildFeed('Vol Three – Champion Rota', [{ ...base, attendee: undefined }, { ...october, attendee: undefined }]),
    trapDate: trapDate.toString(),
    trapName: trapName.toString(),
  }),
)
