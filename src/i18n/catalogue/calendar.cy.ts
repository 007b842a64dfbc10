// The words of calendar events and feeds (src/calendar/session-event.ts, src/feeds), in Welsh (issue 16).
import type { Shape } from './en.js'
import type { calendarEn } from './calendar.en.js'

export const calendarCy: Shape<typeof calendarEn> = {
  cancelledBooked: 'Wedi’i chanslo: does gennych chi ddim lle ar y sesiwn hon bellach.',
  titleAt: '{{title}} yn {{branch}}, {{time}}.',
  whenYouArrive: 'Pan fyddwch yn cyrraedd: {{notes}}',
  details: 'Manylion a newidiadau: {{url}}',
  summary: '{{title}} ({{branch}})',
  staffingNeeds: '{{staffing}}, angen {{needed}} arall',
  branchCancelledSummary: 'Wedi’i chanslo: {{title}}',
  branchSummary: '{{title}}: {{staffing}}',
  branchCancelled: 'Mae’r sesiwn hon wedi’i chanslo.',
  volunteers: 'Gwirfoddolwyr: {{names}} (o leiaf {{min}}, ar y mwyaf {{max}}).',
  nobodyYet: 'neb eto',
  manage: 'Rheoli’r sesiwn hon: {{url}}',
  volunteerFeedName: 'Champion Rota - {{name}}',
  volunteerFeedDescription: 'Eich sesiynau cymorth digidol, gan Champion Rota',
  branchFeedName: 'Champion Rota - sesiynau {{branch}}',
  branchFeedDescription: 'Pob sesiwn yn {{branch}}, gyda’i gwirfoddolwyr',
}
