// Every form and filter the service takes, described as TypeBox schemas on its route: which fields, single or repeated, how long.
//
// The schemas say what a request may carry; the readers in fields.ts say whether what was typed
// is right, with a message beside the field. So the schemas are deliberately loose about
// content (any string up to a length) and strict about shape: a field sent twice where one is
// expected, or a value far longer than any form allows, is refused before a service sees it
// with the service's own 400 page. Extra fields are kept (a button's name, htmx's own), never
// trusted. A repeated field (checkboxes) is an array even when one box is ticked: Fastify's
// validator turns a single value into a one-item array.
import { Type, type TProperties } from '@fastify/type-provider-typebox'

/** One value: a choice, a date, a number or a line of text. */
const one = (maxLength = 200) => Type.Optional(Type.String({ maxLength }))
/** Several lines of text (notes, a reason, a list of dates). */
const lines = (maxLength = 5000) => Type.Optional(Type.String({ maxLength }))
/** Ticked boxes: the same name repeated. */
const ticked = (maxItems = 500) => Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems }))

/** Every state-changing form carries its CSRF token (checked by the CSRF hook, not here). */
function form<T extends TProperties>(properties: T) {
  return Type.Object({ ...properties, _csrf: one() })
}

// ── Path parameters ─────────────────────────────────────────────────────────

// Digits only: ajv would coerce '1e9999' to Infinity, which no database accepts as an id.
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) })

// ── Applying and signing in ─────────────────────────────────────────────────

export const ApplyBody = form({ name: one(), email: one(400), phone: one(), branches: ticked(100) })

// ── A volunteer's profile ───────────────────────────────────────────────────

export const SetupQuery = Type.Object({ setup: one(10) })
export const DetailsBody = form({ name: one(), phone: one(), setup: one(10) })
export const SkillsBody = form({ skills: ticked(), setup: one(10) })
export const LibrariesBody = form({ branches: ticked(), home: one(), setup: one(10) })
export const PreferencesBody = form({ maxPerMonth: one(), reminders: one(), groupMessages: one(10), language: one(10), setup: one(10) })
export const AvailabilityBody = form({ days: ticked(7), from: one(), to: one(), setup: one(10) })
export const TimeOffBody = form({
  'start-day': one(),
  'start-month': one(),
  'start-year': one(),
  'end-day': one(),
  'end-month': one(),
  'end-year': one(),
  note: one(),
})
/** The remove buttons on availability and time off. */
export const RemoveBody = form({ setup: one(10) })

// ── Coordinators: sessions ──────────────────────────────────────────────────

/** The session list and gaps filters: a branch, the first day, how many weeks. */
export const RangeQuery = Type.Object({ branch: one(), from: one(), weeks: one() })
export const NewSessionQuery = Type.Object({ branch: one() })

const sessionTemplate = {
  title: one(500),
  kind: one(),
  start: one(),
  end: one(),
  required: ticked(),
  preferred: ticked(),
  trainings: ticked(),
  min: one(),
  max: one(),
  notes: lines(),
}
export const NewSessionBody = form({ ...sessionTemplate, branch: one(), repeat: one(), date: one(), from: one(), until: one(), days: ticked(7), skipped: lines() })
export const EditSessionBody = form({ ...sessionTemplate, scope: one(), date: one(), until: one() })
export const EditSessionQuery = Type.Object({ scope: Type.Optional(Type.Union([Type.Literal('one'), Type.Literal('future')])) })
export const CancelSessionBody = form({ scope: one(), reason: lines() })
export const CancelSessionQuery = Type.Object({ scope: Type.Optional(Type.Union([Type.Literal('one'), Type.Literal('rest')])) })
export const InviteBody = form({ invite: ticked(1000) })
/** "Add now" is a button inside the invite form, so its body may carry the ticked invitations too. */
export const AssignBody = form({ assign: one(), invite: ticked(1000) })
export const RemoveVolunteerBody = form({ volunteer: one(), reason: lines() })
export const RemoveVolunteerQuery = Type.Object({ volunteer: one() })
export const WithdrawInvitationBody = form({ session: one() })

// ── Coordinators: volunteers ────────────────────────────────────────────────

export const VolunteerSearchQuery = Type.Object({ q: one(500), skill: one(), branch: one(), status: one(), page: one() })
export const VolunteerActionBody = form({})
/** Rejecting an applicant (an optional reason for them) or marking a volunteer as left. */
export const VolunteerStatusBody = form({ reason: lines() })
export const TrainingBody = form({ kind: one(), completed: one(), expires: one() })

// ── Coordinators: auto-fill ─────────────────────────────────────────────────

export const AutofillQuery = Type.Object({ branch: one(), from: one(), until: one(), run: one(10) })
export const AutofillBody = form({ branch: one(), from: one(), until: one(), mode: one(), lines: ticked(1000), back: one(1000) })


// ── Evidence: attendance, session reports, reports ──────────────────────────

/** Attendance for a whole session: one `attendance-<assignment id>` choice per volunteer (extra fields, read by the route). */
export const AttendanceBody = form({})
export const OwnAttendanceBody = form({ outcome: one(20) })
/** The session report: counts, a note, and one `topic-<skill id>` count per topic (extra fields). */
export const SessionReportBody = form({ people: one(), 'new-to-library': one(), 'came-back': one(), note: lines() })
/** The form behind the link emailed after a session: whether they were there, and the report's fields (topics as extra fields). */
export const RecordingBody = form({ outcome: one(20), people: one(), 'new-to-library': one(), 'came-back': one(), note: lines() })
export const ReportsQuery = Type.Object({ from: one(), to: one(), branch: one() })
export const NetworkQuery = Type.Object({ from: one(), to: one(), service: one() })
/** A known problem code carried across the redirect after a refused form on the session page. */
export const SessionPageQuery = Type.Object({ problem: one(40) })

// ── Messages to a group ─────────────────────────────────────────────────────

export const GroupMessageQuery = Type.Object({ session: one(12) })
// Longer than the form allows, so an over-long message gets the field's own message, not a 400 page.
export const GroupMessageBody = form({ audience: one(40), subject: one(1000), body: lines(20000), count: one(12) })
