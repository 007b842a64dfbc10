// What the web benchmark needs in the database before it starts: signed-in volunteers and bookings they may make (the SQL, and the invariants after, are in plan.repository.ts).
import type { Db } from '../db/connect.js'
import { hashToken, randomToken } from '../auth/tokens.js'
import { loadNames, loadProfiles, needsFromRows } from '../assignments/assignments.repository.js'
import { monthWindow } from '../assignments/places.service.js'
import { BOOKING_RULES, checkRules, type VolunteerProfile } from '../matching/eligibility.js'
import { candidateSessions } from '../bookings/bookings.repository.js'
import { addDays, DEFAULT_ZONE, todayIn } from '../time/wall-clock.js'
import { activeVolunteersWithAvailability, insertLoginSessions, serviceOfVolunteers } from './plan.repository.js'

export interface BenchUser {
  volunteerId: number
  token: string
}

/** Signs in volunteers by writing login sessions, as the emailed link would. */
export async function signInVolunteers(db: Db, count: number, now: number): Promise<BenchUser[]> {
  const rows = await activeVolunteersWithAvailability(db)
  // Spread over the whole country, not the first few services.
  const step = Math.max(1, Math.floor(rows.length / count))
  const chosen = rows.filter((_, i) => i % step === 0).slice(0, count)
  const users = chosen.map((r) => ({ volunteerId: r.id, token: randomToken() }))
  const personOf = new Map(chosen.map((r) => [r.id, r.person_id]))
  await insertLoginSessions(db, users.map((u) => ({ idHash: hashToken(u.token), personId: personOf.get(u.volunteerId)! })), now, now + 14 * 86_400_000)
  return users
}

/** (volunteer, session) pairs that the booking rules allow, with no session planned beyond its free places. */
export async function planBookings(db: Db, users: BenchUser[], now: number): Promise<Array<{ user: BenchUser; sessionId: number }>> {
  const today = todayIn(now, DEFAULT_ZONE)
  const last = addDays(today, 55)
  const pairs: Array<{ user: BenchUser; sessionId: number; rank: number }> = []
  const planned = new Map<number, number>()
  const namesByService = new Map<number, Awaited<ReturnType<typeof loadNames>>>()
  for (let i = 0; i < users.length; i += 400) {
    const batch = users.slice(i, i + 400)
    const profiles = await loadProfiles(db, batch.map((u) => u.volunteerId), monthWindow(today).from, monthWindow(last).until)
    const serviceOf = await serviceOfVolunteers(db, batch.map((u) => u.volunteerId))
    for (const user of batch) {
      const profile = profiles.get(user.volunteerId) as VolunteerProfile
      const serviceId = serviceOf.get(user.volunteerId)!
      if (!namesByService.has(serviceId)) namesByService.set(serviceId, await loadNames(db, serviceId))
      const rows = await candidateSessions(db, { branchIds: profile.branchIds, fromDate: today, toDate: last, after: now + 2 * 3_600_000, before: now + 58 * 86_400_000, limit: 500 })
      const needs = await needsFromRows(db, rows)
      let taken = 0
      for (const row of rows) {
        const need = needs.get(row.id)!
        const free = need.max - need.confirmed - (planned.get(row.id) ?? 0)
        if (free <= 0) continue
        // Already theirs (the rules let a volunteer "book" a place they hold: it answers "already booked").
        if (profile.commitments.some((c) => c.sessionId === row.id)) continue
        if (checkRules(profile, need, namesByService.get(serviceId)!, BOOKING_RULES).length) continue
        planned.set(row.id, (planned.get(row.id) ?? 0) + 1)
        ;(profile.commitments as VolunteerProfile['commitments'][number][]).push({ sessionId: row.id, title: row.title, startsAt: row.starts_at, endsAt: row.ends_at, localDate: row.local_date })
        pairs.push({ user, sessionId: row.id, rank: taken })
        if (++taken >= 3) break
      }
    }
  }
  // Interleave volunteers so that concurrent requests are different people: everyone's first booking, then their second…
  return pairs
    .sort((a, b) => a.rank - b.rank || (a.user.volunteerId % 97) - (b.user.volunteerId % 97) || a.user.volunteerId - b.user.volunteerId)
    .map(({ user, sessionId }) => ({ user, sessionId }))
}
