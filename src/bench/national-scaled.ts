// The national benchmark rota made N times larger (4×: 720 services, 8,000 branches, 200,000 volunteers), for the growth target of `npm run bench:web`.
//
// national-data.ts makes one country. This repeats it: copy k of every service-owned row gets
// its own ids (each integer id and every foreign key to one moved on by k × the table's largest
// id), so the first copy is the 1× dataset itself, row for row, and its volunteers see exactly
// the pages they see at 1×, with three more countries' worth of rows around them. Unique text
// (emails, slugs) gets a "k-" prefix. Tables with no integer key (the framework's areas) are
// shared, not repeated. Kept beside the 1× file while it is the same one.
import fs from 'node:fs'
import SqliteDatabase from 'better-sqlite3'

interface ScaledInfo {
  from: string
  factor: number
  counts: Record<string, number>
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

export async function ensureScaledDataset(pristine: string, key: string, factor: number, log: (line: string) => void): Promise<{ file: string; counts: Record<string, number> }> {
  const file = pristine.replace(/\.sqlite$/, `-x${factor}.sqlite`)
  const meta = file.replace(/\.sqlite$/, '.json')
  try {
    const info = JSON.parse(fs.readFileSync(meta, 'utf8')) as ScaledInfo
    if (info.from === key && info.factor === factor && fs.existsSync(file)) return { file, counts: info.counts }
  } catch {
    // Missing or unreadable: make it.
  }
  const started = performance.now()
  log(`Making the dataset ${factor}× larger into ${file} …`)
  const tmp = `${file}.tmp`
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(tmp + suffix, { force: true })
    fs.rmSync(file + suffix, { force: true })
  }
  fs.copyFileSync(pristine, tmp)
  const db = new SqliteDatabase(tmp)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -200000')
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").pluck().all() as string[]
  const largest = new Map<string, number>()
  for (const table of tables) {
    const columns = db.prepare(`pragma table_info(${quote(table)})`).all() as Array<{ name: string; type: string; pk: number }>
    if (columns.some((c) => c.name === 'id' && c.pk && /int/i.test(c.type))) largest.set(table, Number(db.prepare(`select coalesce(max(id), 0) from ${quote(table)}`).pluck().get()))
  }
  const counts: Record<string, number> = {}
  db.transaction(() => {
    for (const table of tables) {
      if (!db.prepare(`select 1 from ${quote(table)} limit 1`).get()) continue
      const columns = db.prepare(`pragma table_info(${quote(table)})`).all() as Array<{ name: string; type: string; pk: number }>
      const foreign = new Map((db.prepare(`pragma foreign_key_list(${quote(table)})`).all() as Array<{ from: string; table: string }>).map((f) => [f.from, f.table]))
      const moves = new Map<string, string>()
      for (const c of columns) {
        if (c.name === 'id' && largest.has(table)) moves.set(c.name, table)
        else if (foreign.has(c.name) && largest.has(foreign.get(c.name)!)) moves.set(c.name, foreign.get(c.name)!)
      }
      if (!moves.size) continue
      const uniqueText = new Set<string>()
      for (const index of db.prepare(`pragma index_list(${quote(table)})`).all() as Array<{ name: string; unique: number; origin: string }>) {
        if (!index.unique || index.origin === 'pk') continue
        const names = (db.prepare(`pragma index_info(${quote(index.name)})`).all() as Array<{ name: string }>).map((i) => i.name)
        if (names.some((n) => moves.has(n))) continue
        for (const n of names) if (/text/i.test(columns.find((c) => c.name === n)?.type ?? '')) uniqueText.add(n)
      }
      const list = columns.map((c) => quote(c.name)).join(', ')
      for (let k = 1; k < factor; k++) {
        const values = columns.map((c) =>
          moves.has(c.name) ? `${quote(c.name)} + ${k * largest.get(moves.get(c.name)!)!}` : uniqueText.has(c.name) ? `'${k}-' || ${quote(c.name)}` : quote(c.name),
        )
        const { changes } = db.prepare(`insert into ${quote(table)} (${list}) select ${values.join(', ')} from ${quote(table)} where ${[...moves.keys()].map((m) => `(${quote(m)} is null or ${quote(m)} <= ${largest.get(moves.get(m)!)!})`).join(' and ')}`).run()
        counts[table] = (counts[table] ?? 0) + changes
      }
    }
  })()
  db.exec('analyze')
  db.pragma('journal_mode = WAL')
  const total: Record<string, number> = {}
  for (const table of ['branches', 'volunteers', 'sessions', 'assignments']) total[table] = Number(db.prepare(`select count(*) from ${quote(table)}`).pluck().get())
  db.close()
  fs.renameSync(tmp, file)
  fs.writeFileSync(meta, JSON.stringify({ from: key, factor, counts: total } satisfies ScaledInfo, null, 2))
  log(`Made in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.entries(total).map(([k, v]) => `${v} ${k}`).join(', ')}`)
  return { file, counts: total }
}
