// localName: the Welsh form of an admin's name on a Welsh page when there is one, else the English name.
import t from 'tap'
import { localName } from '../../src/i18n/names.js'

t.test('Welsh when asked for and entered; English otherwise', async (t) => {
  const both = { name: 'Online banking', name_cy: 'Bancio ar-lein' }
  t.equal(localName(both, 'cy'), 'Bancio ar-lein')
  t.equal(localName(both, 'en'), 'Online banking', 'an English page never shows the Welsh form')
  t.equal(localName({ name: 'Polish', name_cy: null }, 'cy'), 'Polish', 'no Welsh form: the English name')
  t.equal(localName({ name: 'Polish' }, 'cy'), 'Polish', 'a row read without the column')
  t.equal(localName({ name: 'Polish', name_cy: '' }, 'cy'), 'Polish', 'an empty Welsh form is none')
  t.equal(localName({ name: 'Polish', name_cy: '   ' }, 'cy'), 'Polish', 'nor is one of spaces')
})
