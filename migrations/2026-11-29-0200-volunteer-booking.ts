// Indexes for the volunteer journey: finding sessions, coordinator alerts and My sessions stay fast at national scale.
//
// Frozen in time (Kysely<any>). Measured on the bench dataset (npm run bench:web): without these,
// "who coordinates this branch" scans every grant in the country and a volunteer's history is
// sorted in memory.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // queueCoordinatorAlert and the session page: the coordinators of one library service (and branch).
  await db.schema.createIndex('role_grants_service_role').on('role_grants').columns(['library_service_id', 'role', 'branch_id']).execute()
  // Find sessions: scheduled sessions of a few branches in a date range, in date order.
  await db.schema.createIndex('sessions_branch_status_starts').on('sessions').columns(['branch_id', 'status', 'starts_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_branch_status_starts').execute()
  await db.schema.dropIndex('role_grants_service_role').execute()
}
