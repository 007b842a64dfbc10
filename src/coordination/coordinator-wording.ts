// What the matching rules and the score say to a coordinator (src/matching/eligibility.ts `Said`,
// src/matching/score.ts `ScoreSaid`), in the page's language from the catalogue (coordinator.match.*),
// as src/bookings/volunteer-wording.ts does for volunteers. English is the rules' own words
// (`toCoordinator`, `scoreInEnglish`), word for word as they always were;
// tests/i18n/coordinator-session-pages.test.ts holds the catalogue's English to them.
import type { RuleFailure, Said } from '../matching/eligibility.js'
import { scoreInEnglish, type ScoreSaid, type ScoreWording } from '../matching/score.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { saidDates } from '../matching/said-dates.js'

/** The catalogue's words for the coordinator, in one language (English too, for the test). */
export function coordinatorCatalogueWording(locale: Locale) {
  const t = translator(locale)
  const m = (key: string, values?: Record<string, unknown>) => t(`coordinator.match.${key}`, values)
  const { shortDay, month, dayPart } = saidDates(locale, m)
  const reason: ScoreWording = (s: ScoreSaid) => {
    switch (s.key) {
      case 'askedLanguage':
        return m('askedLanguage', { skill: s.skill })
      case 'askedTopic':
        return m('askedTopic', { skill: s.skill })
      case 'recent':
        return s.count === 0 ? m('noRecent') : m('recent', { count: s.count })
      case 'home':
        return m('home')
      case 'series':
        return s.times === 1 ? m('seriesOnce') : s.times === 2 ? m('seriesTwice') : m('seriesTimes', { n: s.times })
      case 'declines':
        return m('declines', { count: s.count })
      case 'hasNeeded':
        return m('hasNeeded', { list: s.list })
      case 'free':
        return m('free', { when: dayPart(s.day, s.part) })
    }
  }
  /** A failed rule, in the third person ("on leave until 12 Dec"). */
  const rule = (s: Said): string => {
    switch (s.key) {
      case 'status':
        return m(s.status)
      case 'branch':
        return m('branch', { branch: s.branch })
      case 'skills':
        return m('skills', { list: s.list })
      case 'trainingLapsed':
        return m('trainingLapsed', { name: s.name, date: shortDay(s.date) })
      case 'training':
        return m('training', { name: s.name })
      case 'timeOff':
        return m('timeOff', { date: shortDay(s.until) })
      case 'availability':
        return m('availability', { when: dayPart(s.day, s.part) })
      case 'clash':
        return m('clash', { title: s.title })
      case 'monthlyCap':
        return m('monthlyCap', { n: s.count, month: month(s.month) })
      default:
        return ''
    }
  }
  return { reason, rule }
}

const WELSH = coordinatorCatalogueWording('cy')

/** The score's reasons for a page in `locale`: English as the score says them, Welsh from the catalogue. */
export function reasonWording(locale: Locale): ScoreWording {
  return locale === 'cy' ? WELSH.reason : scoreInEnglish
}

/** A failed rule's words for the coordinator in a language (a failure without data keeps its English). */
export function toCoordinator(failure: Pick<RuleFailure, 'toCoordinator' | 'said'>, locale: Locale): string {
  if (locale === 'en' || !failure.said) return failure.toCoordinator
  return WELSH.rule(failure.said) || failure.toCoordinator
}
