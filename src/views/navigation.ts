// The service navigation for each role: one list, so every page shows the same links to the same person.
import { isAdmin, isCoordinator, isVolunteer, type SignedInUser } from '../auth/access.js'

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
  { href: '/calendar', text: 'Your calendar', show: isVolunteer },
  { href: '/coordinate', text: 'Branches', show: isCoordinator },
  { href: '/admin', text: 'Admin', show: isAdmin },
]

export function navigationFor(user: SignedInUser | null, currentPath: string): NavItem[] {
  if (!user) return []
  return NAV_ENTRIES.filter((e) => e.show(user)).map((e) => ({
    href: e.href,
    text: e.text,
    current: currentPath === e.href || currentPath.startsWith(`${e.href}/`),
  }))
}
