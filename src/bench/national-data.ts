// A national-scale rota in a SQLite file for the benchmarks: 2,000 branches, 50,000 volunteers, 6 weeks of sessions.
//
// Written straight through better-sqlite3 (prepared statements in one transaction, journal off;
// the SQL is in national-data.repository.ts) because going row by row through Kysely would take
// minutes; the schema itself comes from the app's own migrations, so the file is exactly what the
// app expects. Deterministic (seeded), and reused between runs while it is fresh: its sessions
// start on the Monday of the week it was made.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DateTime } from 'luxon'
import { openDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import type { Database } from '../db/schema.js'
import { LANGUAGES, SERIES_TEMPLATES, TOPICS, FIRST, LAST, prng, type SeriesPlan } from '../seed/demo.js'
import { weeklyDates, weeklyRRule } from '../time/recurrence.js'
import { DEFAULT_ZONE, localToInstant, todayIn } from '../time/wall-clock.js'
import { finishBulkLoad, openForBulkLoad, rowWriter } from './national-data.repository.js'

export const NATIONAL = Object.freeze({ services: 180, branches: 2000, volunteers: 50_000, weeks: 6 })
/** Bump when the shape of the generated data changes, so old files are not reused. */
const GENERATOR_VERSION = 4
const REUSE_FOR_DAYS = 3
const DAY = 86_400_000

export interface DatasetInfo {
  file: string
  version: number
  /** The migrations the file was made with: a new one means a new file (they apply in name order). */
  migrations: string[]
  generatedAt: number
  firstDay: string
  counts: Record<string, number>
  ms: number
}

function migrationNames(): string[] {
  const folder = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../migrations/' : '../../migrations/', import.meta.url))
  return fs.readdirSync(folder).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => f.replace(/\.(ts|js)$/, '')).sort()
}

function metaPath(file: string): string {
  return file.replace(/\.sqlite$/, '.json')
}

/** The dataset at `file`, generated now if it is missing, from an older generator, or too old to have future sessions. */
export async function ensureNationalDataset(file: string, now = Date.now(), log: (line: string) => void = console.log): Promise<DatasetInfo & { reused: boolean }> {
  try {
    const meta = JSON.parse(fs.readFileSync(metaPath(file), 'utf8')) as DatasetInfo
    const same = JSON.stringify(meta.migrations) === JSON.stringify(migrationNames())
    if (meta.version === GENERATOR_VERSION && same && fs.existsSync(file) && now - meta.generatedAt < REUSE_FOR_DAYS * DAY) {
      return { ...meta, file, reused: true }
    }
  } catch {
    // No usable metadata: generate.
  }
  log(`Generating the national dataset (${NATIONAL.branches} branches, ${NATIONAL.volunteers} volunteers, ${NATIONAL.weeks} weeks) into ${file} …`)
  const info = await generateNationalDataset(file, now)
  fs.writeFileSync(metaPath(file), JSON.stringify(info, null, 2))
  log(`Generated in ${(info.ms / 1000).toFixed(1)} s: ${Object.entries(info.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`)
  return { ...info, reused: false }
}

interface Vol {
  id: number
  status: 'active' | 'paused' | 'applied'
  branches: number[]
  skills: Set<number>
  trainings: Map<number, string | null>
  windows: Array<{ day: number; start: string; end: string }>
  timeOff: Array<{ start: string; end: string }>
  max: number
  busy: Array<[number, number]>
  perMonth: Map<string, number>
}

export async function generateNationalDataset(file: string, now: number): Promise<DatasetInfo> {
  const started = performance.now()
  fs.mkdirSync(path.dirname(file), { recursive: true })
  for (const suffix of ['', '-wal', '-shm', '.tmp', '.tmp-wal', '.tmp-shm']) fs.rmSync(file + suffix, { force: true })
  const tmp = `${file}.tmp`

  // The schema, from the app's migrations.
  const handle = openDatabase({ kind: 'sqlite', file: tmp })
  await migrateToLatest(handle.db)
  await handle.close()

  const db = openForBulkLoad(tmp)

  const random = prng(20261130)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(random() * (max - min + 1))
    const pool = [...items]
    const out: T[] = []
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!)
    return out
  }

  const zone = DEFAULT_ZONE
  const today = todayIn(now, zone)
  const monday = DateTime.fromISO(today, { zone: 'UTC' }).startOf('week')
  const firstDay = monday.toISODate()!
  const lastDay = monday.plus({ weeks: NATIONAL.weeks }).minus({ days: 1 }).toISODate()!
  const counts: Record<string, number> = {}
  const insert = <T extends keyof Database>(table: T, columns: ReadonlyArray<keyof Database[T] & string>) => {
    const write = rowWriter(db, table, columns)
    counts[table] = 0
    return (...values: unknown[]) => {
      write(values)
      counts[table]!++
    }
  }

  db.transaction(() => {
    const addService = insert('library_services', ['id', 'name', 'slug', 'booking_window_days', 'withdraw_cutoff_hours', 'short_alert_days', 'created_at'])
    const addBranch = insert('branches', ['id', 'library_service_id', 'name', 'address', 'postcode', 'timezone', 'accessibility_notes', 'arrival_notes', 'active', 'created_at'])
    const addPerson = insert('people', ['id', 'email', 'name', 'phone', 'created_at', 'anonymised_at'])
    const addGrant = insert('role_grants', ['id', 'person_id', 'role', 'library_service_id', 'branch_id', 'created_at'])
    const addSkill = insert('skills', ['id', 'library_service_id', 'name', 'kind', 'active', 'sort_order'])
    const addTrainingKind = insert('training_kinds', ['id', 'library_service_id', 'name', 'kind', 'validity_months', 'active'])
    const addVolunteer = insert('volunteers', ['id', 'person_id', 'library_service_id', 'status', 'home_branch_id', 'max_sessions_per_month', 'reminders_enabled', 'applied_at', 'approved_at', 'lock_version', 'updated_at'])
    const addVolunteerSkill = insert('volunteer_skills', ['volunteer_id', 'skill_id'])
    const addVolunteerBranch = insert('volunteer_branches', ['volunteer_id', 'branch_id'])
    const addWindow = insert('availability_windows', ['volunteer_id', 'day_of_week', 'start_time', 'end_time'])
    const addTimeOff = insert('time_off', ['volunteer_id', 'start_date', 'end_date', 'note'])
    const addTraining = insert('volunteer_trainings', ['volunteer_id', 'training_kind_id', 'completed_on', 'expires_on', 'recorded_by_person_id', 'created_at'])
    const addSeries = insert('series', ['id', 'branch_id', 'title', 'kind', 'rrule', 'start_time', 'end_time', 'starts_on', 'until_on', 'skipped_dates', 'required_skill_ids', 'preferred_skill_ids', 'required_training_ids', 'min_volunteers', 'max_volunteers', 'notes', 'created_by_person_id', 'created_at', 'updated_at'])
    const addSession = insert('sessions', ['id', 'branch_id', 'series_id', 'title', 'kind', 'local_date', 'start_time', 'end_time', 'starts_at', 'ends_at', 'min_volunteers', 'max_volunteers', 'notes', 'status', 'confirmed_count', 'lock_version', 'cancelled_at', 'created_at', 'updated_at'])
    const addSessionSkill = insert('session_skills', ['session_id', 'skill_id', 'requirement'])
    const addSessionTraining = insert('session_trainings', ['session_id', 'training_kind_id'])
    const addAssignment = insert('assignments', ['id', 'session_id', 'volunteer_id', 'state', 'source', 'ical_sequence', 'waitlisted_at', 'confirmed_at', 'reason', 'created_at', 'updated_at'])
    const addEvent = insert('assignment_events', ['assignment_id', 'from_state', 'to_state', 'source', 'actor_person_id', 'note', 'at'])

    let personId = 0
    let grantId = 0
    let branchId = 0
    let skillId = 0
    let kindId = 0
    let seriesId = 0
    let sessionId = 0
    let assignmentId = 0
    const volunteersByBranch = new Map<number, Vol[]>()
    const branchesPer = Math.floor(NATIONAL.branches / NATIONAL.services)
    const extra = NATIONAL.branches - branchesPer * NATIONAL.services
    const volunteersPerBranch = NATIONAL.volunteers / NATIONAL.branches
    let volunteerId = 0

    for (let s = 1; s <= NATIONAL.services; s++) {
      const serviceName = `Library Service ${String(s).padStart(3, '0')}`
      addService(s, serviceName, `service-${s}`, 56, 24, 3, now)
      const skillIds = new Map<string, number>()
      let order = 0
      for (const name of TOPICS) addSkill(++skillId, s, name, 'topic', 1, order++), skillIds.set(name, skillId)
      for (const name of LANGUAGES) addSkill(++skillId, s, name, 'language', 1, order++), skillIds.set(name, skillId)
      const trainingIds = new Map<string, number>()
      for (const [name, kind, months] of [['Digital champion essentials', 'training', null], ['Safeguarding adults', 'training', 24], ['DBS check', 'check', 36]] as const) {
        addTrainingKind(++kindId, s, name, kind, months, 1)
        trainingIds.set(name, kindId)
      }
      const topicIds = TOPICS.map((t) => skillIds.get(t)!)
      const languageIds = LANGUAGES.map((l) => skillIds.get(l)!)

      const coordinator = ++personId
      addPerson(coordinator, `coordinator-${s}@bench.example`, `Coordinator ${s}`, '01632 960 000', now, null)
      addGrant(++grantId, coordinator, 'coordinator', s, null, now)
      const admin = ++personId
      addPerson(admin, `admin-${s}@bench.example`, `Admin ${s}`, null, now, null)
      addGrant(++grantId, admin, 'admin', s, null, now)

      const myBranches: number[] = []
      const n = branchesPer + (s <= extra ? 1 : 0)
      for (let b = 0; b < n; b++) {
        const id = ++branchId
        myBranches.push(id)
        addBranch(id, s, `Branch ${id} Library`, `${id} High Street, Town ${s}`, `TT${s} ${b}AA`, zone, 'Step-free entrance.', 'Ask at the enquiry desk.', 1, now)
        volunteersByBranch.set(id, [])
        if (b % 3 === 0) {
          const branchCoordinator = ++personId
          addPerson(branchCoordinator, `coordinator-${s}-${id}@bench.example`, `Branch Coordinator ${id}`, null, now, null)
          addGrant(++grantId, branchCoordinator, 'coordinator', s, id, now)
        }
      }

      // Volunteers of this service, spread over its branches; each goes to 1–3 neighbouring ones.
      const target = Math.round(volunteersPerBranch * n)
      for (let i = 0; i < target && volunteerId < NATIONAL.volunteers; i++) {
        const id = ++volunteerId
        const pid = ++personId
        const name = `${FIRST[id % FIRST.length]} ${LAST[(id * 7) % LAST.length]}`
        addPerson(pid, `volunteer${id}@bench.example`, name, random() < 0.6 ? `07700 900 ${String(id % 1000).padStart(3, '0')}` : null, now, null)
        const roll = random()
        const status = roll < 0.92 ? 'active' : roll < 0.95 ? 'paused' : 'applied'
        const homeIndex = i % n
        const branches = [myBranches[homeIndex]!]
        const more = Math.floor(random() * 3)
        for (let k = 1; k <= more && k < n; k++) branches.push(myBranches[(homeIndex + k) % n]!)
        const v: Vol = {
          id,
          status,
          branches,
          skills: new Set([...some(topicIds, 2, 5), ...(random() < 0.45 ? some(languageIds, 1, 2) : [])]),
          trainings: new Map(),
          windows: [],
          timeOff: [],
          max: pick([2, 4, 4, 4, 6, 8]),
          busy: [],
          perMonth: new Map(),
        }
        addVolunteer(id, pid, s, status, branches[0], v.max, 1, now - 200 * DAY, status === 'applied' ? null : now - 190 * DAY, 0, now)
        for (const b of branches) {
          addVolunteerBranch(id, b)
          volunteersByBranch.get(b)!.push(v)
        }
        for (const k of v.skills) addVolunteerSkill(id, k)
        const days = some([1, 2, 3, 4, 5, 6], 2, 4).sort()
        for (const day of days) {
          const part = pick(['morning', 'afternoon', 'all'] as const)
          const [start, end] = part === 'morning' ? ['09:30', '13:00'] : part === 'afternoon' ? ['13:00', '17:00'] : ['09:00', '17:00']
          v.windows.push({ day, start, end })
          addWindow(id, day, start, end)
        }
        if (status !== 'applied') {
          const done = DateTime.fromISO(today).minus({ days: 30 + Math.floor(random() * 700) })
          v.trainings.set(trainingIds.get('Digital champion essentials')!, null)
          addTraining(id, trainingIds.get('Digital champion essentials')!, done.toISODate(), null, coordinator, now)
          if (random() < 0.7) {
            const expires = done.plus({ months: 24 }).toISODate()!
            v.trainings.set(trainingIds.get('Safeguarding adults')!, expires)
            addTraining(id, trainingIds.get('Safeguarding adults')!, done.toISODate(), expires, coordinator, now)
          }
          if (random() < 0.5) {
            const expires = done.plus({ months: 36 }).toISODate()!
            v.trainings.set(trainingIds.get('DBS check')!, expires)
            addTraining(id, trainingIds.get('DBS check')!, done.toISODate(), expires, coordinator, now)
          }
        }
        if (random() < 0.1) {
          const start = monday.plus({ days: Math.floor(random() * 35) })
          const end = start.plus({ days: 3 + Math.floor(random() * 10) })
          v.timeOff.push({ start: start.toISODate()!, end: end.toISODate()! })
          addTimeOff(id, start.toISODate(), end.toISODate(), 'Away')
        }
      }

      // Two or three weekly series per branch, staffed within every rule.
      for (const [b, branch] of myBranches.entries()) {
        const plans: SeriesPlan[] = [SERIES_TEMPLATES[0]!, SERIES_TEMPLATES[((branch + b) % (SERIES_TEMPLATES.length - 1)) + 1]!]
        if (branch % 2 === 0) plans.push(SERIES_TEMPLATES[((branch + 3) % (SERIES_TEMPLATES.length - 1)) + 1]!)
        for (const plan of plans) {
          const rule = { startsOn: firstDay, untilOn: lastDay, days: plan.days }
          const required = plan.required.map((x) => skillIds.get(x)!)
          const preferred = plan.preferred.map((x) => skillIds.get(x)!)
          const trainings = plan.trainings.map((x) => trainingIds.get(x)!)
          addSeries(++seriesId, branch, plan.title, plan.kind, weeklyRRule(rule), plan.start, plan.end, firstDay, lastDay, '[]', JSON.stringify(required), JSON.stringify(preferred), JSON.stringify(trainings), plan.min, plan.max, plan.notes, coordinator, now, now)
          for (const date of weeklyDates(rule)) {
            const startsAt = localToInstant(date, plan.start, zone)
            const endsAt = localToInstant(date, plan.end, zone)
            const id = ++sessionId
            const day = DateTime.fromISO(date, { zone: 'UTC' }).weekday
            const month = date.slice(0, 7)
            const roll = random()
            const target = roll < 0.2 ? plan.max : roll < 0.6 ? plan.min : Math.max(0, plan.min - 1)
            const staff: Vol[] = []
            for (const v of volunteersByBranch.get(branch)!) {
              if (staff.length >= target) break
              if (v.status !== 'active' || random() < 0.5) continue
              if (!required.every((k) => v.skills.has(k))) continue
              if (!trainings.every((k) => v.trainings.has(k) && (v.trainings.get(k) === null || v.trainings.get(k)! >= date))) continue
              if (!v.windows.some((w) => w.day === day && w.start <= plan.start && w.end >= plan.end)) continue
              if (v.timeOff.some((r) => r.start <= date && date <= r.end)) continue
              if (v.busy.some(([a, z]) => a < endsAt && startsAt < z)) continue
              if ((v.perMonth.get(month) ?? 0) >= v.max) continue
              staff.push(v)
            }
            addSession(id, branch, seriesId, plan.title, plan.kind, date, plan.start, plan.end, startsAt, endsAt, plan.min, plan.max, plan.notes, 'scheduled', staff.length, 0, null, now, now)
            for (const k of required) addSessionSkill(id, k, 'required')
            for (const k of preferred) addSessionSkill(id, k, 'preferred')
            for (const k of trainings) addSessionTraining(id, k)
            const past = endsAt < now
            for (const v of staff) {
              v.busy.push([startsAt, endsAt])
              v.perMonth.set(month, (v.perMonth.get(month) ?? 0) + 1)
              const aid = ++assignmentId
              const state = past ? 'attended' : 'confirmed'
              addAssignment(aid, id, v.id, state, 'self', 1, null, startsAt - 7 * DAY, null, startsAt - 7 * DAY, startsAt - 7 * DAY)
              addEvent(aid, null, 'confirmed', 'self', null, 'Generated', startsAt - 7 * DAY)
            }
          }
        }
      }
    }
  })()

  finishBulkLoad(db)
  fs.renameSync(tmp, file)
  return { file, version: GENERATOR_VERSION, migrations: migrationNames(), generatedAt: now, firstDay, counts, ms: performance.now() - started }
}
