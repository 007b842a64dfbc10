// Server-rendered SVG charts for /reports: the month-by-month trend and the topic breakdown, readable without JavaScript, with a text alternative.
//
// d3-scale and d3-shape do the arithmetic (bands, linear scales, nice ticks, the line's path);
// the markup is ours, so every mark carries its number (data-value) and the words beside it.
import { scaleBand, scaleLinear } from 'd3-scale'
import { line } from 'd3-shape'
import { DateTime } from 'luxon'
import { translator, type Locale } from '../i18n/i18n.js'

export interface Chart {
  svg: string
  /** The same numbers in words, for the text alternative. */
  description: string
  /** What each mark stands for, as drawn (tests compare these with the table and the CSV). */
  points: Array<{ key: string; series: string; value: number }>
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const INK = '#0b0c0c'
const BAR = '#1d70b8'
const LINE = '#d4351c'
const GRID = '#b1b4b6'

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** 'YYYY-MM' → "Dec 2026" (or "December 2026" when `long`); in Welsh "Rhag 2026", "Rhagfyr 2026". */
export function monthLabel(month: string, long = false, locale: Locale = 'en'): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  if (locale === 'cy') {
    const d = DateTime.fromObject({ year: y, month: m }, { zone: 'UTC' })
    if (d.isValid) return d.setLocale('cy').toFormat(long ? 'LLLL yyyy' : 'LLL yyyy')
  }
  const names = long ? ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] : MONTH_NAMES
  return `${names[m - 1]} ${y}`
}

/** People helped per month as bars, volunteer hours as a line (its own scale, labelled at each point); its words in `locale`. */
export function monthTrend(id: string, rows: ReadonlyArray<{ month: string; peopleHelped: number; volunteerHours: number; sessionsUnreported: number }>, locale: Locale = 'en'): Chart {
  const t = translator(locale)
  const width = 640
  const height = 300
  const m = { top: 28, right: 16, bottom: 40, left: 44 }
  const x = scaleBand<string>().domain(rows.map((r) => r.month)).range([m.left, width - m.right]).padding(0.25)
  const y = scaleLinear().domain([0, Math.max(1, ...rows.map((r) => r.peopleHelped))]).nice().range([height - m.bottom, m.top])
  const yHours = scaleLinear().domain([0, Math.max(1, ...rows.map((r) => r.volunteerHours))]).nice().range([height - m.bottom, m.top])
  const centre = (r: { month: string }) => (x(r.month) ?? 0) + x.bandwidth() / 2
  const path = line<(typeof rows)[number]>().x(centre).y((r) => yHours(r.volunteerHours))(rows) ?? ''
  const parts: string[] = []
  for (const t of y.ticks(5)) {
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="${GRID}" stroke-width="1"/>`)
    parts.push(`<text x="${m.left - 6}" y="${y(t)}" dy="0.32em" text-anchor="end" font-size="12" fill="${INK}">${t}</text>`)
  }
  const points: Chart['points'] = []
  for (const r of rows) {
    const bx = x(r.month) ?? 0
    parts.push(`<rect data-series="people" data-key="${esc(r.month)}" data-value="${r.peopleHelped}" x="${bx}" y="${y(r.peopleHelped)}" width="${x.bandwidth()}" height="${y(0) - y(r.peopleHelped)}" fill="${BAR}"/>`)
    parts.push(`<text x="${centre(r)}" y="${y(r.peopleHelped) - 4}" text-anchor="middle" font-size="12" fill="${INK}">${r.peopleHelped}</text>`)
    parts.push(`<text x="${centre(r)}" y="${height - m.bottom + 16}" text-anchor="middle" font-size="12" fill="${INK}">${esc(monthLabel(r.month, false, locale))}</text>`)
    points.push({ key: r.month, series: 'people', value: r.peopleHelped })
  }
  if (rows.length) parts.push(`<path d="${path}" fill="none" stroke="${LINE}" stroke-width="3"/>`)
  for (const r of rows) {
    parts.push(`<circle data-series="hours" data-key="${esc(r.month)}" data-value="${r.volunteerHours}" cx="${centre(r)}" cy="${yHours(r.volunteerHours)}" r="4" fill="${LINE}"/>`)
    points.push({ key: r.month, series: 'hours', value: r.volunteerHours })
  }
  const description = rows.length
    ? rows
        .map((r) => t('evidence.charts.monthLine', { month: monthLabel(r.month, true, locale), people: r.peopleHelped, hours: r.volunteerHours }) + (r.sessionsUnreported ? t('evidence.charts.monthUnreported', { count: r.sessionsUnreported }) : ''))
        .join('. ') + '.'
    : t('evidence.charts.noMonths')
  // The line's key starts after the bars' words (about 7 units a letter at this size: 170 for the English).
  const bars = t('evidence.charts.barsLegend')
  const lineX = m.left + 30 + bars.length * 7
  const legend = `<g font-size="12" fill="${INK}"><rect x="${m.left}" y="6" width="12" height="12" fill="${BAR}"/><text x="${m.left + 18}" y="16">${esc(bars)}</text><line x1="${lineX}" x2="${lineX + 24}" y1="12" y2="12" stroke="${LINE}" stroke-width="3"/><text x="${lineX + 30}" y="16">${esc(t('evidence.charts.lineLegend'))}</text></g>`
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="rota-chart" id="${id}" width="100%" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${esc(t('evidence.charts.monthsTitle'))}</title><desc id="${id}-desc">${esc(description)}</desc>${legend}${parts.join('')}</svg>`
  return { svg, description, points }
}

/** People helped per topic as horizontal bars, biggest first. */
export function topicBreakdown(id: string, rows: ReadonlyArray<{ name: string; people: number }>, locale: Locale = 'en'): Chart {
  const t = translator(locale)
  const width = 640
  const rowHeight = 30
  const m = { top: 8, right: 48, bottom: 8, left: 8 }
  const labelWidth = 250
  const height = m.top + m.bottom + Math.max(1, rows.length) * rowHeight
  const y = scaleBand<string>().domain(rows.map((r) => r.name)).range([m.top, height - m.bottom]).padding(0.2)
  const x = scaleLinear().domain([0, Math.max(1, ...rows.map((r) => r.people))]).range([m.left + labelWidth, width - m.right])
  const parts: string[] = []
  const points: Chart['points'] = []
  for (const r of rows) {
    const by = y(r.name) ?? 0
    parts.push(`<text x="${m.left + labelWidth - 8}" y="${by + y.bandwidth() / 2}" dy="0.32em" text-anchor="end" font-size="13" fill="${INK}">${esc(r.name)}</text>`)
    parts.push(`<rect data-series="topic" data-key="${esc(r.name)}" data-value="${r.people}" x="${x(0)}" y="${by}" width="${x(r.people) - x(0)}" height="${y.bandwidth()}" fill="${BAR}"/>`)
    parts.push(`<text x="${x(r.people) + 6}" y="${by + y.bandwidth() / 2}" dy="0.32em" font-size="13" fill="${INK}">${r.people}</text>`)
    points.push({ key: r.name, series: 'topic', value: r.people })
  }
  const description = rows.length ? rows.map((r) => `${r.name}: ${r.people}`).join('. ') + '.' : t('evidence.charts.noTopics')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="rota-chart" id="${id}" width="100%" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${esc(t('evidence.charts.topicsTitle'))}</title><desc id="${id}-desc">${esc(description)}</desc>${parts.join('')}</svg>`
  return { svg, description, points }
}
