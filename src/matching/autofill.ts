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
import { isoWeekday } from '../time/weekdays.js'

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

  clone(): Network {
    const copy = new Network()
    copy.head = this.head.slice()
    copy.next = this.next
    copy.to = this.to
    copy.cap = this.cap.slice()
    return copy
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

/** A group's network, built once; every search node is a copy of its capacities. */
interface GroupNet {
  group: Group
  base: Network
  source: number
  sink: number
  minGate: number
  extraGate: number
  volunteerNode: Map<number, number>
  sourceArc: Map<number, number>
  /** Per volunteer: the arcs volunteer → volunteer-month. */
  monthArcs: Map<number, number[]>
  /** Owning volunteer of each node (-1 for the source, sinks and sessions). */
  nodeVolunteer: Int32Array
  minArc: Map<number, number>
  extraArc: Map<number, number>
  /** Per local pair: the arc into the session, and the arcs from the source to it. */
  pairArc: Int32Array
  pairPath: Int32Array[]
  /** Per local pair: its relaxed clash group's arc (-1 if exact); and each relaxed arc's local pairs. */
  pairGroupArc: Int32Array
  groupPairs: Map<number, number[]>
  /** Volunteers with a relaxed clash group: their proposals must be checked for overlaps. */
  relaxed: Set<number>
  localOf: Map<number, number>
}

interface Solved {
  net: Network
  forbidden: Set<number>
  belowMinimum: number
  filled: number
  conflict: [number, number] | null
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

  needsOf(pair: number): SessionNeeds {
    return this.sessions[this.pairs[pair]!.session]!.needs
  }

  overlaps(a: number, b: number): boolean {
    const x = this.sessions[a]!.needs
    const y = this.sessions[b]!.needs
    return x.startsAt < y.endsAt && y.startsAt < x.endsAt
  }

  /** The most of these pairs' sessions one person could do: earliest-finishing first is optimal for intervals. */
  independence(pairs: readonly number[]): number {
    const sorted = pairs.map((p) => this.needsOf(p)).sort((a, b) => a.endsAt - b.endsAt)
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

  build(group: Group): GroupNet {
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
    const nodeOwner: number[] = [-1, -1, -1, -1]
    for (const s of group.sessions) {
      const node = net.addNode()
      nodeOwner.push(-1)
      sessionNode.set(s, node)
      const prepared = this.sessions[s]!
      if (prepared.deficit > 0) minArc.set(s, net.addArc(node, sinkMin, prepared.deficit))
      if (prepared.places > prepared.deficit) extraArc.set(s, net.addArc(node, sinkExtra, prepared.places - prepared.deficit))
    }
    const localOf = new Map<number, number>()
    group.pairs.forEach((p, i) => localOf.set(p, i))
    const volunteerNode = new Map<number, number>()
    const sourceArc = new Map<number, number>()
    const monthArcs = new Map<number, number[]>()
    const relaxed = new Set<number>()
    const pairArc = new Int32Array(group.pairs.length).fill(-1)
    const pairPath: Int32Array[] = new Array(group.pairs.length)
    const pairGroupArc = new Int32Array(group.pairs.length).fill(-1)
    const groupPairs = new Map<number, number[]>()

    for (const v of group.volunteers) {
      const mine = this.pairsOfVolunteer[v]!
      const vNode = net.addNode()
      nodeOwner.push(v)
      volunteerNode.set(v, vNode)
      const sArc = net.addArc(source, vNode, INF)
      sourceArc.set(v, sArc)
      const volunteer = this.volunteers[v]!
      // Overlap components of this volunteer's sessions, swept in start order.
      const sorted = [...mine].sort((a, b) => this.needsOf(a).startsAt - this.needsOf(b).startsAt)
      const components: number[][] = []
      let maxEnd = -Infinity
      for (const p of sorted) {
        const needs = this.needsOf(p)
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
          const left = volunteer.profile.maxPerMonth - (volunteer.monthUsed.get(month) ?? 0)
          m = { node, arc: net.addArc(vNode, node, Math.max(0, left)) }
          monthNode.set(month, m)
          monthArcs.set(v, [...(monthArcs.get(v) ?? []), m.arc])
        }
        return m
      }
      for (const component of components) {
        const months = new Set(component.map((p) => this.sessions[this.pairs[p]!.session]!.month))
        // Overlaps across a month end are not seen by per-month groups: check this volunteer.
        if (months.size > 1) relaxed.add(v)
        for (const month of months) {
          const part = component.filter((p) => this.sessions[this.pairs[p]!.session]!.month === month)
          const m = monthFor(month)
          const alpha = this.independence(part)
          let groupNode = m.node
          let groupArc = -1
          if (part.length > 1 && alpha < part.length) {
            // alpha === 1: every pair overlaps, so "one of them" is exact. Otherwise a chain: relaxed.
            groupNode = net.addNode()
            nodeOwner.push(v)
            groupArc = net.addArc(m.node, groupNode, alpha)
            if (alpha > 1) {
              relaxed.add(v)
              groupPairs.set(groupArc, part.map((p) => localOf.get(p)!))
            }
          }
          for (const p of part) {
            const arc = net.addArc(groupNode, sessionNode.get(this.pairs[p]!.session)!, 1)
            const local = localOf.get(p)!
            pairArc[local] = arc
            pairPath[local] = Int32Array.from(groupArc === -1 ? [sArc, m.arc, arc] : [sArc, m.arc, groupArc, arc])
            if (alpha > 1 && groupArc !== -1) pairGroupArc[local] = groupArc
          }
        }
      }
    }
    return {
      group,
      base: net,
      source,
      sink,
      minGate,
      extraGate,
      volunteerNode,
      sourceArc,
      monthArcs,
      nodeVolunteer: Int32Array.from(nodeOwner),
      minArc,
      extraArc,
      pairArc,
      pairPath,
      pairGroupArc,
      groupPairs,
      relaxed,
      localOf,
    }
  }

  /** Takes one unit off a chosen pair: back along its path, and off its session's extra (else minimum) place. */
  cancel(g: GroupNet, net: Network, local: number): void {
    for (const e of g.pairPath[local]!) net.push(e ^ 1)
    const s = this.pairs[g.group.pairs[local]!]!.session
    const extra = g.extraArc.get(s)
    if (extra !== undefined && net.flow(extra) > 0) {
      net.push(extra ^ 1)
      net.push(g.extraGate ^ 1)
    } else {
      net.push(g.minArc.get(s)! ^ 1)
      net.push(g.minGate ^ 1)
    }
  }

  chosen(g: GroupNet, net: Network, local: number): boolean {
    return g.pairArc[local] !== -1 && net.flow(g.pairArc[local]!) > 0
  }

  /**
   * Solves the group from `start` (a copy of a parent's flow, or the empty network), with the
   * `forbidden` pairs left out: cancels what they carried and every extra place, then phase one
   * (below-minimum places) and phase two (extra places), each a greedy fill completed by Dinic.
   */
  solve(g: GroupNet, start: Network, forbidden: Set<number>, added: readonly number[]): Solved {
    this.searchNodes++
    const net = start
    const { group } = g
    for (const local of added) {
      if (this.chosen(g, net, local)) this.cancel(g, net, local)
      net.cap[g.pairArc[local]!] = 0
    }
    // A relaxed clash group that lost sessions may now allow fewer of them.
    const touched = new Set<number>()
    for (const local of added) if (g.pairGroupArc[local] !== -1) touched.add(g.pairGroupArc[local]!)
    for (const arc of touched) {
      const members = g.groupPairs.get(arc)!.filter((l) => !forbidden.has(l))
      const alpha = this.independence(members.map((l) => group.pairs[l]!))
      while (net.flow(arc) > alpha) this.cancel(g, net, members.find((l) => this.chosen(g, net, l))!)
      net.cap[arc] = alpha - net.flow(arc)
    }
    // Back to a phase-one flow: no extra places held.
    for (const [s, arc] of g.extraArc) {
      let extra = net.flow(arc)
      if (extra === 0) continue
      for (const p of this.pairsOfSession[s]!) {
        if (extra === 0) break
        const local = g.localOf.get(p)!
        if (this.chosen(g, net, local)) {
          for (const e of g.pairPath[local]!) net.push(e ^ 1)
          net.push(arc ^ 1)
          net.push(g.extraGate ^ 1)
          extra--
        }
      }
    }
    net.cap[g.extraGate] = 0

    const load = new Map<number, number>()
    const held = new Map<number, number[]>()
    for (const v of group.volunteers) load.set(v, this.volunteers[v]!.load)
    group.pairs.forEach((p, local) => {
      if (!this.chosen(g, net, local)) return
      const v = this.pairs[p]!.volunteer
      load.set(v, load.get(v)! + 1)
      if (g.relaxed.has(v)) held.set(v, [...(held.get(v) ?? []), this.pairs[p]!.session])
    })
    const greedy = (kind: 'min' | 'extra') => {
      const arcs = kind === 'min' ? g.minArc : g.extraArc
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
            const local = g.localOf.get(p)!
            if (forbidden.has(local)) continue
            let open = true
            for (const e of g.pairPath[local]!) if (net.cap[e]! <= 0) open = false
            if (!open) continue
            const pair = this.pairs[p]!
            // Greedy never gives anyone overlapping sessions, even where the network would allow it.
            if (g.relaxed.has(pair.volunteer) && (held.get(pair.volunteer) ?? []).some((x) => this.overlaps(x, s))) continue
            const l = load.get(pair.volunteer)!
            if (l < bestLoad || (l === bestLoad && pair.preference > bestPref)) {
              best = local
              bestLoad = l
              bestPref = pair.preference
            }
          }
          if (best === -1) break
          for (const e of g.pairPath[best]!) net.push(e)
          net.push(sinkArc)
          net.push(kind === 'min' ? g.minGate : g.extraGate)
          const v = this.pairs[group.pairs[best]!]!.volunteer
          load.set(v, load.get(v)! + 1)
          if (g.relaxed.has(v)) held.set(v, [...(held.get(v) ?? []), s])
        }
      }
    }
    greedy('min')
    net.maxFlow(g.source, g.sink)
    net.cap[g.extraGate] = INF
    greedy('extra')
    net.maxFlow(g.source, g.sink)

    let belowMinimum = 0
    for (const arc of g.minArc.values()) belowMinimum += net.flow(arc)
    let filled = belowMinimum
    for (const arc of g.extraArc.values()) filled += net.flow(arc)
    return { net, forbidden, belowMinimum, filled, conflict: this.findConflict(g, net) }
  }

  /** Two overlapping sessions given to one volunteer whose clash groups are relaxed, if any (local pair indexes). */
  findConflict(g: GroupNet, net: Network, only?: Iterable<number>): [number, number] | null {
    if (g.relaxed.size === 0) return null
    const chosenBy = new Map<number, number[]>()
    for (const v of only ?? g.relaxed) {
      if (!g.relaxed.has(v)) continue
      for (const p of this.pairsOfVolunteer[v]!) {
        const local = g.localOf.get(p)!
        if (this.chosen(g, net, local)) chosenBy.set(v, [...(chosenBy.get(v) ?? []), local])
      }
    }
    for (const list of chosenBy.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (this.overlaps(this.pairs[g.group.pairs[list[i]!]!]!.session, this.pairs[g.group.pairs[list[j]!]!]!.session)) return [list[i]!, list[j]!]
        }
      }
    }
    return null
  }

  /** Branch and bound over conflicts; the best conflict-free solution and whether it is proved optimal. */
  solveGroup(group: Group, nodeBudget: number): { g: GroupNet; best: Solved; exact: boolean; bound: { filled: number; belowMinimum: number } } {
    const g = this.build(group)
    const root = this.solve(g, g.base, new Set(), [])
    const bound = { filled: root.filled, belowMinimum: root.belowMinimum }
    if (!root.conflict) return { g, best: root, exact: true, bound }
    const better = (a: { belowMinimum: number; filled: number }, b: { belowMinimum: number; filled: number } | null) =>
      !b || a.belowMinimum > b.belowMinimum || (a.belowMinimum === b.belowMinimum && a.filled > b.filled)
    let best: Solved | null = null
    let nodes = 1
    let exhausted = true
    const stack: Solved[] = [root]
    while (stack.length) {
      const node = stack.pop()!
      if (best && !better(node, best)) continue
      if (!node.conflict) {
        best = node
        // Nothing can beat the root's bound: stop searching.
        if (best.belowMinimum === bound.belowMinimum && best.filled === bound.filled) break
        continue
      }
      if (nodes >= nodeBudget && best) {
        exhausted = false
        continue
      }
      // Branch on the conflicting session that overlaps most of this volunteer's others: either they
      // do it (so its overlapping neighbours are dropped) or they do not (so it is dropped). Both
      // children break the chain into cliques, which the network then handles exactly.
      const [x, y] = node.conflict
      const neighbours = (local: number) => {
        const { volunteer, session } = this.pairs[group.pairs[local]!]!
        return this.pairsOfVolunteer[volunteer]!.map((p) => g.localOf.get(p)!).filter((l) => l !== local && !node.forbidden.has(l) && this.overlaps(session, this.pairs[group.pairs[l]!]!.session))
      }
      const nx = neighbours(x)
      const ny = neighbours(y)
      const [pick, around] = nx.length >= ny.length ? [x, nx] : [y, ny]
      const children: Solved[] = []
      for (const drop of [[pick], around]) {
        const forbidden = new Set(node.forbidden)
        for (const l of drop) forbidden.add(l)
        const child = this.solve(g, node.net.clone(), forbidden, drop)
        nodes++
        if (best && !better(child, best)) continue
        children.push(child)
      }
      // The more promising child is explored first (pushed last).
      children.sort((a, b) => (better(a, b) ? 1 : -1))
      stack.push(...children)
    }
    if (!best) throw new Error('unreachable: the search always finishes its first dive')
    // Searched to the end, or the best found meets the relaxation's bound: proved optimal.
    const exact = exhausted || (best.belowMinimum === bound.belowMinimum && best.filled === bound.filled)
    return { g, best, exact, bound }
  }

  /**
   * Moves places from more-loaded to less-loaded volunteers while some chain of swaps allows it
   * (a residual path between them that avoids the source and sink, so the numbers of places,
   * below-minimum and in total, stay the same).
   *
   * Load levels are handled from the heaviest down. At level L one backward search starts from
   * every volunteer of load L holding a proposal at once; if it reaches someone of load L − 2 or
   * less, that path is a move; if not, nobody at level L can give anything away. Sweeps repeat
   * until one makes no move at all, so the end meets the optimality condition exactly.
   */
  balance(g: GroupNet, net: Network): void {
    const n = net.size
    const visited = new Int32Array(n)
    const parentArc = new Int32Array(n)
    const queue = new Int32Array(n)
    let stamp = 0
    const volunteers = g.group.volunteers
    const canTake = (v: number) => {
      for (const arc of g.monthArcs.get(v)!) if (net.cap[arc]! > 0) return true
      return false
    }
    const holds = (v: number) => net.flow(g.sourceArc.get(v)!) > 0
    for (let sweep = 0; sweep < 50; sweep++) {
      let moved = false
      let top = -Infinity
      let lightest = Infinity
      for (const v of volunteers) {
        if (holds(v)) top = Math.max(top, this.load[v]!)
        if (canTake(v)) lightest = Math.min(lightest, this.load[v]!)
      }
      for (let level = top; level >= lightest + 2; level--) {
        const blocked = new Set<number>()
        for (;;) {
          stamp++
          let qh = 0
          let qt = 0
          for (const v of volunteers) {
            if (this.load[v] !== level || !holds(v)) continue
            const node = g.volunteerNode.get(v)!
            visited[node] = stamp
            parentArc[node] = -1
            queue[qt++] = node
          }
          if (qt === 0) break
          let found = -1
          // Backwards: which volunteers have a residual path to one of these givers?
          while (qh < qt && found === -1) {
            const w = queue[qh++]!
            for (let e = net.head[w]!; e !== -1; e = net.next[e]!) {
              const u = net.to[e]!
              if (u === g.source || u === g.sink || visited[u] === stamp) continue
              const forward = e ^ 1 // the arc u → w
              if (net.cap[forward]! <= 0) continue
              visited[u] = stamp
              parentArc[u] = forward
              const owner = g.nodeVolunteer[u]!
              if (owner !== -1 && g.volunteerNode.get(owner) === u && this.load[owner]! <= level - 2 && !blocked.has(u)) {
                found = u
                break
              }
              queue[qt++] = u
            }
          }
          if (found === -1) break
          const path: number[] = []
          let u = found
          while (parentArc[u] !== -1) {
            path.push(parentArc[u]!)
            u = net.to[parentArc[u]!]!
          }
          const a = g.nodeVolunteer[u]!
          const c = g.nodeVolunteer[found]!
          for (const e of path) net.push(e)
          net.push(g.sourceArc.get(c)!)
          net.push(g.sourceArc.get(a)! ^ 1)
          if (g.relaxed.size) {
            const touched = new Set<number>([a, c])
            for (const e of path) if (g.nodeVolunteer[net.to[e]!]! !== -1) touched.add(g.nodeVolunteer[net.to[e]!]!)
            if (this.findConflict(g, net, touched)) {
              // The move broke an overlap the relaxed groups do not see: undo it and try someone else.
              for (const e of path) net.push(e ^ 1)
              net.push(g.sourceArc.get(c)! ^ 1)
              net.push(g.sourceArc.get(a)!)
              blocked.add(found)
              continue
            }
          }
          this.load[c]!++
          this.load[a]!--
          this.fairnessMoves++
          moved = true
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
    const { g, best, exact: groupExact, bound: groupBound } = solver.solveGroup(group, input.nodeBudget ?? 400)
    exact &&= groupExact
    bound.filled += groupBound.filled
    bound.belowMinimumFilled += groupBound.belowMinimum
    const chosen = (local: number) => solver.chosen(g, best.net, local)
    // Loads: the base plus this solution's proposals; balancing then moves them between volunteers.
    for (const v of group.volunteers) solver.load[v] = volunteers[v]!.load
    group.pairs.forEach((p, local) => {
      if (chosen(local)) solver.load[pairs[p]!.volunteer]!++
    })
    solver.balance(g, best.net)
    filled += best.filled
    belowMinimumFilled += best.belowMinimum
    // Which proposals count towards the minimum: as many as the below-minimum arc carries, best-scored first.
    const bySession = new Map<number, number[]>()
    group.pairs.forEach((p, local) => {
      if (!chosen(local)) return
      const list = bySession.get(pairs[p]!.session) ?? []
      list.push(p)
      bySession.set(pairs[p]!.session, list)
    })
    for (const [s, list] of bySession) {
      const minArc = g.minArc.get(s)
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
