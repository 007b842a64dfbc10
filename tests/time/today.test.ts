// "Today" in a zone is kept between its midnights: it must still turn over at the right instant, clock changes included.
import t from 'tap'
import { DateTime } from 'luxon'
import { todayIn } from '../../src/time/wall-clock.js'

const zones = ['Europe/London', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC']
// Clock-change days of 2026 and 2027 in these zones, and an ordinary day.
const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-25', '2026-11-01', '2026-11-29', '2027-03-28']

t.test('every 7 minutes across clock-change days, forwards then backwards, it agrees with Luxon', async (t) => {
  let checked = 0
  let wrong = 0
  for (const zone of zones) {
    for (const day of days) {
      const start = Date.parse(`${day}T00:00:00Z`) - 36 * 3_600_000
      const instants: number[] = []
      for (let ms = start; ms < start + 72 * 3_600_000; ms += 7 * 60_000) instants.push(ms)
      for (const ms of [...instants, ...instants.reverse()]) {
        checked++
        const expected = DateTime.fromMillis(ms, { zone }).toISODate()
        if (todayIn(ms, zone) !== expected) {
          wrong++
          if (wrong < 5) t.fail(`${zone} ${new Date(ms).toISOString()}: ${todayIn(ms, zone)}, not ${expected}`)
        }
      }
    }
  }
  t.equal(wrong, 0, `${checked} instants checked`)
})

t.test('the last millisecond before local midnight and the first after it', async (t) => {
  for (const zone of zones) {
    const midnight = DateTime.fromISO('2026-10-25T00:00', { zone }).toMillis()
    t.equal(todayIn(midnight - 1, zone), '2026-10-24', `${zone}: just before`)
    t.equal(todayIn(midnight, zone), '2026-10-25', `${zone}: at midnight`)
    t.equal(todayIn(midnight - 1, zone), '2026-10-24', `${zone}: and back again`)
  }
})
