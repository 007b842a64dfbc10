// Kysely table types: the shape of every table as both SQLite and PostgreSQL hand it back.
//
// Instants are numbers (ms since epoch), local dates 'YYYY-MM-DD', times 'HH:MM', booleans 0 | 1.
// src/db/connect.ts makes PostgreSQL's bigint come back as a number so the two agree.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Id = Generated<number>
/** 0 or 1 on both databases. */
export type Flag = 0 | 1

export type VolunteerStatus = 'applied' | 'active' | 'paused' | 'left'
export type SessionKind = 'drop_in' | 'one_to_one' | 'group_class'
export type SessionStatus = 'scheduled' | 'cancelled'
export type AssignmentState =
  | 'invited'
  | 'confirmed'
  | 'declined'
  | 'waitlisted'
  | 'withdrawn'
  | 'cancelled'
  | 'attended'
  | 'no_show'
export type AssignmentSource = 'self' | 'coordinator' | 'invitation' | 'auto_fill' | 'waitlist'
export type InvitationState = 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'filled'
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed'
/** partner: read-only, aggregated figures of one library service (the network view); never coordinates. */
export type Role = 'coordinator' | 'admin' | 'partner'

export interface LibraryServicesTable {
  id: Id
  name: string
  slug: string
  booking_window_days: ColumnType<number, number | undefined, number>
  withdraw_cutoff_hours: ColumnType<number, number | undefined, number>
  short_alert_days: ColumnType<number, number | undefined, number>
  /** Volunteer reminder offsets, e.g. '2d,0d@08:00' (src/reminders/offsets.ts). */
  reminder_offsets: ColumnType<string, string | undefined, string>
  /** ISO day (1 = Monday) and local 'HH:MM' of the coordinators' weekly digest. */
  digest_day: ColumnType<number, number | undefined, number>
  digest_time: ColumnType<string, string | undefined, string>
  /** Who volunteers contact with questions, shown to them as written. */
  contact: ColumnType<string, string | undefined, string>
  /** The language of pages, emails and calendar text for people who have not chosen one: 'en' or 'cy'. */
  default_language: ColumnType<string, string | undefined, string>
  /** Months after leaving before a volunteer is anonymised by the retention job. */
  retention_months: ColumnType<number, number | undefined, number>
  created_at: number
}

export interface BranchesTable {
  id: Id
  library_service_id: number
  name: string
  /** The Welsh name an admin entered, or null: Welsh pages then show `name` (localName in src/i18n/names.ts). */
  name_cy: ColumnType<string | null, string | null | undefined, string | null>
  address: ColumnType<string, string | undefined, string>
  postcode: ColumnType<string, string | undefined, string>
  timezone: ColumnType<string, string | undefined, string>
  accessibility_notes: ColumnType<string, string | undefined, string>
  arrival_notes: ColumnType<string, string | undefined, string>
  active: ColumnType<Flag, Flag | undefined, Flag>
  /** Set when an admin closes the branch (active = 0): history stays, no new sessions. */
  closed_at: ColumnType<number | null, number | null | undefined, number | null>
  created_at: number
}

export interface PeopleTable {
  id: Id
  email: string
  name: string
  phone: string | null
  created_at: number
  anonymised_at: number | null
  /** 'en' or 'cy' (src/i18n/i18n.ts); null until the person chooses (their service's default applies). */
  language: ColumnType<string | null, string | null | undefined, string | null>
}

export interface RoleGrantsTable {
  id: Id
  person_id: number
  role: Role
  library_service_id: number
  branch_id: number | null
  created_at: number
}

export interface SkillsTable {
  id: Id
  library_service_id: number
  name: string
  /** The Welsh name an admin entered, or null: Welsh pages then show `name` (localName in src/i18n/names.ts). */
  name_cy: ColumnType<string | null, string | null | undefined, string | null>
  kind: 'topic' | 'language'
  active: ColumnType<Flag, Flag | undefined, Flag>
  sort_order: ColumnType<number, number | undefined, number>
}

export interface TrainingKindsTable {
  id: Id
  library_service_id: number
  name: string
  /** The Welsh name an admin entered, or null: Welsh pages then show `name` (localName in src/i18n/names.ts). */
  name_cy: ColumnType<string | null, string | null | undefined, string | null>
  kind: ColumnType<'training' | 'check', 'training' | 'check' | undefined, 'training' | 'check'>
  validity_months: number | null
  active: ColumnType<Flag, Flag | undefined, Flag>
}

export interface VolunteersTable {
  id: Id
  person_id: number
  library_service_id: number
  status: ColumnType<VolunteerStatus, VolunteerStatus | undefined, VolunteerStatus>
  home_branch_id: number | null
  max_sessions_per_month: ColumnType<number, number | undefined, number>
  reminders_enabled: ColumnType<Flag, Flag | undefined, Flag>
  /** Messages from coordinators to a group (a branch, a skill); messages about a session they are on always come. */
  group_messages_enabled: ColumnType<Flag, Flag | undefined, Flag>
  applied_at: number
  approved_at: number | null
  lock_version: ColumnType<number, number | undefined, number>
  updated_at: number
  /** When the status became 'left' (retention counts from here). */
  left_at: ColumnType<number | null, number | null | undefined, number | null>
}

export interface VolunteerSkillsTable {
  volunteer_id: number
  skill_id: number
}

export interface VolunteerBranchesTable {
  volunteer_id: number
  branch_id: number
}

export interface AvailabilityWindowsTable {
  id: Id
  volunteer_id: number
  day_of_week: number
  start_time: string
  end_time: string
}

export interface TimeOffTable {
  id: Id
  volunteer_id: number
  start_date: string
  end_date: string
  note: ColumnType<string, string | undefined, string>
}

export interface VolunteerTrainingsTable {
  id: Id
  volunteer_id: number
  training_kind_id: number
  completed_on: string
  expires_on: string | null
  recorded_by_person_id: number | null
  created_at: number
}

export interface SeriesTable {
  id: Id
  branch_id: number
  title: string
  kind: SessionKind
  rrule: string
  start_time: string
  end_time: string
  starts_on: string
  until_on: string
  skipped_dates: ColumnType<string, string | undefined, string>
  required_skill_ids: ColumnType<string, string | undefined, string>
  preferred_skill_ids: ColumnType<string, string | undefined, string>
  required_training_ids: ColumnType<string, string | undefined, string>
  min_volunteers: number
  max_volunteers: number
  notes: ColumnType<string, string | undefined, string>
  created_by_person_id: number | null
  created_at: number
  updated_at: number
}

export interface SessionsTable {
  id: Id
  branch_id: number
  series_id: number | null
  title: string
  kind: SessionKind
  local_date: string
  start_time: string
  end_time: string
  starts_at: number
  ends_at: number
  min_volunteers: number
  max_volunteers: number
  notes: ColumnType<string, string | undefined, string>
  status: ColumnType<SessionStatus, SessionStatus | undefined, SessionStatus>
  confirmed_count: ColumnType<number, number | undefined, number>
  lock_version: ColumnType<number, number | undefined, number>
  /** SEQUENCE of the session's event in the branch feed: +1 with every edit and on cancellation. */
  ical_sequence: ColumnType<number, number | undefined, number>
  /** The code in the session's check-in address (/checkin/<code>), made when its branch's check-in sheet is first opened. */
  checkin_code: ColumnType<string | null, string | null | undefined, string | null>
  cancelled_at: number | null
  created_at: number
  updated_at: number
}

export interface SessionSkillsTable {
  session_id: number
  skill_id: number
  requirement: 'required' | 'preferred'
}

export interface SessionTrainingsTable {
  session_id: number
  training_kind_id: number
}

export interface AssignmentsTable {
  id: Id
  session_id: number
  volunteer_id: number
  state: AssignmentState
  source: AssignmentSource
  ical_sequence: ColumnType<number, number | undefined, number>
  waitlisted_at: number | null
  confirmed_at: number | null
  reason: string | null
  created_at: number
  updated_at: number
}

export interface AssignmentEventsTable {
  id: Id
  assignment_id: number
  from_state: AssignmentState | null
  to_state: AssignmentState
  source: string
  actor_person_id: number | null
  note: ColumnType<string, string | undefined, string>
  at: number
}

export interface InvitationsTable {
  id: Id
  assignment_id: number
  token_hash: string
  state: ColumnType<InvitationState, InvitationState | undefined, InvitationState>
  expires_at: number
  created_by_person_id: number | null
  created_at: number
  responded_at: number | null
  /** Set when the invitation asks someone to take a volunteer's place (a cover request). */
  cover_request_id: ColumnType<number | null, number | null | undefined, number | null>
}

export type CoverRequestStatus = 'open' | 'covered' | 'cancelled'

export interface CoverRequestsTable {
  id: Id
  assignment_id: number
  session_id: number
  volunteer_id: number
  status: ColumnType<CoverRequestStatus, CoverRequestStatus | undefined, CoverRequestStatus>
  alert_at: number
  alerted_at: ColumnType<number | null, number | null | undefined, number | null>
  covered_by_volunteer_id: ColumnType<number | null, number | null | undefined, number | null>
  created_at: number
  settled_at: ColumnType<number | null, number | null | undefined, number | null>
}

/** The link in the email sent when a session ends (one per place; only the token's hash is kept). */
export interface RecordingLinksTable {
  id: Id
  assignment_id: number
  token_hash: string
  expires_at: number
  created_at: number
  used_at: number | null
}

export interface SessionReportsTable {
  session_id: number
  people_helped: number
  notes: ColumnType<string, string | undefined, string>
  recorded_by_person_id: number | null
  recorded_at: number
  /** Optional counts (null: not given). */
  new_to_library: ColumnType<number | null, number | null | undefined, number | null>
  came_back: ColumnType<number | null, number | null | undefined, number | null>
}

export type AttendanceOutcome = 'attended' | 'no_show'
/** Who marked a place, in order of trust: a coordinator's mark stands over the volunteer's own. */
export type AttendanceSource = 'coordinator' | 'volunteer' | 'check_in'

export interface AttendanceMarksTable {
  assignment_id: number
  outcome: AttendanceOutcome
  source: AttendanceSource
  marked_by_person_id: number | null
  marked_at: number
}

/** The UK Essential Digital Skills framework's areas (seeded by migration 0701). */
export interface FrameworkAreasTable {
  key: string
  name: string
  sort_order: ColumnType<number, number | undefined, number>
}

export interface SkillFrameworkAreasTable {
  skill_id: number
  area_key: string
}

export interface SessionReportTopicsTable {
  session_id: number
  skill_id: number
  people_count: number
}

export interface OutboxTable {
  id: Id
  dedupe_key: string
  kind: string
  to_address: string
  to_name: ColumnType<string, string | undefined, string>
  subject: string
  text_body: string
  html_body: string
  ical: string | null
  ical_method: string | null
  headers: ColumnType<string, string | undefined, string>
  /** Where replies go (a group message: the coordinator who wrote it). */
  reply_to: ColumnType<string | null, string | null | undefined, string | null>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: number
  lease_owner: string | null
  lease_until: number | null
  last_error: string | null
  person_id: number | null
  session_id: number | null
  library_service_id: number | null
  created_at: number
  sent_at: number | null
}

export interface MailboxTable {
  id: Id
  outbox_id: number | null
  message_id: string
  from_address: string
  to_address: string
  subject: string
  text_body: string
  html_body: string
  headers: ColumnType<string, string | undefined, string>
  ical: string | null
  ical_method: string | null
  attachments: ColumnType<string, string | undefined, string>
  created_at: number
}

export interface AuditLogTable {
  id: Id
  actor_person_id: number | null
  library_service_id: number | null
  action: string
  object_type: string
  object_id: string
  detail: ColumnType<string, string | undefined, string>
  at: number
}

export interface SignInTokensTable {
  id: Id
  token_hash: string
  email: string
  client_key: string
  created_at: number
  expires_at: number
  used_at: number | null
}

export interface LoginSessionsTable {
  id_hash: string
  person_id: number
  created_at: number
  last_seen_at: number
  expires_at: number
}

export interface FeedTokensTable {
  id: Id
  token_hash: string
  person_id: number
  volunteer_id: number | null
  branch_id: number | null
  created_at: number
  revoked_at: number | null
  /** The token sealed with a key from SESSION_SECRET, so the calendar page can show the URL again. */
  token_sealed: string | null
}

export interface JobLeasesTable {
  name: string
  owner: string | null
  lease_until: ColumnType<number, number | undefined, number>
  last_run_at: ColumnType<number, number | undefined, number>
}

/** A client's count on one limited route in its current window (shared by every instance on PostgreSQL). */
export interface RateLimitHitsTable {
  /** The route and the client key: `POST /sign-in 203.0.113.7`. */
  key: string
  window_start: number
  hits: number
  expires_at: number
}

export type GroupAudienceKind = 'session' | 'branch' | 'skill'

export interface GroupMessagesTable {
  id: Id
  library_service_id: number
  sender_person_id: number | null
  audience_kind: GroupAudienceKind
  audience_id: number
  audience_label: string
  /** Who it went to as data (JSON, src/messages/audience-wording.ts), worded when shown; null on messages sent before it was kept. */
  audience_detail: ColumnType<string | null, string | null | undefined, string | null>
  subject: string
  body: string
  recipient_count: number
  created_at: number
}

export interface GroupMessageRecipientsTable {
  group_message_id: number
  volunteer_id: number
  dedupe_key: string
}

export interface Database {
  library_services: LibraryServicesTable
  branches: BranchesTable
  people: PeopleTable
  role_grants: RoleGrantsTable
  skills: SkillsTable
  training_kinds: TrainingKindsTable
  volunteers: VolunteersTable
  volunteer_skills: VolunteerSkillsTable
  volunteer_branches: VolunteerBranchesTable
  availability_windows: AvailabilityWindowsTable
  time_off: TimeOffTable
  volunteer_trainings: VolunteerTrainingsTable
  series: SeriesTable
  sessions: SessionsTable
  session_skills: SessionSkillsTable
  session_trainings: SessionTrainingsTable
  assignments: AssignmentsTable
  assignment_events: AssignmentEventsTable
  invitations: InvitationsTable
  recording_links: RecordingLinksTable
  session_reports: SessionReportsTable
  session_report_topics: SessionReportTopicsTable
  attendance_marks: AttendanceMarksTable
  framework_areas: FrameworkAreasTable
  skill_framework_areas: SkillFrameworkAreasTable
  outbox: OutboxTable
  mailbox: MailboxTable
  audit_log: AuditLogTable
  sign_in_tokens: SignInTokensTable
  login_sessions: LoginSessionsTable
  feed_tokens: FeedTokensTable
  job_leases: JobLeasesTable
  rate_limit_hits: RateLimitHitsTable
  group_messages: GroupMessagesTable
  group_message_recipients: GroupMessageRecipientsTable
  cover_requests: CoverRequestsTable
}

export type Branch = Selectable<BranchesTable>
export type Person = Selectable<PeopleTable>
export type Volunteer = Selectable<VolunteersTable>
export type Session = Selectable<SessionsTable>
export type NewSession = Insertable<SessionsTable>
export type SessionUpdate = Updateable<SessionsTable>
export type Assignment = Selectable<AssignmentsTable>
export type OutboxMessage = Selectable<OutboxTable>
export type NewOutboxMessage = Insertable<OutboxTable>
