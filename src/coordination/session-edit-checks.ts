// The check before an edit: nobody already confirmed may be left over the maximum, lacking a skill or training, on time off or double-booked.
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { ConflictError } from '../errors.js'
import { checkRules, type Rule, type SessionNeeds } from '../matching/eligibility.js'
import * as places from '../assignments/assignments.repository.js'
import { longDate } from '../views/format.js'
import * as repo from './sessions.repository.js'

const KEEP_FOR_CONFIRMED: readonly Rule[] = ['skills', 'training', 'time_off', 'clash']

/** Throws a 409 naming up to five people (and how many more) a planned change would break a rule for. */
export async function refuseIfConfirmedWouldBreak(
  tx: Tx,
  ctx: AppContext,
  planned: ReadonlyArray<{ before: repo.SessionRow; when: repo.NewSession }>,
  t: repo.SessionTemplate,
): Promise<void> {
  const problems: string[] = []
  const confirmedBy = new Map<number, number[]>()
  for (const { before } of planned) {
    if (before.confirmed_count > t.max) {
      problems.push(`${before.confirmed_count} volunteers are confirmed on ${longDate(before.local_date)}, more than ${t.max}. Remove someone from that session first`)
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
          problems.push(`${profile.name} is confirmed on ${longDate(when.date)} and ${f.toCoordinator}. Remove them from that session first, or change it differently`)
        }
      }
    }
  }
  if (problems.length) throw new ConflictError(problems.slice(0, 5).join('. ') + (problems.length > 5 ? `. And ${problems.length - 5} more.` : '.'))
}
