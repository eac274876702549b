#!/usr/bin/env bash
# `build-bundle.sh NAME LABEL`: a Preact bundle of the browser, www/src/NAME/
# (TypeScript) -> www/NAME.js, one minified IIFE. Used for the participant
# widget (`widget`: sites embed it with <script async src=".../widget.js">;
# www/_headers opens it to any origin with a short cache, as the tracker's
# script) and the hosted results (`results`: loaded by www/r.html only).
# Gitignored; remade when a source changed. Budgets: scripts/size.mjs.
source "$(dirname "$0")/lib.sh"
export_tool_env
name="$1"
label="$2"
out="$ROOT/www/$name.js"
inputs=("www/src/$name" www/src/api/schema.d.ts scripts/build-bundle.sh
  node_modules/preact/package.json node_modules/esbuild/package.json)
if up_to_date "$name" "$out" "${inputs[@]}"; then
  exit 0
fi
log "building $label (www/src/$name/)"
cd "$ROOT"
# Built beside, then moved in: a failed build leaves the last good one.
tmp="$ROOT/target/$name-build.js"
mkdir -p "$ROOT/target"
"$ESBUILD_BIN" "www/src/$name/main.tsx" --bundle --format=iife --minify --target=es2020 --log-level=warning \
  --jsx=automatic --jsx-import-source=preact --tsconfig=www/tsconfig.json --legal-comments=none --outfile="$tmp"
mv "$tmp" "$out"
mark_built "$name" "${inputs[@]}"
