// Who is asking on a volunteer's page, and which sessions they may see: the access checks every bookings service starts with.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import * as repo from './bookings.repository.js'

export function volunteerOf(user: SignedInUser): { id: number; libraryServiceId: number } {
  if (!user.volunteer) throw new ForbiddenError({ key: 'volunteer.refusal.forVolunteers' })
  return user.volunteer
}

/** A session the volunteer may see: in their library service. Anything else is "not found". */
export async function visibleSession(ctx: AppContext, user: SignedInUser, sessionId: number): Promise<repo.SessionDetailRow> {
  const volunteer = volunteerOf(user)
  const session = await repo.sessionDetail(ctx.db, sessionId)
  if (!session || session.library_service_id !== volunteer.libraryServiceId) throw new NotFoundError({ key: 'volunteer.refusal.noSession' })
  return session
}
