// Reading the service's iCalendar text the way clients do: ical.js, libical's RFC 5546 check, and the rules PRODUCT.md sets.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import ICAL from 'ical.js'
import type { Test } from 'tap'

const LIBICAL_CHECK = fileURLToPath(new URL('./libical_check.py', import.meta.url))
/** Debian's python, which has gi and libical (the pyenv python on PATH does not). */
const DEBIAN_PYTHON = '/usr/bin/python3'

export interface LibicalResult {
  ok: boolean
  errors: string[]
  events: number
  method: string | null
}

/** What to install when the checker cannot run (also what libical_check.py prints, exiting with status 3). */
export const LIBICAL_MISSING = 'libical checker missing: apt-get install python3-gi gir1.2-ical-3.0'

/** libical parses each text and runs its iTIP restriction check; feeds (publish) are also checked as METHOD:PUBLISH. */
export function libicalCheck(items: Array<{ ics: string; publish?: boolean }>): Promise<LibicalResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(DEBIAN_PYTHON, [LIBICAL_CHECK], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        // No Debian python at all (ENOENT), or it lacks gi / the ICalGLib typelib (the script exits 3):
        // one line saying what to install, not a traceback.
        const code = (err as { code?: unknown }).code
        if (code === 'ENOENT' || code === 3) return reject(new Error(LIBICAL_MISSING))
        return reject(new Error(`libical check failed to run: ${err.message}\n${stderr}`))
      }
      resolve(JSON.parse(stdout) as LibicalResult[])
    })
    // When the interpreter is missing, writing to its stdin fails too; the callback above reports it.
    child.stdin!.on('error', () => {})
    child.stdin!.end(JSON.stringify(items))
  })
}

export interface ReadEvent {
  uid: string
  sequence: number
  status: string | null
  summary: string
  description: string
  location: string
  url: string | null
  transp: string | null
  dtstamp: string
  startTzid: string | null
  endTzid: string | null
  /** DTSTART as written, e.g. 20261201T100000. */
  startLocal: string
  endLocal: string
  startUtc: number
  endUtc: number
  organizer: string | null
  attendees: string[]
}

export interface ReadCalendar {
  method: string | null
  name: string | null
  refresh: string | null
  ttl: string | null
  timezones: string[]
  events: ReadEvent[]
}

/** A property's value exactly as written in an (unfolded) VEVENT. */
function rawValue(vevent: string, name: string): string | null {
  const line = vevent.split('\r\n').find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))
  return line ? line.slice(line.indexOf(':', name.length) + 1) : null
}

export function unfold(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '')
}

/**
 * Parses with ical.js. Time zones come only from the VTIMEZONEs in the text (the service is
 * reset first), so the UTC instants prove that what we send describes the zone correctly.
 */
export function readIcs(ics: string): ReadCalendar {
  const root = new ICAL.Component(ICAL.parse(ics) as unknown as unknown[])
  ICAL.TimezoneService.reset()
  const timezones: string[] = []
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz)
    ICAL.TimezoneService.register(tz, tz.tzid)
    timezones.push(tz.tzid)
  }
  const unfolded = unfold(ics)
  const rawEvents = unfolded.split('BEGIN:VEVENT\r\n').slice(1).map((chunk) => chunk.split('END:VEVENT')[0]!)
  const events = root.getAllSubcomponents('vevent').map((vevent, i): ReadEvent => {
    const event = new ICAL.Event(vevent)
    const raw = rawEvents[i] ?? ''
    const start = vevent.getFirstProperty('dtstart')
    const end = vevent.getFirstProperty('dtend')
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
      transp: (vevent.getFirstPropertyValue('transp') as string | null) ?? null,
      dtstamp: rawValue(raw, 'DTSTAMP') ?? '',
      startTzid: (start?.getParameter('tzid') as string | undefined) ?? null,
      endTzid: (end?.getParameter('tzid') as string | undefined) ?? null,
      startLocal: rawValue(raw, 'DTSTART') ?? '',
      endLocal: rawValue(raw, 'DTEND') ?? '',
      startUtc: event.startDate.toUnixTime() * 1000,
      endUtc: event.endDate.toUnixTime() * 1000,
      organizer: (vevent.getFirstPropertyValue('organizer') as string | null) ?? null,
      attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
    }
  })
  return {
    method: (root.getFirstPropertyValue('method') as string | null) ?? null,
    name: (root.getFirstPropertyValue('x-wr-calname') as string | null) ?? null,
    refresh: root.getFirstProperty('refresh-interval')?.getFirstValue()?.toString() ?? null,
    ttl: root.getFirstProperty('x-published-ttl')?.getFirstValue()?.toString() ?? null,
    timezones,
    events,
  }
}

export type IcsKind = 'request' | 'cancel' | 'feed'

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/**
 * The rules every ICS of the service must keep, checked on the text itself so that they hold
 * whatever the process time zone: CRLF lines of at most 75 octets; calendar properties before
 * any component; DTSTAMP in UTC; DTSTART/DTEND with a TZID that has its VTIMEZONE (no floating
 * or UTC times); ORGANIZER (and for invites one ATTENDEE) with an address; the METHOD of the
 * kind; STATUS:CANCELLED on a cancellation. Returns what is wrong (empty when all is well).
 */
export function icsProblems(ics: string, kind: IcsKind): string[] {
  const problems: string[] = []
  if (/(^|[^\r])\n/.test(ics)) problems.push('a line does not end with CRLF')
  const lines = ics.split('\r\n')
  for (const l of lines) if (utf8Bytes(l) > 75) problems.push(`line longer than 75 octets: ${l.slice(0, 40)}…`)
  const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:'))
  for (const l of lines.slice(firstComponent)) {
    if (/^(METHOD|NAME|X-WR-CALNAME|X-WR-CALDESC|REFRESH-INTERVAL|X-PUBLISHED-TTL|CALSCALE|PRODID|VERSION)[:;]/.test(l)) problems.push(`calendar property after a component: ${l}`)
  }
  let cal: ReadCalendar
  try {
    cal = readIcs(ics)
  } catch (err) {
    return [...problems, `ical.js cannot read it: ${(err as Error).message}`]
  }
  if (cal.events.length === 0 && kind !== 'feed') problems.push('no event')
  for (const e of cal.events) {
    if (!/^\d{8}T\d{6}Z$/.test(e.dtstamp)) problems.push(`DTSTAMP of ${e.uid} is not UTC: ${e.dtstamp}`)
    if (!e.startTzid || !cal.timezones.includes(e.startTzid)) problems.push(`DTSTART of ${e.uid} has no TZID with a VTIMEZONE`)
    if (!e.endTzid || !cal.timezones.includes(e.endTzid)) problems.push(`DTEND of ${e.uid} has no TZID with a VTIMEZONE`)
    if (!/^\d{8}T\d{6}$/.test(e.startLocal)) problems.push(`DTSTART of ${e.uid} is not a local time: ${e.startLocal}`)
    if (!e.organizer?.toLowerCase().startsWith('mailto:')) problems.push(`ORGANIZER of ${e.uid} has no address`)
    if (kind === 'cancel' && e.status !== 'CANCELLED') problems.push(`STATUS of ${e.uid} is ${e.status}, not CANCELLED`)
    if (kind === 'request' && e.status !== 'CONFIRMED') problems.push(`STATUS of ${e.uid} is ${e.status}, not CONFIRMED`)
    if (kind !== 'feed' && !(e.attendees.length === 1 && e.attendees[0]!.toLowerCase().startsWith('mailto:'))) problems.push(`${e.uid} does not name one attendee by address`)
    if (kind === 'feed' && e.attendees.length) problems.push(`feed event ${e.uid} names attendees`)
  }
  const method = { request: 'REQUEST', cancel: 'CANCEL', feed: null }[kind]
  if (cal.method !== method) problems.push(`METHOD is ${cal.method}, expected ${method}`)
  if (kind === 'feed' && !cal.name) problems.push('feed has no X-WR-CALNAME')
  if (kind === 'feed' && !cal.refresh) problems.push('feed has no REFRESH-INTERVAL')
  return problems
}

/** icsProblems is empty, and libical parses it without error and passes its RFC 5546 restriction check. */
export async function checkIcs(t: Test, ics: string, kind: IcsKind, label: string = kind): Promise<ReadCalendar> {
  t.same(icsProblems(ics, kind), [], `${label}: keeps the service's iCalendar rules`)
  const cal = readIcs(ics)
  const [result] = await libicalCheck([{ ics, publish: kind === 'feed' }])
  t.same(result!.errors, [], `${label}: libical finds no errors`)
  t.ok(result!.ok, `${label}: passes libical's RFC 5546 restriction check`)
  t.equal(result!.events, cal.events.length, `${label}: libical and ical.js read the same number of events`)
  return cal
}
