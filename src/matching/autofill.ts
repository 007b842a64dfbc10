// Auto-fill: proposes volunteers for the open places of many sessions at once, within every hard rule, most places first, spread fairly.
//
// Pure: no database, no HTTP. The caller loads profiles and needs; this returns proposals.
//
// The method (README.md "Auto-fill" says the same for people):
//
// 1. Possible pairs. A volunteer may be proposed for a session only if the pair passes every
//    hard rule a coordinator's candidates must pass (eligibility.ts ALL_RULES): active, goes to
//    the branch, has the required skills and trainings valid on the date, not on time off, the
//    session inside a weekly availability window, no clash with what they already hold, and
//    room under their monthly cap. `possiblePair` re-implements those checks without building
//    words, so national-scale inputs stay fast; a test holds it equal to checkRules.
//
// 2. A flow network per connected group of volunteers and sessions:
//      source → volunteer → volunteer-month (capacity: what is left of their monthly cap)
//             → clash group (capacity 1) → session
//             → "below minimum" sink (capacity: places still needed to reach the minimum)
//             → "extra places" sink (capacity: the rest up to the maximum) → sink.
//    A clash group gathers a volunteer's possible sessions that all overlap one another (for
//    time intervals, pairwise overlap means one shared instant), so "capacity 1" is exactly "no
//    two overlapping sessions". With such groups every integral flow is a valid proposal and
//    every valid proposal is a flow: the problem is a maximum flow, solved exactly (Dinic).
//
// 3. Below-minimum places first, exactly. Phase one opens only the "below minimum" sink and
//    finds the maximum flow; phase two opens the "extra places" sink and keeps augmenting.
//    An augmenting path ends at the sink, so it never takes flow away from a below-minimum
//    arc: the result has the most below-minimum places possible and, among those, the most
//    places in total (the two numbers the tests compare with an exact integer solver).
//    Each phase starts from a greedy fill (least-loaded, best-scored volunteer first) that the
//    augmenting paths then complete, so the proposal starts fair and well matched.
//
// 4. Awkward overlaps. When a volunteer's overlapping sessions form a chain (10–12 overlaps
//    11:30–13:30, which overlaps 13–15, but the first and last do not), no single capacity
//    says it exactly. The group then gets the most sessions one person could do in it (a
//    relaxation, an upper bound) and a branch-and-bound search forbids one pair of each
//    conflict the flow chose and solves again, keeping the best conflict-free result. Small
//    inputs are searched to the end (proved optimal); a node budget bounds big ones, which
//    then keep the best found and report `exact: false`.
//
// 5. Fairness. Each volunteer has a load: sessions already counted (the last 30 days and
//    those already held in the range) plus the proposals. Among the flows with the same
//    numbers of places, the fairest moves a place from a volunteer to another whose load is
//    at least two lower, along any chain of swaps that keeps every rule (a path in the
//    residual network between the two volunteers). Repeating that until no such move exists
//    gives the load spread with the smallest sum of squares: nobody gets many while someone
//    who could have helped gets none. Below-minimum places are never traded for extra ones.
import type { SessionNeeds, VolunteerProfile } from './eligibility.js'
import { validTraining } from './eligibility.js'
import { NO_FACTS, scorePoints, type CandidateFacts } from './score.js'

export interface AutofillVolunteer {
  profile: VolunteerProfile
  /** Sessions already counted against this volunteer for fairness (e.g. the last 30 days and places already held in the range). */
  load?: number
  /** Recent history for the tie-breaking score (preferences, continuity); optional. */
  facts?: CandidateFacts
}

export interface AutofillInput {
  /** `confirmed` must count every place already taken or promised (confirmed and pending invitations). */
  sessions: readonly SessionNeeds[]
  /** Commitments must include everything the volunteer holds or has been invited to, around the range's months. */
  volunteers: readonly AutofillVolunteer[]
  /** `${volunteerId}:${sessionId}` pairs never to propose (already invited, declined, on the waitlist…). */
  excluded?: ReadonlySet<string>
  skillKind?: (skillId: number) => 'topic' | 'language'
  /** Branch-and-bound nodes per connected group before settling for the best found (default 400). */
  nodeBudget?: number
}

export interface AutofillProposal {
  sessionId: number
  volunteerId: number
  /** This place brings the session towards its minimum (rather than an extra place). */
  forMinimum: boolean
}

export interface AutofillStats {
  sessions: number
  volunteers: number
  possiblePairs: number
  groups: number
  /** Places open up to the maximum, and those of them below the minimum. */
  openPlaces: number
  belowMinimumPlaces: number
  filled: number
  belowMinimumFilled: number
  /** Upper bounds from the relaxation (equal to what was filled when `exact`). */
  bound: { filled: number; belowMinimumFilled: number }
  /** Every group was solved to proven optimality. */
  exact: boolean
  searchNodes: number
  fairnessMoves: number
}

export interface AutofillResult {
  proposals: AutofillProposal[]
  stats: AutofillStats
}

export const pairKey = (volunteerId: number, sessionId: number): string => `${volunteerId}:${sessionId}`

// ---------------------------------------------------------------------------------------------
// Preparation: fast, word-free versions of the hard rules.

interface PreparedSession {
  needs: SessionNeeds
  day: number
  month: string
  places: number
  deficit: number
}

interface PreparedVolunteer {
  input: AutofillVolunteer
  profile: VolunteerProfile
  skills: Set<number>
  branches: Set<number>
  monthUsed: Map<string, number>
  load: number
}

const weekdayCache = new Map<string, number>()
/** ISO day of week (1 = Monday) of 'YYYY-MM-DD', without Luxon (hot path). */
export function isoWeekday(localDate: string): number {
  let day = weekdayCache.get(localDate)
  if (day === undefined) {
    const d = new Date(Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10)))).getUTCDay()
    day = d === 0 ? 7 : d
    if (weekdayCache.size > 10_000) weekdayCache.clear()
    weekdayCache.set(localDate, day)
  }
  return day
}

function monthOf(localDate: string): string {
  return localDate.slice(0, 7)
}

/**
 * The hard rules of ALL_RULES for one pair, without words. The monthly cap is checked against
 * what the volunteer already holds; the flow network keeps proposals within it.
 */
export function possiblePair(profile: VolunteerProfile, session: SessionNeeds, day = isoWeekday(session.localDate)): boolean {
  if (profile.status !== 'active') return false
  if (!profile.branchIds.includes(session.branchId)) return false
  for (const id of session.requiredSkillIds) if (!profile.skillIds.includes(id)) return false
  for (const kind of session.requiredTrainingIds) if (!validTraining(profile.trainings, kind, session.localDate)) return false
  for (const t of profile.timeOff) if (t.start <= session.localDate && session.localDate <= t.end) return false
  let available = false
  for (const w of profile.windows) {
    if (w.day === day && w.start <= session.startTime && w.end >= session.endTime) {
      available = true
      break
    }
  }
  if (!available) return false
  const month = monthOf(session.localDate)
  let inMonth = 0
  for (const c of profile.commitments) {
    if (c.sessionId === session.id) continue
    if (c.startsAt < session.endsAt && session.startsAt < c.endsAt) return false
    if (monthOf(c.localDate) === month) inMonth++
  }
  return inMonth < profile.maxPerMonth
}

// ---------------------------------------------------------------------------------------------
// A small flow network on growable arrays: arc e and its reverse e ^ 1.

const INF = 1 << 29

class Network {
  head: number[] = []
  next: number[] = []
  to: number[] = []
  cap: number[] = []

  addNode(): number {
    this.head.push(-1)
    return this.head.length - 1
  }

  get size(): number {
    return this.head.length
  }

  addArc(u: number, v: number, capacity: number): number {
    const e = this.to.length
    this.to.push(v, u)
    this.cap.push(capacity, 0)
    this.next.push(this.head[u]!, this.head[v]!)
    this.head[u] = e
    this.head[v] = e + 1
    return e
  }

  flow(e: number): number {
    return this.cap[e ^ 1]!
  }

  push(e: number, amount = 1): void {
    this.cap[e] = this.cap[e]! - amount
    this.cap[e ^ 1] = this.cap[e ^ 1]! + amount
  }

  /** Dinic's maximum flow from s to t on the current residual capacities; returns the flow added. */
  maxFlow(s: number, t: number): number {
    const n = this.size
    const level = new Int32Array(n)
    const iter = new Int32Array(n)
    const queue = new Int32Array(n)
    const stack: number[] = []
    let total = 0
    for (;;) {
      level.fill(-1)
      level[s] = 0
      let qh = 0
      let qt = 0
      queue[qt++] = s
      while (qh < qt) {
        const u = queue[qh++]!
        for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
          const v = this.to[e]!
          if (this.cap[e]! > 0 && level[v] === -1) {
            level[v] = level[u]! + 1
            queue[qt++] = v
          }
        }
      }
      if (level[t] === -1) return total
      for (let i = 0; i < n; i++) iter[i] = this.head[i]!
      // Iterative depth-first search for blocking flow: paths can be long in the residual graph.
      for (;;) {
        stack.length = 0
        let u = s
        let pushed = 0
        for (;;) {
          if (u === t) {
            let bottleneck = INF
            for (const e of stack) bottleneck = Math.min(bottleneck, this.cap[e]!)
            for (const e of stack) this.push(e, bottleneck)
            pushed = bottleneck
            break
          }
          let e = iter[u]!
          while (e !== -1 && !(this.cap[e]! > 0 && level[this.to[e]!] === level[u]! + 1)) e = this.next[e]!
          iter[u] = e
          if (e === -1) {
            level[u] = -1
            if (stack.length === 0) break
            const back = stack.pop()!
            u = this.to[back ^ 1]!
            iter[u] = this.next[iter[u]!]!
            continue
          }
          stack.push(e)
          u = this.to[e]!
        }
        if (pushed === 0) break
        total += pushed
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One connected group of volunteers and sessions.

interface Pair {
  volunteer: number
  session: number
  preference: number
}

interface Group {
  volunteers: number[]
  sessions: number[]
  pairs: number[]
}

interface Solved {
  net: Network
  /** Arc session → volunteer-side node, per pair (index into group.pairs); -1 when forbidden. */
  pairArc: Int32Array
  belowMinimum: number
  filled: number
  conflict: [number, number] | null
  build: Built
}

interface Built {
  source: number
  sink: number
  sinkMin: number
  sinkExtra: number
  minGate: number
  extraGate: number
  volunteerNode: Map<number, number>
  sourceArc: Map<number, number>
  nodeVolunteer: Int32Array
  sessionNode: Map<number, number>
  minArc: Map<number, number>
  extraArc: Map<number, number>
  /** Volunteers whose clash groups are relaxed and must be checked for overlaps. */
  relaxed: Set<number>
}

class Solver {
  readonly sessions: PreparedSession[]
  readonly volunteers: PreparedVolunteer[]
  readonly pairs: Pair[]
  readonly pairsOfVolunteer: number[][]
  readonly pairsOfSession: number[][]
  readonly load: number[]
  fairnessMoves = 0
  searchNodes = 0

  constructor(sessions: PreparedSession[], volunteers: PreparedVolunteer[], pairs: Pair[]) {
    this.sessions = sessions
    this.volunteers = volunteers
    this.pairs = pairs
    this.pairsOfVolunteer = volunteers.map(() => [])
    this.pairsOfSession = sessions.map(() => [])
    pairs.forEach((p, i) => {
      this.pairsOfVolunteer[p.volunteer]!.push(i)
      this.pairsOfSession[p.session]!.push(i)
    })
    this.load = volunteers.map((v) => v.load)
  }

  overlaps(a: number, b: number): boolean {
    const x = this.sessions[a]!.needs
    const y = this.sessions[b]!.needs
    return x.startsAt < y.endsAt && y.startsAt < x.endsAt
  }

  /** Builds the network of a group, leaving out forbidden pairs. */
  build(group: Group, forbidden: ReadonlySet<number>): { net: Network; built: Built; pairArc: Int32Array; pairPath: Int32Array[] } {
    const net = new Network()
    const source = net.addNode()
    const sink = net.addNode()
    const sinkMin = net.addNode()
    const sinkExtra = net.addNode()
    const minGate = net.addArc(sinkMin, sink, INF)
    const extraGate = net.addArc(sinkExtra, sink, 0)
    const sessionNode = new Map<number, number>()
    const minArc = new Map<number, number>()
    const extraArc = new Map<number, number>()
    for (const s of group.sessions) {
      const node = net.addNode()
      sessionNode.set(s, node)
      const prepared = this.sessions[s]!
      if (prepared.deficit > 0) minArc.set(s, net.addArc(node, sinkMin, prepared.deficit))
      if (prepared.places - prepared.deficit > 0) extraArc.set(s, net.addArc(node, sinkExtra, prepared.places - prepared.deficit))
    }
    const volunteerNode = new Map<number, number>()
    const sourceArc = new Map<number, number>()
    const relaxed = new Set<number>()
    const pairArc = new Int32Array(group.pairs.length).fill(-1)
    // For each pair, the arcs from the source to the session (for greedy pushes).
    const pairPath: Int32Array[] = new Array(group.pairs.length)
    const localIndex = new Map<number, number>()
    group.pairs.forEach((p, i) => localIndex.set(p, i))
    const nodeOwner: number[] = [-1, -1, -1, -1, ...group.sessions.map(() => -1)]

    for (const v of group.volunteers) {
      const allowed = this.pairsOfVolunteer[v]!.filter((p) => localIndex.has(p) && !forbidden.has(p))
      if (allowed.length === 0) continue
      const vNode = net.addNode()
      nodeOwner.push(v)
      volunteerNode.set(v, vNode)
      const sArc = net.addArc(source, vNode, INF)
      sourceArc.set(v, sArc)
      const volunteer = this.volunteers[v]!
      // Overlap components over this volunteer's allowed sessions, by start time.
      const sorted = [...allowed].sort((a, b) => this.sessions[this.pairs[a]!.session]!.needs.startsAt - this.sessions[this.pairs[b]!.session]!.needs.startsAt)
      const components: number[][] = []
      let maxEnd = -Infinity
      for (const p of sorted) {
        const needs = this.sessions[this.pairs[p]!.session]!.needs
        if (components.length && needs.startsAt < maxEnd) {
          components[components.length - 1]!.push(p)
          maxEnd = Math.max(maxEnd, needs.endsAt)
        } else {
          components.push([p])
          maxEnd = needs.endsAt
        }
      }
      const monthNode = new Map<string, { node: number; arc: number }>()
      const monthFor = (month: string) => {
        let m = monthNode.get(month)
        if (!m) {
          const node = net.addNode()
          nodeOwner.push(v)
          const left = volunteer.input.profile.maxPerMonth - (volunteer.monthUsed.get(month) ?? 0)
          m = { node, arc: net.addArc(vNode, node, Math.max(0, left)) }
          monthNode.set(month, m)
        }
        return m
      }
      for (const component of components) {
        const months = new Set(component.map((p) => this.sessions[this.pairs[p]!.session]!.month))
        if (months.size > 1) relaxed.add(v)
        for (const month of months) {
          const part = component.filter((p) => this.sessions[this.pairs[p]!.session]!.month === month)
          const m = monthFor(month)
          const alpha = this.independence(part.map((p) => this.pairs[p]!.session))
          let groupNode = m.node
          let groupArc = -1
          if (part.length > 1 && alpha < part.length) {
            // alpha === 1: every pair overlaps, so "one of them" is exact. Otherwise a chain: relaxed.
            if (alpha > 1) relaxed.add(v)
            groupNode = net.addNode()
            nodeOwner.push(v)
            groupArc = net.addArc(m.node, groupNode, alpha)
          }
          for (const p of part) {
            const s = this.pairs[p]!.session
            const arc = net.addArc(groupNode, sessionNode.get(s)!, 1)
            const local = localIndex.get(p)!
            pairArc[local] = arc
            pairPath[local] = Int32Array.from(groupArc === -1 ? [sArc, m.arc, arc] : [sArc, m.arc, groupArc, arc])
          }
        }
      }
    }
    const nodeVolunteer = Int32Array.from(nodeOwner)
    return {
      net,
      pairArc,
      pairPath,
      built: { source, sink, sinkMin, sinkExtra, minGate, extraGate, volunteerNode, sourceArc, nodeVolunteer, sessionNode, minArc, extraArc, relaxed },
    }
  }

  /** The most of these sessions one person could do: earliest-finishing first is optimal for intervals. */
  independence(sessions: number[]): number {
    const sorted = sessions.map((s) => this.sessions[s]!.needs).sort((a, b) => a.endsAt - b.endsAt)
    let count = 0
    let freeFrom = -Infinity
    for (const s of sorted) {
      if (s.startsAt >= freeFrom) {
        count++
        freeFrom = s.endsAt
      }
    }
    return count
  }

  /** Greedy fill of one kind of place, then the exact maximum flow of that phase. */
  solve(group: Group, forbidden: ReadonlySet<number>): Solved {
    const { net, built, pairArc, pairPath } = this.build(group, forbidden)
    const localPairs = group.pairs
    const localOf = new Map<number, number>()
    localPairs.forEach((p, i) => localOf.set(p, i))
    const load = new Map<number, number>()
    for (const v of group.volunteers) load.set(v, this.volunteers[v]!.load)

    const greedy = (kind: 'min' | 'extra') => {
      const arcs = kind === 'min' ? built.minArc : built.extraArc
      const order = [...arcs.keys()].sort(
        (a, b) => this.pairsOfSession[a]!.length - this.pairsOfSession[b]!.length || this.sessions[a]!.needs.startsAt - this.sessions[b]!.needs.startsAt,
      )
      for (const s of order) {
        const sinkArc = arcs.get(s)!
        while (net.cap[sinkArc]! > 0) {
          let best = -1
          let bestLoad = Infinity
          let bestPref = -Infinity
          for (const p of this.pairsOfSession[s]!) {
            const local = localOf.get(p)
            if (local === undefined || pairArc[local] === -1) continue
            const path = pairPath[local]!
            let open = true
            for (const e of path) if (net.cap[e]! <= 0) open = false
            if (!open) continue
            const pair = this.pairs[p]!
            const l = load.get(pair.volunteer)!
            if (l < bestLoad || (l === bestLoad && pair.preference > bestPref)) {
              best = local
              bestLoad = l
              bestPref = pair.preference
            }
          }
          if (best === -1) break
          for (const e of pairPath[best]!) net.push(e)
          net.push(sinkArc)
          net.push(kind === 'min' ? built.minGate : built.extraGate)
          const v = this.pairs[localPairs[best]!]!.volunteer
          load.set(v, load.get(v)! + 1)
        }
      }
    }

    greedy('min')
    net.maxFlow(built.source, built.sink)
    net.cap[built.extraGate] = INF
    greedy('extra')
    net.maxFlow(built.source, built.sink)

    let belowMinimum = 0
    for (const arc of built.minArc.values()) belowMinimum += net.flow(arc)
    let filled = belowMinimum
    for (const arc of built.extraArc.values()) filled += net.flow(arc)
    return { net, pairArc, belowMinimum, filled, conflict: this.findConflict(group, net, pairArc, built), build: built }
  }

  chosenOf(group: Group, net: Network, pairArc: Int32Array, volunteer: number): number[] {
    const out: number[] = []
    group.pairs.forEach((p, i) => {
      if (this.pairs[p]!.volunteer === volunteer && pairArc[i] !== -1 && net.flow(pairArc[i]!) > 0) out.push(p)
    })
    return out
  }

  /** Two overlapping sessions given to one volunteer whose clash groups are relaxed, if any. */
  findConflict(group: Group, net: Network, pairArc: Int32Array, built: Built): [number, number] | null {
    if (built.relaxed.size === 0) return null
    const chosenBy = new Map<number, number[]>()
    group.pairs.forEach((p, i) => {
      const v = this.pairs[p]!.volunteer
      if (!built.relaxed.has(v) || pairArc[i] === -1 || net.flow(pairArc[i]!) === 0) return
      const list = chosenBy.get(v) ?? []
      list.push(p)
      chosenBy.set(v, list)
    })
    for (const list of chosenBy.values()) {
      list.sort((a, b) => this.sessions[this.pairs[a]!.session]!.needs.startsAt - this.sessions[this.pairs[b]!.session]!.needs.startsAt)
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (this.overlaps(this.pairs[list[i]!]!.session, this.pairs[list[j]!]!.session)) return [list[i]!, list[j]!]
        }
      }
    }
    return null
  }

  /** Branch and bound over conflicts; returns the best conflict-free solution and whether it is proved optimal. */
  solveGroup(group: Group, nodeBudget: number): { best: Solved; exact: boolean; bound: { filled: number; belowMinimum: number } } {
    const root = this.solve(group, new Set())
    this.searchNodes++
    const bound = { filled: root.filled, belowMinimum: root.belowMinimum }
    if (!root.conflict) return { best: root, exact: true, bound }
    let best: Solved | null = null
    let nodes = 1
    let exhausted = true
    const better = (a: { belowMinimum: number; filled: number }, b: { belowMinimum: number; filled: number } | null) =>
      !b || a.belowMinimum > b.belowMinimum || (a.belowMinimum === b.belowMinimum && a.filled > b.filled)
    const stack: Array<{ forbidden: Set<number>; solved: Solved }> = [{ forbidden: new Set(), solved: root }]
    while (stack.length) {
      const { forbidden, solved } = stack.pop()!
      if (best && !better(solved, best)) continue
      if (!solved.conflict) {
        best = solved
        continue
      }
      if (nodes >= nodeBudget) {
        exhausted = false
        continue
      }
      // Branch on the conflicting session that overlaps most of this volunteer's others: either they
      // do it (so its overlapping neighbours are dropped) or they do not (so it is dropped). Both
      // children break the chain into cliques, which the network then handles exactly.
      const [x, y] = solved.conflict
      const neighbours = (p: number) => {
        const { volunteer, session } = this.pairs[p]!
        return group.pairs.filter((q) => q !== p && this.pairs[q]!.volunteer === volunteer && !forbidden.has(q) && this.overlaps(session, this.pairs[q]!.session))
      }
      const nx = neighbours(x)
      const ny = neighbours(y)
      const [pick, around] = nx.length >= ny.length ? [x, nx] : [y, ny]
      const children: Array<{ forbidden: Set<number>; solved: Solved }> = []
      for (const drop of [[pick], around]) {
        const f = new Set(forbidden)
        for (const p of drop) f.add(p)
        const child = this.solve(group, f)
        nodes++
        this.searchNodes++
        if (best && !better(child, best)) continue
        children.push({ forbidden: f, solved: child })
      }
      // Explore the more promising child first.
      children.sort((x, y) => (better(x.solved, y.solved) ? 1 : -1))
      stack.push(...children)
    }
    if (!best) {
      // Budget spent without a conflict-free leaf: keep, for each relaxed volunteer, only sessions that never overlap.
      const forbidden = new Set<number>()
      for (const v of root.build.relaxed) {
        const mine = group.pairs.filter((p) => this.pairs[p]!.volunteer === v)
        mine.sort((x, y) => this.sessions[this.pairs[x]!.session]!.needs.endsAt - this.sessions[this.pairs[y]!.session]!.needs.endsAt)
        let freeFrom = -Infinity
        for (const p of mine) {
          const needs = this.sessions[this.pairs[p]!.session]!.needs
          if (needs.startsAt >= freeFrom) freeFrom = needs.endsAt
          else forbidden.add(p)
        }
      }
      best = this.solve(group, forbidden)
      exhausted = false
    }
    // Searched to the end, or the best found meets the relaxation's bound: proved optimal.
    const exact = exhausted || (best.belowMinimum === bound.belowMinimum && best.filled === bound.filled)
    return { best, exact, bound }
  }

  /**
   * Moves places from more-loaded to less-loaded volunteers while some chain of swaps allows it
   * (a residual path between them that avoids the source and sink, so the numbers of places,
   * below-minimum and in total, stay the same).
   */
  balance(group: Group, solved: Solved): void {
    const { net, build } = solved
    const n = net.size
    const visited = new Int32Array(n)
    const parentArc = new Int32Array(n)
    const queue = new Int32Array(n)
    let stamp = 0
    const volunteers = group.volunteers.filter((v) => build.volunteerNode.has(v))
    const maxRounds = 50
    for (let round = 0; round < maxRounds; round++) {
      let moved = false
      const order = [...volunteers].sort((a, b) => this.load[b]! - this.load[a]!)
      let minLoad = Infinity
      for (const v of volunteers) minLoad = Math.min(minLoad, this.load[v]!)
      for (const a of order) {
        const aNode = build.volunteerNode.get(a)!
        // Only someone holding a proposal can give one away, and only to someone two lighter.
        const blocked = new Set<number>()
        while (net.flow(build.sourceArc.get(a)!) > 0 && this.load[a]! - 2 >= minLoad) {
          stamp++
          visited[aNode] = stamp
          let qh = 0
          let qt = 0
          queue[qt++] = aNode
          let found = -1
          // Search backwards from a: which volunteers have a residual path to a?
          while (qh < qt && found === -1) {
            const w = queue[qh++]!
            for (let e = net.head[w]!; e !== -1; e = net.next[e]!) {
              const u = net.to[e]!
              if (u === build.source || u === build.sink || visited[u] === stamp) continue
              const forward = e ^ 1 // the arc u → w
              if (net.cap[forward]! <= 0) continue
              visited[u] = stamp
              parentArc[u] = forward
              const owner = build.nodeVolunteer[u]!
              if (owner !== -1 && build.volunteerNode.get(owner) === u && this.load[owner]! <= this.load[a]! - 2 && !blocked.has(u)) {
                found = u
                break
              }
              queue[qt++] = u
            }
          }
          if (found === -1) break
          const c = build.nodeVolunteer[found]!
          const path: number[] = []
          for (let u = found; u !== aNode; u = net.to[parentArc[u]!]!) path.push(parentArc[u]!)
          for (const e of path) net.push(e)
          net.push(build.sourceArc.get(c)!)
          net.push(build.sourceArc.get(a)! ^ 1)
          if (build.relaxed.size && this.findConflict(group, net, solved.pairArc, build)) {
            // The move broke an overlap the relaxed groups do not see: undo it and try someone else.
            for (const e of path) net.push(e ^ 1)
            net.push(build.sourceArc.get(c)! ^ 1)
            net.push(build.sourceArc.get(a)!)
            blocked.add(found)
            if (blocked.size > 20) break
            continue
          }
          this.load[c]!++
          this.load[a]!--
          this.fairnessMoves++
          moved = true
          minLoad = Math.min(...volunteers.map((v) => this.load[v]!))
        }
      }
      if (!moved) break
    }
  }
}

// ---------------------------------------------------------------------------------------------

function components(sessionCount: number, volunteerCount: number, pairs: Pair[]): Group[] {
  // Union-find over volunteers (0..V-1) and sessions (V..V+S-1).
  const parent = new Int32Array(volunteerCount + sessionCount)
  for (let i = 0; i < parent.length; i++) parent[i] = i
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!
      x = parent[x]!
    }
    return x
  }
  for (const p of pairs) {
    const a = find(p.volunteer)
    const b = find(volunteerCount + p.session)
    if (a !== b) parent[a] = b
  }
  const groups = new Map<number, Group>()
  const groupOf = (x: number) => {
    const root = find(x)
    let g = groups.get(root)
    if (!g) {
      g = { volunteers: [], sessions: [], pairs: [] }
      groups.set(root, g)
    }
    return g
  }
  const seenVolunteer = new Uint8Array(volunteerCount)
  const seenSession = new Uint8Array(sessionCount)
  pairs.forEach((p, i) => {
    const g = groupOf(p.volunteer)
    g.pairs.push(i)
    if (!seenVolunteer[p.volunteer]) {
      seenVolunteer[p.volunteer] = 1
      g.volunteers.push(p.volunteer)
    }
    if (!seenSession[p.session]) {
      seenSession[p.session] = 1
      g.sessions.push(p.session)
    }
  })
  return [...groups.values()]
}

/** Proposes volunteers for open places; see the method at the top of this file. */
export function autofill(input: AutofillInput): AutofillResult {
  const skillKind = input.skillKind ?? (() => 'topic' as const)
  const excluded = input.excluded ?? new Set<string>()
  const sessions: PreparedSession[] = []
  const byBranch = new Map<number, number[]>()
  let openPlaces = 0
  let belowMinimumPlaces = 0
  for (const needs of input.sessions) {
    const places = Math.max(0, needs.max - needs.confirmed)
    const deficit = Math.min(places, Math.max(0, needs.min - needs.confirmed))
    openPlaces += places
    belowMinimumPlaces += deficit
    if (places === 0) continue
    const index = sessions.length
    sessions.push({ needs, day: isoWeekday(needs.localDate), month: monthOf(needs.localDate), places, deficit })
    const list = byBranch.get(needs.branchId) ?? []
    list.push(index)
    byBranch.set(needs.branchId, list)
  }

  const volunteers: PreparedVolunteer[] = []
  const pairs: Pair[] = []
  for (const v of input.volunteers) {
    const profile = v.profile
    if (profile.status !== 'active') continue
    let index = -1
    for (const branchId of new Set(profile.branchIds)) {
      for (const s of byBranch.get(branchId) ?? []) {
        const session = sessions[s]!
        if (excluded.has(pairKey(profile.id, session.needs.id))) continue
        if (!possiblePair(profile, session.needs, session.day)) continue
        if (index === -1) {
          index = volunteers.length
          const monthUsed = new Map<string, number>()
          for (const c of profile.commitments) monthUsed.set(monthOf(c.localDate), (monthUsed.get(monthOf(c.localDate)) ?? 0) + 1)
          volunteers.push({ input: v, profile, skills: new Set(profile.skillIds), branches: new Set(profile.branchIds), monthUsed, load: v.load ?? 0 })
        }
        pairs.push({ volunteer: index, session: s, preference: scorePoints(profile, session.needs, v.facts ?? NO_FACTS, skillKind) })
      }
    }
  }

  const solver = new Solver(sessions, volunteers, pairs)
  const groups = components(sessions.length, volunteers.length, pairs)
  const proposals: AutofillProposal[] = []
  let filled = 0
  let belowMinimumFilled = 0
  const bound = { filled: 0, belowMinimumFilled: 0 }
  let exact = true
  for (const group of groups) {
    const { best, exact: groupExact, bound: groupBound } = solver.solveGroup(group, input.nodeBudget ?? 400)
    exact &&= groupExact
    bound.filled += groupBound.filled
    bound.belowMinimumFilled += groupBound.belowMinimum
    // Loads start from the base again: balance works on the chosen solution's own proposals.
    for (const v of group.volunteers) solver.load[v] = volunteers[v]!.load
    group.pairs.forEach((p, i) => {
      if (best.pairArc[i] !== -1 && best.net.flow(best.pairArc[i]!) > 0) solver.load[pairs[p]!.volunteer]!++
    })
    solver.balance(group, best)
    filled += best.filled
    belowMinimumFilled += best.belowMinimum
    // Which proposals count towards the minimum: as many as the below-minimum arc carries, earliest-scored first.
    const bySession = new Map<number, number[]>()
    group.pairs.forEach((p, i) => {
      if (best.pairArc[i] === -1 || best.net.flow(best.pairArc[i]!) === 0) return
      const list = bySession.get(pairs[p]!.session) ?? []
      list.push(p)
      bySession.set(pairs[p]!.session, list)
    })
    for (const [s, list] of bySession) {
      const minArc = best.build.minArc.get(s)
      let towardsMinimum = minArc === undefined ? 0 : best.net.flow(minArc)
      list.sort((a, b) => pairs[b]!.preference - pairs[a]!.preference)
      for (const p of list) {
        proposals.push({ sessionId: sessions[s]!.needs.id, volunteerId: volunteers[pairs[p]!.volunteer]!.profile.id, forMinimum: towardsMinimum-- > 0 })
      }
    }
  }

  const startOf = new Map(input.sessions.map((s) => [s.id, s.startsAt]))
  proposals.sort((a, b) => startOf.get(a.sessionId)! - startOf.get(b.sessionId)! || a.sessionId - b.sessionId || a.volunteerId - b.volunteerId)
  return {
    proposals,
    stats: {
      sessions: input.sessions.length,
      volunteers: input.volunteers.length,
      possiblePairs: pairs.length,
      groups: groups.length,
      openPlaces,
      belowMinimumPlaces,
      filled,
      belowMinimumFilled,
      bound,
      exact,
      searchNodes: solver.searchNodes,
      fairnessMoves: solver.fairnessMoves,
    },
  }
}
