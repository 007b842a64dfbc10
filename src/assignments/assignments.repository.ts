// SQL behind places on sessions: row locks, the profiles and needs the rules read, and assignment rows with history.
import { isSqlite, type Db, type Tx } from '../db/connect.js'
import { prepared } from '../db/prepared.js'
import { TableCache } from '../db/changes.js'
import { COMMITMENT_COLUMNS } from '../db/columns.js'
import type { Selectable } from 'kysely'
import type { AssignmentSource, AssignmentState, AssignmentsTable, Session, VolunteerStatus } from '../db/schema.js'
import type { Commitment, Names, SessionNeeds, VolunteerProfile } from '../matching/eligibility.js'
import { assertMove, PLACE_STATES } from './transitions.js'
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames } from '../i18n/names.js'

export { PLACE_STATES }

const LOCKED_VOLUNTEER_COLUMNS = ['status', 'library_service_id'] as const

const volunteerLock = prepared((tx, volunteerId: number) =>
  tx
    .updateTable('volunteers')
    .set((eb) => ({ lock_version: eb('lock_version', '+', 1) }))
    .where('id', '=', volunteerId)
    .returning(LOCKED_VOLUNTEER_COLUMNS),
)

const volunteerRead = prepared((tx, volunteerId: number) => tx.selectFrom('volunteers').select(LOCKED_VOLUNTEER_COLUMNS).where('id', '=', volunteerId))

/**
 * Serialises transactions on one volunteer: on PostgreSQL an UPDATE takes the row lock until
 * commit. On SQLite the transaction already holds the database's one write lock (BEGIN
 * IMMEDIATE), so a plain read does, and no page is written for it. Returns the volunteer's
 * status, or null if there is none.
 */
export async function lockVolunteer(tx: Tx, volunteerId: number): Promise<{ status: VolunteerStatus; library_service_id: number } | null> {
  return ((await (isSqlite(tx) ? volunteerRead : volunteerLock).first(tx, volunteerId)) as { status: VolunteerStatus; library_service_id: number } | undefined) ?? null
}

/** What the rules read of a session (its requirements come from needsFromRows). */
const NEEDS_COLUMNS = ['id', 'branch_id', 'series_id', 'title', 'local_date', 'start_time', 'end_time', 'starts_at', 'ends_at', 'min_volunteers', 'max_volunteers', 'confirmed_count'] as const
const LOCKED_SESSION_COLUMNS = [...NEEDS_COLUMNS, 'status'] as const

/** A session as its lock returns it. */
export type LockedSession = Pick<Session, (typeof LOCKED_SESSION_COLUMNS)[number]>

const sessionLock = prepared((tx, sessionId: number) =>
  tx
    .updateTable('sessions')
    .set((eb) => ({ lock_version: eb('lock_version', '+', 1) }))
    .where('id', '=', sessionId)
    .returning(LOCKED_SESSION_COLUMNS),
)

const sessionRead = prepared((tx, sessionId: number) => tx.selectFrom('sessions').select(LOCKED_SESSION_COLUMNS).where('id', '=', sessionId))

/** Serialises transactions on one session (capacity is decided under this lock; on SQLite, under the write lock the transaction holds). */
export async function lockSession(tx: Tx, sessionId: number): Promise<LockedSession | null> {
  return ((await (isSqlite(tx) ? sessionRead : sessionLock).first(tx, sessionId)) as LockedSession | undefined) ?? null
}

const needsSessions = prepared((db, ids: readonly number[]) => db.selectFrom('sessions').select(NEEDS_COLUMNS).where('id', 'in', ids))

/** The rule-relevant facts of sessions, by id. */
export async function loadSessionNeeds(db: Db | Tx, sessionIds: readonly number[]): Promise<Map<number, SessionNeeds>> {
  if (sessionIds.length === 0) return new Map()
  const ids = [...new Set(sessionIds)]
  return needsFromRows(db, await needsSessions.all(db, ids))
}

export type SessionRowForNeeds = Pick<Session, (typeof NEEDS_COLUMNS)[number]>

const sessionSkills = prepared((db, ids: readonly number[]) => db.selectFrom('session_skills').select(['session_id', 'skill_id', 'requirement']).where('session_id', 'in', ids))
const sessionTrainings = prepared((db, ids: readonly number[]) => db.selectFrom('session_trainings').select(['session_id', 'training_kind_id']).where('session_id', 'in', ids))

interface Requirements {
  requiredSkillIds: readonly number[]
  preferredSkillIds: readonly number[]
  requiredTrainingIds: readonly number[]
}

/** What each session requires, kept until a session's skills or trainings are written (they change far less often than they are read). */
const requirementsCache = new TableCache<number, Requirements>(['session_skills', 'session_trainings'], 50_000)

async function loadRequirements(db: Db | Tx, ids: readonly number[]): Promise<Map<number, Requirements>> {
  const [skills, trainings] = await Promise.all([sessionSkills.all(db, ids), sessionTrainings.all(db, ids)])
  const byId = new Map<number, { requiredSkillIds: number[]; preferredSkillIds: number[]; requiredTrainingIds: number[] }>()
  for (const id of ids) byId.set(id, { requiredSkillIds: [], preferredSkillIds: [], requiredTrainingIds: [] })
  for (const k of skills) (k.requirement === 'required' ? byId.get(k.session_id)?.requiredSkillIds : byId.get(k.session_id)?.preferredSkillIds)?.push(k.skill_id)
  for (const tr of trainings) byId.get(tr.session_id)?.requiredTrainingIds.push(tr.training_kind_id)
  return byId
}

/** The same, for session rows a caller has already read (their skills and trainings are added). */
export async function needsFromRows(db: Db | Tx, sessions: readonly SessionRowForNeeds[]): Promise<Map<number, SessionNeeds>> {
  const result = new Map<number, SessionNeeds>()
  if (sessions.length === 0) return result
  const requirements = await requirementsCache.getMany(db, [...new Set(sessions.map((s) => s.id))], (missing) => loadRequirements(db, missing))
  for (const s of sessions) {
    const r = requirements.get(s.id)!
    result.set(s.id, {
      id: s.id,
      branchId: s.branch_id,
      seriesId: s.series_id,
      title: s.title,
      localDate: s.local_date,
      startTime: s.start_time,
      endTime: s.end_time,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      requiredSkillIds: r.requiredSkillIds,
      preferredSkillIds: r.preferredSkillIds,
      requiredTrainingIds: r.requiredTrainingIds,
      min: s.min_volunteers,
      max: s.max_volunteers,
      confirmed: s.confirmed_count,
    })
  }
  return result
}

const profileQueries = {
  volunteers: prepared((db, ids: readonly number[]) =>
    db
      .selectFrom('volunteers')
      .innerJoin('people', 'people.id', 'volunteers.person_id')
      .select(['volunteers.id', 'people.name', 'volunteers.status', 'volunteers.home_branch_id', 'volunteers.max_sessions_per_month'])
      .where('volunteers.id', 'in', ids),
  ),
  branches: prepared((db, ids: readonly number[]) => db.selectFrom('volunteer_branches').select(['volunteer_id', 'branch_id']).where('volunteer_id', 'in', ids)),
  skills: prepared((db, ids: readonly number[]) => db.selectFrom('volunteer_skills').select(['volunteer_id', 'skill_id']).where('volunteer_id', 'in', ids)),
  trainings: prepared((db, ids: readonly number[]) =>
    db.selectFrom('volunteer_trainings').select(['volunteer_id', 'training_kind_id', 'completed_on', 'expires_on']).where('volunteer_id', 'in', ids),
  ),
  windows: prepared((db, ids: readonly number[]) =>
    db.selectFrom('availability_windows').select(['volunteer_id', 'day_of_week', 'start_time', 'end_time']).where('volunteer_id', 'in', ids),
  ),
  timeOff: prepared((db, ids: readonly number[]) => db.selectFrom('time_off').select(['volunteer_id', 'start_date', 'end_date']).where('volunteer_id', 'in', ids)),
  commitments: prepared((db, ids: readonly number[], from: number, until: number) =>
    db
      .selectFrom('assignments')
      .innerJoin('sessions', 'sessions.id', 'assignments.session_id')
      .select(COMMITMENT_COLUMNS)
      .where('assignments.volunteer_id', 'in', ids)
      .where('assignments.state', 'in', PLACE_STATES)
      .where('sessions.status', '=', 'scheduled')
      .where('sessions.ends_at', '>', from)
      .where('sessions.starts_at', '<', until),
  ),
}

/**
 * The same rule as the commitments read above, applied to a volunteer's assignment rows a caller
 * has already read (any state, any window): the places they hold on scheduled sessions between
 * `from` and `until`.
 */
export function commitmentsAmong(
  rows: ReadonlyArray<{ session_id: number; state: AssignmentState; status: Session['status']; title: string; starts_at: number; ends_at: number; local_date: string }>,
  from: number,
  until: number,
): Commitment[] {
  return rows
    .filter((a) => PLACE_STATES.includes(a.state) && a.status === 'scheduled' && a.ends_at > from && a.starts_at < until)
    .map((a) => ({ sessionId: a.session_id, title: a.title, startsAt: a.starts_at, endsAt: a.ends_at, localDate: a.local_date }))
}

/**
 * Volunteer profiles with their commitments (places held) between `from` and `until` (instants).
 * Callers widen the window to whole months so the monthly cap sees every session of the month.
 */
export async function loadProfiles(
  db: Db | Tx,
  volunteerIds: readonly number[],
  from: number,
  until: number,
  /** The commitments in that window, when the caller has just read them (they are not read again). */
  knownCommitments?: ReadonlyMap<number, readonly Commitment[]>,
): Promise<Map<number, VolunteerProfile>> {
  const result = new Map<number, VolunteerProfile>()
  if (volunteerIds.length === 0) return result
  const ids = [...new Set(volunteerIds)]
  const [volunteers, branches, skills, trainings, windows, timeOff, commitments] = await Promise.all([
    profileQueries.volunteers.all(db, ids),
    profileQueries.branches.all(db, ids),
    profileQueries.skills.all(db, ids),
    profileQueries.trainings.all(db, ids),
    profileQueries.windows.all(db, ids),
    profileQueries.timeOff.all(db, ids),
    knownCommitments ? [] : profileQueries.commitments.all(db, ids, from, until),
  ])
  for (const v of volunteers) {
    result.set(v.id, {
      id: v.id,
      name: v.name,
      status: v.status,
      homeBranchId: v.home_branch_id,
      branchIds: [],
      skillIds: [],
      trainings: [],
      windows: [],
      timeOff: [],
      maxPerMonth: v.max_sessions_per_month,
      commitments: [...(knownCommitments?.get(v.id) ?? [])],
    })
  }
  const get = (id: number) => result.get(id)
  for (const b of branches) (get(b.volunteer_id)?.branchIds as number[] | undefined)?.push(b.branch_id)
  for (const s of skills) (get(s.volunteer_id)?.skillIds as number[] | undefined)?.push(s.skill_id)
  for (const tr of trainings) {
    ;(get(tr.volunteer_id)?.trainings as VolunteerProfile['trainings'][number][] | undefined)?.push({ trainingKindId: tr.training_kind_id, completedOn: tr.completed_on, expiresOn: tr.expires_on })
  }
  for (const w of windows) (get(w.volunteer_id)?.windows as Array<{ day: number; start: string; end: string }> | undefined)?.push({ day: w.day_of_week, start: w.start_time, end: w.end_time })
  for (const o of timeOff) (get(o.volunteer_id)?.timeOff as Array<{ start: string; end: string }> | undefined)?.push({ start: o.start_date, end: o.end_date })
  for (const c of commitments) {
    ;(get(c.volunteer_id)?.commitments as Commitment[] | undefined)?.push({ sessionId: c.session_id, title: c.title, startsAt: c.starts_at, endsAt: c.ends_at, localDate: c.local_date })
  }
  return result
}

/** Names of a library service's skills, trainings and branches, for the words of the rules, in `locale` (src/i18n/names.ts). */
export async function loadNames(db: Db | Tx, libraryServiceId: number, locale: Locale = 'en'): Promise<Names> {
  return (await loadNameLists(db, libraryServiceId, locale)).names
}

const nameQueries = {
  skills: prepared((db, serviceId: number) => db.selectFrom('skills').select(['id', 'name', 'name_cy', 'kind', 'active', 'sort_order']).where('library_service_id', '=', serviceId)),
  trainings: prepared((db, serviceId: number) => db.selectFrom('training_kinds').select(['id', 'name', 'name_cy']).where('library_service_id', '=', serviceId)),
  branches: prepared((db, serviceId: number) => db.selectFrom('branches').select(['id', 'name', 'name_cy', 'timezone']).where('library_service_id', '=', serviceId)),
}

export interface NameLists {
  names: Names
  /** Each `name` in the lists' language (an admin's Welsh form on Welsh lists when there is one); `name_cy` as entered. */
  skills: ReadonlyArray<{ id: number; name: string; name_cy: string | null; kind: 'topic' | 'language'; active: number; sort_order: number }>
  trainings: ReadonlyArray<{ id: number; name: string; name_cy: string | null }>
  /** With each branch's zone: "today" is each branch's own. */
  branches: ReadonlyArray<{ id: number; name: string; name_cy: string | null; timezone: string }>
}

/** A service's lists in each language, kept until one of them is written (an admin's edit): every search and booking message reads them. */
const nameListsCache = new TableCache<number, Record<Locale, NameLists>>(['skills', 'training_kinds', 'branches'], 1_000)

/** The same, with the lists themselves (for pages that also offer them as choices), names in `locale`. */
export async function loadNameLists(db: Db | Tx, libraryServiceId: number, locale: Locale = 'en'): Promise<NameLists> {
  return (await nameListsCache.get(db, libraryServiceId, () => readNameLists(db, libraryServiceId)))[locale]
}

async function readNameLists(db: Db | Tx, libraryServiceId: number): Promise<Record<Locale, NameLists>> {
  const [skills, trainings, branches] = await Promise.all([
    nameQueries.skills.all(db, libraryServiceId),
    nameQueries.trainings.all(db, libraryServiceId),
    nameQueries.branches.all(db, libraryServiceId),
  ])
  const listsIn = (locale: Locale): NameLists => {
    const local = { skills: allWithLocalNames(skills, locale), trainings: allWithLocalNames(trainings, locale), branches: allWithLocalNames(branches, locale) }
    const skill = new Map(local.skills.map((s) => [s.id, s]))
    const training = new Map(local.trainings.map((x) => [x.id, x.name]))
    const branch = new Map(local.branches.map((b) => [b.id, b.name]))
    const names: Names = {
      skill: (id) => skill.get(id)?.name ?? 'a skill',
      skillKind: (id) => skill.get(id)?.kind ?? 'topic',
      training: (id) => training.get(id) ?? 'a training',
      branch: (id) => branch.get(id) ?? 'that library',
    }
    return { names, ...local }
  }
  return { en: listsIn('en'), cy: listsIn('cy') }
}

const assignmentOf = prepared((db, sessionId: number, volunteerId: number) =>
  db.selectFrom('assignments').selectAll().where('session_id', '=', sessionId).where('volunteer_id', '=', volunteerId),
)

export type Assignment = Selectable<AssignmentsTable>

export async function findAssignment(db: Db | Tx, sessionId: number, volunteerId: number): Promise<Assignment | undefined> {
  return assignmentOf.first(db, sessionId, volunteerId)
}

const assignmentsInStates = prepared((db, sessionId: number, states: readonly AssignmentState[]) =>
  db.selectFrom('assignments').selectAll().where('session_id', '=', sessionId).where('state', 'in', states).orderBy('id'),
)

/** A session's assignment rows in some states, oldest first. */
export async function assignmentsOfSession(db: Db | Tx, sessionId: number, states: readonly AssignmentState[]): Promise<Assignment[]> {
  return assignmentsInStates.all(db, sessionId, states)
}

const assignmentWrites = {
  update: prepared(
    (tx, id: number, state: AssignmentState, source: AssignmentSource, confirmedAt: number | null, waitlistedAt: number | null, reason: string | null, now: number) =>
      tx
        .updateTable('assignments')
        .set({ state, source, confirmed_at: confirmedAt, waitlisted_at: waitlistedAt, reason, updated_at: now })
        .where('id', '=', id),
  ),
  insert: prepared(
    (tx, sessionId: number, volunteerId: number, state: AssignmentState, source: AssignmentSource, waitlistedAt: number | null, confirmedAt: number | null, reason: string | null, now: number) =>
      tx
        .insertInto('assignments')
        .values({
          session_id: sessionId,
          volunteer_id: volunteerId,
          state,
          source,
          waitlisted_at: waitlistedAt,
          confirmed_at: confirmedAt,
          reason,
          created_at: now,
          updated_at: now,
        })
        .returning('id'),
  ),
  event: prepared(
    (tx, assignmentId: number, from: AssignmentState | null, to: AssignmentState, source: AssignmentSource, actor: number | null, note: string, at: number) =>
      tx.insertInto('assignment_events').values({ assignment_id: assignmentId, from_state: from, to_state: to, source, actor_person_id: actor, note, at }),
  ),
}

/**
 * Moves (or creates) the one assignment row of this volunteer on this session, and records the
 * step in its history. Only places.service.moveAssignmentInTx calls this (it adds the move's side
 * effects); a move the table in transitions.ts does not allow throws IllegalMoveError here too.
 */
export async function setAssignmentState(
  tx: Tx,
  input: {
    sessionId: number
    volunteerId: number
    state: AssignmentState
    source: AssignmentSource
    actorPersonId: number | null
    note?: string
    reason?: string | null
    now: number
    /** The row as the caller read it in this transaction, under the locks (null: there is none); read here if not given. */
    existing?: Assignment | null
  },
): Promise<{ id: number; from: AssignmentState | null }> {
  const existing = input.existing !== undefined ? input.existing : await findAssignment(tx, input.sessionId, input.volunteerId)
  assertMove(existing?.state ?? null, input.state)
  const confirmedAt = input.state === 'confirmed' ? input.now : (existing?.confirmed_at ?? null)
  const waitlistedAt = input.state === 'waitlisted' ? input.now : null
  let id: number
  if (existing) {
    const source = input.state === 'confirmed' || input.state === 'waitlisted' || input.state === 'invited' ? input.source : existing.source
    await assignmentWrites.update.run(tx, existing.id, input.state, source, confirmedAt, waitlistedAt, input.reason ?? null, input.now)
    id = existing.id
  } else {
    const row = await assignmentWrites.insert.first(tx, input.sessionId, input.volunteerId, input.state, input.source, waitlistedAt, confirmedAt, input.reason ?? null, input.now)
    if (!row) throw new Error('inserting an assignment returned no id')
    id = row.id
  }
  await assignmentWrites.event.run(tx, id, existing?.state ?? null, input.state, input.source, input.actorPersonId, input.note ?? input.reason ?? '', input.now)
  return { id, from: existing?.state ?? null }
}

const countUp = prepared((tx, sessionId: number) =>
  tx
    .updateTable('sessions')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', 1) }))
    .where('id', '=', sessionId)
    .where((eb) => eb('confirmed_count', '<', eb.ref('max_volunteers'))),
)
const countDown = prepared((tx, sessionId: number) =>
  tx
    .updateTable('sessions')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '-', 1) }))
    .where('id', '=', sessionId)
    .where('confirmed_count', '>', 0),
)

/** +1 / -1 on the session's count of places taken, never above its maximum (the database refuses that too). */
export async function changeConfirmedCount(tx: Tx, sessionId: number, delta: 1 | -1): Promise<boolean> {
  return (await (delta > 0 ? countUp : countDown).run(tx, sessionId)) === 1
}

const waitlistRows = prepared((db, sessionId: number) =>
  db.selectFrom('assignments').select(['id', 'volunteer_id', 'waitlisted_at']).where('session_id', '=', sessionId).where('state', '=', 'waitlisted').orderBy('waitlisted_at').orderBy('id'),
)

/** Waitlisted volunteers of a session, first come first served. */
export async function waitlistOf(db: Db | Tx, sessionId: number): Promise<Array<{ id: number; volunteer_id: number; waitlisted_at: number | null }>> {
  return waitlistRows.all(db, sessionId)
}

const serviceOfSession = prepared((db, sessionId: number) =>
  db
    .selectFrom('sessions')
    .innerJoin('branches', 'branches.id', 'sessions.branch_id')
    .innerJoin('library_services', 'library_services.id', 'branches.library_service_id')
    .select(['branches.library_service_id', 'library_services.booking_window_days', 'library_services.withdraw_cutoff_hours', 'branches.timezone'])
    .where('sessions.id', '=', sessionId),
)

export async function libraryServiceOfSession(db: Db | Tx, sessionId: number): Promise<{ library_service_id: number; booking_window_days: number; withdraw_cutoff_hours: number; timezone: string } | null> {
  return (await serviceOfSession.first(db, sessionId)) ?? null
}
