// The reports benchmark's data: a copy of the national dataset with 12 months of past weekly sessions at every branch, with their places, attendance marks and session reports.
//
// Deterministic (seeded) and written in one transaction with prepared statements. Each branch gets
// one weekly series (the Tuesday morning drop-in) for the 52 weeks before the national dataset's
// first day. A volunteer holds at most one place a week (every past session is on Tuesday at
// 10:00, so two would overlap) and no more than their monthly maximum; each session's
// confirmed_count is its number of places, as the app keeps it.
import fs from 'node:fs'
import SqliteDatabase from 'better-sqlite3'
import { DateTime } from 'luxon'
import { PLACE_STATES } from '../assignments/transitions.js'
import type { AssignmentState } from '../db/schema.js'
import { hashToken, randomToken } from '../auth/tokens.js'
import { SESSION_ABSOLUTE_MS } from '../auth/auth.service.js'
import { prng } from '../seed/demo.js'
import { weeklyRRule } from '../time/recurrence.js'
import { DEFAULT_ZONE, localToInstant } from '../time/wall-clock.js'
import * as repo from './reports-data.repository.js'

export const PAST_WEEKS = 52
const DAY = 86_400_000
const PLAN = { title: 'Digital help drop-in', kind: 'drop_in', start: '10:00', end: '12:00', min: 2, max: 3, notes: 'Help anyone who comes in with whatever they bring.' } as const

export interface PastYear {
  /** The first and last dates of the added sessions. */
  from: string
  to: string
  ms: number
  added: Record<string, number>
}

/** A place's state: most are marked attended, some no-shows, some never marked (still "confirmed"). */
function placeState(roll: number): AssignmentState {
  const [confirmed, attended, noShow] = PLACE_STATES as [AssignmentState, AssignmentState, AssignmentState]
  if (confirmed !== 'confirmed' || attended !== 'attended' || noShow !== 'no_show') throw new Error(`PLACE_STATES changed (${PLACE_STATES.join(', ')}): update the reports benchmark`)
  return roll < 0.82 ? attended : roll < 0.9 ? noShow : confirmed
}

function groupBy<T, V>(items: readonly T[], key: (item: T) => number, value: (item: T) => V): Map<number, V[]> {
  const out = new Map<number, V[]>()
  for (const item of items) {
    const k = key(item)
    if (!out.has(k)) out.set(k, [])
    out.get(k)!.push(value(item))
  }
  return out
}

/** Copies `national` to `file` and adds the past year to the copy. */
export function buildReportsDataset(national: string, file: string, firstDay: string, now: number): PastYear {
  const started = performance.now()
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  // The national file is in WAL mode and closed (its log checkpointed), so the main file is all of it.
  fs.copyFileSync(national, file)
  const raw = new SqliteDatabase(file)
  raw.pragma('journal_mode = OFF')
  raw.pragma('synchronous = OFF')
  raw.pragma('foreign_keys = OFF')
  raw.pragma('cache_size = -200000')

  const random = prng(20261204)
  const shape = repo.readShape(raw)
  const insert = repo.pastYearInserts(raw)
  const added: Record<string, number> = { series: 0, sessions: 0, assignments: 0, attendance_marks: 0, session_reports: 0, session_report_topics: 0 }

  const zone = DEFAULT_ZONE
  const monday = DateTime.fromISO(firstDay, { zone: 'UTC' })
  // Tuesdays of the 52 weeks before the national dataset's first Monday.
  const dates = Array.from({ length: PAST_WEEKS }, (_, i) => monday.minus({ weeks: PAST_WEEKS - i }).plus({ days: 1 }).toISODate()!)
  const from = dates[0]!
  const to = dates[dates.length - 1]!
  const goersOf = groupBy(shape.goers, (g) => g.branch_id, (g) => g)
  const topicsOf = groupBy(shape.topics, (t) => t.library_service_id, (t) => t.id)
  const coordinatorOf = new Map(shape.coordinators.map((c) => [c.library_service_id, c.person_id]))

  let seriesId = shape.maxIds.series
  let sessionId = shape.maxIds.sessions
  let assignmentId = shape.maxIds.assignments
  const seriesOf = new Map<number, number>()
  /** Places per volunteer and month (volunteer id × 10,000 + yyyymm), kept within their monthly maximum. */
  const perMonth = new Map<number, number>()

  raw.transaction(() => {
    for (const b of shape.branches) {
      const id = ++seriesId
      seriesOf.set(b.id, id)
      const rrule = weeklyRRule({ startsOn: from, untilOn: to, days: ['TU'] })
      const coordinator = coordinatorOf.get(b.library_service_id) ?? null
      insert.series(id, b.id, PLAN.title, PLAN.kind, rrule, PLAN.start, PLAN.end, from, to, '[]', '[]', '[]', '[]', PLAN.min, PLAN.max, PLAN.notes, coordinator, now, now)
      added.series!++
    }
    for (const date of dates) {
      const startsAt = localToInstant(date, PLAN.start, zone)
      const endsAt = localToInstant(date, PLAN.end, zone)
      const month = date.slice(0, 7)
      const created = startsAt - 21 * DAY
      /** Everyone placed this week (all sessions are at the same time). */
      const busy = new Set<number>()
      for (const b of shape.branches) {
        const id = ++sessionId
        const coordinator = coordinatorOf.get(b.library_service_id) ?? null
        if (random() < 0.03) {
          insert.session(id, b.id, seriesOf.get(b.id)!, PLAN.title, PLAN.kind, date, PLAN.start, PLAN.end, startsAt, endsAt, PLAN.min, PLAN.max, PLAN.notes, 'cancelled', 0, 1, startsAt - 2 * DAY, created, startsAt - 2 * DAY)
          added.sessions!++
          continue
        }
        const roll = random()
        const target = roll < 0.2 ? PLAN.max : roll < 0.7 ? PLAN.min : roll < 0.95 ? 1 : 0
        const goers = goersOf.get(b.id) ?? []
        const staff: repo.GoerRow[] = []
        for (let tries = 0; staff.length < target && tries < 12 && goers.length; tries++) {
          const g = goers[Math.floor(random() * goers.length)]!
          if (busy.has(g.volunteer_id)) continue
          const key = g.volunteer_id * 10_000 + Number(month.replace('-', ''))
          if ((perMonth.get(key) ?? 0) >= g.max_sessions_per_month) continue
          busy.add(g.volunteer_id)
          perMonth.set(key, (perMonth.get(key) ?? 0) + 1)
          staff.push(g)
        }
        insert.session(id, b.id, seriesOf.get(b.id)!, PLAN.title, PLAN.kind, date, PLAN.start, PLAN.end, startsAt, endsAt, PLAN.min, PLAN.max, PLAN.notes, 'scheduled', staff.length, 0, null, created, endsAt + DAY)
        added.sessions!++
        for (const g of staff) {
          const aid = ++assignmentId
          const state = placeState(random())
          const booked = startsAt - Math.floor(1 + random() * 20) * DAY
          insert.assignment(aid, id, g.volunteer_id, state, random() < 0.7 ? 'self' : 'coordinator', 1, null, booked, null, booked, endsAt + DAY)
          added.assignments!++
          if (state === 'attended' || state === 'no_show') {
            const r = random()
            // A check-in only ever says someone came; a no-show is marked by a person.
            const [source, by] = r < 0.6 || (r >= 0.9 && state === 'no_show') ? ['coordinator', coordinator] : r < 0.9 ? ['volunteer', g.person_id] : ['check_in', null]
            insert.mark(aid, state, source, by, source === 'check_in' ? startsAt + 10 * 60_000 : endsAt + 3_600_000)
            added.attendance_marks!++
          }
        }
        // Now and then someone who withdrew: a row that holds no place (the baseline scan reads it too).
        if (random() < 0.05 && goers.length) {
          const g = goers[Math.floor(random() * goers.length)]!
          if (!staff.includes(g)) {
            insert.assignment(++assignmentId, id, g.volunteer_id, 'withdrawn', 'self', 2, null, startsAt - 10 * DAY, 'Cannot make it', startsAt - 10 * DAY, startsAt - 3 * DAY)
            added.assignments!++
          }
        }
        // Most held sessions are reported, with the topics people came for.
        if (random() < 0.85) {
          const people = Math.floor(random() * 15)
          const newToLibrary = random() < 0.6 ? Math.floor(random() * (people + 1)) : null
          const cameBack = random() < 0.6 ? Math.floor(random() * (people + 1)) : null
          insert.report(id, people, '', coordinator, endsAt + 2 * 3_600_000, newToLibrary, cameBack)
          added.session_reports!++
          const topics = topicsOf.get(b.library_service_id) ?? []
          let left = people
          const chosen = new Set<number>()
          for (let k = 0; k < 3 && left > 0 && topics.length; k++) {
            const skill = topics[Math.floor(random() * topics.length)]!
            if (chosen.has(skill)) continue
            chosen.add(skill)
            const count = k === 2 ? left : 1 + Math.floor(random() * left)
            insert.topic(id, skill, count)
            added.session_report_topics!++
            left -= count
          }
        }
      }
    }
  })()
  repo.analyse(raw)
  raw.pragma('journal_mode = WAL')
  raw.close()
  return { from, to, ms: performance.now() - started, added }
}

export interface BenchSignIns {
  /** The admin of `serviceId`: their login session's token (the cookie's value). */
  admin: { personId: number; token: string }
  /** One partner per size of network asked for, granted the first that many library services. */
  partners: Array<{ services: number; personId: number; token: string }>
}

/** Signs in the admin of one library service, and makes partners granted the first n services for each n in `networks`. */
export function signInReaders(file: string, serviceId: number, networks: readonly number[], now: number): BenchSignIns {
  const raw = new SqliteDatabase(file)
  try {
    return raw.transaction(() => {
      const session = (personId: number) => {
        const token = randomToken()
        repo.insertLoginSession(raw, personId, hashToken(token), now, now + SESSION_ABSOLUTE_MS)
        return token
      }
      const adminId = repo.serviceAdminPerson(raw, serviceId)
      const insert = repo.pastYearInserts(raw)
      const partners = networks.map((n) => {
        const personId = repo.insertPartner(raw, `partner-${n}@bench.example`, now)
        for (let s = 1; s <= n; s++) insert.grant(personId, 'partner', s, null, now)
        return { services: n, personId, token: session(personId) }
      })
      return { admin: { personId: adminId, token: session(adminId) }, partners }
    })()
  } finally {
    raw.close()
  }
}
