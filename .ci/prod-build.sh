#!/usr/bin/env bash
# The production build, one script for the Dockerfile's build stage and for CI's check of it
# (.ci/prod-check.sh): a clean copy of SOURCE into OUT/build, `npm ci`, the build, `npm prune
# --omit=dev`, then OUT/app holding exactly what the image runs (package.json, node_modules, dist,
# views, static). Usage: .ci/prod-build.sh SOURCE OUT
set -euo pipefail
source_dir=$(cd "${1:?usage: prod-build.sh SOURCE OUT}" && pwd)
out=${2:?usage: prod-build.sh SOURCE OUT}
# What the build reads; everything else in the checkout (tests, data, caches) stays out.
BUILD_INPUTS=(package.json package-lock.json tsconfig.json src migrations views static)
# What the running service needs, nothing more (no sources, no dev dependencies).
RUNTIME=(package.json node_modules dist views static)

rm -rf "$out/build" "$out/app"
mkdir -p "$out/build" "$out/app"

echo "--- clean copy"
if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # A checkout: tracked and new files only, never what .gitignore keeps out (built CSS, dist/, data/).
  (cd "$source_dir" && git ls-files -z --cached --others --exclude-standard -- "${BUILD_INPUTS[@]}" \
    | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
    | tar --null -T - -cf -) | tar -C "$out/build" -xf -
else
  # A Docker build context: .dockerignore has already left the same things out.
  for f in "${BUILD_INPUTS[@]}"; do cp -R "$source_dir/$f" "$out/build/$f"; done
fi

cd "$out/build"
echo "--- npm ci"
npm ci --no-audit --no-fund --prefer-offline
echo "--- npm run build"
npm run build
echo "--- npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund

# Hard links: the runtime tree costs no copy, and the build tree stays whole for `npm start` checks.
for f in "${RUNTIME[@]}"; do cp -al "$f" "$out/app/$f"; done
echo "--- production tree ready in $out/app"
