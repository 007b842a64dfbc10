// Private calendar feeds: a volunteer's own sessions, a coordinator's branch; their URLs, resets, and the feed text with its ETag.
//
// Rules: a volunteer feed shows places held on sessions from 30 days back onwards, and as
// STATUS:CANCELLED the events cancelled in the last 30 days (so subscribed calendars remove them);
// never anyone else's. A branch feed shows every session with its staffing, for as long as the
// person still coordinates that branch. DTSTAMP comes from the rows' updated_at, so an unchanged
// feed is byte-identical and its ETag answers 304. A reset revokes the old token at once.
import { createHash } from 'node:crypto'
import type { AppContext } from '../context.js'
import type { Tx } from '../db/connect.js'
import { inTransaction } from '../db/transaction.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { assertCanCoordinateBranch, type SignedInUser } from '../auth/access.js'
import { branchesInScope, findBranch } from '../branches/branches.repository.js'
import { audit } from '../audit/audit.repository.js'
import { buildFeed, type CalendarEvent } from '../calendar/ics.js'
import { branchSessionEvent, volunteerEvent, type Service } from '../calendar/session-event.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { allWithLocalNames, withLocalNames } from '../i18n/names.js'
import { recipientLocale } from '../people/recipient-language.repository.js'
import { PLACE_STATES } from '../assignments/assignments.repository.js'
import * as repo from './feeds.repository.js'
import { feedTokenHash, feedTokenMatches, isFeedTokenShape, newFeedToken, sealFeedToken, unsealFeedToken } from './feed-token.js'

export const FEED_WINDOW_DAYS = 30
export const FEED_REFRESH_MINUTES = 60
const DAY = 86_400_000

export interface FeedUrls {
  https: string
  webcal: string
}

export function feedUrls(baseUrl: string, token: string): FeedUrls {
  const https = `${baseUrl}/feeds/${token}.ics`
  return { https, webcal: https.replace(/^https?:\/\//, 'webcal://') }
}

function service(ctx: AppContext): Service {
  return { baseUrl: ctx.config.baseUrl, organizer: { name: ctx.config.mailFrom.name, email: ctx.config.mailFrom.address } }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '')
}

async function createToken(tx: Tx, ctx: AppContext, owner: { personId: number; volunteerId: number | null; branchId: number | null }): Promise<string> {
  const token = newFeedToken()
  await repo.insertFeedToken(tx, {
    tokenHash: feedTokenHash(token),
    tokenSealed: sealFeedToken(ctx.config.sessionSecret, token),
    ...owner,
    now: ctx.clock.now(),
  })
  return token
}

export interface CalendarLink {
  /** null when the URL exists but cannot be shown again (SESSION_SECRET changed): offer a reset. */
  urls: FeedUrls | null
}

function linkOf(ctx: AppContext, row: repo.FeedTokenRow): CalendarLink {
  const token = unsealFeedToken(ctx.config.sessionSecret, row.token_sealed)
  return { urls: token && feedTokenMatches(row.token_hash, token) ? feedUrls(ctx.config.baseUrl, token) : null }
}

/** The volunteer's feed URL, made on first use. */
export async function volunteerCalendarLink(ctx: AppContext, user: SignedInUser): Promise<CalendarLink> {
  const volunteer = user.volunteer
  if (!volunteer) throw new ForbiddenError({ key: 'auth.refusal.forVolunteers' })
  const existing = await repo.liveVolunteerToken(ctx.db, volunteer.id)
  if (existing) return linkOf(ctx, existing)
  try {
    const token = await inTransaction(ctx.db, async (tx) => {
      if (await repo.liveVolunteerToken(tx, volunteer.id)) return null
      return createToken(tx, ctx, { personId: user.personId, volunteerId: volunteer.id, branchId: null })
    })
    if (token) return { urls: feedUrls(ctx.config.baseUrl, token) }
  } catch (err) {
    // Two first visits at once: the other one made it.
    if (!isUniqueViolation(err)) throw err
  }
  return linkOf(ctx, (await repo.liveVolunteerToken(ctx.db, volunteer.id))!)
}

/** A new URL for the volunteer's feed; the old one answers 404 from now on. */
export async function resetVolunteerCalendar(ctx: AppContext, user: SignedInUser): Promise<FeedUrls> {
  const volunteer = user.volunteer
  if (!volunteer) throw new ForbiddenError({ key: 'auth.refusal.forVolunteers' })
  const token = await inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    await repo.revokeVolunteerTokens(tx, volunteer.id, now)
    const fresh = await createToken(tx, ctx, { personId: user.personId, volunteerId: volunteer.id, branchId: null })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: volunteer.libraryServiceId, action: 'calendar-feed.reset', objectType: 'volunteer', objectId: volunteer.id, at: now })
    return fresh
  })
  return feedUrls(ctx.config.baseUrl, token)
}

export interface BranchCalendar {
  branchId: number
  branchName: string
  link: CalendarLink
}

/** A feed URL for each branch the coordinator looks after, made on first use. */
export async function coordinatorCalendarLinks(ctx: AppContext, user: SignedInUser, locale: Locale = 'en'): Promise<BranchCalendar[]> {
  const branches = allWithLocalNames(await branchesInScope(ctx.db, user), locale)
  const live = new Map((await repo.liveBranchTokens(ctx.db, user.personId)).map((r) => [r.branch_id!, r]))
  const missing = branches.filter((b) => !live.has(b.id))
  const made = new Map<number, string>()
  if (missing.length) {
    try {
      await inTransaction(ctx.db, async (tx) => {
        const now = new Set((await repo.liveBranchTokens(tx, user.personId)).map((r) => r.branch_id))
        for (const b of missing) if (!now.has(b.id)) made.set(b.id, await createToken(tx, ctx, { personId: user.personId, volunteerId: null, branchId: b.id }))
      })
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      made.clear()
      for (const r of await repo.liveBranchTokens(ctx.db, user.personId)) live.set(r.branch_id!, r)
    }
  }
  return branches.map((b) => {
    const token = made.get(b.id)
    const row = live.get(b.id)
    return { branchId: b.id, branchName: b.name, link: token ? { urls: feedUrls(ctx.config.baseUrl, token) } : row ? linkOf(ctx, row) : { urls: null } }
  })
}

export async function resetBranchCalendar(ctx: AppContext, user: SignedInUser, branchId: number, locale: Locale = 'en'): Promise<{ branchName: string; urls: FeedUrls }> {
  const branch = await findBranch(ctx.db, branchId)
  if (!branch) throw new NotFoundError({ key: 'account.refusal.noBranch' })
  assertCanCoordinateBranch(user, branch)
  const token = await inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    await repo.revokeBranchToken(tx, user.personId, branchId, now)
    const fresh = await createToken(tx, ctx, { personId: user.personId, volunteerId: null, branchId })
    await audit(tx, { actorPersonId: user.personId, libraryServiceId: branch.library_service_id, action: 'calendar-feed.reset', objectType: 'branch', objectId: branchId, at: now })
    return fresh
  })
  return { branchName: withLocalNames(branch, locale).name, urls: feedUrls(ctx.config.baseUrl, token) }
}

export interface RenderedFeed {
  ics: string
  etag: string
}

export function etagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`
}

/** Does an If-None-Match header name this ETag (weak comparison, as RFC 9110 asks for 304)? */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((candidate) => {
    const c = candidate.trim()
    return c === '*' || c.replace(/^W\//, '') === bare
  })
}

/** The feed behind a token, or null (unknown, revoked, or its owner no longer may have it). */
export async function renderFeed(ctx: AppContext, token: string): Promise<RenderedFeed | null> {
  if (!isFeedTokenShape(token)) return null
  const row = await repo.findLiveTokenByHash(ctx.db, feedTokenHash(token))
  // The lookup is by hash (no timing about the token itself); this comparison is belt and braces.
  if (!row || !feedTokenMatches(row.token_hash, token)) return null
  const since = ctx.clock.now() - FEED_WINDOW_DAYS * DAY
  let ics: string | null = null
  // In the language of the feed's owner (issue 16).
  const locale = await recipientLocale(ctx.db, row.person_id)
  if (row.volunteer_id !== null) ics = await volunteerFeed(ctx, row.volunteer_id, since, locale)
  else if (row.branch_id !== null) ics = await branchFeed(ctx, row.person_id, row.branch_id, since, locale)
  return ics === null ? null : { ics, etag: etagOf(ics) }
}

async function volunteerFeed(ctx: AppContext, volunteerId: number, since: number, locale: Locale): Promise<string | null> {
  const volunteer = await repo.feedVolunteer(ctx.db, volunteerId)
  if (!volunteer) return null
  const rows = await repo.volunteerFeedRows(ctx.db, volunteerId, since)
  const svc = service(ctx)
  const events = rows.map((r) =>
    volunteerEvent(svc, r, {
      volunteerId,
      sequence: r.sequence,
      stampMs: Math.max(r.placeUpdatedAt, r.sessionUpdatedAt),
      cancelled: r.sessionStatus === 'cancelled' || !PLACE_STATES.includes(r.state),
    }, locale),
  )
  const t = translator(locale)
  return buildFeed(t('calendar.volunteerFeedName', { name: volunteer.name }), events, FEED_REFRESH_MINUTES, t('calendar.volunteerFeedDescription'))
}

export async function branchFeed(ctx: AppContext, personId: number, branchId: number, since: number, locale?: Locale): Promise<string | null> {
  const found = await repo.feedBranch(ctx.db, personId, branchId)
  if (!found) return null
  locale ??= await recipientLocale(ctx.db, personId)
  const branch = withLocalNames(found, locale)
  const { sessions, people } = await repo.branchFeedRows(ctx.db, branchId, since)
  const names = new Map<number, string[]>()
  const changed = new Map<number, number>()
  for (const p of people) {
    if (PLACE_STATES.includes(p.state)) names.set(p.session_id, [...(names.get(p.session_id) ?? []), p.name])
    changed.set(p.session_id, Math.max(changed.get(p.session_id) ?? 0, p.updated_at))
  }
  const svc = service(ctx)
  const events: CalendarEvent[] = sessions.map((s) =>
    branchSessionEvent(svc, {
      ...s,
      cancelled: s.sessionStatus === 'cancelled',
      volunteerNames: names.get(s.sessionId) ?? [],
      stampMs: Math.max(s.sessionUpdatedAt, changed.get(s.sessionId) ?? 0),
    }, locale),
  )
  const t = translator(locale)
  return buildFeed(t('calendar.branchFeedName', { branch: branch.name }), events, FEED_REFRESH_MINUTES, t('calendar.branchFeedDescription', { branch: branch.name }))
}
