// The calendar event of a session, from its facts: one place for the words, so an invite and a feed show the same thing.
import { formatFor } from '../views/format.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { eventUid, sessionUid, type CalendarEvent } from './ics.js'

export interface SessionFacts {
  sessionId: number
  title: string
  notes: string
  localDate: string
  startTime: string
  endTime: string
  timezone: string
  branchName: string
  /** The branch's Welsh name where an admin entered one: a Welsh event shows it instead (src/i18n/names.ts). */
  branchNameCy?: string | null
  branchAddress: string
  branchPostcode: string
  arrivalNotes: string
}

export interface Service {
  baseUrl: string
  organizer: { name: string; email: string }
}

export function hostOf(baseUrl: string): string {
  return new URL(baseUrl).hostname
}

export function sessionPageUrl(baseUrl: string, sessionId: number): string {
  return `${baseUrl}/sessions/${sessionId}`
}

export function coordinatorSessionUrl(baseUrl: string, sessionId: number): string {
  return `${baseUrl}/coordinate/sessions/${sessionId}`
}

export function sessionLocation(s: Pick<SessionFacts, 'branchName' | 'branchAddress' | 'branchPostcode'>): string {
  return [s.branchName, s.branchAddress, s.branchPostcode].filter(Boolean).join(', ')
}

/** Where and when, as every event of a session has them. */
function placeAndTime(s: SessionFacts) {
  return { location: sessionLocation(s), timezone: s.timezone, localDate: s.localDate, startTime: s.startTime, endTime: s.endTime }
}

/** A volunteer's place on a session: the event their invites update and their feed shows. */
export function volunteerEvent(
  service: Service,
  facts: SessionFacts,
  place: { volunteerId: number; sequence: number; stampMs: number; cancelled: boolean; attendee?: { name: string; email: string } },
  locale: Locale = DEFAULT_LOCALE,
): CalendarEvent {
  const s = withLocalNames(facts, locale)
  const t = translator(locale)
  const url = sessionPageUrl(service.baseUrl, s.sessionId)
  const description = [
    place.cancelled ? t('calendar.cancelledBooked') : '',
    t('calendar.titleAt', { title: s.title, branch: s.branchName, time: formatFor(locale).timeRange(s.startTime, s.endTime) }),
    s.notes,
    s.arrivalNotes ? t('calendar.whenYouArrive', { notes: s.arrivalNotes }) : '',
    t('calendar.details', { url }),
  ]
    .filter(Boolean)
    .join('\n\n')
  return {
    uid: eventUid(s.sessionId, place.volunteerId, hostOf(service.baseUrl)),
    sequence: place.sequence,
    summary: t('calendar.summary', { title: s.title, branch: s.branchName }),
    description,
    ...placeAndTime(s),
    stampMs: place.stampMs,
    url,
    cancelled: place.cancelled,
    organizer: service.organizer,
    ...(place.attendee ? { attendee: place.attendee } : {}),
  }
}

/** "2 of 3 volunteers", and what is still needed. */
export function staffingText(confirmed: number, min: number, max: number, locale: Locale = DEFAULT_LOCALE): string {
  const t = translator(locale)
  const base = t('common.count.staffing', { confirmed, count: max })
  return confirmed < min ? t('calendar.staffingNeeds', { staffing: base, needed: min - confirmed }) : base
}

/** A whole session in a coordinator's branch feed, its staffing in the summary. */
export function branchSessionEvent(
  service: Service,
  facts: SessionFacts & { min: number; max: number; confirmed: number; cancelled: boolean; volunteerNames: readonly string[]; stampMs: number; sequence: number },
  locale: Locale = DEFAULT_LOCALE,
): CalendarEvent {
  const s = withLocalNames(facts, locale)
  const t = translator(locale)
  const url = coordinatorSessionUrl(service.baseUrl, s.sessionId)
  const summary = s.cancelled ? t('calendar.branchCancelledSummary', { title: s.title }) : t('calendar.branchSummary', { title: s.title, staffing: staffingText(s.confirmed, s.min, s.max, locale) })
  const description = [
    s.cancelled ? t('calendar.branchCancelled') : '',
    t('calendar.titleAt', { title: s.title, branch: s.branchName, time: formatFor(locale).timeRange(s.startTime, s.endTime) }),
    s.cancelled ? '' : t('calendar.volunteers', { names: s.volunteerNames.length ? s.volunteerNames.join(', ') : t('calendar.nobodyYet'), min: s.min, max: s.max }),
    s.notes,
    t('calendar.manage', { url }),
  ]
    .filter(Boolean)
    .join('\n\n')
  return {
    uid: sessionUid(s.sessionId, hostOf(service.baseUrl)),
    // The session's own counter (sessions.ical_sequence): +1 with each edit and on cancellation, so clients
    // that keep an event until its SEQUENCE rises do not show an edited session at its old time.
    sequence: s.sequence,
    summary,
    description,
    ...placeAndTime(s),
    stampMs: s.stampMs,
    url,
    cancelled: s.cancelled,
    organizer: service.organizer,
  }
}
