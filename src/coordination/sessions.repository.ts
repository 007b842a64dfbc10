// SQL for coordinators' sessions and series: listing by branch and range, one session with everything about it, and writing sessions.
import type { Db, Tx } from '../db/connect.js'
import type { AssignmentSource, AssignmentState, InvitationState, Session, SessionKind } from '../db/schema.js'
import { openInvitationCounts } from './history.repository.js'
import type { Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'
import { placesWithHolders, SESSION_LISTING_COLUMNS, sessionsWithBranch, SKILL_COLUMNS } from '../db/columns.js'

export type SessionRow = Pick<
  Session,
  | 'id'
  | 'branch_id'
  | 'series_id'
  | 'title'
  | 'kind'
  | 'local_date'
  | 'start_time'
  | 'end_time'
  | 'starts_at'
  | 'ends_at'
  | 'min_volunteers'
  | 'max_volunteers'
  | 'confirmed_count'
  | 'notes'
  | 'status'
> & { branch_name: string; branch_name_cy: string | null; timezone: string; library_service_id: number }

const SESSION_COLUMNS = [
  ...SESSION_LISTING_COLUMNS,
  'branches.name as branch_name',
  'branches.name_cy as branch_name_cy',
  'branches.timezone',
  'branches.library_service_id',
  'sessions.notes',
  'sessions.status',
] as const

export async function findSession(db: Db | Tx, sessionId: number): Promise<SessionRow | null> {
  const row = await sessionsWithBranch(db)
    .select(SESSION_COLUMNS)
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst()
  return row ?? null
}

export interface ListedSession extends SessionRow {
  /** Invitations sent, still open and not yet answered. */
  pending: number
}

/** Sessions of these branches starting in [from, until), soonest first, with their open invitations; branches named in `options.locale`. */
export async function sessionsInRange(
  db: Db,
  branchIds: readonly number[],
  from: number,
  until: number,
  options: { now: number; scheduledOnly?: boolean; limit?: number; locale?: Locale },
): Promise<ListedSession[]> {
  if (branchIds.length === 0) return []
  let q = sessionsWithBranch(db)
    .select(SESSION_COLUMNS)
    .where('sessions.branch_id', 'in', [...branchIds])
    .where('sessions.starts_at', '>=', from)
    .where('sessions.starts_at', '<', until)
  if (options.scheduledOnly) q = q.where('sessions.status', '=', 'scheduled')
  const rows = await q.orderBy('sessions.starts_at').orderBy('sessions.id').limit(options.limit ?? 5000).execute()
  const pending = await openInvitationCounts(db, rows.map((r) => r.id), options.now)
  return rows.map((r) => ({ ...withLocalNames(r, options.locale ?? 'en'), pending: pending.get(r.id) ?? 0 }))
}

export interface SessionRequirements {
  required: number[]
  preferred: number[]
  trainings: number[]
}

export async function requirementsOf(db: Db | Tx, sessionId: number): Promise<SessionRequirements> {
  const [skills, trainings] = await Promise.all([
    db.selectFrom('session_skills').select(['skill_id', 'requirement']).where('session_id', '=', sessionId).execute(),
    db.selectFrom('session_trainings').select('training_kind_id').where('session_id', '=', sessionId).execute(),
  ])
  return {
    required: skills.filter((s) => s.requirement === 'required').map((s) => s.skill_id),
    preferred: skills.filter((s) => s.requirement === 'preferred').map((s) => s.skill_id),
    trainings: trainings.map((t) => t.training_kind_id),
  }
}

export interface PersonOnSession {
  assignment_id: number
  volunteer_id: number
  name: string
  email: string
  state: AssignmentState
  source: AssignmentSource
  confirmed_at: number | null
  waitlisted_at: number | null
  updated_at: number
}

/** Everyone with an assignment on the session, by state then name. */
export async function peopleOnSession(db: Db | Tx, sessionId: number): Promise<PersonOnSession[]> {
  return placesWithHolders(db)
    .select([
      'assignments.id as assignment_id',
      'volunteers.id as volunteer_id',
      'people.name',
      'people.email',
      'assignments.state',
      'assignments.source',
      'assignments.confirmed_at',
      'assignments.waitlisted_at',
      'assignments.updated_at',
    ])
    .where('assignments.session_id', '=', sessionId)
    .orderBy('people.name')
    .execute()
}

export interface InvitationRow {
  id: number
  assignment_id: number
  volunteer_id: number
  name: string
  state: InvitationState
  assignment_state: AssignmentState
  created_at: number
  expires_at: number
  responded_at: number | null
}

/** The invitations of a session, newest first. */
export async function invitationsOfSession(db: Db | Tx, sessionId: number): Promise<InvitationRow[]> {
  return placesWithHolders(db)
    .innerJoin('invitations', 'invitations.assignment_id', 'assignments.id')
    .select([
      'invitations.id',
      'invitations.assignment_id',
      'volunteers.id as volunteer_id',
      'people.name',
      'invitations.state',
      'assignments.state as assignment_state',
      'invitations.created_at',
      'invitations.expires_at',
      'invitations.responded_at',
    ])
    .where('assignments.session_id', '=', sessionId)
    .orderBy('invitations.id', 'desc')
    .execute()
}

export interface SeriesRow {
  id: number
  branch_id: number
  rrule: string
  starts_on: string
  until_on: string
  skipped_dates: string
  start_time: string
  end_time: string
}

export async function findSeries(db: Db | Tx, seriesId: number): Promise<SeriesRow | null> {
  const row = await db
    .selectFrom('series')
    .select(['id', 'branch_id', 'rrule', 'starts_on', 'until_on', 'skipped_dates', 'start_time', 'end_time'])
    .where('id', '=', seriesId)
    .executeTakeFirst()
  return row ?? null
}

export interface SessionTemplate {
  title: string
  kind: SessionKind
  startTime: string
  endTime: string
  requiredSkillIds: number[]
  preferredSkillIds: number[]
  requiredTrainingIds: number[]
  min: number
  max: number
  notes: string
}

/** A session template as a series row stores it (the same for a new series and a changed one). */
function seriesTemplateColumns(t: SessionTemplate) {
  return {
    title: t.title,
    kind: t.kind,
    start_time: t.startTime,
    end_time: t.endTime,
    required_skill_ids: JSON.stringify(t.requiredSkillIds),
    preferred_skill_ids: JSON.stringify(t.preferredSkillIds),
    required_training_ids: JSON.stringify(t.requiredTrainingIds),
    min_volunteers: t.min,
    max_volunteers: t.max,
    notes: t.notes,
  }
}

export async function insertSeries(
  tx: Tx,
  input: { branchId: number; rrule: string; startsOn: string; untilOn: string; skipped: string[]; template: SessionTemplate; createdBy: number; now: number },
): Promise<number> {
  const t = input.template
  const row = await tx
    .insertInto('series')
    .values({
      branch_id: input.branchId,
      ...seriesTemplateColumns(t),
      rrule: input.rrule,
      starts_on: input.startsOn,
      until_on: input.untilOn,
      skipped_dates: JSON.stringify(input.skipped),
      created_by_person_id: input.createdBy,
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The template future sessions of a series follow (what "this and all future" changes). */
export async function updateSeriesTemplate(tx: Tx, seriesId: number, t: SessionTemplate, extra: { untilOn?: string; rrule?: string }, now: number): Promise<void> {
  await tx
    .updateTable('series')
    .set({
      ...seriesTemplateColumns(t),
      ...(extra.untilOn ? { until_on: extra.untilOn } : {}),
      ...(extra.rrule ? { rrule: extra.rrule } : {}),
      updated_at: now,
    })
    .where('id', '=', seriesId)
    .execute()
}

export async function setSeriesUntil(tx: Tx, seriesId: number, untilOn: string, rrule: string, now: number): Promise<void> {
  await tx.updateTable('series').set({ until_on: untilOn, rrule, updated_at: now }).where('id', '=', seriesId).execute()
}

export interface NewSession {
  date: string
  startsAt: number
  endsAt: number
}

/** Inserts sessions that share a template, with their skills and trainings. Returns their ids in date order. */
export async function insertSessions(tx: Tx, branchId: number, seriesId: number | null, t: SessionTemplate, dated: readonly NewSession[], now: number): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < dated.length; i += 100) {
    const chunk = dated.slice(i, i + 100)
    const rows = await tx
      .insertInto('sessions')
      .values(
        chunk.map((d) => ({
          branch_id: branchId,
          series_id: seriesId,
          title: t.title,
          kind: t.kind,
          local_date: d.date,
          start_time: t.startTime,
          end_time: t.endTime,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
          min_volunteers: t.min,
          max_volunteers: t.max,
          notes: t.notes,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  await setRequirements(tx, ids, t)
  return ids
}

export async function setRequirements(tx: Tx, sessionIds: readonly number[], t: SessionTemplate): Promise<void> {
  for (let i = 0; i < sessionIds.length; i += 200) {
    const chunk = sessionIds.slice(i, i + 200)
    await tx.deleteFrom('session_skills').where('session_id', 'in', chunk).execute()
    await tx.deleteFrom('session_trainings').where('session_id', 'in', chunk).execute()
    const skills = chunk.flatMap((sessionId) => [
      ...t.requiredSkillIds.map((skillId) => ({ session_id: sessionId, skill_id: skillId, requirement: 'required' as const })),
      ...t.preferredSkillIds.map((skillId) => ({ session_id: sessionId, skill_id: skillId, requirement: 'preferred' as const })),
    ])
    for (let j = 0; j < skills.length; j += 300) await tx.insertInto('session_skills').values(skills.slice(j, j + 300)).execute()
    const trainings = chunk.flatMap((sessionId) => t.requiredTrainingIds.map((kindId) => ({ session_id: sessionId, training_kind_id: kindId })))
    for (let j = 0; j < trainings.length; j += 300) await tx.insertInto('session_trainings').values(trainings.slice(j, j + 300)).execute()
  }
}

export async function updateSession(
  tx: Tx,
  sessionId: number,
  t: SessionTemplate,
  when: { date: string; startsAt: number; endsAt: number },
  now: number,
): Promise<void> {
  await tx
    .updateTable('sessions')
    .set((eb) => ({
      title: t.title,
      kind: t.kind,
      local_date: when.date,
      start_time: t.startTime,
      end_time: t.endTime,
      starts_at: when.startsAt,
      ends_at: when.endsAt,
      min_volunteers: t.min,
      max_volunteers: t.max,
      notes: t.notes,
      updated_at: now,
      ical_sequence: eb('ical_sequence', '+', 1),
    }))
    .where('id', '=', sessionId)
    .execute()
  await setRequirements(tx, [sessionId], t)
}

/** Scheduled sessions of a series on or after a date, in date order. */
export async function seriesSessionsFrom(db: Db | Tx, seriesId: number, fromDate: string): Promise<SessionRow[]> {
  return sessionsWithBranch(db)
    .select(SESSION_COLUMNS)
    .where('sessions.series_id', '=', seriesId)
    .where('sessions.local_date', '>=', fromDate)
    .where('sessions.status', '=', 'scheduled')
    .orderBy('sessions.local_date')
    .execute()
}

export async function seriesDates(db: Db | Tx, seriesId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('sessions').select('local_date').where('series_id', '=', seriesId).execute()
  return new Set(rows.map((r) => r.local_date))
}

export async function markCancelled(tx: Tx, sessionId: number, now: number): Promise<void> {
  await tx
    .updateTable('sessions')
    .set((eb) => ({ status: 'cancelled', cancelled_at: now, confirmed_count: 0, updated_at: now, ical_sequence: eb('ical_sequence', '+', 1) }))
    .where('id', '=', sessionId)
    .execute()
}

/** Names of skills, languages and trainings of a library service, for forms. */
export async function catalogue(db: Db | Tx, libraryServiceIds: readonly number[]) {
  if (libraryServiceIds.length === 0) return { skills: [], trainings: [] }
  const [skills, trainings] = await Promise.all([
    db
      .selectFrom('skills')
      .select(SKILL_COLUMNS)
      .where('library_service_id', 'in', [...libraryServiceIds])
      .where('active', '=', 1)
      .orderBy('kind', 'desc')
      .orderBy('sort_order')
      .orderBy('name')
      .execute(),
    db
      .selectFrom('training_kinds')
      .select(['id', 'name', 'name_cy', 'kind', 'validity_months', 'library_service_id'])
      .where('library_service_id', 'in', [...libraryServiceIds])
      .where('active', '=', 1)
      .orderBy('name')
      .execute(),
  ])
  return { skills, trainings }
}
