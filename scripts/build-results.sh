#!/usr/bin/env bash
# The hosted results (www/src/results/, TypeScript + Preact) -> www/results.js:
# one minified IIFE that the hosted page /r/<contestId> (www/r.html) loads
# beside the widget; it shows a finalized contest's results and verifies its
# draws in the browser. Its own file, so the widget embedded on customers'
# sites carries none of it. Gitignored; remade when a source changed.
# Budget: scripts/size.mjs.
source "$(dirname "$0")/lib.sh"
export_tool_env
out="$ROOT/www/results.js"
inputs=(www/src/results www/src/api/schema.d.ts scripts/build-results.sh
  node_modules/preact/package.json node_modules/esbuild/package.json)
if up_to_date results "$out" "${inputs[@]}"; then
  exit 0
fi
log "building the hosted results (www/src/results/)"
cd "$ROOT"
# Built beside, then moved in: a failed build leaves the last good one.
tmp="$ROOT/target/results-build.js"
mkdir -p "$ROOT/target"
"$ESBUILD_BIN" www/src/results/main.tsx --bundle --format=iife --minify --target=es2020 --log-level=warning \
  --jsx=automatic --jsx-import-source=preact --tsconfig=www/tsconfig.json --legal-comments=none --outfile="$tmp"
mv "$tmp" "$out"
mark_built results "${inputs[@]}"
