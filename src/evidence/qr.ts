// QR codes for the check-in sheet: the `qrcode` library's SVG, checked to be only that library's shapes before a page includes it unescaped.
import QRCode from 'qrcode'

/**
 * What `qrcode` writes for `type: 'svg'`: one <svg> with a white background path and a black
 * path of plain move/line commands, nothing else. Anything beyond that (an attribute, a script,
 * text) would mean the library changed; it is refused rather than put into a page unescaped.
 */
const QR_SVG = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" (?:width="\d+" height="\d+" )?viewBox="0 0 \d+ \d+" shape-rendering="crispEdges">(?:<path (?:fill|stroke)="#[0-9a-f]{6}" d="[MmHhVvZz0-9. -]+"\/>)+<\/svg>$/

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Inline SVG of a QR code for `url`, named for screen readers by `label` (escaped here). */
export async function qrSvg(url: string, label: string): Promise<string> {
  const svg = (await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).trim()
  if (!QR_SVG.test(svg)) throw new Error('the qrcode library wrote SVG of an unexpected shape')
  return svg.replace('<svg ', `<svg class="rota-qr" role="img" aria-label="${escapeAttribute(label)}" focusable="false" `)
}
