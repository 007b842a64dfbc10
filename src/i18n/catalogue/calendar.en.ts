// The words of calendar events and feeds (src/calendar/session-event.ts, src/feeds), in English (issue 16).
// An invitation is in its recipient's language, a feed in its owner's.
export const calendarEn = {
  cancelledBooked: 'Cancelled: you are no longer booked on this session.',
  titleAt: '{{title}} at {{branch}}, {{time}}.',
  whenYouArrive: 'When you arrive: {{notes}}',
  details: 'Details and changes: {{url}}',
  summary: '{{title}} ({{branch}})',
  staffingNeeds: '{{staffing}}, needs {{needed}} more',
  branchCancelledSummary: 'Cancelled: {{title}}',
  branchSummary: '{{title}}: {{staffing}}',
  branchCancelled: 'This session has been cancelled.',
  volunteers: 'Volunteers: {{names}} (at least {{min}}, at most {{max}}).',
  nobodyYet: 'nobody yet',
  manage: 'Manage this session: {{url}}',
  volunteerFeedName: 'Champion Rota - {{name}}',
  volunteerFeedDescription: 'Your digital help sessions, from Champion Rota',
  branchFeedName: 'Champion Rota - {{branch}} sessions',
  branchFeedDescription: 'Every session at {{branch}}, with its volunteers',
}
