// A volunteer's one-click email switches (reminder emails, messages from coordinators): a stateless
// signed link per switch, the RFC 2369 / RFC 8058 headers that carry it, and turning one on or off
// with its audit entry. Each switch signs its own tokens, so one link never turns off the other.
import type { AppContext } from '../context.js'
import { audit } from '../audit/audit.repository.js'
import { inTransaction } from '../db/transaction.js'
import { constantTimeEqual, sign } from '../auth/tokens.js'
import { SWITCH_COLUMNS, setSwitchColumn, volunteerSwitches } from './switches.repository.js'

/** Also the first segment of the switch's URL (`/reminders/<token>`, `/group-messages/<token>`). */
export type MailSwitch = keyof typeof SWITCH_COLUMNS

/** Their id and an HMAC of it under SESSION_SECRET, for this switch only. */
export function switchToken(secret: string, which: MailSwitch, volunteerId: number): string {
  return `${volunteerId}-${sign(secret, `${which}:${volunteerId}`)}`
}

export function volunteerFromSwitchToken(secret: string, which: MailSwitch, token: string): number | null {
  const m = /^(\d{1,12})-([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m) return null
  const volunteerId = Number(m[1])
  return constantTimeEqual(sign(secret, `${which}:${volunteerId}`), m[2]!) ? volunteerId : null
}

export function switchUrl(ctx: AppContext, which: MailSwitch, volunteerId: number): string {
  return `${ctx.config.baseUrl}/${which}/${switchToken(ctx.config.sessionSecret, which, volunteerId)}`
}

/** RFC 2369 and RFC 8058 headers: mail clients show an unsubscribe button that POSTs to the URL. */
export function unsubscribeHeaders(ctx: AppContext, which: MailSwitch, volunteerId: number): Record<string, string> {
  return {
    'List-Unsubscribe': `<${switchUrl(ctx, which, volunteerId)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    // RFC 3834: a machine sent this; out-of-office replies should not answer it.
    'Auto-Submitted': 'auto-generated',
  }
}

export interface SwitchState {
  volunteerId: number
  name: string
  enabled: boolean
}

export async function switchState(ctx: AppContext, which: MailSwitch, volunteerId: number): Promise<SwitchState | null> {
  const v = await volunteerSwitches(ctx.db, volunteerId)
  return v ? { volunteerId, name: v.name, enabled: v[SWITCH_COLUMNS[which]] === 1 } : null
}

/** Turns one switch on or off (by the volunteer: signed in, through their link, or one click), audited when it changes. */
export async function setSwitch(ctx: AppContext, which: MailSwitch, volunteerId: number, enabled: boolean, via: 'one-click' | 'link' | 'signed-in'): Promise<SwitchState | null> {
  return inTransaction(ctx.db, async (tx) => {
    const v = await volunteerSwitches(tx, volunteerId)
    if (!v) return null
    const now = ctx.clock.now()
    if (await setSwitchColumn(tx, volunteerId, SWITCH_COLUMNS[which], enabled, now)) {
      await audit(tx, { actorPersonId: v.personId, libraryServiceId: v.library_service_id, action: `${which}.${enabled ? 'on' : 'off'}`, objectType: 'volunteer', objectId: volunteerId, detail: { via }, at: now })
    }
    return { volunteerId, name: v.name, enabled }
  })
}
