// A session for the schedule and edit forms: scope-checked in two small reads, without building the staffing page.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { NotFoundError, UserError } from '../errors.js'
import { assertSessionInScope } from './scope.js'
import { catalogue, findSession, type SessionRow } from './sessions.repository.js'
import type { Locale } from '../i18n/i18n.js'
import { allWithLocalNames, withLocalNames } from '../i18n/names.js'

/**
 * The session, if it exists and is at a branch this person coordinates. With scope 'future' it
 * must also be part of a series (there is nothing later to change otherwise).
 */
export async function sessionToEdit(ctx: AppContext, user: SignedInUser, sessionId: number, scope: 'one' | 'future' = 'one', locale: Locale = 'en'): Promise<SessionRow> {
  await assertSessionInScope(ctx.db, user, sessionId)
  const session = await findSession(ctx.db, sessionId)
  if (!session) throw new NotFoundError({ key: 'coordinator.refusal.noSession' })
  if (scope === 'future' && session.series_id === null) throw new UserError({ key: 'coordinator.refusal.notSeries' })
  // The branch named in the page's language (src/i18n/names.ts).
  return withLocalNames(session, locale)
}

/** The skills, topics and trainings a session of these library services may ask for, named in `locale` (src/i18n/names.ts). */
export async function formCatalogue(ctx: AppContext, libraryServiceIds: readonly number[], locale: Locale = 'en') {
  const { skills, trainings } = await catalogue(ctx.db, libraryServiceIds)
  return { skills: allWithLocalNames(skills, locale), trainings: allWithLocalNames(trainings, locale) }
}
