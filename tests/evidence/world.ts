// Evidence tests' world: the volunteer-journey world plus places held on sessions that have ended.
import type { Test } from 'tap'
import { world as bookingWorld } from '../bookings/world.js'
import { givePlace } from '../helpers/fixtures.js'

export async function evidenceWorld(t: Test) {
  const w = await bookingWorld(t)
  /** Gives volunteers a confirmed place on a session (as booking would have, before it happened). */
  const place = (sessionId: number, volunteerId: number, state: 'confirmed' | 'attended' | 'no_show' = 'confirmed') => givePlace(w.db, { sessionId, volunteerId, state })
  const stateOf = async (assignmentId: number) => (await w.db.selectFrom('assignments').select('state').where('id', '=', assignmentId).executeTakeFirstOrThrow()).state
  const markOf = async (assignmentId: number) => (await w.db.selectFrom('attendance_marks').selectAll().where('assignment_id', '=', assignmentId).executeTakeFirst()) ?? null
  const auditActions = async () => (await w.db.selectFrom('audit_log').select('action').where('action', 'like', '%attendance%').orderBy('id').execute()).map((r) => r.action)
  return { ...w, place, stateOf, markOf, auditActions }
}
