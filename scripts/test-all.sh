#!/usr/bin/env bash
# npm run test:all: every suite, with the waiting-bound work beside the CPU-bound work (a CI machine has 2 cores):
#   - the n8n installs (network, disk, one native build) run while the unit and image tests use the CPU;
#   - the real-pace suite (about 8 minutes, nearly all of it waiting for the emulator's 65 s jobs) runs beside the
#     other end-to-end suites.
# Fails when any suite fails; each suite's output is printed whole.
set -uo pipefail
cd "$(dirname "$0")/.."
LOGS="$(mktemp -d)"
status=0
step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step 'installing n8n 2.x and 1.x in the background, side by side'
# Niced: the unit tests' timings (polls, slices) are measured meanwhile, and must get the CPU first.
nice -n 15 bash test/e2e/install-n8n.sh 2 > "$LOGS/install2.log" 2>&1 &
install2=$!
nice -n 15 bash test/e2e/install-n8n.sh 1 > "$LOGS/install1.log" 2>&1 &
install1=$!

step 'npm test'
npm test || status=1
step 'npm run test:image'
npm run test:image || status=1

step 'waiting for the n8n installs'
for major in 2 1; do
	pid="install$major"
	if ! wait "${!pid}"; then cat "$LOGS/install$major.log"; echo "installing n8n $major.x failed" >&2; exit 1; fi
	tail -n 2 "$LOGS/install$major.log"
done

# Build once: the e2e suites pack dist/ when they start, and two builds at once (rimraf dist, then tsc) leave a
# package without its node for the suite that packs in between.
step 'npm run build, once for the e2e suites running side by side'
npm run build > "$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }
export E2E_SKIP_BUILD=1

step 'npm run test:e2e:pace, in the background'
npm run test:e2e:pace > "$LOGS/pace.log" 2>&1 &
pace=$!
step 'npm run test:e2e:rest'
npm run test:e2e:rest || status=1
step 'npm run test:ui'
npm run test:ui || status=1

step 'waiting for test:e2e:pace'
wait "$pace" || status=1
cat "$LOGS/pace.log"
step "done, status $status"
exit "$status"
