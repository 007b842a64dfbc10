#!/usr/bin/env bash
# CI step "production build, as the image runs it": .ci/prod-build.sh (the script the Dockerfile runs)
# into a scratch directory, then tests/ops/prod-check.ts starts that tree as an unprivileged user
# with NODE_ENV=production and checks /healthz, sign-in over a real SMTP peer, the __Host- cookie,
# HSTS, no /dev/mail and no token in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out=$(mktemp -d /tmp/rota-prod-build-XXXXXX)
trap 'rm -rf "$out"' EXIT

# better-sqlite3 compiles from source (minutes on a small machine) when it cannot fetch its
# prebuilt binary. The checkout's own build of the same version serves as that prebuilt binary,
# found by prebuild-install's documented local-prebuilds lookup; the image's build fetches or compiles.
native=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ -f "$native" ]; then
  version=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
  abi=$(node -p 'process.versions.modules')
  mkdir -p "$out/prebuilds"
  tar -C node_modules/better-sqlite3 -czf "$out/prebuilds/better-sqlite3-v$version-node-v$abi-$(node -p 'process.platform')-$(node -p 'process.arch').tar.gz" build/Release/better_sqlite3.node
  export npm_config_better_sqlite3_local_prebuilds="$out/prebuilds"
fi

.ci/prod-build.sh "$repo" "$out"
chmod 755 "$out"
npx tsx tests/ops/prod-check.ts "$out"
