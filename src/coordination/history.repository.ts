// SQL for what a volunteer did recently (fairness, continuity, declines) and who could be asked: the facts behind ranking and auto-fill.
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentState, VolunteerStatus } from '../db/schema.js'
import type { Commitment } from '../matching/eligibility.js'
import { COMMITMENT_COLUMNS } from '../db/columns.js'
import { PLACE_STATES } from '../assignments/assignments.repository.js'

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Volunteers of these library services with these statuses. */
export async function volunteersOfServices(db: Db | Tx, serviceIds: readonly number[], statuses: readonly VolunteerStatus[]): Promise<number[]> {
  if (serviceIds.length === 0) return []
  const rows = await db.selectFrom('volunteers').select('id').where('library_service_id', 'in', [...serviceIds]).where('status', 'in', [...statuses]).orderBy('id').execute()
  return rows.map((r) => r.id)
}

/** Volunteers with these statuses who go to any of these branches. */
export async function volunteersGoingTo(db: Db | Tx, branchIds: readonly number[], statuses: readonly VolunteerStatus[]): Promise<number[]> {
  const out = new Set<number>()
  for (const chunk of chunks(branchIds)) {
    const rows = await db
      .selectFrom('volunteer_branches')
      .innerJoin('volunteers', 'volunteers.id', 'volunteer_branches.volunteer_id')
      .select('volunteers.id')
      .where('volunteer_branches.branch_id', 'in', chunk)
      .where('volunteers.status', 'in', [...statuses])
      .execute()
    for (const r of rows) out.add(r.id)
  }
  return [...out].sort((a, b) => a - b)
}

/** Places held on sessions that ended in (since, until]: "sessions in the last 30 days". */
export async function recentSessionCounts(db: Db | Tx, volunteerIds: readonly number[], since: number, until: number): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (const chunk of chunks(volunteerIds)) {
    const rows = await db
      .selectFrom('assignments')
      .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
      .select(['assignments.volunteer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assignments.volunteer_id', 'in', chunk)
      .where('assignments.state', 'in', PLACE_STATES)
      .where('sessions.status', '=', 'scheduled')
      .where('sessions.ends_at', '>', since)
      .where('sessions.ends_at', '<=', until)
      .groupBy('assignments.volunteer_id')
      .execute()
    for (const r of rows) out.set(r.volunteer_id, Number(r.n))
  }
  return out
}

/** Past places per volunteer and series (continuity), for sessions that started before `before`. */
export async function seriesHistory(db: Db | Tx, volunteerIds: readonly number[], seriesIds: readonly number[], before: number): Promise<Map<number, Map<number, number>>> {
  const out = new Map<number, Map<number, number>>()
  if (seriesIds.length === 0) return out
  for (const chunk of chunks(volunteerIds)) {
    for (const seriesChunk of chunks(seriesIds)) {
      const rows = await db
        .selectFrom('assignments')
        .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
        .select(['assignments.volunteer_id', 'sessions.series_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('assignments.volunteer_id', 'in', chunk)
        .where('sessions.series_id', 'in', seriesChunk)
        .where('assignments.state', 'in', PLACE_STATES)
        .where('sessions.starts_at', '<', before)
        .groupBy(['assignments.volunteer_id', 'sessions.series_id'])
        .execute()
      for (const r of rows) {
        if (r.series_id === null) continue
        const m = out.get(r.volunteer_id) ?? new Map<number, number>()
        m.set(r.series_id, Number(r.n))
        out.set(r.volunteer_id, m)
      }
    }
  }
  return out
}

/** Invitations declined since `since`, per volunteer. */
export async function recentDeclines(db: Db | Tx, volunteerIds: readonly number[], since: number): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (const chunk of chunks(volunteerIds)) {
    const rows = await db
      .selectFrom('invitations')
      .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
      .select(['assignments.volunteer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assignments.volunteer_id', 'in', chunk)
      .where('invitations.state', '=', 'declined')
      .where('invitations.responded_at', '>', since)
      .groupBy('assignments.volunteer_id')
      .execute()
    for (const r of rows) out.set(r.volunteer_id, Number(r.n))
  }
  return out
}

/** Sessions a volunteer has been invited to and not answered yet (still open): tentative commitments for auto-fill. */
export async function openInvitations(db: Db | Tx, volunteerIds: readonly number[], from: number, until: number, now: number): Promise<Array<Commitment & { volunteerId: number }>> {
  const out: Array<Commitment & { volunteerId: number }> = []
  for (const chunk of chunks(volunteerIds)) {
    const rows = await db
      .selectFrom('invitations')
      .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
      .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
      .select(COMMITMENT_COLUMNS)
      .where('assignments.volunteer_id', 'in', chunk)
      .where('invitations.state', '=', 'pending')
      .where('invitations.expires_at', '>', now)
      .where('assignments.state', '=', 'invited')
      .where('sessions.status', '=', 'scheduled')
      .where('sessions.ends_at', '>', from)
      .where('sessions.starts_at', '<', until)
      .execute()
    for (const r of rows) out.push({ volunteerId: r.volunteer_id, sessionId: r.session_id, title: r.title, startsAt: r.starts_at, endsAt: r.ends_at, localDate: r.local_date })
  }
  return out
}

/** Every assignment on these sessions (who is on, invited, waiting, declined…). */
export async function assignmentsOn(db: Db | Tx, sessionIds: readonly number[]): Promise<Array<{ session_id: number; volunteer_id: number; state: AssignmentState; reason: string | null }>> {
  const out: Array<{ session_id: number; volunteer_id: number; state: AssignmentState; reason: string | null }> = []
  for (const chunk of chunks(sessionIds)) {
    out.push(...(await db.selectFrom('assignments').select(['session_id', 'volunteer_id', 'state', 'reason']).where('session_id', 'in', chunk).execute()))
  }
  return out
}

/** Unanswered, unexpired invitations per session. */
export async function openInvitationCounts(db: Db | Tx, sessionIds: readonly number[], now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (const chunk of chunks(sessionIds)) {
    const rows = await db
      .selectFrom('invitations')
      .innerJoin('assignments', 'assignments.id', 'invitations.assignment_id')
      .select(['assignments.session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assignments.session_id', 'in', chunk)
      .where('invitations.state', '=', 'pending')
      .where('invitations.expires_at', '>', now)
      .where('assignments.state', '=', 'invited')
      .groupBy('assignments.session_id')
      .execute()
    for (const r of rows) out.set(r.session_id, Number(r.n))
  }
  return out
}
