// SQL for the health check: the cheapest statement the database must answer.
import { sql } from 'kysely'
import type { Db } from '../db/connect.js'

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}
