// The service navigation for each role: one list, so every page shows the same links to the same person.
import { isAdmin, isCoordinator, isPartner, isVolunteer, type SignedInUser } from '../auth/access.js'

export interface NavItem {
  href: string
  text: string
  current: boolean
}

interface NavEntry {
  href: string
  text: string
  show: (user: SignedInUser) => boolean
}

/** Add an entry here when its page exists. */
export const NAV_ENTRIES: NavEntry[] = [
  { href: '/dashboard', text: 'Dashboard', show: isVolunteer },
  { href: '/sessions', text: 'Find sessions', show: isVolunteer },
  { href: '/my-sessions', text: 'My sessions', show: isVolunteer },
  { href: '/calendar', text: 'Your calendar', show: isVolunteer },
  { href: '/profile', text: 'Your profile', show: isVolunteer },
  { href: '/coordinate', text: 'Branches', show: isCoordinator },
  { href: '/coordinate/gaps', text: 'Gaps', show: isCoordinator },
  { href: '/coordinate/sessions', text: 'Sessions', show: isCoordinator },
  { href: '/coordinate/autofill', text: 'Auto-fill', show: isCoordinator },
  { href: '/coordinate/volunteers', text: 'Volunteers', show: isCoordinator },
  { href: '/reports', text: 'Reports', show: isCoordinator },
  { href: '/network', text: 'Network figures', show: isPartner },
  { href: '/admin', text: 'Admin', show: isAdmin },
]

export function navigationFor(user: SignedInUser | null, currentPath: string): NavItem[] {
  if (!user) return []
  const shown = NAV_ENTRIES.filter((e) => e.show(user))
  const matches = (href: string) => currentPath === href || currentPath.startsWith(`${href}/`)
  // Only the most specific match is current (/coordinate/gaps, not also /coordinate).
  const current = shown.filter((e) => matches(e.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href
  return shown.map((e) => ({ href: e.href, text: e.text, current: e.href === current }))
}
