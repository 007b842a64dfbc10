// The service navigation for each role: one list, so every page shows the same links to the same person.
import { translator, type Translate } from '../i18n/i18n.js'
import { isAdmin, isCoordinator, isPartner, isVolunteer, type SignedInUser } from '../auth/access.js'

export interface NavItem {
  href: string
  text: string
  current: boolean
}

interface NavEntry {
  href: string
  /** The catalogue key of its words. */
  text: string
  show: (user: SignedInUser) => boolean
}

/** Add an entry here when its page exists. */
export const NAV_ENTRIES: NavEntry[] = [
  { href: '/dashboard', text: 'common.nav.dashboard', show: isVolunteer },
  { href: '/sessions', text: 'common.nav.findSessions', show: isVolunteer },
  { href: '/my-sessions', text: 'common.nav.mySessions', show: isVolunteer },
  { href: '/calendar', text: 'common.nav.calendar', show: isVolunteer },
  { href: '/profile', text: 'common.nav.profile', show: isVolunteer },
  { href: '/coordinate', text: 'common.nav.branches', show: isCoordinator },
  { href: '/coordinate/gaps', text: 'common.nav.gaps', show: isCoordinator },
  { href: '/coordinate/sessions', text: 'common.nav.sessions', show: isCoordinator },
  { href: '/coordinate/autofill', text: 'common.nav.autofill', show: isCoordinator },
  { href: '/coordinate/volunteers', text: 'common.nav.volunteers', show: isCoordinator },
  { href: '/reports', text: 'common.nav.reports', show: isCoordinator },
  { href: '/network', text: 'common.nav.network', show: isPartner },
  { href: '/admin', text: 'common.nav.admin', show: isAdmin },
]

export function navigationFor(user: SignedInUser | null, currentPath: string, t: Translate = translator('en')): NavItem[] {
  if (!user) return []
  const shown = NAV_ENTRIES.filter((e) => e.show(user))
  const matches = (href: string) => currentPath === href || currentPath.startsWith(`${href}/`)
  // Only the most specific match is current (/coordinate/gaps, not also /coordinate).
  const current = shown.filter((e) => matches(e.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href
  return shown.map((e) => ({ href: e.href, text: t(e.text), current: e.href === current }))
}
