// My sessions: the volunteer's upcoming places (with each one's withdrawal cut-off), their past ones and their totals.
import type { AppContext } from '../context.js'
import type { SignedInUser } from '../auth/access.js'
import { isPastCutoff, withdrawalCutoff } from './cutoff.js'
import { volunteerOf } from './volunteer-scope.js'
import * as repo from './bookings.repository.js'
import * as cover from './cover.repository.js'
import type { Locale } from '../i18n/i18n.js'
import { withLocalNames } from '../i18n/names.js'

export interface MySession extends repo.MySessionRow {
  cutoffAt: number
  beforeCutoff: boolean
  position: number | null
  /** They have asked for someone to take this place, and nobody has yet. */
  coverAsked?: boolean
}

/** `locale`: the page's language, for the branches' names. */
export async function mySessions(ctx: AppContext, user: SignedInUser, locale: Locale = 'en') {
  const volunteer = volunteerOf(user)
  const now = ctx.clock.now()
  const [upcoming, past, totals, service, coverAsked] = await Promise.all([
    repo.upcomingOf(ctx.db, volunteer.id, now),
    repo.pastOf(ctx.db, volunteer.id, now, 100),
    repo.helpedTotals(ctx.db, volunteer.id, now),
    repo.serviceContact(ctx.db, volunteer.libraryServiceId),
    cover.openRequestAssignmentsOf(ctx.db, volunteer.id),
  ])
  const positions = await repo.waitlistPositions(
    ctx.db,
    volunteer.id,
    upcoming.filter((u) => u.state === 'waitlisted').map((u) => u.session_id),
  )
  const decorate = (row: repo.MySessionRow): MySession => {
    return { ...withLocalNames(row, locale), cutoffAt: withdrawalCutoff(row), beforeCutoff: !isPastCutoff(row, now), position: positions.get(row.session_id) ?? null, coverAsked: coverAsked.has(row.assignment_id) }
  }
  return {
    upcoming: upcoming.map(decorate),
    past: past.map(decorate),
    // Hours come from places marked attended only, as in every report; unmarked past places are counted apart.
    totals: { sessions: totals.sessions, hours: Math.round(totals.minutes / 6) / 10, unmarked: totals.unmarked },
    service,
    now,
  }
}
