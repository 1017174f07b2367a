#!/usr/bin/env bash
# Runs Specmatic's generated contract tests (https://specmatic.io) against the fake, on a free port, with the
# settings that work for this contract (docs/peer-tools.md). Needs Java 17+ and `npm run build`; not part of npm test.
#
#   scripts/specmatic.sh admin          the admin API (every path but /api/v1/users)
#   scripts/specmatic.sh api            POST and GET /api/v1/users, the email pinned to a fixture user
#
# Environment: SPECMATIC_DIR, a folder outside the repo where specmatic@2.55.1 is (or gets) installed
# (default /tmp/specmatic); MAX_TEST_REQUEST_COMBINATIONS (default 400: without a cap the run takes over 25 minutes).
set -euo pipefail

which="${1:-admin}"
case "$which" in
  # The contract's example of POST /__admin/shutdown stops the fake, as documented: leave it out, or every test
  # after it finds no server.
  admin) filter="PATH!='/api/v1/users' && PATH!='/__admin/shutdown'" ;;
  api) filter="PATH='/api/v1/users'" ;;
  *) echo "usage: scripts/specmatic.sh admin|api" >&2; exit 2 ;;
esac
command -v java >/dev/null || { echo "scripts/specmatic.sh: Java is needed (e.g. apt-get install -y openjdk-17-jre-headless)" >&2; exit 2; }
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$repo/dist/cli/main.js" ] || { echo "scripts/specmatic.sh: run npm run build first" >&2; exit 2; }

specmatic_dir="${SPECMATIC_DIR:-/tmp/specmatic}"
jar="$specmatic_dir/node_modules/specmatic/specmatic.jar"
if [ ! -f "$jar" ]; then
  mkdir -p "$specmatic_dir"
  (cd "$specmatic_dir" && npm i --no-save --silent specmatic@2.55.1)
fi

# Specmatic reads its settings beside the contract: a copy in a scratch folder keeps them out of the repo.
work="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cp "$repo/openapi.yaml" "$work/openapi.yaml"
# Random emails name no user: pin the email of the update to a fixture user (a user of clinic A, role USER).
cat >"$work/openapi_dictionary.yaml" <<'YAML'
UpdateProfileData:
  email: john.doe@example.com
YAML
cat >"$work/specmatic.yaml" <<'YAML'
version: 2
contracts:
  - provides: [openapi.yaml]
test:
  resiliencyTests: { enable: all }
  timeoutInMilliseconds: 3000
YAML

node "$repo/bin/cv-contract-kit.js" serve --port "$port" >"$work/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/__admin/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/__admin/health" >/dev/null || { echo "scripts/specmatic.sh: the fake did not start:" >&2; cat "$work/fake.log" >&2; exit 1; }

cd "$work"
cvApiKey="${cvApiKey:-cvk_test_clinic_a_4f1c2d9e}" MAX_TEST_REQUEST_COMBINATIONS="${MAX_TEST_REQUEST_COMBINATIONS:-400}" \
  java -jar "$jar" test openapi.yaml --testBaseURL "http://127.0.0.1:$port" --filter "$filter"
