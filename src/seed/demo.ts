// Demo data for an empty database outside production: one library service, 8 branches, 60 volunteers, 6 weeks of sessions ahead and 4 months of evidence behind.
//
// Deterministic (a seeded PRNG), so every fresh start shows the same people and gaps. Dates are
// relative to today, so the demo is always current. No email is queued for seeded bookings.
// This file only decides what to write; the SQL is in demo.repository.ts, all in the caller's one transaction.
import { DateTime } from 'luxon'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import type { AssignmentState, SessionKind } from '../db/schema.js'
import { weeklyDates, weeklyRRule, type Weekday } from '../time/recurrence.js'
import { DEFAULT_ZONE, localToInstant, todayIn } from '../time/wall-clock.js'
import { mapUnmappedTopics } from '../evidence/framework.js'
import * as repo from './demo.repository.js'

export const DEMO_VOLUNTEERS = 60

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BRANCHES = [
  { name: 'Westmoor Central Library', address: '1 Library Square, Westmoor', postcode: 'WM1 1AA', arrival: 'Use the main entrance on Library Square and ask at the enquiry desk on the ground floor.', access: 'Step-free entrance, lift to all floors, accessible toilet and hearing loop at the enquiry desk.' },
  { name: 'Ashby Road Library', address: '42 Ashby Road, Westmoor', postcode: 'WM2 3BD', arrival: 'The computers are at the back of the library, past the children’s area.', access: 'Step-free entrance from the car park side. Accessible toilet.' },
  { name: 'Eastfield Library', address: 'Eastfield Community Hub, 7 Chapel Lane, Eastfield', postcode: 'WM4 6EF', arrival: 'The library shares the hub with the café; sign in at the hub reception.', access: 'Step-free throughout. Quiet room available on request.' },
  { name: 'Hollins Green Library', address: '15 The Parade, Hollins Green', postcode: 'WM5 2GH', arrival: 'Ring the bell at the side door if the front door is locked before opening.', access: 'Two steps at the front; a portable ramp is kept behind the counter.' },
  { name: 'Millbrook Library', address: 'Millbrook Centre, Station Road, Millbrook', postcode: 'WM7 8JK', arrival: 'First floor of the Millbrook Centre, next to the council contact point.', access: 'Lift from the shopping centre entrance. Hearing loop.' },
  { name: 'Northgate Library', address: '210 Northgate, Westmoor', postcode: 'WM3 9LN', arrival: 'Sessions run in the study room on the left as you come in.', access: 'Step-free entrance. Accessible toilet on the ground floor.' },
  { name: 'Riverside Library', address: 'Riverside Walk, Westmoor', postcode: 'WM1 4PQ', arrival: 'Go to the IT suite on the first floor; the lift is by the entrance.', access: 'Lift, accessible toilet, large-print keyboards.' },
  { name: 'St Anne’s Library', address: '3 Church Street, St Anne’s', postcode: 'WM6 5RS', arrival: 'The library is in the old school building behind St Anne’s church.', access: 'Ramp at the rear entrance. No lift; sessions are on the ground floor.' },
] as const

export const TOPICS = [
  'Smartphones and tablets',
  'Email',
  'Online forms and benefits',
  'NHS App and health',
  'Video calls',
  'Online safety and scams',
  'Job search and CVs',
  'Online shopping and banking',
  'Accessibility tools',
] as const

export const LANGUAGES = ['Welsh', 'Polish', 'Urdu', 'Punjabi', 'Arabic', 'BSL', 'Romanian', 'Somali'] as const

export const FIRST = ['Aisha', 'Ben', 'Chloe', 'Daniel', 'Ewa', 'Farhan', 'Grace', 'Harpreet', 'Ibrahim', 'Jade', 'Kamal', 'Laura', 'Marek', 'Nadia', 'Owen', 'Priya', 'Qasim', 'Rhiannon', 'Sam', 'Tomasz', 'Uma', 'Victor', 'Wendy', 'Yusuf', 'Zofia', 'Aled', 'Bethan', 'Callum', 'Deepa', 'Elliot']
export const LAST = ['Ahmed', 'Baker', 'Clarke', 'Davies', 'Evans', 'Fraser', 'Gill', 'Hughes', 'Iqbal', 'Jones', 'Kowalski', 'Lewis', 'Mahmood', 'Nowak', 'O’Brien', 'Patel', 'Quinn', 'Roberts', 'Singh', 'Thomas', 'Uddin', 'Vaughan', 'Williams', 'Yates']

/** England and Wales bank holidays (GOV.UK), for the years the demo's dates can fall in. */
export const BANK_HOLIDAYS: readonly string[] = [
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
  '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
]

export interface SeriesPlan {
  title: string
  kind: SessionKind
  days: Weekday[]
  start: string
  end: string
  min: number
  max: number
  required: string[]
  preferred: string[]
  trainings: string[]
  notes: string
}

export const SERIES_TEMPLATES: SeriesPlan[] = [
  { title: 'Digital help drop-in', kind: 'drop_in', days: ['TU'], start: '10:00', end: '12:00', min: 2, max: 3, required: [], preferred: ['Smartphones and tablets'], trainings: ['Digital champion essentials'], notes: 'Help anyone who comes in with whatever they bring. Tea and coffee in the staff room.' },
  { title: 'NHS App and online health', kind: 'drop_in', days: ['TH'], start: '14:00', end: '16:00', min: 1, max: 2, required: ['NHS App and health'], preferred: ['Urdu', 'Punjabi'], trainings: ['Digital champion essentials'], notes: 'Most people want help ordering repeat prescriptions and booking appointments.' },
  { title: 'Job club: CVs and applications', kind: 'drop_in', days: ['WE'], start: '13:30', end: '15:30', min: 1, max: 3, required: ['Job search and CVs'], preferred: ['Email', 'Polish'], trainings: ['Digital champion essentials'], notes: 'Bring a USB stick for people without email. Printing is free for job seekers.' },
  { title: 'Tablet basics class', kind: 'group_class', days: ['MO'], start: '10:30', end: '12:00', min: 2, max: 2, required: ['Smartphones and tablets'], preferred: [], trainings: ['Digital champion essentials', 'Safeguarding adults'], notes: 'A class of up to eight learners using the library’s tablets.' },
  { title: 'Stay safe online', kind: 'group_class', days: ['FR'], start: '11:00', end: '12:30', min: 1, max: 2, required: ['Online safety and scams'], preferred: ['Online shopping and banking'], trainings: ['Digital champion essentials', 'Safeguarding adults'], notes: 'Slides are on the library laptop. Leave time for questions.' },
  { title: 'Video calls with family', kind: 'one_to_one', days: ['SA'], start: '10:00', end: '12:00', min: 1, max: 2, required: ['Video calls'], preferred: ['Polish', 'Arabic', 'Romanian'], trainings: ['Digital champion essentials', 'DBS check'], notes: 'Booked 1:1 appointments of 30 minutes. The booking list is at the counter.' },
  { title: 'Universal Credit and online forms', kind: 'one_to_one', days: ['TU', 'TH'], start: '14:00', end: '16:30', min: 1, max: 2, required: ['Online forms and benefits'], preferred: ['Somali', 'Arabic', 'Welsh'], trainings: ['Digital champion essentials', 'Safeguarding adults'], notes: 'Never type in someone’s password for them; help them do it.' },
]

interface SeededVolunteer {
  id: number
  personId: number
  status: 'applied' | 'active' | 'paused'
  branchIds: number[]
  skills: Set<string>
  trainings: Map<string, string | null>
  windows: Array<{ day: number; start: string; end: string }>
  timeOff: Array<{ start: string; end: string }>
  maxPerMonth: number
  busy: Array<[number, number]>
  perMonth: Map<string, number>
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function pickSome<T>(random: () => number, items: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(random() * (max - min + 1))
  const pool = [...items]
  const out: T[] = []
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!)
  return out
}

export async function isDatabaseEmpty(ctx: AppContext): Promise<boolean> {
  return !(await repo.hasLibraryService(ctx.db))
}

/** Seeds the demo when the database has no library service yet. Returns how long it took, or null if skipped. */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<{ ms: number } | null> {
  if (ctx.config.isProduction) return null
  if (!(await isDatabaseEmpty(ctx))) return null
  const started = performance.now()
  await ctx.db.transaction().execute((tx) => seedDemo(tx, ctx.clock.now()))
  return { ms: performance.now() - started }
}

export async function seedDemo(tx: Tx, now: number): Promise<void> {
  const random = prng(20261129)
  const zone = DEFAULT_ZONE
  const today = todayIn(now, zone)
  const monday = DateTime.fromISO(today, { zone: 'UTC' }).startOf('week')
  // About four months back, so /reports shows a trend of attended sessions and their reports.
  const firstDay = monday.minus({ weeks: 17 }).toISODate()!
  const lastDay = monday.plus({ weeks: 6 }).minus({ days: 1 }).toISODate()!

  const serviceId = await repo.insertLibraryService(tx, { name: 'Westmoor Libraries', slug: 'westmoor', created_at: now })

  const branchIds: number[] = []
  for (const b of BRANCHES) {
    branchIds.push(
      await repo.insertBranch(tx, {
        library_service_id: serviceId,
        name: b.name,
        address: b.address,
        postcode: b.postcode,
        timezone: zone,
        accessibility_notes: b.access,
        arrival_notes: b.arrival,
        created_at: now,
      }),
    )
  }

  const skillIds = new Map<string, number>()
  let order = 0
  for (const [name, kind] of [...TOPICS.map((t) => [t, 'topic'] as const), ...LANGUAGES.map((l) => [l, 'language'] as const)]) {
    skillIds.set(name, await repo.insertSkill(tx, { library_service_id: serviceId, name, kind, sort_order: order++ }))
  }

  const trainingIds = new Map<string, number>()
  for (const [name, kind, months] of [
    ['Digital champion essentials', 'training', null],
    ['Safeguarding adults', 'training', 24],
    ['DBS check', 'check', 36],
  ] as const) {
    trainingIds.set(name, await repo.insertTrainingKind(tx, { library_service_id: serviceId, name, kind, validity_months: months }))
  }

  const addPerson = (email: string, name: string, phone: string | null = null) => repo.insertPerson(tx, { email, name, phone, created_at: now, anonymised_at: null })

  const adminId = await addPerson('admin@example.org', 'Amira Khan', '01632 960 100')
  await repo.insertRoleGrant(tx, { person_id: adminId, role: 'admin', library_service_id: serviceId, branch_id: null, created_at: now })
  const coordinatorId = await addPerson('coordinator@example.org', 'Chris Walker', '01632 960 200')
  await repo.insertRoleGrant(tx, { person_id: coordinatorId, role: 'coordinator', library_service_id: serviceId, branch_id: null, created_at: now })
  const branchCoordinatorId = await addPerson('coordinator2@example.org', 'Dee Morgan', '01632 960 300')
  for (const branchId of branchIds.slice(2, 4)) {
    await repo.insertRoleGrant(tx, { person_id: branchCoordinatorId, role: 'coordinator', library_service_id: serviceId, branch_id: branchId, created_at: now })
  }

  const volunteers: SeededVolunteer[] = []
  for (let i = 1; i <= DEMO_VOLUNTEERS; i++) {
    const name = `${FIRST[(i - 1) % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`
    const personId = await addPerson(`volunteer${i}@example.org`, name, random() < 0.6 ? `07700 900 ${String(100 + i).padStart(3, '0')}` : null)
    const status = i >= 58 ? 'applied' : i === 57 ? 'paused' : 'active'
    const home = branchIds[(i - 1) % branchIds.length]!
    const others = pickSome(random, branchIds.filter((b) => b !== home), 0, 2)
    const topics = i === 1 ? [...TOPICS] : pickSome(random, TOPICS, 2, 5)
    const languages = i === 1 ? ['Polish'] : random() < 0.45 ? pickSome(random, LANGUAGES, 1, 2) : []
    const maxPerMonth = pick(random, [2, 4, 4, 4, 6, 8])
    const volunteerId = await repo.insertVolunteer(tx, {
      person_id: personId,
      library_service_id: serviceId,
      status,
      home_branch_id: home,
      max_sessions_per_month: maxPerMonth,
      applied_at: now - (200 - i) * 86_400_000,
      approved_at: status === 'applied' ? null : now - (190 - i) * 86_400_000,
      updated_at: now,
    })
    const v: SeededVolunteer = {
      id: volunteerId,
      personId,
      status,
      branchIds: [home, ...others],
      skills: new Set([...topics, ...languages]),
      trainings: new Map(),
      windows: [],
      timeOff: [],
      maxPerMonth,
      busy: [],
      perMonth: new Map(),
    }
    await repo.insertVolunteerBranches(tx, v.branchIds.map((b) => ({ volunteer_id: v.id, branch_id: b })))
    await repo.insertVolunteerSkills(tx, [...v.skills].map((s) => ({ volunteer_id: v.id, skill_id: skillIds.get(s)! })))

    // Availability: volunteer1 is free on weekdays, others have 2–4 windows.
    const windowCount = i === 1 ? 5 : 2 + Math.floor(random() * 3)
    const days = i === 1 ? [1, 2, 3, 4, 5] : pickSome(random, [1, 2, 3, 4, 5, 6], windowCount, windowCount)
    for (const day of days.sort()) {
      const part = i === 1 ? 'all' : pick(random, ['morning', 'afternoon', 'all'] as const)
      const [start, end] = part === 'morning' ? ['09:30', '13:00'] : part === 'afternoon' ? ['13:00', '17:00'] : ['09:00', '17:00']
      v.windows.push({ day, start, end })
    }
    await repo.insertAvailabilityWindows(tx, v.windows.map((w) => ({ volunteer_id: v.id, day_of_week: w.day, start_time: w.start, end_time: w.end })))

    // Training: everyone active has the essentials; safeguarding and DBS for many, some expired.
    const essentialsOn = DateTime.fromMillis(now).minus({ days: 100 + i * 5 }).toISODate()!
    v.trainings.set('Digital champion essentials', null)
    const trainingRows = [{ volunteer_id: v.id, training_kind_id: trainingIds.get('Digital champion essentials')!, completed_on: essentialsOn, expires_on: null as string | null, recorded_by_person_id: coordinatorId, created_at: now }]
    if (i === 1 || random() < 0.7) {
      const monthsAgo = i === 1 ? 6 : Math.floor(random() * 30)
      const done = DateTime.fromISO(today).minus({ months: monthsAgo })
      const expires = done.plus({ months: 24 }).toISODate()!
      v.trainings.set('Safeguarding adults', expires)
      trainingRows.push({ volunteer_id: v.id, training_kind_id: trainingIds.get('Safeguarding adults')!, completed_on: done.toISODate()!, expires_on: expires, recorded_by_person_id: coordinatorId, created_at: now })
    }
    if (i === 1 || random() < 0.5) {
      const monthsAgo = i === 1 ? 12 : Math.floor(random() * 40)
      const done = DateTime.fromISO(today).minus({ months: monthsAgo })
      const expires = done.plus({ months: 36 }).toISODate()!
      v.trainings.set('DBS check', expires)
      trainingRows.push({ volunteer_id: v.id, training_kind_id: trainingIds.get('DBS check')!, completed_on: done.toISODate()!, expires_on: expires, recorded_by_person_id: coordinatorId, created_at: now })
    }
    if (status !== 'applied') await repo.insertVolunteerTrainings(tx, trainingRows)
    else v.trainings.clear()

    if (i !== 1 && random() < 0.2) {
      const start = monday.plus({ days: Math.floor(random() * 35) })
      const end = start.plus({ days: 3 + Math.floor(random() * 10) })
      v.timeOff.push({ start: start.toISODate()!, end: end.toISODate()! })
      await repo.insertTimeOff(tx, { volunteer_id: v.id, start_date: start.toISODate()!, end_date: end.toISODate()!, note: 'Away' })
    }
    volunteers.push(v)
  }

  // Two or three series per branch, weekly, from about four months ago to six weeks ahead.
  // Libraries close on bank holidays, and on one staff-training day: every series skips them.
  const closureDay = monday.plus({ weeks: 3, days: 4 }).toISODate()!
  const skipped = [...new Set([closureDay, ...BANK_HOLIDAYS.filter((d) => d >= firstDay && d <= lastDay)])].sort()
  const sessions: Array<{ id: number; branchId: number; plan: SeriesPlan; date: string; startsAt: number; endsAt: number }> = []
  for (let b = 0; b < branchIds.length; b++) {
    const branchId = branchIds[b]!
    const plans = [SERIES_TEMPLATES[0]!, SERIES_TEMPLATES[(b % (SERIES_TEMPLATES.length - 1)) + 1]!]
    if (b % 3 === 0) plans.push(SERIES_TEMPLATES[((b + 3) % (SERIES_TEMPLATES.length - 1)) + 1]!)
    for (const plan of plans) {
      const rule = { startsOn: firstDay, untilOn: lastDay, days: plan.days }
      const seriesId = await repo.insertSeries(tx, {
        branch_id: branchId,
        title: plan.title,
        kind: plan.kind,
        rrule: weeklyRRule(rule),
        start_time: plan.start,
        end_time: plan.end,
        starts_on: firstDay,
        until_on: lastDay,
        skipped_dates: JSON.stringify(skipped),
        required_skill_ids: JSON.stringify(plan.required.map((s) => skillIds.get(s)!)),
        preferred_skill_ids: JSON.stringify(plan.preferred.map((s) => skillIds.get(s)!)),
        required_training_ids: JSON.stringify(plan.trainings.map((t) => trainingIds.get(t)!)),
        min_volunteers: plan.min,
        max_volunteers: plan.max,
        notes: plan.notes,
        created_by_person_id: coordinatorId,
        created_at: now,
        updated_at: now,
      })
      for (const date of weeklyDates(rule, skipped)) {
        const startsAt = localToInstant(date, plan.start, zone)
        const endsAt = localToInstant(date, plan.end, zone)
        const sessionId = await repo.insertSession(tx, {
          branch_id: branchId,
          series_id: seriesId,
          title: plan.title,
          kind: plan.kind,
          local_date: date,
          start_time: plan.start,
          end_time: plan.end,
          starts_at: startsAt,
          ends_at: endsAt,
          min_volunteers: plan.min,
          max_volunteers: plan.max,
          notes: plan.notes,
          created_at: now,
          updated_at: now,
        })
        const skillRows = [
          ...plan.required.map((s) => ({ session_id: sessionId, skill_id: skillIds.get(s)!, requirement: 'required' as const })),
          ...plan.preferred.map((s) => ({ session_id: sessionId, skill_id: skillIds.get(s)!, requirement: 'preferred' as const })),
        ]
        await repo.insertSessionSkills(tx, skillRows)
        await repo.insertSessionTrainings(tx, plan.trainings.map((t) => ({ session_id: sessionId, training_kind_id: trainingIds.get(t)! })))
        sessions.push({ id: sessionId, branchId, plan, date, startsAt, endsAt })
      }
    }
  }

  // Staff the sessions: some full, most at their minimum, some short — always within the rules.
  const canDo = (v: SeededVolunteer, s: (typeof sessions)[number]): boolean => {
    if (v.status !== 'active' || !v.branchIds.includes(s.branchId)) return false
    if (!s.plan.required.every((k) => v.skills.has(k))) return false
    if (!s.plan.trainings.every((t) => v.trainings.has(t) && (v.trainings.get(t) === null || v.trainings.get(t)! >= s.date))) return false
    const day = DateTime.fromISO(s.date, { zone: 'UTC' }).weekday
    if (!v.windows.some((w) => w.day === day && w.start <= s.plan.start && w.end >= s.plan.end)) return false
    if (v.timeOff.some((t) => t.start <= s.date && s.date <= t.end)) return false
    if (v.busy.some(([a, b]) => a < s.endsAt && s.startsAt < b)) return false
    return (v.perMonth.get(s.date.slice(0, 7)) ?? 0) < v.maxPerMonth
  }
  sessions.sort((a, b) => a.startsAt - b.startsAt)
  const assignmentRows: Array<{ session_id: number; volunteer_id: number; state: AssignmentState; source: 'self' | 'coordinator'; confirmed_at: number; created_at: number; updated_at: number }> = []
  for (const s of sessions) {
    const roll = random()
    const target = roll < 0.25 ? s.plan.max : roll < 0.7 ? s.plan.min : Math.max(0, s.plan.min - 1 - Math.floor(random() * 2))
    const candidates = volunteers.filter((v) => canDo(v, s)).sort(() => random() - 0.5)
    // volunteer1 gets a couple of bookings so "My sessions" has something to show.
    const v1 = candidates.findIndex((v) => v.personId === volunteers[0]!.personId)
    if (v1 > 0 && random() < 0.3) candidates.unshift(...candidates.splice(v1, 1))
    else if (v1 >= 0 && random() >= 0.3) candidates.splice(v1, 1)
    let filled = 0
    for (const v of candidates) {
      if (filled >= target) break
      v.busy.push([s.startsAt, s.endsAt])
      v.perMonth.set(s.date.slice(0, 7), (v.perMonth.get(s.date.slice(0, 7)) ?? 0) + 1)
      const past = s.endsAt < now
      // Last week's places are partly not marked yet, as in real life ("people forget").
      const marked = past && (now - s.endsAt > 7 * 86_400_000 || random() < 0.5)
      assignmentRows.push({
        session_id: s.id,
        volunteer_id: v.id,
        state: marked ? (random() < 0.92 ? 'attended' : 'no_show') : 'confirmed',
        source: random() < 0.6 ? 'self' : 'coordinator',
        confirmed_at: s.startsAt - 7 * 86_400_000,
        created_at: s.startsAt - 7 * 86_400_000,
        updated_at: past ? s.endsAt : s.startsAt - 7 * 86_400_000,
      })
      filled++
    }
  }
  await repo.insertAssignments(tx, assignmentRows.map((a) => ({ ...a, waitlisted_at: null, reason: null })), coordinatorId)
  // Places taken (confirmed, and once held attended or no-show) are counted from the rows just
  // written, never tallied here: the count cannot disagree with the assignments.
  await repo.deriveConfirmedCounts(tx, serviceId)

  // Who marked the places already marked: the coordinator, mostly; the volunteer otherwise.
  const markedRows = await repo.markedAssignments(tx)
  await repo.insertAttendanceMarks(
    tx,
    markedRows.map((a) => ({ assignment_id: a.id, outcome: a.state, source: random() < 0.7 ? ('coordinator' as const) : ('volunteer' as const), marked_by_person_id: null, marked_at: a.updated_at })),
  )
  await mapUnmappedTopics(tx, serviceId)

  // Evidence for the sessions already held: people helped and topics, busier towards winter;
  // a few recent sessions have no report yet, so the gaps show.
  const topicIds = TOPICS.map((t) => skillIds.get(t)!)
  for (const s of sessions.filter((x) => x.endsAt < now)) {
    if (now - s.endsAt < 21 * 86_400_000 && random() < 0.2) continue
    const monthsBack = Math.floor((now - s.endsAt) / (30 * 86_400_000))
    const helped = 2 + Math.floor(random() * 7) + Math.max(0, 4 - monthsBack)
    const newcomers = random() < 0.6 ? Math.floor(helped * random() * 0.5) : null
    await repo.insertSessionReport(tx, { session_id: s.id, people_helped: helped, new_to_library: newcomers, came_back: null, notes: '', recorded_by_person_id: coordinatorId, recorded_at: s.endsAt })
    const topics = pickSome(random, topicIds, 1, 3)
    let left = helped
    const rows = topics.map((skillId, idx) => {
      const n = idx === topics.length - 1 ? left : Math.max(1, Math.floor(left / 2))
      left -= n
      return { session_id: s.id, skill_id: skillId, people_count: Math.max(0, n) }
    })
    await repo.insertSessionReportTopics(tx, rows)
  }
}
