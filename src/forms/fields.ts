// One way to read a form: url-encoded values (strings, or arrays for repeated keys) into typed values, with one set of GOV.UK-style error wordings.
//
// Every form in the service reads its fields here, so a time, a date, a choice from a list or a
// piece of text is accepted, refused and worded the same on the volunteer's pages and the
// coordinator's. Readers never throw: they push a FieldError and return a placeholder, so a form
// reports every mistake at once. What a field means (a date in the future, a time after another)
// stays with the service that owns the rule.
import { DateTime } from 'luxon'
import { ValidationError, type FieldError } from '../errors.js'

/** A parsed url-encoded body or query: each key a string, or an array of strings when repeated. */
export type FormBody = Record<string, unknown>

/** Years a date may have: anything else is a typo (0000-01-01, 20266-01-01), not a real day in the service's life. */
export const FIRST_YEAR = 1900
export const LAST_YEAR = 2099

// ── Wordings ────────────────────────────────────────────────────────────────
// `label` is how the field is named as the subject of a sentence ("Start time", "Full name");
// `what` is how it is named after "Enter" or "Select" ("a start time", "your full name").

const TIME_EXAMPLE = 'like 9:30am or 14:00'
const DATE_EXAMPLE = 'like 8/12/2026'

export const say = {
  enter: (what: string) => `Enter ${what}`,
  select: (what: string) => `Select ${what}`,
  fromList: (what: string) => `Select ${what} from the list`,
  tooLong: (label: string, max: number) => `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`,
  hidden: (label: string) => `${label} must not include hidden characters, like a null character. Type it in again rather than pasting it`,
  realTime: (label: string) => `${label} must be a real time, ${TIME_EXAMPLE}`,
  realDate: (label: string, example = true) => `${label} must be a real date${example ? `, ${DATE_EXAMPLE}` : ''}`,
  yearRange: (label: string) => `${label} must be a date between ${FIRST_YEAR} and ${LAST_YEAR}`,
  dateIncludes: (label: string, missing: readonly string[]) => `${label} must include a ${missing.join(' and ')}`,
  wholeNumber: (label: string, min: number, max: number) => `${label} must be a whole number from ${min} to ${max}`,
}

/** The wordings a FormReader uses: English (`say`) unless a page in another language gives its own (`sayIn`). */
export type Say = typeof say

/**
 * The same wordings from the message catalogue (volunteer.fields.*), for a page in another
 * language. The caller gives its labels in that language too. English pages keep `say`.
 */
export function sayIn(t: (key: string, values?: Record<string, unknown>) => string): Say {
  const f = (key: string, values?: Record<string, unknown>) => t(`volunteer.fields.${key}`, values)
  return {
    enter: (what) => f('enter', { what }),
    select: (what) => f('select', { what }),
    fromList: (what) => f('fromList', { what }),
    tooLong: (label, max) => f('tooLong', { label, max: max.toLocaleString('en-GB') }),
    hidden: (label) => f('hidden', { label }),
    realTime: (label) => f('realTime', { label }),
    realDate: (label, example = true) => f(example ? 'realDate' : 'realDateNoExample', { label }),
    yearRange: (label) => f('yearRange', { label, first: FIRST_YEAR, last: LAST_YEAR }),
    dateIncludes: (label, missing) => f('dateIncludes', { label, missing: missing.map((m) => f(`parts.${m}`)).join(f('and')) }),
    wholeNumber: (label, min, max) => f('wholeNumber', { label, min, max }),
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

// ── Raw values ──────────────────────────────────────────────────────────────

/** Repeated keys (checkboxes) arrive as arrays, single ones as strings, none as undefined. */
export function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  return (Array.isArray(value) ? value : [value]).map((v) => String(v)).filter((v) => v !== '')
}

/** The value of a single field, trimmed; a repeated key keeps its first; anything else is blank. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : ''
}

/** Query strings hold single values; a repeated key keeps its first, and control characters are dropped. */
export function query(q: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!q || typeof q !== 'object') return out
  for (const [k, v] of Object.entries(q as Record<string, unknown>)) out[k] = searchText(v, 200)
  return out
}

// ── Characters ──────────────────────────────────────────────────────────────

/**
 * Control characters (C0, DEL and C1). No person types them; a NUL is refused outright by
 * PostgreSQL ("invalid byte sequence"), so each database would treat them differently if they
 * got that far. Tab, line feed and carriage return are whitespace and handled as such.
 */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
const HIDDEN_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

export function hasHiddenCharacters(value: string): boolean {
  return HIDDEN.test(value)
}

/** Text for a search box: one line, hidden characters dropped (a search never fails for them), bounded. */
export function searchText(value: unknown, max: number): string {
  return text(value).replace(HIDDEN_ALL, '').replace(/\s+/g, ' ').trim().slice(0, max)
}

// ── Parsing single values (no wording) ──────────────────────────────────────

/**
 * A time as people type it: "9:30", "09:30", "9.30", "9:30am", "2pm", "14:00", "noon". Returns
 * 'HH:MM' (24-hour), '' when blank, or null. Without am/pm the hour is on the 24-hour clock.
 */
export function parseTime(value: unknown): string | null {
  const v = text(value).toLowerCase().replace(/\s+/g, '')
  if (v === '') return ''
  if (v === 'noon' || v === 'midday') return '12:00'
  // Welsh pages show times as 9:30yb and 2yh (y bore, y prynhawn): those are read as am and pm.
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.|p\.m\.|yb|yh|y\.b\.|y\.h\.)?$/.exec(v)
  if (!m) return null
  let hour = Number(m[1])
  const minute = m[2] === undefined ? 0 : Number(m[2])
  const suffix = ({ yb: 'am', yh: 'pm' } as Record<string, string>)[m[3]?.replace(/\./g, '') ?? ''] ?? m[3]?.replace(/\./g, '')
  if (minute > 59) return null
  if (suffix) {
    if (hour < 1 || hour > 12) return null
    if (suffix === 'am') hour = hour === 12 ? 0 : hour
    else hour = hour === 12 ? 12 : hour + 12
  } else if (hour > 23) return null
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}

/**
 * A date typed as 2026-12-08 (what a date field sends) or 8/12/2026 (what people type), as
 * 'YYYY-MM-DD'; '' when blank; null when it is not a real date. The year is not range-checked
 * here (see inYearRange), so a reader can say which of the two is wrong.
 */
export function parseDate(value: unknown): string | null {
  const v = text(value)
  if (v === '') return ''
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v)
  const parts = iso ? { year: iso[1], month: iso[2], day: iso[3] } : uk ? { year: uk[3], month: uk[2], day: uk[1] } : null
  if (!parts) return null
  return calendarDate(Number(parts.year), Number(parts.month), Number(parts.day))
}

function calendarDate(year: number, month: number, day: number): string | null {
  const d = DateTime.fromObject({ year, month, day }, { zone: 'UTC' })
  return d.isValid ? `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : null
}

export function inYearRange(date: string): boolean {
  const year = Number(date.slice(0, 4))
  return year >= FIRST_YEAR && year <= LAST_YEAR
}

/** parseDate, with a year outside FIRST_YEAR–LAST_YEAR read as not a date: for filters that fall back quietly. */
export function parseSaneDate(value: unknown): string | null {
  const d = parseDate(value)
  return d && !inYearRange(d) ? null : d
}

/** A positive whole number as an id ('12'), or null. Never more than 9 digits: ids fit every database's integer. */
export function parseId(value: unknown): number | null {
  const v = text(value)
  return /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null
}

// ── Reading a whole form ────────────────────────────────────────────────────

interface Named {
  /** The field as the subject of a sentence: "Start time". */
  label: string
  /** The field after "Enter"/"Select": "a start time". Defaults to the label in lower case. */
  what?: string
}

interface TextSpec extends Named {
  max: number
  required?: boolean
}

/**
 * Reads one form, collecting every mistake. Each reader takes the field's name in the form
 * (also the id its inline error links to) and returns the clean value, or a placeholder when
 * the field has an error ('' or null): check `ok` (or call `done`) before using the values.
 */
export class FormReader {
  readonly errors: FieldError[] = []

  constructor(
    readonly body: FormBody,
    /** The wordings of its messages: English unless the page gives another language's (sayIn). */
    readonly words: Say = say,
  ) {}

  get ok(): boolean {
    return this.errors.length === 0
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message })
  }

  has(field: string): boolean {
    return this.errors.some((e) => e.field === field)
  }

  /** Throws the collected errors (the GOV.UK error summary), if any. */
  done(): void {
    if (this.errors.length) throw new ValidationError(this.errors)
  }

  private what(spec: Named): string {
    return spec.what ?? lowerFirst(spec.label)
  }

  /**
   * One line of text (a name, a title): runs of whitespace become one space; hidden characters
   * are refused, never stored. '' when blank (an error if required).
   */
  line(field: string, spec: TextSpec): string {
    const raw = text(this.body[field])
    if (hasHiddenCharacters(raw)) {
      this.fail(field, this.words.hidden(spec.label))
      return ''
    }
    const value = raw.replace(/\s+/g, ' ')
    if (value === '') {
      if (spec.required) this.fail(field, this.words.enter(this.what(spec)))
    } else if (value.length > spec.max) this.fail(field, this.words.tooLong(spec.label, spec.max))
    return value
  }

  /**
   * Several lines (notes, a reason): Windows line ends become '\n', hidden characters are
   * dropped (word processors paste vertical tabs for line breaks: those become line breaks).
   */
  paragraph(field: string, spec: TextSpec): string {
    const value = text(this.body[field])
      .replace(/\r\n?/g, '\n')
      .replace(/[\u000b\u000c]/g, '\n')
      .replace(HIDDEN_ALL, '')
      .trim()
    if (value === '') {
      if (spec.required) this.fail(field, this.words.enter(this.what(spec)))
    } else if (value.length > spec.max) this.fail(field, this.words.tooLong(spec.label, spec.max))
    return value
  }

  /** A time of day as 'HH:MM' ("9:30am", "09:30" and "9.30" all read as 09:30); '' when blank or wrong. */
  time(field: string, spec: Named & { required?: boolean }): string {
    const value = parseTime(this.body[field])
    if (value === '') {
      if (spec.required) this.fail(field, this.words.enter(this.what(spec)))
      return ''
    }
    if (value === null) {
      this.fail(field, this.words.realTime(spec.label))
      return ''
    }
    return value
  }

  /**
   * A calendar date as 'YYYY-MM-DD', in the years the service can mean; '' when blank or wrong.
   * `tooLate` words a year after the range in the form's own terms ("up to 2 years ahead").
   */
  date(field: string, spec: Named & { required?: boolean; tooLate?: string }): string {
    const value = parseDate(this.body[field])
    if (value === '') {
      if (spec.required) this.fail(field, this.words.enter(this.what(spec)))
      return ''
    }
    if (value === null) {
      this.fail(field, this.words.realDate(spec.label))
      return ''
    }
    if (!inYearRange(value)) {
      this.fail(field, value > `${LAST_YEAR}` && spec.tooLate ? spec.tooLate : this.words.yearRange(spec.label))
      return ''
    }
    return value
  }

  /**
   * The GOV.UK date input: `${prefix}-day`, `-month` and `-year`. The month may be a number or a
   * name ("Dec"). Errors link to the first part that is wrong. null when blank or wrong.
   */
  dateParts(prefix: string, spec: Named & { required?: boolean }): string | null {
    const parts = { day: text(this.body[`${prefix}-day`]), month: text(this.body[`${prefix}-month`]), year: text(this.body[`${prefix}-year`]) }
    const missing = (['day', 'month', 'year'] as const).filter((k) => parts[k] === '')
    if (missing.length === 3) {
      if (spec.required) this.fail(`${prefix}-day`, this.words.enter(this.what(spec)))
      return null
    }
    if (missing.length) {
      this.fail(`${prefix}-${missing[0]}`, this.words.dateIncludes(spec.label, missing))
      return null
    }
    const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
    const month = /^\d{1,2}$/.test(parts.month) ? Number(parts.month) : months.indexOf(parts.month.toLowerCase().slice(0, 3)) + 1
    const date = /^\d{1,2}$/.test(parts.day) && month >= 1 && /^\d{4}$/.test(parts.year) ? calendarDate(Number(parts.year), month, Number(parts.day)) : null
    if (date === null) {
      this.fail(`${prefix}-day`, this.words.realDate(spec.label, false))
      return null
    }
    if (!inYearRange(date)) {
      this.fail(`${prefix}-year`, this.words.yearRange(spec.label))
      return null
    }
    return date
  }

  /** Dates typed one per line or separated by commas, tidied and sorted; the first bad one is the error. */
  dateList(field: string, spec: Named & { max?: number; notReal?: (part: string | null) => string }): string[] {
    const parts = text(this.body[field])
      .split(/[\n,;]+/)
      .map((p) => p.trim())
      .filter(Boolean)
    const out: string[] = []
    for (const part of parts.slice(0, spec.max ?? 200)) {
      const d = parseDate(part)
      if (!d || !inYearRange(d)) {
        // `notReal` words it in the page's language: the date as typed, or null for one with hidden characters.
        const typed = hasHiddenCharacters(part) ? null : part.slice(0, 30)
        const shown = typed === null ? 'One of them' : `“${typed}”`
        this.fail(field, spec.notReal ? spec.notReal(typed) : `${shown} is not a real date. Enter ${this.what(spec)} like 25/12/2026, one on each line`)
        return []
      }
      out.push(d)
    }
    return [...new Set(out)].sort()
  }

  /**
   * One id from the person's own options (a select or radios). Blank: null (an error if
   * required). Anything not among the options ('abc', '-1', someone else's) is refused.
   */
  choice(field: string, options: ReadonlySet<number>, spec: Named & { required?: boolean }): number | null {
    const raw = text(this.body[field])
    if (raw === '') {
      if (spec.required) this.fail(field, this.words.select(this.what(spec)))
      return null
    }
    const id = parseId(raw)
    if (id === null || !options.has(id)) {
      this.fail(field, this.words.fromList(this.what(spec)))
      return null
    }
    return id
  }

  /** Ids ticked from the person's own options (checkboxes), without repeats; any other value refuses the field. */
  choices(field: string, options: ReadonlySet<number>, spec: Named & { required?: boolean; max?: number }): number[] {
    const values = list(this.body[field])
    const ids = values.map(parseId)
    if (values.length > (spec.max ?? 500) || ids.some((id) => id === null || !options.has(id))) {
      this.fail(field, this.words.fromList(this.what(spec)))
      return []
    }
    if (ids.length === 0 && spec.required) this.fail(field, this.words.select(this.what(spec)))
    return [...new Set(ids as number[])]
  }

  /** One of a fixed set of words (radios: a kind, yes or no). null when blank or anything else. */
  oneOf<T extends string>(field: string, values: readonly T[], spec: Named): T | null {
    const raw = text(this.body[field])
    if ((values as readonly string[]).includes(raw)) return raw as T
    this.fail(field, this.words.select(this.what(spec)))
    return null
  }

  /** Some of a fixed set of words (checkboxes: days of the week); any other value refuses the field. */
  someOf<T extends string>(field: string, values: readonly T[], spec: Named & { required?: boolean }): T[] {
    const chosen = list(this.body[field])
    if (chosen.some((v) => !(values as readonly string[]).includes(v))) {
      this.fail(field, this.words.fromList(this.what(spec)))
      return []
    }
    if (chosen.length === 0 && spec.required) this.fail(field, this.words.select(this.what(spec)))
    return values.filter((v) => chosen.includes(v))
  }

  /** A whole number within [min, max]; null when blank (an error if required) or wrong. */
  wholeNumber(field: string, spec: Named & { min: number; max: number; required?: boolean }): number | null {
    const raw = text(this.body[field])
    if (raw === '') {
      if (spec.required) this.fail(field, this.words.enter(this.what(spec)))
      return null
    }
    const n = /^-?\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
      this.fail(field, this.words.wholeNumber(spec.label, spec.min, spec.max))
      return null
    }
    return n
  }
}
