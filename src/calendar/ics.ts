// Builds iCalendar text with ical-generator: invites (REQUEST), cancellations (CANCEL) and feeds (no METHOD).
//
// Pure: no clock, no database. Times are given as local wall-clock date + time in an IANA zone and
// written as DTSTART;TZID=zone with a VTIMEZONE; DTSTAMP is always UTC. The known trap: with a
// calendar-level timezone name, ical-generator 10 writes DTSTAMP without "Z" (a floating time),
// and plain Date values are formatted in the server's zone; so the calendar carries only the
// VTIMEZONE generator, each event carries its zone, and every instant is a Luxon DateTime.
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalCalendar,
} from 'ical-generator'
import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import { DateTime } from 'luxon'

export interface CalendarEvent {
  /** Stable forever for one volunteer on one session (invites and feeds share it). */
  uid: string
  sequence: number
  summary: string
  description: string
  location: string
  timezone: string
  localDate: string
  startTime: string
  endTime: string
  /** DTSTAMP: an instant taken from the data (when it last changed), never the clock, so feeds are stable. */
  stampMs: number
  url: string
  cancelled: boolean
  organizer: { name: string; email: string }
  attendee?: { name: string; email: string }
}

const PRODUCT = { company: 'Champion Rota', product: 'Champion Rota', language: 'EN' } as const

function local(date: string, time: string, zone: string): DateTime {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone })
  if (!dt.isValid) throw new RangeError(`invalid local time ${date} ${time} in ${zone}`)
  return dt
}

function addEvent(cal: ICalCalendar, e: CalendarEvent): void {
  const event = cal.createEvent({
    id: e.uid,
    sequence: e.sequence,
    start: local(e.localDate, e.startTime, e.timezone),
    end: local(e.localDate, e.endTime, e.timezone),
    timezone: e.timezone,
    stamp: DateTime.fromMillis(e.stampMs, { zone: 'UTC' }),
    summary: e.summary,
    description: e.description,
    location: e.location,
    url: e.url,
    organizer: { name: e.organizer.name, email: e.organizer.email },
    status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  })
  if (e.attendee) {
    event.createAttendee({
      email: e.attendee.email,
      name: e.attendee.name,
      role: ICalAttendeeRole.REQ,
      status: e.cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    })
  }
}

function calendar(method: ICalCalendarMethod | null, name?: string): ICalCalendar {
  const cal = ical({ prodId: PRODUCT, timezone: { name: null, generator: getVtimezoneComponent } })
  if (method) cal.method(method)
  if (name) cal.name(name)
  return cal
}

/** An iTIP message for one event: METHOD:REQUEST (booking or change) or METHOD:CANCEL. */
export function buildInvite(method: 'REQUEST' | 'CANCEL', event: CalendarEvent): string {
  const cal = calendar(method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL)
  addEvent(cal, { ...event, cancelled: method === 'CANCEL' || event.cancelled })
  return cal.toString()
}

/** A subscribable feed (no METHOD) with a name and a refresh interval. */
export function buildFeed(name: string, events: readonly CalendarEvent[], refreshMinutes = 60): string {
  const cal = calendar(null, name)
  cal.ttl(refreshMinutes * 60)
  for (const e of events) addEvent(cal, e)
  return cal.toString()
}

export function eventUid(sessionId: number, volunteerId: number, host: string): string {
  return `session-${sessionId}-volunteer-${volunteerId}@${host}`
}
