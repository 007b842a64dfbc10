// The English message catalogue: every word a translated page shows comes from here (src/i18n/i18n.ts).
//
// Keys are grouped by page or part of a page. Values are i18next strings: {{name}} is a value put in
// (escaped when shown), <0>…</0> marks the text of a link or emphasis the template supplies
// (src/i18n/rich.ts), and keys ending _one / _other are the plural forms i18next picks by `count`.
// The Welsh catalogue (cy.ts) has the same keys: a test compares the two.
//
// A part of the service with many words keeps them in a file of its own beside this one (for example
// volunteer.en.ts and volunteer.cy.ts, typed `Shape<typeof volunteerEn>`), named here under one key.
import { adminEn } from './admin.en.js'
import { volunteerEn } from './volunteer.en.js'
import { emailEn } from './email.en.js'
import { calendarEn } from './calendar.en.js'
import { coordinatorEn } from './coordinator.en.js'
import { evidenceEn } from './evidence.en.js'
import { accountEn } from './account.en.js'
import { planningEn } from './planning.en.js'
import { messagesEn } from './messages.en.js'
import { profileEn } from './profile.en.js'

export const en = {
  common: {
    serviceName: 'Champion Rota',
    pageTitle: '{{title}} – Champion Rota',
    skipLink: 'Skip to main content',
    success: 'Success',
    errorPrefix: 'Error:',
    errorTitle: 'Error: {{title}}',
    errorSummaryTitle: 'There is a problem',
    menu: 'Menu',
    /** A count meeting a noun, shared by every part of the service. */
    count: {
      sessions_one: '{{count}} session',
      sessions_other: '{{count}} sessions',
      staffing_one: '{{confirmed}} of {{count}} volunteer',
      staffing_other: '{{confirmed}} of {{count}} volunteers',
    },
    notTranslated: 'This page is not available in Welsh yet.',
    header: {
      signedInAs: 'Signed in as <0>{{name}}</0>',
      signOut: 'Sign out',
      signIn: 'Sign in',
      languages: 'Language',
    },
    footer: {
      heading: 'Support links',
      privacy: 'Privacy',
      accessibility: 'Accessibility',
      apply: 'Apply to volunteer',
      devMailbox: 'Development mailbox',
      note: 'Champion Rota helps libraries run free digital help sessions with volunteer digital champions.',
    },
    nav: {
      dashboard: 'Dashboard',
      findSessions: 'Find sessions',
      mySessions: 'My sessions',
      calendar: 'Your calendar',
      profile: 'Your profile',
      branches: 'Branches',
      gaps: 'Gaps',
      sessions: 'Sessions',
      autofill: 'Auto-fill',
      volunteers: 'Volunteers',
      reports: 'Reports',
      network: 'Network figures',
      admin: 'Admin',
    },
  },
  time: {
    am: 'am',
    pm: 'pm',
    range: '{{start}} to {{end}}',
    instant: '{{date}} at {{time}}',
    // How long until a session starts ("in 3 hours"): volunteers' pages and coordinators' alerts alike.
    lessThanHour: 'less than an hour',
    hours_one: '{{count}} hour',
    hours_other: '{{count}} hours',
    days_one: '{{count}} day',
    days_other: '{{count}} days',
  },
  home: {
    heading: 'Help people get online at your library',
    lead: 'Champion Rota is how volunteer digital champions and library staff organise free digital help sessions.',
    intro:
      'People come to their library for help with a smartphone, an online form, the NHS App, a video call to family, a Universal Credit account or spotting scams. Digital champions are the volunteers who help them.',
    whatHeading: 'What you can do here',
    whatVolunteers: 'volunteers choose the sessions they can help at, and get calendar invites and reminders',
    whatCoordinators: 'library coordinators see which sessions still need people and fill the gaps',
    whatHours: 'volunteers see the sessions they have helped at and the hours they have given',
    toDashboard: 'Go to your dashboard',
    signIn: 'Sign in',
    newHeading: 'New to volunteering?',
    newBody: 'You do not need to be an expert, just patient and happy using everyday technology. <0>Apply to be a digital champion</0>.',
  },
  accessibility: {
    title: 'Accessibility statement',
    intro: 'We want as many people as possible to be able to use Champion Rota. You should be able to:',
    zoom: 'zoom in up to 400% without the text spilling off the screen',
    phone: 'use every page on a small phone, 320 pixels wide',
    keyboard: 'get around using just a keyboard or a screen reader',
    noScript: 'use every page with JavaScript turned off',
    standard: 'We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA and test every page with automated checks.',
    problemHeading: 'If something does not work for you',
    problemBody: 'Tell the coordinator at your library. They will pass it on and help you in the meantime.',
  },
  auth: {
    signIn: {
      title: 'Sign in',
      body: 'We will email you a link to sign in. You do not need a password.',
      emailLabel: 'Email address',
      button: 'Email me a sign-in link',
      errorEmpty: 'Enter your email address',
      errorFormat: 'Enter an email address in the correct format, like name@example.com',
      notYet: 'Not a volunteer yet? <0>Apply to be a digital champion</0>.',
    },
    checkEmail: {
      title: 'Check your email',
      sentTo: 'If <0>{{email}}</0> belongs to a Champion Rota account, we have sent a sign-in link to it.',
      sent: 'If the address you gave belongs to a Champion Rota account, we have sent a sign-in link to it.',
      once: 'The link works once and stops working after 10 minutes.',
      notThere: 'Not there after a few minutes? Check your spam or junk folder, or <0>ask for a new link</0>.',
    },
    confirm: {
      title: 'Confirm you want to sign in',
      heading: 'Sign in to Champion Rota',
      body: 'Select the button to finish signing in on this device.',
      button: 'Sign in',
    },
    linkExpired: {
      title: 'This sign-in link has expired or been used',
      body: 'Sign-in links work once and only for 10 minutes.',
      again: 'Ask for a new sign-in link',
    },
    /** Who may see a page, said when someone else asks for it (src/plugins/auth.ts, src/auth/access.ts). */
    refusal: {
      signIn: 'Sign in to see this page',
      forSignedIn: 'This page is for signed-in users',
      forVolunteers: 'This page is for volunteers',
      forCoordinators: 'This page is for coordinators',
      forAdmins: 'This page is for admins',
      forPartners: 'This page is for network partners',
      notYourBranch: 'You do not coordinate this branch',
      notYourService: 'You are not an admin of this library service',
    },
  },
  email: emailEn,
  calendar: calendarEn,
  coordinator: coordinatorEn,
  errors: {
    toHome: 'Go to the home page',
    answer: {
      invalid: 'There is a problem',
      signIn: 'Sign in to continue',
      forbidden: 'You cannot do that',
      forbiddenMessage: 'You do not have permission to see this page',
      notFound: 'Page not found',
      conflict: 'That could not be done',
      busyTitle: 'Sorry, the service is busy',
      busyMessage: 'Nothing has been saved. Wait a moment, then go back and try again.',
      expiredTitle: 'This form has expired',
      expiredMessage: 'For your security this form could not be sent. Go back, reload the page and try again.',
      tooLargeTitle: 'That was too much to send',
      tooLargeMessage: 'What you sent was too large. Try again with less.',
      unreadableForm: 'The form could not be read. Go back and try again.',
      badInput: 'Something in the form or address was not right. Go back and check it.',
      tooManyTitle: 'Too many attempts',
      tooManyMessage: 'You have tried this too many times. Wait a few minutes and try again.',
      badRequest: 'That request could not be understood. Go back and try again.',
      failedTitle: 'Sorry, there is a problem with the service',
      failedMessage: 'Try again later. Nothing you entered has been saved.',
      badAddress: 'That web address or request could not be understood. Check it and try again.',
      longAddressTitle: 'That web address is too long',
      longAddressMessage: 'If you pasted the address, check you copied only the link.',
      slowRequest: 'The request took too long to arrive. Try again.',
      headersTooLarge: 'Your browser sent more than we accept. Clear the cookies for this site and try again.',
    },
    notFound: {
      title: 'Page not found',
      message: 'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.',
    },
  },
  admin: adminEn,
  volunteer: volunteerEn,
  evidence: evidenceEn,
  account: accountEn,
  planning: planningEn,
  messages: messagesEn,
  profile: profileEn,
}

/**
 * The shape every catalogue has: the same keys as the English one, each a string. A plural message
 * (`x_one`, `x_other` in English) may have the other forms a language needs (`x_zero`, `x_two`,
 * `x_few`, `x_many` in Welsh); tests/i18n/catalogue.test.ts checks each language has all of its own.
 */
export type Catalogue = Shape<typeof en>
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & PluralForms<T>
type PluralForms<T> = { [K in keyof T as K extends `${infer B}_other` ? `${B}_zero` | `${B}_two` | `${B}_few` | `${B}_many` : never]?: string }
