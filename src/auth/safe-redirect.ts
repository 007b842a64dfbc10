// The one check for every redirect target a request supplies (`next`, `return`): a same-origin path of safe characters, or the fallback.
//
// Browsers strip tabs and newlines from a Location and read a backslash as a slash, so
// "/\t/evil.example" and "/\evil.example" leave the site; only a URL-parser check against the
// base URL, after refusing every character that is not plain printable ASCII, closes all of them.
// Refusing non-ASCII here also keeps Node's header check from throwing after the work is done.

/** Characters allowed in a redirect path: RFC 3986 unreserved, sub-delims, ':', '@', '/', '?', and well-formed %-escapes. */
const SAFE_PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/
const MAX_LENGTH = 500

/** `value` if it is a path on this site made only of safe characters, otherwise `fallback`. */
export function safeRedirectPath(value: unknown, baseUrl: string, fallback: string): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !SAFE_PATH.test(value)) return fallback
  // "//host/…" is a network-path reference: the parser gives it another origin.
  if (value.startsWith('//')) return fallback
  let url: URL
  let base: URL
  try {
    base = new URL(baseUrl)
    url = new URL(value, base)
  } catch {
    return fallback
  }
  if (url.origin !== base.origin) return fallback
  // Rebuilt from the parsed URL, so what is sent is what was checked; "/..//evil" parses to the
  // path "//evil", which a browser would again read as another host.
  const path = `${url.pathname}${url.search}`
  return path.startsWith('//') ? fallback : path
}
