// The templates whose every word comes from the message catalogue. A page rendered from any other
// template is shown in English inside a Welsh page's header and footer, marked lang="en" (the layout
// puts it on <main>), so screen readers read it right. tests/i18n/templates.test.ts fails when a
// template listed here has words of its own. Add each template here as it is translated.
export const TRANSLATED_TEMPLATES: ReadonlySet<string> = new Set([
  'layouts/main',
  'partials/_header',
  'partials/_error-summary',
  'home/home',
  'home/accessibility',
  'auth/sign-in',
  'auth/check-email',
  'auth/confirm',
  'auth/link-expired',
  'errors/error',
  'errors/_error',
  // The admin's area (admin.en.ts / admin.cy.ts): the admin pages, the admin's dashboard, the
  // no-role page, the development mailbox and the coordinators' list of emails not delivered.
  'admin/_nav',
  'admin/_field',
  'admin/form',
  'admin/problem',
  'admin/branches',
  'admin/skills',
  'admin/trainings',
  'admin/people',
  'admin/audit',
  'dashboard/admin',
  'dashboard/no-role',
  'devmail/list',
  'devmail/message',
  'calendar/undelivered',
  // The volunteer's pages (area `volunteer`: src/i18n/catalogue/volunteer.*.ts).
  'dashboard/volunteer',
  'bookings/my-sessions',
  'attendance/_own',
  'bookings/withdraw',
  'bookings/_summary',
  'bookings/find',
  'bookings/_results',
  'bookings/_filter-summary',
  'bookings/_card',
  'bookings/_card-status',
  'bookings/_card-swap',
  'bookings/session',
  'bookings/refused',
  // The coordinator's pages (area: coordinator). Not yet: coordinate/session and _invitations (their
  // words are the catalogue's, but candidates' reasons, near misses and action messages are still
  // English), messages/list and messages/message (the audience is stored as English words when sent).
  'dashboard/coordinator',
  'reports/_unreported',
  'calendar/_coordinator-panel',
  'coordinate/gaps',
  'coordinate/_gaps',
  'coordinate/_range-form',
  'coordinate/_session-rows',
  'coordinate/_staffing-tag',
  'coordinate/_problem',
  'coordinate/sessions',
  'coordinate/_session-list',
  'coordinate/volunteers',
  'coordinate/_volunteer-list',
  'reports/unreported',
  'calendar/coordinator',
  'coordinate/session-cancel',
  'coordinate/session-remove',
  'checkin/sheet',
])

export function isTranslated(template: string): boolean {
  return TRANSLATED_TEMPLATES.has(template.replace(/^\//, '').replace(/\.eta$/, ''))
}
