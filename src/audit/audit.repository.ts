// The audit log: who changed what, when — written in the same transaction as the change.
import type { Db, Tx } from '../db/connect.js'

export interface AuditEntry {
  actorPersonId: number | null
  libraryServiceId?: number | null
  action: string
  objectType: string
  objectId: number | string
  detail?: Record<string, unknown>
  at: number
}

export async function audit(db: Tx | Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_person_id: entry.actorPersonId,
      library_service_id: entry.libraryServiceId ?? null,
      action: entry.action,
      object_type: entry.objectType,
      object_id: String(entry.objectId),
      detail: JSON.stringify(entry.detail ?? {}),
      at: entry.at,
    })
    .execute()
}
