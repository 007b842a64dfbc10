// No token reaches a log line: the real app's log, at the production level, through a sign-in and an invitation, holds none.
import t from 'tap'
import { Writable } from 'node:stream'
import { testApp, databaseLabel } from '../helpers/app.js'
import { Client, latestMailTo } from '../helpers/client.js'
import { createBranch, createCoordinator, createService, createSession } from '../helpers/fixtures.js'
import { addVolunteer } from '../bookings/world.js'
import { redactUrl } from '../../src/plugins/log-redaction.js'

t.comment(`database: ${databaseLabel}`)

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  return { lines, stream: { write: (line: string) => stream.write(line) } }
}

t.test('sign-in and invitation links never appear in the log, and their pages send no Referer', async (t) => {
  const log = capture()
  const { app } = await testApp(t, { env: { LOG_LEVEL: 'info' }, logStream: log.stream })
  const db = app.db
  const service = await createService(db)
  const branch = await createBranch(db, service)
  const coordinatorId = await createCoordinator(db, 'coord@example.org', service, branch, 'Casey Coordinator')
  const ann = await addVolunteer(db, 'ann@example.org', service, branch, { name: 'Ann Able' })

  // The sign-in: ask for a link, open it, confirm it.
  const browser = new Client(app)
  await browser.post('/sign-in', { email: 'coord@example.org' })
  const link = /http:\/\/rota\.test(\/sign-in\/confirm\/([A-Za-z0-9_-]+))/.exec((await latestMailTo(app, 'coord@example.org'))!.text_body)!
  const [, signInPath, signInToken] = link as unknown as [string, string, string]
  const confirmPage = await browser.get(signInPath)
  t.equal(confirmPage.statusCode, 200)
  t.equal(confirmPage.headers['referrer-policy'], 'no-referrer', 'the confirm page sends no Referer')
  t.equal(confirmPage.headers['cache-control'], 'no-store', 'the confirm page is not cached')
  // Odd forms of the same link: with a query, a bad escape after it, a trailing slash.
  await browser.get(`${signInPath}?utm=${signInToken}`)
  await browser.get(`${signInPath}%zz`)
  await browser.get(`${signInPath}/`)
  t.equal((await browser.post('/sign-in/confirm', { token: signInToken })).statusCode, 303)

  // The invitation: the coordinator invites Ann; Ann opens the link and accepts.
  const session = await createSession(db, branch, { date: '2026-12-08', min: 1, max: 2, title: 'Digital help drop-in' })
  const coordinator = await new Client(app).signInAs(coordinatorId)
  t.equal((await coordinator.post(`/coordinate/sessions/${session}/invitations`, { invite: [String(ann.volunteerId)] })).statusCode, 303)
  const invitationMail = (await latestMailTo(app, 'ann@example.org'))!
  const [, invitationPath, invitationToken] = /http:\/\/rota\.test(\/invitations\/([A-Za-z0-9_-]+))\?answer=accept/.exec(invitationMail.text_body)! as unknown as [string, string, string]
  const annBrowser = new Client(app)
  const invitationPage = await annBrowser.get(`${invitationPath}?answer=accept`)
  t.equal(invitationPage.statusCode, 200)
  t.equal(invitationPage.headers['referrer-policy'], 'no-referrer')
  t.equal((await annBrowser.post(invitationPath, { answer: 'accept' })).statusCode, 303)

  const requestLines = log.lines.filter((l) => /"url"/.test(l))
  t.ok(requestLines.length >= 8, `the requests were logged (${requestLines.length} lines with a URL)`)
  t.ok(requestLines.some((l) => l.includes('/sign-in/confirm/[redacted]')), 'the sign-in link is logged, redacted')
  t.ok(requestLines.some((l) => l.includes('/invitations/[redacted]')), 'the invitation link is logged, redacted')
  for (const token of [signInToken, invitationToken]) {
    const leaks = log.lines.filter((l) => l.includes(token) || l.includes(token.slice(0, 12)))
    t.same(leaks, [], 'no log line carries the token, or a piece of it')
  }
})

t.test('redactUrl takes out every token path segment and secret query value', async (t) => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xy'
  t.equal(redactUrl(`/sign-in/confirm/${token}`), '/sign-in/confirm/[redacted]')
  t.equal(redactUrl(`/sign-in/confirm/${token.slice(0, 8)}`), '/sign-in/confirm/[redacted]', 'a truncated token too')
  t.equal(redactUrl(`/invitations/${token}?answer=accept`), '/invitations/[redacted]?answer=accept')
  t.equal(redactUrl(`/feeds/${token}.ics`), '/feeds/[redacted].ics')
  t.equal(redactUrl(`/reminders/${token}`), '/reminders/[redacted]')
  t.equal(redactUrl(`/checkin/place/12-${token}`), '/checkin/place/[redacted]')
  t.equal(redactUrl('/checkin/k3m9x2qp7a4b'), '/checkin/[redacted]', "a session's check-in code")
  t.equal(redactUrl(`/anything?token=short&next=/sign-in/confirm/${token}`), '/anything?token=[redacted]&next=/sign-in/confirm/[redacted]')
  t.equal(redactUrl('/sessions?branch=2&page=3'), '/sessions?branch=2&page=3', 'ordinary URLs are kept')
})
