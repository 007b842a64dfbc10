// Indexes for the volunteer journey: finding sessions, booking and coordinator alerts stay fast at national scale.
//
// Frozen in time (Kysely<any>). Measured on the bench dataset (npm run bench:web): without these,
// "who coordinates this branch" scans every grant in the country, and reading what each found
// session requires goes back to the table for every row. The search itself uses the initial
// (branch_id, starts_at) index.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // queueCoordinatorAlert and the session page: the coordinators of one library service (and branch).
  await db.schema.createIndex('role_grants_service_role').on('role_grants').columns(['library_service_id', 'role', 'branch_id']).execute()
  // Find sessions and every booking read what each session requires; with the requirement in the
  // index, that is answered from the index alone (the primary key lacks it).
  await db.schema.createIndex('session_skills_session_requirement').on('session_skills').columns(['session_id', 'requirement', 'skill_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('session_skills_session_requirement').execute()
  await db.schema.dropIndex('role_grants_service_role').execute()
}
