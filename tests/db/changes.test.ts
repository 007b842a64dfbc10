// Reads kept in memory (a session's requirements, a service's lists) are never served after the tables under them change.
import t from 'tap'
import { sql } from 'kysely'
import Database from 'better-sqlite3'
import { databaseLabel, testDatabase, usingPostgres } from '../helpers/app.js'
import { createBranch, createService, createSession } from '../helpers/fixtures.js'
import { loadNameLists, needsFromRows, loadSessionNeeds } from '../../src/assignments/assignments.repository.js'
import { inTransaction } from '../../src/db/transaction.js'
import { trackerOf, writtenTable } from '../../src/db/changes.js'
import type { Db } from '../../src/db/connect.js'

t.comment(`database: ${databaseLabel}`)

async function setUp(db: Db) {
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const sessionId = await createSession(db, branch, { date: '2026-12-14' })
  const skill = async (name: string, kind: 'topic' | 'language' = 'topic') =>
    (await db.insertInto('skills').values({ library_service_id: service, name, kind }).returning('id').executeTakeFirstOrThrow()).id
  return { service, branch, sessionId, skill }
}

async function required(db: Db, sessionId: number) {
  const needs = (await loadSessionNeeds(db, [sessionId])).get(sessionId)!
  return { required: [...needs.requiredSkillIds].sort(), preferred: [...needs.preferredSkillIds].sort(), training: [...needs.requiredTrainingIds] }
}

t.test('a session’s requirements: every insert, update and delete is seen at once', async (t) => {
  const { db } = await testDatabase(t)
  const { sessionId, skill, service } = await setUp(db)
  const welsh = await skill('Welsh', 'language')
  const phones = await skill('Phones')
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] })
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] }, 'read twice (kept)')

  await db.insertInto('session_skills').values({ session_id: sessionId, skill_id: welsh, requirement: 'preferred' }).execute()
  t.same(await required(db, sessionId), { required: [], preferred: [welsh], training: [] }, 'after an insert')

  await db.updateTable('session_skills').set({ requirement: 'required' }).where('session_id', '=', sessionId).execute()
  t.same(await required(db, sessionId), { required: [welsh], preferred: [], training: [] }, 'after an update')

  await db.insertInto('session_skills').values({ session_id: sessionId, skill_id: phones, requirement: 'required' }).execute()
  await db.deleteFrom('session_skills').where('skill_id', '=', welsh).execute()
  t.same(await required(db, sessionId), { required: [phones], preferred: [], training: [] }, 'after a delete')

  // Deleting the skill itself removes its session_skills rows by cascade, with no statement naming that table.
  await db.deleteFrom('skills').where('id', '=', phones).execute()
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] }, 'after a cascade')

  const training = (await db.insertInto('training_kinds').values({ library_service_id: service, name: 'Safeguarding' }).returning('id').executeTakeFirstOrThrow()).id
  await sql`insert into session_trainings (session_id, training_kind_id) values (${sessionId}, ${training})`.execute(db)
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [training] }, 'after raw SQL')
})

t.test('a write rolled back leaves what was there, and a read inside the transaction is not kept', async (t) => {
  const { db } = await testDatabase(t)
  const { sessionId, skill } = await setUp(db)
  const welsh = await skill('Welsh', 'language')
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] })
  await t.rejects(
    inTransaction(db, async (tx) => {
      await tx.insertInto('session_skills').values({ session_id: sessionId, skill_id: welsh, requirement: 'required' }).execute()
      const inside = (await needsFromRows(tx, await tx.selectFrom('sessions').selectAll().where('id', '=', sessionId).execute())).get(sessionId)!
      t.same(inside.requiredSkillIds, [welsh], 'the transaction sees its own write')
      throw new Error('changed my mind')
    }),
    /changed my mind/,
  )
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] }, 'after the rollback: as before')
})

t.test('a service’s lists: a new or renamed skill, branch or training shows at once', async (t) => {
  const { db } = await testDatabase(t)
  const { service, branch, skill } = await setUp(db)
  const first = await loadNameLists(db, service)
  t.same(first.skills.map((s) => s.name), [])
  t.equal(first.names.branch(branch), 'Central Library')
  if (!usingPostgres) t.ok(Object.isFrozen(first.skills), 'kept lists are shared, so a caller cannot change them')

  const id = await skill('Email')
  t.same((await loadNameLists(db, service)).skills.map((s) => s.name), ['Email'])
  await db.updateTable('skills').set({ name: 'Email and attachments' }).where('id', '=', id).execute()
  t.equal((await loadNameLists(db, service)).names.skill(id), 'Email and attachments')
  await db.updateTable('branches').set({ name: 'Central Library (closed for works)' }).where('id', '=', branch).execute()
  t.equal((await loadNameLists(db, service)).names.branch(branch), 'Central Library (closed for works)')
})

t.test('SQLite: a change committed by another process (the worker, a command-line tool) is seen at once', { skip: usingPostgres && 'SQLite only' }, async (t) => {
  const handle = await testDatabase(t)
  const db = handle.db
  const { sessionId, skill, service } = await setUp(db)
  const welsh = await skill('Welsh', 'language')
  t.ok(trackerOf(db), 'SQLite keeps these reads')
  t.same(await required(db, sessionId), { required: [], preferred: [], training: [] })
  t.same((await loadNameLists(db, service)).skills.map((s) => s.name), ['Welsh'])

  const other = new Database(handle.config.kind === 'sqlite' ? handle.config.file : '')
  other.prepare('insert into session_skills (session_id, skill_id, requirement) values (?, ?, ?)').run(sessionId, welsh, 'required')
  other.prepare('update skills set name = ? where id = ?').run('Cymraeg', welsh)
  other.close()
  // A server hears of another process's doings only through I/O, in a later turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve))

  t.same(await required(db, sessionId), { required: [welsh], preferred: [], training: [] })
  t.equal((await loadNameLists(db, service)).names.skill(welsh), 'Cymraeg')
})

t.test('PostgreSQL, where other instances write: nothing is kept', { skip: !usingPostgres && 'PostgreSQL only' }, async (t) => {
  const { db } = await testDatabase(t)
  t.equal(trackerOf(db), undefined)
})

t.test('which table a statement writes', async (t) => {
  const { db } = await testDatabase(t)
  t.equal(writtenTable(db.insertInto('skills').values({ library_service_id: 1, name: 'x', kind: 'topic' }).toOperationNode()), 'skills')
  t.equal(writtenTable(db.updateTable('sessions').set({ title: 'x' }).where('id', '=', 1).toOperationNode()), 'sessions')
  t.equal(writtenTable(db.deleteFrom('session_skills').toOperationNode()), null, 'a delete may cascade: every table')
  t.equal(writtenTable(db.replaceInto('skills').values({ library_service_id: 1, name: 'x', kind: 'topic' }).toOperationNode()), null, 'a replace deletes first')
  t.equal(writtenTable(undefined), null)
})
