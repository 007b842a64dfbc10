// Which tables have been written, so that reads of rarely-changing tables can be kept in memory (SQLite only).
//
// The admin's lists (skills, trainings, branches) and what each session requires change a few
// times a week, yet a signed-in "find sessions" page read them every time: a fifth of its time.
// On SQLite every write of this process goes through one connection, which notes the table each
// INSERT or UPDATE names (anything it cannot name, such as a DELETE that may cascade, raw SQL or a
// migration, counts as a change to every table), and `PRAGMA data_version` tells it when another
// process (the outbox worker, a command-line tool) has committed: then everything counts as
// changed. A cached read carries the stamp of its tables from before it read them, and is used
// only while that stamp stands. On PostgreSQL other instances write too and nothing says so
// cheaply, so there `TableCache` always reads.
import {
  AliasNode,
  InsertQueryNode,
  TableNode,
  UpdateQueryNode,
  type Kysely,
  type RootOperationNode,
  type Transaction,
} from 'kysely'

export class ChangeTracker {
  /** Bumped for a change to any table (and whenever another process has committed). */
  #everything = 0
  readonly #tables = new Map<string, number>()
  readonly #dataVersion: () => number
  #seenDataVersion = -1
  #checkedThisTurn = false

  /** `dataVersion`: SQLite's PRAGMA data_version on this connection (changes when another connection commits). */
  constructor(dataVersion: () => number) {
    this.#dataVersion = dataVersion
  }

  /** A statement that may have changed rows ran on this connection. */
  wrote(query: RootOperationNode | undefined): void {
    const table = writtenTable(query)
    if (table === null) this.#everything++
    else this.#tables.set(table, (this.#tables.get(table) ?? 0) + 1)
  }

  /** A transaction was rolled back: whatever it wrote (and anything read inside it) is undone. */
  rolledBack(): void {
    this.#everything++
  }

  /**
   * Asks SQLite once per turn of the event loop (asking costs microseconds, and several requests
   * share a turn). Another process's commit that lands while this turn's requests are being
   * handled is seen from the next turn on: one turn late at most (tens of milliseconds under load).
   */
  #checkOthers(): void {
    if (this.#checkedThisTurn) return
    this.#checkedThisTurn = true
    setImmediate(() => (this.#checkedThisTurn = false))
    const seen = this.#dataVersion()
    if (seen !== this.#seenDataVersion) {
      this.#seenDataVersion = seen
      this.#everything++
    }
  }

  /** A number that changes whenever any of `tables` may have changed (counters only grow, so their sum does too). */
  stamp(tables: readonly string[]): number {
    this.#checkOthers()
    let sum = this.#everything
    for (const t of tables) sum += this.#tables.get(t) ?? 0
    return sum
  }
}

/** The one table an INSERT or UPDATE writes; null when it cannot be told (every table then counts as changed). */
export function writtenTable(query: RootOperationNode | undefined): string | null {
  if (!query) return null
  if (InsertQueryNode.is(query)) return query.into && !query.replace ? query.into.table.identifier.name : null
  if (UpdateQueryNode.is(query)) {
    const target = query.table && AliasNode.is(query.table) ? query.table.node : query.table
    return target && TableNode.is(target) ? target.table.identifier.name : null
  }
  // Anything else, a DELETE included (it may cascade to other tables), counts as a change to all.
  return null
}

const trackers = new WeakMap<object, ChangeTracker>()

/** Ties a tracker to a dialect adapter: every Kysely instance and transaction on that database shares it. */
export function registerTracker(adapter: object, tracker: ChangeTracker): void {
  trackers.set(adapter, tracker)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>

export function trackerOf(db: AnyDb): ChangeTracker | undefined {
  return trackers.get(db.getExecutor().adapter)
}

/**
 * Reads kept in memory, by key, until one of `tables` is written. Values are shared between
 * requests: they are frozen, and callers must copy before changing them.
 */
export class TableCache<K, V> {
  readonly #byDatabase = new WeakMap<ChangeTracker, Map<K, { stamp: number; value: V }>>()

  constructor(
    readonly tables: readonly string[],
    /** Entries kept per database; beyond it the oldest go. */
    readonly limit: number,
  ) {}

  #entries(tracker: ChangeTracker): Map<K, { stamp: number; value: V }> {
    let entries = this.#byDatabase.get(tracker)
    if (!entries) this.#byDatabase.set(tracker, (entries = new Map()))
    return entries
  }

  #store(entries: Map<K, { stamp: number; value: V }>, key: K, stamp: number, value: V): void {
    entries.delete(key)
    if (entries.size >= this.limit) entries.delete(entries.keys().next().value as K)
    entries.set(key, { stamp, value: deepFreeze(value) })
  }

  async get(db: AnyDb, key: K, load: () => Promise<V>): Promise<V> {
    const tracker = trackerOf(db)
    if (!tracker) return load()
    // The stamp from before reading: a write while it reads leaves the entry already out of date.
    const stamp = tracker.stamp(this.tables)
    const entries = this.#entries(tracker)
    const hit = entries.get(key)
    if (hit && hit.stamp === stamp) return hit.value
    const value = await load()
    this.#store(entries, key, stamp, value)
    return value
  }

  /** Several keys at once; `load` is asked only for the missing ones and must answer for each of them. */
  async getMany(db: AnyDb, keys: readonly K[], load: (missing: readonly K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
    const tracker = trackerOf(db)
    if (!tracker) return load(keys)
    const stamp = tracker.stamp(this.tables)
    const entries = this.#entries(tracker)
    const result = new Map<K, V>()
    const missing: K[] = []
    for (const key of keys) {
      const hit = entries.get(key)
      if (hit && hit.stamp === stamp) result.set(key, hit.value)
      else missing.push(key)
    }
    if (missing.length === 0) return result
    const loaded = await load(missing)
    for (const key of missing) {
      const value = loaded.get(key)
      if (value === undefined) continue
      this.#store(entries, key, stamp, value)
      result.set(key, value)
    }
    return result
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v)
    return value
  }
  for (const v of Object.values(value as object)) deepFreeze(v)
  return Object.freeze(value)
}
