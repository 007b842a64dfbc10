// Runs the migrations in migrations/ with Kysely's Migrator (at start, and as `npm run migrate`).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, type MigrationResult } from 'kysely'
import type { Db } from './connect.js'

// src/db → ../../migrations when run from source, dist/src/db → dist/migrations when compiled.
const migrationFolder = fileURLToPath(new URL('../../migrations/', import.meta.url))

/** `schema`: the PostgreSQL schema to keep Kysely's own tables in (tests run side by side in their own). */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`)
  }
  return results ?? []
}
