// One session described for one volunteer: its state for them, what it needs, why it fits and what to know before booking.
import type { AssignmentState, SessionKind } from '../db/schema.js'
import { kindLabelIn } from '../sessions/kinds.js'
import type { Locale } from '../i18n/i18n.js'
import { toVolunteer, wordingFor } from './volunteer-wording.js'
import { barsVolunteer, reasonsItFits, whatIsNeeded, type Names, type RuleFailure, type SessionNeeds, type VolunteerProfile } from '../matching/eligibility.js'


export type CardState = 'open' | 'full' | 'booked' | 'waitlisted' | 'invited' | 'refused'

export interface SessionCard {
  id: number
  title: string
  kind: string
  branchName: string
  localDate: string
  startTime: string
  endTime: string
  needed: string
  confirmed: number
  max: number
  reasons: string[]
  /** Something to know before booking ("Thursday afternoons are not in your availability"). */
  caveats: string[]
  state: CardState
  position: number | null
  assignmentId: number | null
  /** A message about what just happened to this session (booked, refused…). */
  message: string | null
  /** Move keyboard focus here after an htmx swap. */
  focus: boolean
}

interface CardInput {
  row: { id: number; title: string; kind: SessionKind; branch_name: string; local_date: string; start_time: string; end_time: string }
  needs: SessionNeeds
  /** null: the reasons it fits are not wanted (a swap that only updates the state). */
  profile: VolunteerProfile | null
  names: Names
  mine: { id: number; state: AssignmentState } | undefined
  position: number | null
  failures: RuleFailure[]
  /** The page's language (English when left out). */
  locale?: Locale
}

export function describeSession(input: CardInput): SessionCard {
  const { row, needs, profile, names, mine } = input
  const locale = input.locale ?? 'en'
  const say = wordingFor(locale)
  const full = needs.confirmed >= needs.max
  let state: CardState = full ? 'full' : 'open'
  if (mine?.state === 'confirmed') state = 'booked'
  else if (mine?.state === 'waitlisted') state = 'waitlisted'
  else if (mine?.state === 'invited') state = 'invited'
  else if (input.failures.some(barsVolunteer)) state = 'refused'
  return {
    id: row.id,
    title: row.title,
    kind: kindLabelIn(row.kind, locale),
    branchName: row.branch_name,
    localDate: row.local_date,
    startTime: row.start_time,
    endTime: row.end_time,
    needed: whatIsNeeded(needs, names, say),
    confirmed: needs.confirmed,
    max: needs.max,
    reasons: profile ? reasonsItFits(profile, needs, names, say) : [],
    caveats: input.failures.map((f) => toVolunteer(f, locale)),
    state,
    position: input.position,
    assignmentId: mine?.id ?? null,
    message: null,
    focus: false,
  }
}
