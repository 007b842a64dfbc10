// What the matching rules say to a volunteer (src/matching/eligibility.ts `Said`), in the page's
// language from the catalogue (volunteer.match.*). English is the rules' own `inEnglish`, word for
// word as it always was; tests/i18n/volunteer-pages.test.ts holds the catalogue's English to it.
import { inEnglish, type RuleFailure, type Said, type Wording } from '../matching/eligibility.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { saidDates } from '../matching/said-dates.js'

/** The catalogue's wording of what the rules say, in one language (English too, for the test). */
export function catalogueWording(locale: Locale): Wording {
  const t = translator(locale)
  const m = (key: string, values?: Record<string, unknown>) => t(`volunteer.match.${key}`, values)
  const { shortDay, month, dayPart } = saidDates(locale, m)
  return (s: Said) => {
    switch (s.key) {
      case 'status':
        return m(`status.${s.status}`)
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
        return m('monthlyCap', { count: s.count, month: month(s.month) })
      case 'speaks':
        return m('speaks', { skill: s.skill })
      case 'knows':
        return m('knows', { skill: s.skill })
      case 'hasSkill':
        return m('hasSkill', { skill: s.skill })
      case 'available':
        return m('available', { when: dayPart(s.day, s.part) })
      case 'homeLibrary':
        return m('homeLibrary')
      case 'needed': {
        const parts: string[] = []
        if (s.toMin > 0) parts.push(m('needMore', { count: s.toMin }))
        else if (s.toMax > 0) parts.push(m('roomFor', { count: s.toMax }))
        else parts.push(m('full'))
        if (s.languages.length) parts.push(m('speakerWanted', { languages: s.languages.join(m('or')) }))
        return parts.join(m('partsJoin'))
      }
    }
  }
}

const WELSH = catalogueWording('cy')

/** The wording for a page: English as the rules say it, Welsh from the catalogue. */
export function wordingFor(locale: Locale): Wording {
  return locale === 'cy' ? WELSH : inEnglish
}

/** A failed rule's words for the volunteer in a language (a failure without data keeps its English). */
export function toVolunteer(failure: Pick<RuleFailure, 'toVolunteer' | 'said'>, locale: Locale): string {
  return locale === 'en' || !failure.said ? failure.toVolunteer : wordingFor(locale)(failure.said)
}
