// The check before an edit: nobody already confirmed may be left over the maximum, lacking a skill or training, on time off or double-booked.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { ConflictError } from '../errors.js'
import { DateTime } from 'luxon'
import { checkRules, type Rule, type RuleFailure, type SessionNeeds } from '../matching/eligibility.js'
import * as places from '../assignments/assignments.repository.js'
import { formatFor } from '../views/format.js'
import { translator, type Locale, type Translate } from '../i18n/i18n.js'
import * as repo from './sessions.repository.js'

const KEEP_FOR_CONFIRMED: readonly Rule[] = ['skills', 'training', 'time_off', 'clash']

/** A failed rule in the third person (planning.why.*), in the page's language; the rule's own English otherwise. */
function whyOf(f: RuleFailure, t: Translate, locale: Locale): string {
  const s = f.said
  const day = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).setLocale(locale === 'cy' ? 'cy' : 'en-GB').toFormat('d MMM')
  switch (s?.key) {
    case 'skills':
      return t('planning.why.skills', { list: s.list })
    case 'trainingLapsed':
      return t('planning.why.trainingLapsed', { name: s.name, date: day(s.date) })
    case 'training':
      return t('planning.why.training', { name: s.name })
    case 'timeOff':
      return t('planning.why.timeOff', { date: day(s.until) })
    case 'clash':
      return t('planning.why.clash', { title: s.title })
    default:
      return f.toCoordinator
  }
}

/** Throws a 409 naming up to five people (and how many more) a planned change would break a rule for. */
export async function refuseIfConfirmedWouldBreak(
  tx: Tx,
  ctx: AppContext,
  planned: ReadonlyArray<{ before: repo.SessionRow; when: repo.NewSession }>,
  t: repo.SessionTemplate,
  locale: Locale = 'en',
): Promise<void> {
  const say = translator(locale)
  const longDate = formatFor(locale).longDate
  const problems: string[] = []
  const confirmedBy = new Map<number, number[]>()
  for (const { before } of planned) {
    if (before.confirmed_count > t.max) {
      problems.push(say('planning.errors.overMax', { volunteers: say('planning.count.volunteers', { count: before.confirmed_count }), date: longDate(before.local_date), max: t.max }))
    }
    if (before.confirmed_count === 0) continue
    const people = await repo.peopleOnSession(tx, before.id)
    for (const p of people.filter((x) => places.PLACE_STATES.includes(x.state))) confirmedBy.set(p.volunteer_id, [...(confirmedBy.get(p.volunteer_id) ?? []), before.id])
  }
  if (confirmedBy.size) {
    const volunteerIds = [...confirmedBy.keys()].sort((a, b) => a - b)
    for (const v of volunteerIds) await places.lockVolunteer(tx, v)
    const from = Math.min(...planned.map((p) => Math.min(p.when.startsAt, p.before.starts_at))) - 2 * 86_400_000
    const until = Math.max(...planned.map((p) => Math.max(p.when.endsAt, p.before.ends_at))) + 2 * 86_400_000
    const profiles = await places.loadProfiles(tx, volunteerIds, from, until)
    const names = await places.loadNames(tx, planned[0]!.before.library_service_id)
    const moved = new Map(planned.map((p) => [p.before.id, p]))
    for (const [volunteerId, sessionIds] of confirmedBy) {
      const profile = profiles.get(volunteerId)
      if (!profile) continue
      // Their commitments as they would be after the change.
      const commitments = profile.commitments.map((c) => {
        const m = moved.get(c.sessionId)
        return m ? { ...c, startsAt: m.when.startsAt, endsAt: m.when.endsAt, localDate: m.when.date } : c
      })
      for (const sessionId of sessionIds) {
        const { before, when } = moved.get(sessionId)!
        const needs: SessionNeeds = {
          id: before.id,
          branchId: before.branch_id,
          seriesId: before.series_id,
          title: t.title,
          localDate: when.date,
          startTime: t.startTime,
          endTime: t.endTime,
          startsAt: when.startsAt,
          endsAt: when.endsAt,
          requiredSkillIds: t.requiredSkillIds,
          preferredSkillIds: t.preferredSkillIds,
          requiredTrainingIds: t.requiredTrainingIds,
          min: t.min,
          max: t.max,
          confirmed: before.confirmed_count,
        }
        for (const f of checkRules({ ...profile, commitments }, needs, names, KEEP_FOR_CONFIRMED)) {
          problems.push(say('planning.errors.wouldBreak', { name: profile.name, date: longDate(when.date), why: whyOf(f, say, locale) }))
        }
      }
    }
  }
  if (problems.length) throw new ConflictError(problems.slice(0, 5).join(say('planning.errors.problemsJoin')) + (problems.length > 5 ? say('planning.errors.andMore', { count: problems.length - 5 }) : say('planning.errors.problemsEnd')))
}
