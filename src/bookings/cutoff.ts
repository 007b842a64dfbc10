// The withdrawal cut-off: before it a volunteer simply withdraws; from it on, they tell us they cannot make it and the coordinators are alerted.
//
// The library service sets the hours (withdraw_cutoff_hours); every page and the withdrawal
// itself work the instant out here, so My sessions, the session page and the decision agree.

const HOUR_MS = 3_600_000

/** The instant of a session's cut-off: its start less the service's cut-off hours. */
export function withdrawalCutoff(session: { starts_at: number; withdraw_cutoff_hours: number }): number {
  return session.starts_at - session.withdraw_cutoff_hours * HOUR_MS
}

/** Whether `now` is at or after the cut-off (an "I can't make it", not a plain withdrawal). */
export function isPastCutoff(session: { starts_at: number; withdraw_cutoff_hours: number }, now: number): boolean {
  return now >= withdrawalCutoff(session)
}
