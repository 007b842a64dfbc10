// SQL behind the recording links: the places to prompt once a session has ended, the link rows (hash only), and using one.
import type { Db, Tx } from '../db/connect.js'
import { PLACE_STATES } from '../assignments/transitions.js'
import { MARK_COLUMNS, placeHolderColumns, placesWithHolders, placesWithPeople, sessionHeadingColumns } from '../db/columns.js'
import type { AssignmentState, AttendanceOutcome, AttendanceSource, VolunteerStatus } from '../db/schema.js'

/**
 * Places on sessions that ended in (from, until], not cancelled, held by volunteers still with
 * the service and not anonymised, that have no recording link yet; with their mark and whether
 * the session has a report.
 */
export async function placesToPrompt(db: Db, from: number, until: number) {
  return placesWithPeople(db)
    .leftJoin('recording_links', 'recording_links.assignment_id', 'assignments.id')
    .leftJoin('attendance_marks', 'attendance_marks.assignment_id', 'assignments.id')
    .leftJoin('session_reports', 'session_reports.session_id', 'sessions.id')
    .select([
      ...placeHolderColumns,
      ...sessionHeadingColumns,
      'branches.name as branchName',
      'branches.name_cy as branchNameCy',
      'branches.library_service_id as libraryServiceId',
      'attendance_marks.source as markSource',
      'attendance_marks.outcome as markOutcome',
      'session_reports.session_id as reportedSessionId',
    ])
    .where('assignments.state', 'in', PLACE_STATES)
    .where('sessions.status', '=', 'scheduled')
    .where('sessions.ends_at', '>', from)
    .where('sessions.ends_at', '<=', until)
    .where('volunteers.status', '!=', 'left')
    .where('people.anonymised_at', 'is', null)
    .where('recording_links.id', 'is', null)
    .orderBy('sessions.ends_at')
    .orderBy('assignments.id')
    .execute()
}

/** A new link for a place; null when the place already has one (the job ran twice, or on two instances). */
export async function insertLink(tx: Tx, link: { assignmentId: number; tokenHash: string; expiresAt: number; now: number }): Promise<number | null> {
  const row = await tx
    .insertInto('recording_links')
    .values({ assignment_id: link.assignmentId, token_hash: link.tokenHash, expires_at: link.expiresAt, created_at: link.now })
    .onConflict((oc) => oc.column('assignment_id').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export interface RecordingLink {
  id: number
  expires_at: number
  used_at: number | null
  assignment_id: number
  assignment_state: AssignmentState
  session_id: number
  volunteer_id: number
  volunteer_status: VolunteerStatus
  person_id: number
  anonymised_at: number | null
  mark_source: AttendanceSource | null
  mark_outcome: AttendanceOutcome | null
}

/** The link with this token hash, with its place, the volunteer holding it and the place's mark. */
export async function linkByTokenHash(db: Db | Tx, tokenHash: string): Promise<RecordingLink | null> {
  const row = await placesWithHolders(db)
    .innerJoin('recording_links', 'recording_links.assignment_id', 'assignments.id')
    .leftJoin('attendance_marks', 'attendance_marks.assignment_id', 'assignments.id')
    .select([
      'recording_links.id',
      'recording_links.expires_at',
      'recording_links.used_at',
      'assignments.id as assignment_id',
      'assignments.state as assignment_state',
      'assignments.session_id',
      'volunteers.id as volunteer_id',
      'volunteers.status as volunteer_status',
      'people.id as person_id',
      'people.anonymised_at',
      ...MARK_COLUMNS,
    ])
    .where('recording_links.token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row ?? null
}

/** Marks the link used; false when it already was (two submissions at once: one wins). */
export async function useLink(tx: Tx, linkId: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('recording_links').set({ used_at: now }).where('id', '=', linkId).where('used_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
