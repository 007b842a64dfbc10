// Report figures from a scope's session rows, in one pass: per month, per branch and month, per library service and month, per topic and framework area. Pure: no db, no HTTP.
//
// Everything is counted by session and place, never by a person's name, so totals stay true when
// a volunteer leaves or is anonymised. A held session without a report is counted as unreported,
// never as zero people helped.

export interface SessionFact {
  id: number
  branchId: number
  localDate: string
  status: 'scheduled' | 'cancelled'
  startsAt: number
  endsAt: number
  min: number
  max: number
}

export interface PlaceFact {
  sessionId: number
  volunteerId: number
  state: 'confirmed' | 'attended' | 'no_show'
}

/** A volunteer's first ever attended place, when it is one of the range's sessions. */
export interface FirstAttendanceFact {
  volunteerId: number
  sessionId: number
  branchId: number
  month: string
}

export interface ReportFact {
  sessionId: number
  peopleHelped: number
  newToLibrary: number | null
  cameBack: number | null
}

export interface TopicFact {
  sessionId: number
  skillId: number
  people: number
}

export interface Measures {
  sessionsHeld: number
  sessionsCancelled: number
  placesTaken: number
  minPlaces: number
  maxPlaces: number
  /** Places taken ÷ the minimum and ÷ the maximum of the sessions held (null: no sessions). */
  fillOfMin: number | null
  fillOfMax: number | null
  unfilledPlaces: number
  volunteerHours: number
  distinctVolunteers: number
  /** Volunteers whose first ever attended place (at any branch) was a session of this cell. */
  newVolunteers: number
  attended: number
  noShows: number
  notMarked: number
  /** No-shows ÷ places marked (null: none marked). */
  noShowRate: number | null
  sessionsReported: number
  sessionsUnreported: number
  peopleHelped: number
  newToLibrary: number
  cameBack: number
}

export interface MonthRow extends Measures {
  month: string
}
export interface BranchMonthRow extends MonthRow {
  branchId: number
  branchName: string
}

/** A library service's month (the network view), with the people helped per framework area. */
export interface ServiceMonthRow extends MonthRow {
  serviceId: number
  serviceName: string
  areas: Array<{ key: string; name: string; people: number }>
}

export interface Figures {
  months: MonthRow[]
  branchMonths: BranchMonthRow[]
  /** Every month of every service given (empty when no services are given). */
  serviceMonths: ServiceMonthRow[]
  total: Measures
  topics: Array<{ skillId: number; name: string; areas: string[]; people: number }>
  areas: Array<{ key: string; name: string; people: number }>
}

interface Acc {
  m: Measures
  volunteers: Set<number>
  newVolunteers: Set<number>
  minutes: number
  /** People helped per framework area key. */
  areaPeople: Map<string, number>
}

function empty(): Acc {
  return {
    m: {
      sessionsHeld: 0,
      sessionsCancelled: 0,
      placesTaken: 0,
      minPlaces: 0,
      maxPlaces: 0,
      fillOfMin: null,
      fillOfMax: null,
      unfilledPlaces: 0,
      volunteerHours: 0,
      distinctVolunteers: 0,
      newVolunteers: 0,
      attended: 0,
      noShows: 0,
      notMarked: 0,
      noShowRate: null,
      sessionsReported: 0,
      sessionsUnreported: 0,
      peopleHelped: 0,
      newToLibrary: 0,
      cameBack: 0,
    },
    volunteers: new Set(),
    newVolunteers: new Set(),
    minutes: 0,
    areaPeople: new Map(),
  }
}

function finish(a: Acc): Measures {
  const m = { ...a.m }
  m.fillOfMin = m.minPlaces > 0 ? m.placesTaken / m.minPlaces : null
  m.fillOfMax = m.maxPlaces > 0 ? m.placesTaken / m.maxPlaces : null
  m.volunteerHours = Math.round(a.minutes / 6) / 10
  m.distinctVolunteers = a.volunteers.size
  m.newVolunteers = a.newVolunteers.size
  m.noShowRate = m.attended + m.noShows > 0 ? m.noShows / (m.attended + m.noShows) : null
  return m
}

/** Every calendar month from one date's month to another's, as 'YYYY-MM'. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number]
  const end = to.slice(0, 7)
  for (let i = 0; i < 240; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`
    if (key > end) break
    out.push(key)
    m++
    if (m > 12) {
      m = 1
      y++
    }
  }
  return out
}

export function computeFigures(input: {
  from: string
  to: string
  now: number
  branches: ReadonlyArray<{ id: number; name: string; libraryServiceId?: number }>
  /** Library services to group by as well (the network view); their branches must be among `branches`. */
  services?: ReadonlyArray<{ id: number; name: string }>
  sessions: readonly SessionFact[]
  places: readonly PlaceFact[]
  firstAttendances: readonly FirstAttendanceFact[]
  reports: readonly ReportFact[]
  topics: readonly TopicFact[]
  topicNames: ReadonlyMap<number, string>
  topicAreas: ReadonlyMap<number, readonly string[]>
  areas: ReadonlyArray<{ key: string; name: string }>
}): Figures {
  const months = monthsBetween(input.from, input.to)
  const byMonth = new Map(months.map((k) => [k, empty()]))
  const byBranchMonth = new Map<string, Acc>()
  const total = empty()
  const branchName = new Map(input.branches.map((b) => [b.id, b.name]))
  for (const b of input.branches) for (const k of months) byBranchMonth.set(`${b.id}|${k}`, empty())
  const services = input.services ?? []
  const byServiceMonth = new Map<string, Acc>()
  for (const sv of services) for (const k of months) byServiceMonth.set(`${sv.id}|${k}`, empty())
  const serviceOfBranch = new Map(input.branches.map((b) => [b.id, b.libraryServiceId]))

  const session = new Map<number, { fact: SessionFact; held: boolean; accs: Acc[] }>()
  for (const s of input.sessions) {
    const month = s.localDate.slice(0, 7)
    const accs = [byMonth.get(month), byBranchMonth.get(`${s.branchId}|${month}`), byServiceMonth.get(`${serviceOfBranch.get(s.branchId)}|${month}`), total].filter((a): a is Acc => !!a)
    const held = s.status === 'scheduled' && s.endsAt <= input.now
    session.set(s.id, { fact: s, held, accs })
    for (const a of accs) {
      if (s.status === 'cancelled') a.m.sessionsCancelled++
      else if (held) {
        a.m.sessionsHeld++
        a.m.minPlaces += s.min
        a.m.maxPlaces += s.max
        a.m.sessionsUnreported++ // until its report is seen below
      }
    }
  }
  const taken = new Map<number, number>()
  for (const p of input.places) {
    const s = session.get(p.sessionId)
    if (!s?.held) continue
    taken.set(p.sessionId, (taken.get(p.sessionId) ?? 0) + 1)
    for (const a of s.accs) {
      a.m.placesTaken++
      if (p.state === 'attended') {
        a.m.attended++
        a.minutes += (s.fact.endsAt - s.fact.startsAt) / 60_000
        a.volunteers.add(p.volunteerId)
      } else if (p.state === 'no_show') a.m.noShows++
      else a.m.notMarked++
    }
  }
  // Counted by the session of the first attended place, so a volunteer is new in exactly one branch and month.
  for (const f of input.firstAttendances) {
    const s = session.get(f.sessionId)
    if (!s?.held) continue
    for (const a of s.accs) a.newVolunteers.add(f.volunteerId)
  }
  for (const [id, s] of session) {
    if (!s.held) continue
    const free = Math.max(0, s.fact.max - (taken.get(id) ?? 0))
    for (const a of s.accs) a.m.unfilledPlaces += free
  }
  for (const r of input.reports) {
    const s = session.get(r.sessionId)
    if (!s?.held) continue
    for (const a of s.accs) {
      a.m.sessionsReported++
      a.m.sessionsUnreported--
      a.m.peopleHelped += r.peopleHelped
      a.m.newToLibrary += r.newToLibrary ?? 0
      a.m.cameBack += r.cameBack ?? 0
    }
  }
  const perTopic = new Map<number, number>()
  for (const t of input.topics) {
    const s = session.get(t.sessionId)
    if (!s?.held) continue
    perTopic.set(t.skillId, (perTopic.get(t.skillId) ?? 0) + t.people)
    for (const a of s.accs) for (const key of input.topicAreas.get(t.skillId) ?? []) a.areaPeople.set(key, (a.areaPeople.get(key) ?? 0) + t.people)
  }
  const areaName = new Map(input.areas.map((a) => [a.key, a.name]))
  const topics = [...input.topicNames]
    .map(([skillId, name]) => ({ skillId, name, areas: (input.topicAreas.get(skillId) ?? []).map((k) => areaName.get(k) ?? k), people: perTopic.get(skillId) ?? 0 }))
    .sort((a, b) => b.people - a.people || a.name.localeCompare(b.name))
  const perArea = new Map<string, number>()
  for (const [skillId, people] of perTopic) for (const key of input.topicAreas.get(skillId) ?? []) perArea.set(key, (perArea.get(key) ?? 0) + people)
  const areas = input.areas.map((a) => ({ key: a.key, name: a.name, people: perArea.get(a.key) ?? 0 }))

  const branchMonths: BranchMonthRow[] = []
  for (const b of input.branches) {
    for (const k of months) {
      const acc = byBranchMonth.get(`${b.id}|${k}`)!
      const m = finish(acc)
      // A branch's month with nothing scheduled is left out of the table (it would be all zeros).
      if (m.sessionsHeld + m.sessionsCancelled > 0) branchMonths.push({ ...m, month: k, branchId: b.id, branchName: branchName.get(b.id) ?? '' })
    }
  }
  const serviceMonths: ServiceMonthRow[] = []
  for (const sv of services) {
    for (const k of months) {
      const acc = byServiceMonth.get(`${sv.id}|${k}`)!
      serviceMonths.push({ ...finish(acc), month: k, serviceId: sv.id, serviceName: sv.name, areas: input.areas.map((a) => ({ key: a.key, name: a.name, people: acc.areaPeople.get(a.key) ?? 0 })) })
    }
  }
  return { months: months.map((k) => ({ ...finish(byMonth.get(k)!), month: k })), branchMonths, serviceMonths, total: finish(total), topics, areas }
}
