// Small-number suppression at its edges: 0 stays 0, 1 to 4 read "fewer than 5", 5 is shown; a rate resting on a small count is withheld.
import t from 'tap'
import { count, rate, FEWER_THAN_5 } from '../../src/evidence/suppression.js'

t.test('counts', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 120].map(count), [0, FEWER_THAN_5, FEWER_THAN_5, FEWER_THAN_5, FEWER_THAN_5, 5, 6, 120])
})

t.test('rates', async (t) => {
  t.equal(rate(null, 0, 0), null, 'nothing to divide by')
  t.equal(rate(0, 0, 12), 0, '0 of 12 is shown')
  t.equal(rate(5 / 12, 5, 12), 5 / 12)
  t.equal(rate(2 / 12, 2, 12), 'withheld', 'a small numerator')
  t.equal(rate(0, 0, 3), 'withheld', 'a small denominator: 0 of 3 says all 3 came')
  t.equal(rate(7 / 4, 7, 4), 'withheld')
})
