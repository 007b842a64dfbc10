// Sign-in by emailed link and server-side login sessions: the rules of PRODUCT.md's sign-in flow.
//
// A link is single-use, stored hashed, expires after 10 minutes, and is spent only by a POST
// (mail scanners follow GET links). The answer to "send me a link" is the same whether or not
// the address is known, and the same work is done either way.
import { createHash } from 'node:crypto'
import type { AppContext } from '../context.js'
import type { SignedInUser } from './access.js'
import { hashToken, looksLikeToken, randomToken } from './tokens.js'
import * as repo from './auth.repository.js'
import { findPersonIdByEmail, loadSessionUser } from '../people/people.repository.js'
import { enqueueEmail, findEmailByDedupeKey } from '../mail/outbox.repository.js'
import { audit } from '../audit/audit.repository.js'
import { translator, type Locale } from '../i18n/i18n.js'
import { recipientLocale } from '../people/recipient-language.repository.js'

export const SIGN_IN_LINK_TTL_MS = 10 * 60_000
export const SESSION_IDLE_MS = 24 * 60 * 60_000
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60_000
export const MAX_LINKS_PER_ADDRESS_PER_HOUR = 5
/** last_seen_at is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60_000

export function clientKeyFor(ip: string): string {
  return createHash('sha256').update(`client:${ip}`).digest('hex').slice(0, 32)
}

/** Over the hourly cap, the newest still-valid link is sent again at most once in this long. */
export const RESEND_INTERVAL_MS = 2 * 60_000
/** The greeting in the never-sent stand-in for an unknown address (the same template, the same size of work). */
const NOBODY = 'there'

/**
 * Emails a sign-in link if the address belongs to someone. The per-address cap stops anyone
 * flooding a person with links, but never locks them out: past the cap, asking again sends the
 * newest still-valid link again (at most once every RESEND_INTERVAL_MS), or a new one if none is
 * left. An unknown address goes through exactly the same steps and queries, and its message is
 * queued as never-sent, so the answer takes the same work as well as the same bytes.
 */
/** `pageLocale`: the language of the page the link was asked from, for an address with no person (their own language otherwise). */
export async function requestSignInLink(ctx: AppContext, email: string, clientKey: string, pageLocale: Locale = 'en'): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    const person = await repo.findPersonForSignIn(tx, email)
    const recent = await repo.countRecentSignInTokens(tx, email, now - 60 * 60_000)
    const newest = recent >= MAX_LINKS_PER_ADDRESS_PER_HOUR ? await repo.findNewestUsableSignInToken(tx, email, now) : null
    if (newest) {
      // The same message again, under a key that changes every RESEND_INTERVAL_MS: a repeat within it is a no-op.
      const original = await findEmailByDedupeKey(tx, `sign-in:${newest.tokenHash}`)
      if (!original) return
      await enqueueEmail(
        tx,
        {
          dedupeKey: `sign-in:${newest.tokenHash}:again:${Math.floor(now / RESEND_INTERVAL_MS)}`,
          kind: original.kind,
          to: { address: original.to_address, name: original.to_name },
          subject: original.subject,
          text: original.text_body,
          html: original.html_body,
          personId: original.person_id,
          neverSend: original.person_id === null,
        },
        now,
      )
      return
    }
    const token = randomToken()
    const tokenHash = hashToken(token)
    await repo.insertSignInToken(tx, { tokenHash, email, clientKey, now, expiresAt: now + SIGN_IN_LINK_TTL_MS })
    const locale = person ? await recipientLocale(tx, person.id) : pageLocale
    const t = translator(locale)
    const mail = ctx.composer.compose(
      'sign-in',
      t('email.signIn.subject'),
      { name: person?.name ?? (locale === 'en' ? NOBODY : t('email.signIn.nobody')), link: `${ctx.config.baseUrl}/sign-in/confirm/${token}`, minutes: SIGN_IN_LINK_TTL_MS / 60_000 },
      locale,
    )
    await enqueueEmail(
      tx,
      {
        dedupeKey: `sign-in:${tokenHash}`,
        kind: 'sign-in',
        to: { address: email, name: person?.name ?? '' },
        ...mail,
        personId: person?.id ?? null,
        neverSend: person === null,
      },
      now,
    )
  })
  // Woken either way (for an unknown address it finds nothing to send), so both answers cost the same.
  ctx.outboxQueued(ctx.db)
}

/** For the confirm page: is this link still good? (Does not spend it.) */
export async function isSignInLinkUsable(ctx: AppContext, token: unknown): Promise<boolean> {
  if (!looksLikeToken(token)) return false
  return (await repo.findUsableSignInToken(ctx.db, hashToken(token), ctx.clock.now())) !== null
}

/** Spends the link and opens a login session. Returns the new session id (for the cookie), or null. */
export async function confirmSignIn(ctx: AppContext, token: unknown): Promise<{ sessionId: string; personId: number } | null> {
  if (!looksLikeToken(token)) return null
  const now = ctx.clock.now()
  return ctx.db.transaction().execute(async (tx) => {
    const email = await repo.spendSignInToken(tx, hashToken(token), now)
    if (email === null) return null
    const personId = await findPersonIdByEmail(tx, email)
    if (personId === null) return null
    // A new random id at every sign-in (no session fixation); only its hash is stored.
    const sessionId = randomToken()
    await repo.insertLoginSession(tx, { idHash: hashToken(sessionId), personId, now, expiresAt: now + SESSION_ABSOLUTE_MS })
    await audit(tx, { actorPersonId: personId, action: 'signed_in', objectType: 'person', objectId: personId, at: now })
    return { sessionId, personId }
  })
}

/** The signed-in user for a session cookie, or null if it is unknown, idle too long or past its absolute limit. */
export async function resolveSession(ctx: AppContext, sessionId: unknown): Promise<SignedInUser | null> {
  if (!looksLikeToken(sessionId)) return null
  const idHash = hashToken(sessionId)
  const now = ctx.clock.now()
  const session = await loadSessionUser(ctx.db, idHash)
  if (!session) return null
  if (session.expiresAt <= now || session.lastSeenAt + SESSION_IDLE_MS <= now) {
    await repo.deleteLoginSession(ctx.db, idHash)
    return null
  }
  if (!session.user) return null
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) await repo.touchLoginSession(ctx.db, idHash, now)
  return session.user
}

export async function signOut(ctx: AppContext, sessionIdHash: string): Promise<void> {
  await repo.deleteLoginSession(ctx.db, sessionIdHash)
}

export async function purgeExpiredSignInLinks(ctx: AppContext): Promise<void> {
  await repo.deleteOldSignInTokens(ctx.db, ctx.clock.now() - 24 * 60 * 60_000)
}
