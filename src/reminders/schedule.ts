// When reminders and alerts are due, in the branch's wall-clock time: pure functions of the facts and "now".
//
// The rule for "N days before" across a clock change: the same wall-clock time N calendar days
// earlier in the branch's zone, not N × 24 hours. A 10:00 session on Monday 30 March 2026 (BST)
// is reminded at 10:00 GMT on Saturday 28 March: 47 hours before, but "two days before at the
// same time" on every clock. A reminder time that does not exist (skipped by the spring change)
// moves forward by the gap (01:30 → 02:30); one that happens twice (the autumn change) is the
// second, in standard time: both as session times themselves are read (src/time/wall-clock.ts).
// Fixed times ("08:00 on the day") are wall-clock times too.
import { DateTime } from 'luxon'

export type ReminderOffset =
  /** The session's own wall-clock time, `days` calendar days before. */
  | { kind: 'days-before'; days: number; key: string }
  /** A fixed wall-clock time on the day `days` calendar days before (0: the day itself). */
  | { kind: 'at-time'; days: number; time: string; key: string }
  /** A fixed number of hours before the start (an interval, not wall-clock). */
  | { kind: 'hours-before'; hours: number; key: string }

export const DEFAULT_REMINDER_OFFSETS = '2d,0d@08:00'
/** Reminders are worth sending a little late (a restart, a worker catching up), not half a day late. */
export const REMINDER_GRACE_MS = 12 * 60 * 60_000
export const MAX_OFFSET_DAYS = 14

/**
 * Parses the library service's setting: comma-separated "2d" (two days before, same time),
 * "0d@08:00" (08:00 on the day), "1d@18:00" (18:00 the day before), "3h" (three hours before).
 * Throws RangeError naming the bad part.
 */
export function parseOffsets(setting: string): ReminderOffset[] {
  const offsets: ReminderOffset[] = []
  for (const raw of setting.split(',').map((s) => s.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null
    if ((m = /^(\d{1,2})d$/.exec(raw))) offsets.push({ kind: 'days-before', days: Number(m[1]), key: raw })
    else if ((m = /^(\d{1,2})d@([01]\d|2[0-3]):([0-5]\d)$/.exec(raw))) offsets.push({ kind: 'at-time', days: Number(m[1]), time: `${m[2]}:${m[3]}`, key: raw })
    else if ((m = /^(\d{1,3})h$/.exec(raw))) offsets.push({ kind: 'hours-before', hours: Number(m[1]), key: raw })
    else throw new RangeError(`"${raw}" is not a reminder time (use e.g. 2d, 0d@08:00 or 3h)`)
    const last = offsets[offsets.length - 1]!
    const days = last.kind === 'hours-before' ? last.hours / 24 : last.days
    if (days > MAX_OFFSET_DAYS) throw new RangeError(`"${raw}" is more than ${MAX_OFFSET_DAYS} days before`)
  }
  return offsets
}

/** Like parseOffsets, but a bad setting falls back to the default rather than stopping every reminder. */
export function offsetsOrDefault(setting: string | null | undefined): ReminderOffset[] {
  try {
    const parsed = parseOffsets(setting ?? DEFAULT_REMINDER_OFFSETS)
    return parsed.length ? parsed : parseOffsets(DEFAULT_REMINDER_OFFSETS)
  } catch {
    return parseOffsets(DEFAULT_REMINDER_OFFSETS)
  }
}

function wallClock(localDate: string, time: string, zone: string): DateTime {
  const dt = DateTime.fromISO(`${localDate}T${time}`, { zone })
  if (!dt.isValid) throw new RangeError(`invalid local time ${localDate} ${time} in ${zone}`)
  return dt
}

/** Calendar arithmetic on a local date, free of any zone. */
function daysBefore(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: 'UTC' }).minus({ days }).toISODate()!
}

/** The instant a reminder is due for a session starting at localDate startTime in zone. */
export function reminderInstant(offset: ReminderOffset, localDate: string, startTime: string, zone: string): number {
  const start = wallClock(localDate, startTime, zone)
  switch (offset.kind) {
    case 'days-before':
      return wallClock(daysBefore(localDate, offset.days), startTime, zone).toMillis()
    case 'at-time':
      return wallClock(daysBefore(localDate, offset.days), offset.time, zone).toMillis()
    case 'hours-before':
      return start.toMillis() - offset.hours * 3_600_000
  }
}

export interface PlaceToRemind {
  assignmentId: number
  /** When the place was confirmed: no reminder for a time already past then. */
  confirmedAt: number
  localDate: string
  startTime: string
  timezone: string
  startsAt: number
}

export interface DueReminder {
  assignmentId: number
  offset: ReminderOffset
  at: number
  /** Unique per place, session time and offset: a rescheduled session is reminded again. */
  dedupeKey: string
}

export function reminderKey(assignmentId: number, localDate: string, startTime: string, offsetKey: string): string {
  return `reminder:${assignmentId}:${localDate}T${startTime}:${offsetKey}`
}

/**
 * The reminder due now for a place, if any: the latest of its offsets whose time has come, that
 * was still in the future when the place was confirmed, is at most REMINDER_GRACE_MS late, and
 * comes before the session starts. Only the latest: after downtime a volunteer gets one reminder,
 * not a burst of stale ones.
 */
export function dueReminder(place: PlaceToRemind, offsets: readonly ReminderOffset[], now: number): DueReminder | null {
  if (now >= place.startsAt) return null
  let best: DueReminder | null = null
  for (const offset of offsets) {
    const at = reminderInstant(offset, place.localDate, place.startTime, place.timezone)
    if (at > now || at <= place.confirmedAt || at >= place.startsAt || now - at > REMINDER_GRACE_MS) continue
    if (!best || at > best.at) best = { assignmentId: place.assignmentId, offset, at, dedupeKey: reminderKey(place.assignmentId, place.localDate, place.startTime, offset.key) }
  }
  return best
}

/** Every reminder time of a place (for pages and tests): offset key → instant. */
export function reminderTimes(place: Omit<PlaceToRemind, 'assignmentId' | 'confirmedAt' | 'startsAt'>, offsets: readonly ReminderOffset[]): Array<{ key: string; at: number }> {
  return offsets.map((o) => ({ key: o.key, at: reminderInstant(o, place.localDate, place.startTime, place.timezone) }))
}

export const ALERT_TIME = '08:00'

/** Coordinators hear that a session is short at 08:00 local, `days` days before it. */
export function shortAlertInstant(localDate: string, zone: string, days: number): number {
  return reminderInstant({ kind: 'at-time', days, time: ALERT_TIME, key: '' }, localDate, ALERT_TIME, zone)
}

/** Monday 08:00 local of the week containing `now`, and its date. */
/** The week's digest: on ISO `day` (1 = Monday, the service's setting) at local `time`; keyed by the week's Monday. */
export function digestMoment(now: number, zone: string, day = 1, time = ALERT_TIME): { at: number; monday: string } {
  const monday = DateTime.fromMillis(now, { zone }).startOf('week')
  const at = wallClock(monday.plus({ days: day - 1 }).toISODate()!, time, zone)
  return { at: at.toMillis(), monday: monday.toISODate()! }
}

/** How long after Monday 08:00 a missed digest is still sent (a restart, a deploy). */
export const DIGEST_GRACE_MS = 6 * 60 * 60_000

export function digestDue(now: number, zone: string, day = 1, time = ALERT_TIME): { monday: string } | null {
  const { at, monday } = digestMoment(now, zone, day, time)
  return now >= at && now < at + DIGEST_GRACE_MS ? { monday } : null
}

export const EXPIRY_NOTICE_DAYS = 30

/** A training or check expiring on `expiresOn` is mentioned at 08:00 local, 30 days before. */
export function expiryReminderInstant(expiresOn: string, zone: string): number {
  return reminderInstant({ kind: 'at-time', days: EXPIRY_NOTICE_DAYS, time: ALERT_TIME, key: '' }, expiresOn, ALERT_TIME, zone)
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen']

function days(n: number): string {
  return n === 1 ? 'the day before' : `${NUMBER_WORDS[n] ?? n} days before`
}

/** In words for the volunteer: "two days before, and at 8am on the day". */
export function describeOffsets(offsets: readonly ReminderOffset[], clock: (time: string) => string): string {
  const parts = offsets.map((o) => {
    if (o.kind === 'days-before') return o.days === 0 ? 'when it starts' : days(o.days)
    if (o.kind === 'hours-before') return o.hours === 1 ? 'an hour before' : `${NUMBER_WORDS[o.hours] ?? o.hours} hours before`
    return o.days === 0 ? `at ${clock(o.time)} on the day` : `at ${clock(o.time)} ${days(o.days)}`
  })
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`
}
