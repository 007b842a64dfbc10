// Issue 15 defect 10: a server whose log nobody reads still answers, and still stops on SIGTERM within 15 s.
import t from 'tap'
import { freshDatabase, migrateFresh, databaseLabel } from '../helpers/app.js'
import { buildIfNeeded, startServer } from './server-process.js'

t.test(`a server whose stdout and stderr are not read answers 3,000 requests and exits on SIGTERM within 15 s (${databaseLabel})`, async (t) => {
  buildIfNeeded()
  const database = await freshDatabase(t)
  await migrateFresh(database)
  // The production default: a request log line at info for every request (two, in fact).
  const server = await startServer(database, { LOG_LEVEL: 'info' })
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
  })
  // From here on nobody reads the pipes: they fill up (64 KiB) and stay full.
  server.child.stdout!.pause()
  server.child.stderr!.pause()

  let answered = 0
  const total = 3000
  let next = 0
  const workers = Array.from({ length: 25 }, async () => {
    while (next < total) {
      next++
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(20_000) })
      await res.arrayBuffer()
      if (res.status === 200) answered++
    }
  })
  await Promise.all(workers)
  t.equal(answered, total, 'every request is answered while the log is stalled')

  const started = Date.now()
  server.child.kill('SIGTERM')
  const result = await Promise.race([server.exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 15_000))])
  t.not(result, 'alive', `the process exits within 15 s of SIGTERM (took ${Date.now() - started} ms)`)
})
