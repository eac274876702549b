#!/usr/bin/env bash
# `npm run deploy`: migrations on the remote D1 database, then the worker and assets.
# Needs `wrangler login` (or CLOUDFLARE_API_TOKEN) and database_id in wrangler.toml.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build.sh"
cd "$ROOT"
# The local demo's widget token (written by npm start) is not for a deployed site.
rm -f www/demo-widget.json
CI=true wrangler d1 migrations apply DB --remote
wrangler deploy
