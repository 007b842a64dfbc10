// Builds iCalendar text with ical-generator: invites (REQUEST), cancellations (CANCEL) and feeds (no METHOD).
//
// Pure: no clock, no database, no dependence on the server's own time zone. Each VEVENT is
// rendered by ical-generator; the VCALENDAR around it is assembled and folded here, because
// ical-generator 10 (a) writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONE, where
// RFC 5545's grammar wants calendar properties before any component, (b) leaves X-WR-CALNAME
// unescaped, and (c) folds lines with one TextEncoder per character, which alone costs ten times
// our feed budget. The known traps, avoided by construction and checked by tests under several
// process zones: with a calendar-level timezone name, ical-generator writes DTSTAMP without "Z"
// (floating); and plain Date or string start times are formatted in the server's zone. So the
// calendar carries no zone name, DTSTAMP is a UTC Date (written with "Z"), and start/end are
// wall-clock values in the shape of Temporal.PlainDateTime (ical-generator's published stub),
// which it writes field by field as DTSTART;TZID=<branch zone>.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalEventStatus, ICalEventTransparency, escape, type ICalCalendar } from 'ical-generator'
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
  /** Invites name the volunteer; feeds leave attendees out (a subscribed calendar is read-only). */
  attendee?: { name: string; email: string }
}

export type InviteMethod = 'REQUEST' | 'CANCEL'

const PRODID = '-//Champion Rota//Champion Rota//EN'

/** A wall-clock date and time with no zone, shaped as ical-generator's Temporal.PlainDateTime stub. */
export class WallClockTime {
  readonly second = 0
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
  ) {}

  static parse(localDate: string, time: string): WallClockTime {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate)
    const t = /^(\d{2}):(\d{2})$/.exec(time)
    if (!d || !t) throw new RangeError(`invalid local date or time: ${localDate} ${time}`)
    const wall = new WallClockTime(Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]))
    // Date.UTC normalises 31 February to 3 March: a round trip shows whether the date exists.
    const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute))
    if (check.getUTCDate() !== wall.day || check.getUTCHours() !== wall.hour || wall.minute > 59) {
      throw new RangeError(`invalid local date or time: ${localDate} ${time}`)
    }
    return wall
  }

  toPlainDate() {
    return { year: this.year, month: this.month, day: this.day, toJSON: () => this.toString().slice(0, 10), toString: () => this.toString().slice(0, 10) }
  }

  /** The same wall-clock time in a zone; the instant is only worked out (with Luxon) if asked for. */
  toZonedDateTime(timeZoneId: string) {
    const plain = this
    const zoned = {
      timeZoneId,
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: 0,
      toPlainDateTime: () => plain,
      withTimeZone: (zone: string) => (zone === timeZoneId ? zoned : plain.toZonedDateTime(zone)),
      toInstant: () => {
        const ms = DateTime.fromObject({ year: plain.year, month: plain.month, day: plain.day, hour: plain.hour, minute: plain.minute }, { zone: timeZoneId }).toMillis()
        return {
          epochMilliseconds: ms,
          toJSON: () => new Date(ms).toISOString(),
          toString: () => new Date(ms).toISOString(),
          toZonedDateTimeISO: () => zoned,
        }
      },
      toJSON: () => `${plain.toString()}[${timeZoneId}]`,
      toString: () => `${plain.toString()}[${timeZoneId}]`,
    }
    return zoned
  }

  toJSON(): string {
    return this.toString()
  }

  toString(): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0')
    return `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}T${p(this.hour)}:${p(this.minute)}:00`
  }
}

/** CN and other quoted parameter values cannot hold a double quote or a line break (RFC 5545 §3.1). */
export function parameterText(value: string): string {
  return value.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
}

/**
 * Calendar names and descriptions on one line and without the characters TEXT escapes: clients
 * disagree on unescaping X-WR-CALNAME (ical.js and some others show a backslash-escaped comma as typed).
 */
export function calendarText(value: string): string {
  return escape(parameterText(value).replace(/[\\;,]+/g, ' ').replace(/\s+/g, ' '), false)
}

// One ical-generator calendar renders every VEVENT: it only supplies defaults to its events.
const renderer: ICalCalendar = ical({ prodId: PRODID })

function eventText(e: CalendarEvent): string {
  const cancelled = e.cancelled
  const event = renderer.createEvent({
    id: e.uid,
    sequence: e.sequence,
    start: WallClockTime.parse(e.localDate, e.startTime),
    end: WallClockTime.parse(e.localDate, e.endTime),
    timezone: e.timezone,
    // A Date is written in UTC with "Z" because the calendar has no zone name (see the header).
    stamp: new Date(e.stampMs),
    summary: e.summary,
    description: e.description,
    location: e.location,
    url: e.url,
    organizer: { name: parameterText(e.organizer.name) || e.organizer.email, email: e.organizer.email },
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // A cancelled event stays visible in feeds but no longer blocks the time.
    transparency: cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
  })
  if (e.attendee) {
    event.createAttendee({
      email: e.attendee.email,
      name: parameterText(e.attendee.name) || e.attendee.email,
      role: ICalAttendeeRole.REQ,
      status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    })
  }
  const text = event.toString()
  renderer.clear()
  return text
}

const vtimezones = new Map<string, string>()

/** The VTIMEZONE of an IANA zone, as CRLF lines (cached: the same for every calendar). */
function vtimezone(zone: string): string {
  let text = vtimezones.get(zone)
  if (text === undefined) {
    const generated = getVtimezoneComponent(zone)
    if (!generated) throw new RangeError(`no VTIMEZONE known for ${zone}`)
    text = generated.replace(/\r\n/g, '\n').trim().split('\n').join('\r\n') + '\r\n'
    vtimezones.set(zone, text)
  }
  return text
}

function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : 3
}

/** RFC 5545 §3.1: lines of at most 75 octets, continued on lines that start with a space; never inside a character. */
export function foldLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  if (line.length <= 75 && /^[\u0000-\u007f]*$/.test(line)) return line
  let out = ''
  let octets = 0
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i)
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < line.length
    const size = pair ? 4 : utf8Length(code)
    if (octets + size > 75) {
      out += '\r\n '
      octets = 1
    }
    out += pair ? line[i]! + line[++i]! : line[i]!
    octets += size
  }
  return out
}

function fold(text: string): string {
  return text
    .split('\r\n')
    .map((line) => foldLine(line))
    .join('\r\n')
}

interface CalendarHead {
  method?: 'REQUEST' | 'CANCEL' | 'PUBLISH'
  name?: string
  description?: string
  refreshMinutes?: number
}

function assemble(head: CalendarHead, events: readonly CalendarEvent[]): string {
  let text = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:${PRODID}\r\nCALSCALE:GREGORIAN\r\n`
  if (head.method) text += `METHOD:${head.method}\r\n`
  if (head.name) {
    const name = calendarText(head.name)
    text += `NAME:${name}\r\nX-WR-CALNAME:${name}\r\n`
  }
  if (head.description) text += `X-WR-CALDESC:${calendarText(head.description)}\r\n`
  if (head.refreshMinutes) {
    const duration = `PT${Math.round(head.refreshMinutes)}M`
    text += `REFRESH-INTERVAL;VALUE=DURATION:${duration}\r\nX-PUBLISHED-TTL:${duration}\r\n`
  }
  for (const zone of new Set(events.map((e) => e.timezone))) text += vtimezone(zone)
  // Folded event by event: one pass over small strings rather than over the whole calendar.
  const parts = [fold(text)]
  for (const e of events) parts.push(fold(eventText(e)))
  parts.push('END:VCALENDAR\r\n')
  return parts.join('')
}

/** An iTIP message for one event: METHOD:REQUEST (booking or change) or METHOD:CANCEL. */
export function buildInvite(method: InviteMethod, event: CalendarEvent): string {
  if (!event.attendee) throw new Error('an invite names its attendee')
  return assemble({ method }, [{ ...event, cancelled: method === 'CANCEL' || event.cancelled }])
}

/** A subscribable feed (no METHOD) with a name and a refresh interval. */
export function buildFeed(name: string, events: readonly CalendarEvent[], refreshMinutes = 60, description?: string): string {
  return assemble({ name, refreshMinutes, ...(description ? { description } : {}) }, events)
}

/** The event of one volunteer on one session: invites, updates, cancellations and their feed share it. */
export function eventUid(sessionId: number, volunteerId: number, host: string): string {
  return `session-${sessionId}-volunteer-${volunteerId}@${host}`
}

/** The event of a whole session, in a branch feed (a different thing from a volunteer's place on it). */
export function sessionUid(sessionId: number, host: string): string {
  return `session-${sessionId}@${host}`
}
