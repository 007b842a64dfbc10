// The language an email or calendar text is written in for its recipient (issue 16), whoever caused
// it: the person's own choice (people.language), else their library service's default (a volunteer's
// service; for staff, the service of their first role grant), else English.
import type { Db, Tx } from '../db/connect.js'
import { chooseLocale, DEFAULT_LOCALE, type Locale } from '../i18n/i18n.js'

/** Each person's language, in two reads whatever the number of people (absent ids get English). */
export async function recipientLocales(db: Db | Tx, personIds: readonly number[]): Promise<Map<number, Locale>> {
  const ids = [...new Set(personIds)]
  const locales = new Map<number, Locale>()
  if (!ids.length) return locales
  const rows = await db
    .selectFrom('people')
    .leftJoin('volunteers', 'volunteers.person_id', 'people.id')
    .leftJoin('library_services', 'library_services.id', 'volunteers.library_service_id')
    .select(['people.id', 'people.language', 'library_services.default_language as service_language'])
    .where('people.id', 'in', ids)
    .execute()
  const undecided: number[] = []
  for (const r of rows) {
    if (r.language === null && r.service_language === null) undecided.push(r.id)
    else locales.set(r.id, chooseLocale({ profile: r.language, serviceDefault: r.service_language }))
  }
  if (undecided.length) {
    // Staff with no volunteer record: the service of their earliest grant.
    const grants = await db
      .selectFrom('role_grants')
      .innerJoin('library_services', 'library_services.id', 'role_grants.library_service_id')
      .select(['role_grants.person_id', 'role_grants.id', 'library_services.default_language'])
      .where('role_grants.person_id', 'in', undecided)
      .orderBy('role_grants.id')
      .execute()
    for (const g of grants) if (!locales.has(g.person_id)) locales.set(g.person_id, chooseLocale({ serviceDefault: g.default_language }))
  }
  for (const id of ids) if (!locales.has(id)) locales.set(id, DEFAULT_LOCALE)
  return locales
}

/** One person's language (see recipientLocales); English for null (someone with no person row). */
export async function recipientLocale(db: Db | Tx, personId: number | null | undefined): Promise<Locale> {
  if (personId === null || personId === undefined) return DEFAULT_LOCALE
  return (await recipientLocales(db, [personId])).get(personId) ?? DEFAULT_LOCALE
}

/** A volunteer's language (as recipientLocale, for links that name a volunteer rather than a person). */
export async function volunteerLocale(db: Db | Tx, volunteerId: number): Promise<Locale> {
  const row = await db.selectFrom('volunteers').select('person_id').where('id', '=', volunteerId).executeTakeFirst()
  return recipientLocale(db, row?.person_id)
}
