// What a volunteer and their coordinators are told about bookings and withdrawals, in one place.
import { formatFor, longDate, timeRange } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { wordingFor } from './volunteer-wording.js'
import { withLocalNames } from '../i18n/names.js'
import type { BookingOutcome } from './booking.service.js'
import type { WithdrawOutcome } from './withdrawal.service.js'

export function describeOutcome(outcome: BookingOutcome, session: { title: string; local_date: string; start_time: string; end_time: string; branch_name: string }, locale: Locale = 'en'): string {
  if (locale !== 'en') return describeOutcomeIn(outcome, session, locale)
  const when = `${session.title}, ${longDate(session.local_date)}, ${timeRange(session.start_time, session.end_time)} at ${session.branch_name}`
  switch (outcome.kind) {
    case 'booked':
      return outcome.already ? `You are already booked on ${when}` : `You are booked on ${when}. We have emailed you a calendar invite`
    case 'waitlisted':
      return `${outcome.already ? 'You are already' : 'You are now'} number ${outcome.position} on the waiting list for ${when}. We will book you and email you if a place comes up`
    case 'full':
      return 'Sorry, this session is full. You can join the waiting list: if a place comes up we will book you and email you'
    case 'refused':
      return outcome.message
  }
}

/** The same in another language, from the catalogue (volunteer.outcome.*). */
function describeOutcomeIn(outcome: BookingOutcome, row: { title: string; local_date: string; start_time: string; end_time: string; branch_name: string }, locale: Locale): string {
  const t = translator(locale)
  const session = withLocalNames(row, locale)
  const fmt = formatFor(locale)
  const when = t('volunteer.outcome.when', { title: session.title, date: fmt.longDate(session.local_date), time: fmt.timeRange(session.start_time, session.end_time), branch: session.branch_name })
  switch (outcome.kind) {
    case 'booked':
      return t(outcome.already ? 'volunteer.outcome.alreadyBooked' : 'volunteer.outcome.booked', { when })
    case 'waitlisted':
      return t(outcome.already ? 'volunteer.outcome.alreadyWaitlisted' : 'volunteer.outcome.waitlisted', { when, position: outcome.position })
    case 'full':
      return t('volunteer.outcome.full')
    case 'refused':
      if (outcome.said) return wordingFor(locale)(outcome.said)
      if (outcome.why === 'beyond-window' && outcome.windowDays !== undefined) {
        const days = outcome.windowDays
        const period = days % 7 === 0 ? t('volunteer.outcome.weeks', { count: days / 7 }) : t('volunteer.outcome.days', { count: days })
        return t('volunteer.outcome.beyondWindow', { period })
      }
      if (outcome.why === 'cancelled') return t('volunteer.outcome.cancelled')
      if (outcome.why === 'started') return t('volunteer.outcome.started')
      if (outcome.why === 'other-service') return t('volunteer.outcome.otherService')
      if (outcome.why === 'no-session') return t('volunteer.outcome.noSession')
      return outcome.message
  }
}

/** How long until something starts, in words: "less than an hour", "5 hours", "3 days". */
export function untilText(ms: number, locale: Locale = 'en'): string {
  const t = translator(locale)
  const hours = Math.max(0, Math.round(ms / 3_600_000))
  if (hours < 1) return t('time.lessThanHour')
  if (hours < 48) return t('time.hours', { count: hours })
  return t('time.days', { count: Math.round(hours / 24) })
}

/** The coordinators' alert when a volunteer cannot make it after the cut-off: who, when, why, and whether the place was filled. */
export function cannotMakeItAlert(
  a: { name: string; title: string; localDate: string; startsInMs: number; reason: string; filled: boolean; confirmed: number; needed: number },
  locale: Locale = 'en',
): { subject: string; message: string } {
  const t = translator(locale)
  const message = [
    t('email.alerts.cannotMakeIt', { name: a.name, until: untilText(a.startsInMs, locale) }),
    a.reason ? t('email.alerts.theySaid', { reason: a.reason }) : t('email.alerts.noReason'),
    a.filled ? t('email.alerts.filled') : t('email.alerts.openAgain', { confirmed: a.confirmed, needed: a.needed }),
  ].join(' ')
  return { subject: t('email.alerts.cannotMakeItSubject', { name: a.name, title: a.title, date: formatFor(locale).longDate(a.localDate) }), message }
}

/** The confirmation a volunteer sees after giving up a place or a place in the queue. */
export function withdrawnMessage(outcome: WithdrawOutcome, locale: Locale = 'en'): string {
  const t = translator(locale)
  const what = { title: outcome.title, date: formatFor(locale).longDate(outcome.localDate) }
  switch (outcome.kind) {
    case 'left-waitlist':
      return t('volunteer.wording.leftWaitlist', what)
    case 'cannot-make-it':
      return t('volunteer.wording.toldCannot', what)
    case 'withdrew':
      return t('volunteer.wording.withdrew', what)
  }
}
