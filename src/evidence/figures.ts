// Report figures from a scope's monthly sums (grouped in SQL): per month, per branch and month, per library service and month, per topic and framework area. Pure: no db, no HTTP.
//
// Everything is counted by session and place, never by a person's name, so totals stay true when
// a volunteer leaves or is anonymised. A held session without a report is counted as unreported,
// never as zero people helped.

/** The sums of one branch's (or library service's) month, as src/evidence/reports.repository.ts groups them. */
export interface SessionCell {
  /** The branch, or the library service. */
  groupId: number
  /** 'YYYY-MM', the branch's local month. */
  month: string
  sessionsHeld: number
  sessionsCancelled: number
  /** The minimum and maximum places of the sessions held. */
  minPlaces: number
  maxPlaces: number
  placesTaken: number
  /** Each held session's maximum less its places taken, never below zero. */
  unfilledPlaces: number
  attended: number
  /** The length of each attended place's session, added up. */
  attendedMs: number
  noShows: number
  notMarked: number
  sessionsReported: number
  peopleHelped: number
  newToLibrary: number
  cameBack: number
}

/** Distinct volunteers who attended: in one group's month, in one month (groupId null), or in all (both null). */
export interface VolunteerCount {
  groupId: number | null
  month: string | null
  volunteers: number
}

/** People helped with one topic: in one group's month, or in all (both null). */
export interface TopicCount {
  groupId: number | null
  month: string | null
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
  total: Measures
  topics: Array<{ skillId: number; name: string; areas: string[]; people: number }>
  areas: Array<{ key: string; name: string; people: number }>
}

const SUMMED = ['sessionsHeld', 'sessionsCancelled', 'minPlaces', 'maxPlaces', 'placesTaken', 'unfilledPlaces', 'attended', 'attendedMs', 'noShows', 'notMarked', 'sessionsReported', 'peopleHelped', 'newToLibrary', 'cameBack'] as const
type Sums = Record<(typeof SUMMED)[number], number>

function noSums(): Sums {
  return Object.fromEntries(SUMMED.map((k) => [k, 0])) as Sums
}

function addInto(acc: Sums, cell: Sums): void {
  for (const k of SUMMED) acc[k] += cell[k]
}

/** The measures of some sums; distinct and new volunteers are counted apart, since they do not add up across cells. */
function measuresOf(a: Sums, distinctVolunteers: number, newVolunteers: number): Measures {
  return {
    sessionsHeld: a.sessionsHeld,
    sessionsCancelled: a.sessionsCancelled,
    placesTaken: a.placesTaken,
    minPlaces: a.minPlaces,
    maxPlaces: a.maxPlaces,
    fillOfMin: a.minPlaces > 0 ? a.placesTaken / a.minPlaces : null,
    fillOfMax: a.maxPlaces > 0 ? a.placesTaken / a.maxPlaces : null,
    unfilledPlaces: a.unfilledPlaces,
    volunteerHours: Math.round(a.attendedMs / 360_000) / 10,
    distinctVolunteers,
    newVolunteers,
    attended: a.attended,
    noShows: a.noShows,
    notMarked: a.notMarked,
    noShowRate: a.attended + a.noShows > 0 ? a.noShows / (a.attended + a.noShows) : null,
    sessionsReported: a.sessionsReported,
    sessionsUnreported: a.sessionsHeld - a.sessionsReported,
    peopleHelped: a.peopleHelped,
    newToLibrary: a.newToLibrary,
    cameBack: a.cameBack,
  }
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

const cellKey = (groupId: number | null, month: string | null) => `${groupId ?? ''}|${month ?? ''}`

/** The figures of /reports from its branches' monthly sums: per month, per branch and month, in all, per topic and framework area. */
export function computeFigures(input: {
  from: string
  to: string
  branches: ReadonlyArray<{ id: number; name: string }>
  /** Per branch and month. */
  cells: readonly SessionCell[]
  /** Per branch and month, per month and in all. */
  volunteers: readonly VolunteerCount[]
  /** Per branch and month (each volunteer is new in one of them only, so these add up). */
  newVolunteers: ReadonlyArray<{ branchId: number; month: string; volunteers: number }>
  /** In all. */
  topics: readonly TopicCount[]
  topicNames: ReadonlyMap<number, string>
  topicAreas: ReadonlyMap<number, readonly string[]>
  areas: ReadonlyArray<{ key: string; name: string }>
}): Figures {
  const months = monthsBetween(input.from, input.to)
  const byMonth = new Map(months.map((k) => [k, noSums()]))
  const total = noSums()
  const cell = new Map(input.cells.map((c) => [cellKey(c.groupId, c.month), c]))
  for (const c of input.cells) {
    const m = byMonth.get(c.month)
    if (!m) continue
    addInto(m, c)
    addInto(total, c)
  }
  const volunteers = new Map(input.volunteers.map((v) => [cellKey(v.groupId, v.month), v.volunteers]))
  const fresh = new Map(input.newVolunteers.map((n) => [cellKey(n.branchId, n.month), n.volunteers]))
  const freshInMonth = new Map<string, number>()
  for (const n of input.newVolunteers) freshInMonth.set(n.month, (freshInMonth.get(n.month) ?? 0) + n.volunteers)

  const perTopic = new Map(input.topics.map((t) => [t.skillId, t.people]))
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
      const c = cell.get(cellKey(b.id, k))
      // A branch's month with nothing scheduled is left out of the table (it would be all zeros).
      if (!c || c.sessionsHeld + c.sessionsCancelled === 0) continue
      branchMonths.push({ ...measuresOf(c, volunteers.get(cellKey(b.id, k)) ?? 0, fresh.get(cellKey(b.id, k)) ?? 0), month: k, branchId: b.id, branchName: b.name })
    }
  }
  return {
    months: months.map((k) => ({ ...measuresOf(byMonth.get(k)!, volunteers.get(cellKey(null, k)) ?? 0, freshInMonth.get(k) ?? 0), month: k })),
    branchMonths,
    total: measuresOf(total, volunteers.get(cellKey(null, null)) ?? 0, [...freshInMonth.values()].reduce((a, b) => a + b, 0)),
    topics,
    areas,
  }
}

/** The network view's figures from its library services' monthly sums: every month of every service given, with the people helped per framework area. */
export function serviceMonthFigures(input: {
  from: string
  to: string
  services: ReadonlyArray<{ id: number; name: string }>
  /** Per library service and month. */
  cells: readonly SessionCell[]
  /** Per library service and month. */
  volunteers: readonly VolunteerCount[]
  /** Per library service and month. */
  topics: readonly TopicCount[]
  topicAreas: ReadonlyMap<number, readonly string[]>
  areas: ReadonlyArray<{ key: string; name: string }>
}): ServiceMonthRow[] {
  const months = monthsBetween(input.from, input.to)
  const cell = new Map(input.cells.map((c) => [cellKey(c.groupId, c.month), c]))
  const volunteers = new Map(input.volunteers.map((v) => [cellKey(v.groupId, v.month), v.volunteers]))
  const areaPeople = new Map<string, number>()
  for (const t of input.topics) {
    for (const key of input.topicAreas.get(t.skillId) ?? []) {
      const k = `${cellKey(t.groupId, t.month)}|${key}`
      areaPeople.set(k, (areaPeople.get(k) ?? 0) + t.people)
    }
  }
  const out: ServiceMonthRow[] = []
  for (const sv of input.services) {
    for (const k of months) {
      const key = cellKey(sv.id, k)
      // New volunteers are not among the network's measures.
      out.push({
        ...measuresOf(cell.get(key) ?? noSums(), volunteers.get(key) ?? 0, 0),
        month: k,
        serviceId: sv.id,
        serviceName: sv.name,
        areas: input.areas.map((a) => ({ key: a.key, name: a.name, people: areaPeople.get(`${key}|${a.key}`) ?? 0 })),
      })
    }
  }
  return out
}
