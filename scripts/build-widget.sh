#!/usr/bin/env bash
# The participant widget (www/src/widget/, TypeScript + Preact) -> www/widget.js:
# one minified IIFE that sites embed with <script async src=".../widget.js">
# (www/_headers opens it to any origin with a short cache, as the tracker's
# script). Gitignored; remade when a source changed. Budget: scripts/size.mjs.
source "$(dirname "$0")/lib.sh"
export_tool_env
out="$ROOT/www/widget.js"
inputs=(www/src/widget www/src/api/schema.d.ts scripts/build-widget.sh
  node_modules/preact/package.json node_modules/esbuild/package.json)
if up_to_date widget "$out" "${inputs[@]}"; then
  exit 0
fi
log "building the widget (www/src/widget/)"
cd "$ROOT"
# Built beside, then moved in: a failed build leaves the last good one.
tmp="$ROOT/target/widget-build.js"
mkdir -p "$ROOT/target"
"$ESBUILD_BIN" www/src/widget/main.tsx --bundle --format=iife --minify --target=es2020 --log-level=warning \
  --jsx=automatic --jsx-import-source=preact --tsconfig=www/tsconfig.json --legal-comments=none --outfile="$tmp"
mv "$tmp" "$out"
mark_built widget "${inputs[@]}"
