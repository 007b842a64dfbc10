// What a volunteer and their coordinators are told about bookings and withdrawals, in one place.
import { formatFor, longDate, timeRange } from '../views/format.js'
import { translator, type Locale } from '../i18n/i18n.js'
import type { BookingOutcome } from './booking.service.js'
import type { WithdrawOutcome } from './withdrawal.service.js'

export function describeOutcome(outcome: BookingOutcome, session: { title: string; local_date: string; start_time: string; end_time: string; branch_name: string }): string {
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

/** How long until something starts, in words: "less than an hour", "5 hours", "3 days". */
export function untilText(ms: number, locale: Locale = 'en'): string {
  const t = translator(locale)
  const hours = Math.max(0, Math.round(ms / 3_600_000))
  if (hours < 1) return t('email.alerts.lessThanHour')
  if (hours < 48) return t('email.alerts.hours', { count: hours })
  return t('email.alerts.days', { count: Math.round(hours / 24) })
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
export function withdrawnMessage(outcome: WithdrawOutcome): string {
  const what = `${outcome.title} on ${longDate(outcome.localDate)}`
  switch (outcome.kind) {
    case 'left-waitlist':
      return `You have left the waiting list for ${what}`
    case 'cannot-make-it':
      return `We have told the coordinators you cannot make it to ${what}, and emailed you a calendar cancellation`
    case 'withdrew':
      return `You have withdrawn from ${what}. We have emailed you a calendar cancellation`
  }
}
