import { DateTime } from 'luxon'
for (const s of ['2026-10-25T01:30', '2026-10-25T01:00', '2026-10-25T01:59', '2026-03-29T01:30']) console.log(s, DateTime.fromISO(s, { zone: 'Europe/London' }).toISO(), DateTime.fromISO(s, { zone: 'Europe/London' }).toUTC().toISO())
