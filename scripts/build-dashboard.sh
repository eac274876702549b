#!/usr/bin/env bash
# The owner dashboard (www/src/dashboard/, TypeScript + Preact) -> www/dashboard/:
# index.html (from www/src/dashboard/index.html) naming app.<hash>.js and
# app.<hash>.css, bundled and minified by esbuild; a module imported with
# import() (the chart, loaded with the overview) is its own chunk.<hash>.js.
# Content-hashed names, so www/_headers caches them for good; gitignored, remade when a source changed.
# www/_redirects serves index.html for the dashboard's deep links.
source "$(dirname "$0")/lib.sh"
export_tool_env
out="$ROOT/www/dashboard"
inputs=(www/src/dashboard www/src/api/client.ts www/stub.js scripts/build-dashboard.sh
  node_modules/preact/package.json node_modules/openapi-fetch/package.json node_modules/esbuild/package.json
  node_modules/uplot/package.json)
if up_to_date dashboard "$out/index.html" "${inputs[@]}"; then
  exit 0
fi
log "building the dashboard (www/src/dashboard/)"
cd "$ROOT"
# Built beside, then swapped in: a failed build leaves the last good one.
tmp="$ROOT/target/dashboard-build"
rm -rf "$tmp"
mkdir -p "$tmp"
# The stub's exact bytes (trimmed, as the pages and the CSP hash carry them), as a JS string.
stub="$(node -e 'process.stdout.write(JSON.stringify(require("fs").readFileSync(process.argv[1], "utf8").trim()))' www/stub.js)"
"$ESBUILD_BIN" www/src/dashboard/main.tsx --bundle --format=esm --minify --target=es2020 --log-level=warning \
  --jsx=automatic --jsx-import-source=preact --tsconfig=www/tsconfig.json \
  --define:STUB_JS="$stub" --entry-names='app.[hash]' --chunk-names='chunk.[hash]' --splitting --outdir="$tmp"
js="$(cd "$tmp" && ls app.*.js)"
css="$(cd "$tmp" && ls app.*.css)"
sed -e "s/{{APP_JS}}/$js/" -e "s/{{APP_CSS}}/$css/" www/src/dashboard/index.html > "$tmp/index.html"
rm -rf "$out"
mv "$tmp" "$out"
mark_built dashboard "${inputs[@]}"
