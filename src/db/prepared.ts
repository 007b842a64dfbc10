// Queries built and compiled once, then run many times with new values: the hot paths' SQL.
//
// Building a Kysely query and compiling it to SQL costs more than running it on SQLite (a
// signed-in page or a booking runs 20–30 small queries, and building them was a quarter of the
// request's time). `prepared` builds a query once with placeholders standing for its arguments,
// keeps the compiled SQL (one per dialect and per length of each list argument), and on each call
// puts the real values where the placeholders were. The builder must be plain: it may not look at
// its arguments' values (no `if (x)`), only pass them to Kysely as values, and a list argument
// may only be the right-hand side of `in`: its length is rounded up to one of a few sizes by
// repeating its last item (which changes no `in`), so that lists of every length share a handful
// of statements. An empty list is the caller's to avoid (`in ()` is an error on PostgreSQL).
import type { Compilable, CompiledQuery } from 'kysely'
import type { Db, Tx } from './connect.js'

/** A stand-in for argument `index` (item `item` of it when it is a list, else -1). */
class Slot {
  constructor(
    readonly index: number,
    readonly item: number,
  ) {}
}

type Arg = string | number | boolean | null | readonly (string | number)[]

const MAX_SHAPES = 256

/** The sizes lists are padded to: 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64… (a third of the slots wasted at most). */
export function paddedLength(n: number): number {
  if (n <= 4) return n
  let size = 4
  while (size < n) size = size % 3 === 0 ? (size / 3) * 4 : (size / 2) * 3
  return size
}

export interface Prepared<A extends readonly Arg[], R> {
  /** Every row. */
  all(db: Db | Tx, ...args: A): Promise<R[]>
  /** The first row, or undefined. */
  first(db: Db | Tx, ...args: A): Promise<R | undefined>
  /** For a write: how many rows it changed (0 for an insert that met ON CONFLICT DO NOTHING). */
  run(db: Db | Tx, ...args: A): Promise<number>
  /** The statement as it runs, for tests and EXPLAIN. */
  compiled(db: Db | Tx, ...args: A): CompiledQuery<R>
}

export function prepared<A extends readonly Arg[], R>(build: (db: Db | Tx, ...args: A) => Compilable<R>): Prepared<A, R> {
  // Keyed by the dialect's adapter: one Kysely instance (and its transactions) share it.
  const byAdapter = new WeakMap<object, Map<string, CompiledQuery<R>>>()

  function compiled(db: Db | Tx, ...args: A): CompiledQuery<R> {
    const adapter = db.getExecutor().adapter
    let shapes = byAdapter.get(adapter)
    if (!shapes) byAdapter.set(adapter, (shapes = new Map()))
    let shape = ''
    for (const a of args) shape += Array.isArray(a) ? `${paddedLength(a.length)},` : '.,'
    let template = shapes.get(shape)
    if (!template) {
      const slots = args.map((a, i) => (Array.isArray(a) ? Array.from({ length: paddedLength(a.length) }, (_, j) => new Slot(i, j)) : new Slot(i, -1)))
      template = build(db, ...(slots as unknown as A)).compile()
      // Lists of new lengths each compile once; a bound keeps odd lengths from piling up.
      if (shapes.size >= MAX_SHAPES) shapes.clear()
      shapes.set(shape, template)
    }
    const parameters = template.parameters.map((p) => {
      if (!(p instanceof Slot)) return p
      const value = args[p.index]
      if (p.item < 0) return value
      const list = value as readonly unknown[]
      return list[Math.min(p.item, list.length - 1)]
    })
    return { ...template, parameters }
  }

  return {
    compiled,
    async all(db, ...args) {
      return (await db.executeQuery(compiled(db, ...args))).rows
    },
    async first(db, ...args) {
      return (await db.executeQuery(compiled(db, ...args))).rows[0]
    },
    async run(db, ...args) {
      return Number((await db.executeQuery(compiled(db, ...args))).numAffectedRows ?? 0n)
    },
  }
}
