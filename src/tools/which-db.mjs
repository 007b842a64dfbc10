// Says which database the test run is about to use, so CI output shows it for each run.
const url = process.env.DATABASE_URL ?? ''
if (/^postgres(ql)?:\/\//i.test(url)) {
  const u = new URL(url)
  console.log(`Tests will run on PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname} (a fresh schema per test file)`)
} else {
  console.log('Tests will run on SQLite (a fresh temporary database per test file)')
}
