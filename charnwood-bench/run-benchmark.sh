#!/usr/bin/env bash
# Charnwood's benchmark: builds the jars, starts the application on a free port with a fresh data folder
# (bench profile: production's settings with no demo data, but the embedded PostgreSQL, which production refuses,
# and the benchmark's staff account), runs the phases, and writes a dated markdown report to bench-results/
# and to standard output. The application is always stopped and the data folders removed, however the run ends.
#
#   charnwood-bench/run-benchmark.sh [quick|full|scale|scheduling]
#     quick  ingest 100 patients, 30 s search mix, bulk import of 100 patients against its raw baseline, then a
#            system-level bulk export of everything on the server (as do full and foundation)
#     full   ingest 300 patients at concurrency 4, 60 s search mix, bulk import of 300 patients against its raw
#            baseline, then a fresh server for the scale phase (search mix at 1,000 and 20,000 patients)
#     foundation  full's first server only (ingest 300, 60 s search mix, bulk 300 against its baseline), no scale
#            In full and foundation the server also ingests SYNTHEA_PATIENTS (300) Synthea patients (copies of the ten
#            bundles in charnwood-bench/data/synthea, each under its own NHS number; about 590,000 resources),
#            measured on their own, before the search mix: the foundation's targets are for a store of that size.
#     scale  the scale phase alone, on a fresh server
#     scheduling  district-nursing visit planning (250 visits/25 staff, 1,000/100) against a greedy plan; no server
#     summary  the staff record summary page of a Synthea patient with years of history, signed in as a demo nurse,
#              on a server with the demo profile (its 200 demo patients and accounts)
#     security  the cost of authorisation and audit: PAIRS (3) alternating pairs of fresh servers with the bench
#            profile, one with authorisation and audit off (charnwood.bench.security-off, refused outside the bench
#            profile) and one with them on; each ingests 300 patients as a backend system, then runs the 30 s search
#            mix (after a 60 s unmeasured warm-up: after 15 s the JIT's compiler threads still took a quarter of a
#            core through the measured window, a fixed cost that the side serving fewer requests paid more of per
#            request; after 60 s they are nearly idle, so the window measures the steady state) as a registered nurse (signed in through the real sign-in page and authorisation code flow) who
#            is in a care team of every patient, so the relationship checks run and find matches. All servers
#            start together; each is measured in turn while the others idle. READY_TIMEOUT (s) for slow starts.
#            SECURITY_SIDES (default "off on") adds baselines with only one half off: "policy-off" (access policy
#            unrestricted, audit on) and "audit-off" (audit off, access policy on), e.g.
#            SECURITY_SIDES="off policy-off audit-off on"; each is compared with "off" (the first side).
#            SEARCH_CALLERS (default "nurse system") says who runs the search mix on each server, in turn: the
#            nurse above, and the backend system client that the foundation's own search figures are measured
#            with (client credentials, system/*.cruds: authorised by its scopes, every search audited, but no
#            relationship checks). Each caller gets its own warm-up and its own medians.
#            Each server also ingests SYNTHEA_PATIENTS (300) Synthea patients after the generated ones, so that the
#            comparison is made where the foundation's figures are (its ingest rate and its search p99 over a store
#            of that size); SYNTHEA_PATIENTS=0 compares on the generated patients alone, in a third of the time.
#
# Latency is measured at steady state: before a search mix and before the record summary's requests, the run waits
# until the server's outbox relay has delivered every change just written (charnwood_outbox_pending 0, read with
# the scraper token the run gives the server), and says how long it waited in the report.
#
# Environment:
#   SKIP_BUILD=1          use the jars already built
#   APP_JAR=path          benchmark another build of the application (e.g. a branch built elsewhere)
#   BENCH_JAR=path        the load generator jar to use (e.g. a copy, so a build can run meanwhile)
#   INGEST_WARMUP=N       patients sent unmeasured before the measured ingest, so it measures a warmed-up server
#                         rather than the JIT's first seconds (default as many as are measured: 100 in quick, 300
#                         in full and foundation; 0 for none). A shorter warm-up leaves the JIT compiling through
#                         the measured ingest (after 60 patients it still spent seconds of CPU on it). The report
#                         gives the warm-up's own (cold) rate as well. Their data stays on the server.
#   SYNTHEA_PATIENTS=N    Synthea patients ingested after the generated ones in full, foundation and security
#                         (default 300; 0 for none, as in quick)
#   INGEST_OPTS="..."     extra ingest options, e.g. "--conditional false" for a server that cannot search yet
#   SEARCH_CONCURRENCY=4  clients in the search mix (and scale)
#   SEARCH_RATE=N         run the search mix's measured part open-loop at N searches/s instead of closed-loop
#                         (foundation, full, quick and security; the warm-up stays closed-loop): latency at a
#                         given load rather than at saturation
#   SEARCH_SECONDS=N, WARMUP_SECONDS=N  the search mix's measured time and the unmeasured warm-up before it
#                         (defaults per mode, as above)
#   APP_JAVA_OPTS="..."   JVM options for the application (default: none, as ./charnwood run)
set -euo pipefail

MODE=${1:-quick}
case "$MODE" in
  quick) INGEST_PATIENTS=100; SEARCH_SECONDS=${SEARCH_SECONDS:-30}; WARMUP_SECONDS=${WARMUP_SECONDS:-5}; BULK_PATIENTS=100; MAIN=1; SCALE=0; SCHEDULING=0 ;;
  full) INGEST_PATIENTS=300; SEARCH_SECONDS=${SEARCH_SECONDS:-60}; WARMUP_SECONDS=${WARMUP_SECONDS:-10}; BULK_PATIENTS=300; MAIN=1; SCALE=1; SCHEDULING=1 ;;
  foundation) INGEST_PATIENTS=300; SEARCH_SECONDS=${SEARCH_SECONDS:-60}; WARMUP_SECONDS=${WARMUP_SECONDS:-10}; BULK_PATIENTS=300; MAIN=1; SCALE=0; SCHEDULING=0 ;;
  scale) SEARCH_SECONDS=${SEARCH_SECONDS:-60}; WARMUP_SECONDS=${WARMUP_SECONDS:-10}; MAIN=0; SCALE=1; SCHEDULING=0 ;;
  scheduling) MAIN=0; SCALE=0; SCHEDULING=1 ;;
  summary) MAIN=0; SCALE=0; SCHEDULING=0; SUMMARY=1 ;;
  security) INGEST_PATIENTS=300; SEARCH_SECONDS=${SEARCH_SECONDS:-30}; WARMUP_SECONDS=${WARMUP_SECONDS:-60}; MAIN=0; SCALE=0; SCHEDULING=0; SECURITY=1 ;;
  *) echo "usage: $0 [quick|full|foundation|scale|scheduling|summary|security]" >&2; exit 2 ;;
esac
SECURITY=${SECURITY:-0}
INGEST_WARMUP=${INGEST_WARMUP:-$(case "$MODE" in full|foundation) echo 300 ;; *) echo 100 ;; esac)}
SYNTHEA_PATIENTS=${SYNTHEA_PATIENTS:-$(case "$MODE" in full|foundation|security) echo 300 ;; *) echo 0 ;; esac)}
PAIRS=${PAIRS:-3}
SECURITY_SIDES=${SECURITY_SIDES:-off on}
SEARCH_CALLERS=${SEARCH_CALLERS:-nurse system}
APP_PROFILE=bench
APP_ARGS=""
ALL_SERVERS=""
CONCURRENCY=4
SUMMARY=${SUMMARY:-0}
SEARCH_CONCURRENCY=${SEARCH_CONCURRENCY:-4}
SEARCH_RATE=${SEARCH_RATE:-0}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. ./.mvn/find-jdk.sh
JAVA="$JAVA_HOME/bin/java"
APP_JAR=${APP_JAR:-charnwood-app/target/charnwood-app-0.1.0-SNAPSHOT.jar}
BENCH_JAR=${BENCH_JAR:-charnwood-bench/target/charnwood-bench-0.1.0-SNAPSHOT.jar}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/charnwood-bench.XXXXXX")
BODY="$WORK/phases.md"
SERVERS="$WORK/servers.md"
APP_PID=""
APP_LABEL=""
PHASE_PID=""
FAILED=0
: > "$BODY"
: > "$SERVERS"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# The embedded PostgreSQL detaches from the application (pg_ctl), so it is found by its data folder.
postmaster_pid() {
  head -1 "$WORK/data-$1/postgres/postmaster.pid" 2>/dev/null || true
}

stop_app() {
  [ -n "$APP_PID" ] || return 0
  local pid=$APP_PID postmaster
  APP_PID=""
  postmaster=$(postmaster_pid "$APP_LABEL")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The application stops its PostgreSQL on a graceful stop; if it could not, stop that server, by its id.
  if [ -n "$postmaster" ] && grep -qa "$WORK/data-$APP_LABEL" "/proc/$postmaster/cmdline" 2>/dev/null; then
    kill -TERM "$postmaster" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$postmaster" 2>/dev/null || break; sleep 0.5; done
  fi
  # A server with the Synthea cohort holds several gigabytes: the security mode's six would not fit on every disk.
  if ! kill -0 "$postmaster" 2>/dev/null; then rm -rf "${WORK:?}/data-$APP_LABEL"; fi
}

cleanup() {
  if [ -n "$PHASE_PID" ]; then kill -TERM "$PHASE_PID" 2>/dev/null || true; fi
  stop_app
  for server in ${ALL_SERVERS:-}; do
    if kill -0 "${server%%:*}" 2>/dev/null; then APP_PID=${server%%:*}; APP_LABEL=${server#*:}; stop_app; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a port nobody listens on, below Linux's usual ephemeral range (32768 and up). The embedded PostgreSQL of
# each server is given an ephemeral port when it starts, so an application port drawn from that range could be
# taken by another server's database between the check here and the application binding it.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}

kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { awk -v kb="${1:-0}" 'BEGIN {printf "%.0f", kb / 1024}'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

# Proportional set size of the application's PostgreSQL processes (shared buffers counted once).
postgres_pss_kb() {
  local total=0 v postmaster
  postmaster=$(postmaster_pid "$1")
  [ -n "$postmaster" ] || { echo 0; return; }
  for child in "$postmaster" $(descendants "$postmaster"); do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$child/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# start_app LABEL [PROFILE]: sets APP_PID, BASE, READY_SECONDS, RSS_READY_KB (profile: bench unless given)
start_app() {
  local label=$1
  APP_PROFILE=${2:-bench}
  launch_app "$label"
  await_app
}

# launch_app LABEL: starts the application without waiting; sets APP_PID, APP_LABEL, BASE, APP_STARTED
launch_app() {
  local label=$1 port
  APP_LABEL=$label
  port=$(free_port)
  BASE="http://127.0.0.1:$port/fhir"
  log "starting the application ($label) on port $port"
  APP_STARTED=$(now)
  # As production does, the server is given its public URL and a token signing key from the environment; the benchmark's backend client
  # is registered the way a deployment registers one (settings from the environment) and the phases use it
  # (BearerTokens).
  # shellcheck disable=SC2086
  CHARNWOOD_DATA_DIR="$WORK/data-$label" CHARNWOOD_LOG_FORMAT="" CHARNWOOD_SIGNING_KEY="$SIGNING_KEY" \
    CHARNWOOD_ISSUER="${BASE%/fhir}" \
    CHARNWOOD_SECURITY_CLIENTS_0_CLIENTID="$CHARNWOOD_CLIENT_ID" CHARNWOOD_SECURITY_CLIENTS_0_KIND=confidential-symmetric \
    CHARNWOOD_SECURITY_CLIENTS_0_SECRET="$CHARNWOOD_CLIENT_SECRET" CHARNWOOD_SECURITY_CLIENTS_0_SCOPES='system/*.cruds' \
    CHARNWOOD_SECURITY_RATELIMIT_PERMINUTE=100000 CHARNWOOD_SECURITY_RATELIMIT_BURST=100000 \
    CHARNWOOD_SECURITY_CLIENTS_1_CLIENTID=charnwood-bench-staff CHARNWOOD_SECURITY_CLIENTS_1_KIND=public \
    CHARNWOOD_SECURITY_CLIENTS_1_REDIRECTURIS=http://127.0.0.1/bench-callback CHARNWOOD_SECURITY_CLIENTS_1_SCOPES='user/*.rs' \
    CHARNWOOD_BENCH_STAFF_PASSWORD="$STAFF_PASSWORD" \
    "$JAVA" ${APP_JAVA_OPTS:-} -jar "$APP_JAR" --spring.profiles.active="$APP_PROFILE" --server.port="$port" $APP_ARGS \
    > "$WORK/app-$label.log" 2>&1 &
  APP_PID=$!
}

# await_app: waits until the application launched last (APP_PID, BASE) is ready; sets READY_SECONDS, RSS_READY_KB
await_app() {
  local limit
  until curl -sf --max-time 5 -o /dev/null "${BASE%/fhir}/actuator/health/readiness"; do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      tail -40 "$WORK/app-$APP_LABEL.log" >&2
      echo "the application exited before it was ready" >&2
      exit 1
    fi
    # The demo profile loads its 200 patients before it is ready: minutes on a busy machine.
    limit=${READY_TIMEOUT:-$([ "$APP_PROFILE" = demo ] && echo 900 || echo 300)}
    if awk -v s="$(since "$APP_STARTED")" -v t="$limit" 'BEGIN {exit !(s > t)}'; then
      tail -40 "$WORK/app-$APP_LABEL.log" >&2
      echo "the application was not ready after $limit s" >&2
      exit 1
    fi
    sleep 0.2
  done
  READY_SECONDS=$(since "$APP_STARTED")
  RSS_READY_KB=$(kb "$APP_PID" VmRSS)
  log "ready in ${READY_SECONDS} s"
}

# record_app LABEL: the server's start-up and memory, read before it is stopped
record_app() {
  printf '| %s | %s s | %s MB | %s MB | %s MB | %s MB |\n' "$1" "$READY_SECONDS" "$(mb "$RSS_READY_KB")" \
    "$(mb "$(kb "$APP_PID" VmRSS)")" "$(mb "$(kb "$APP_PID" VmHWM)")" "$(mb "$(postgres_pss_kb "$APP_LABEL")")" \
    >> "$SERVERS"
}

# phase NAME ARGS...: one BenchCli subcommand; its report is kept even when it fails. Run in the background and
# waited for, so that an interrupt reaches the trap at once instead of after the phase.
phase() {
  log "phase: $*"
  local status=0
  "$JAVA" -jar "$BENCH_JAR" "$@" > "$WORK/phase.md" &
  PHASE_PID=$!
  wait "$PHASE_PID" || status=$?
  PHASE_PID=""
  cat "$WORK/phase.md" >> "$BODY"
  cat "$WORK/phase.md" >&2
  echo >> "$BODY"
  if [ "$status" -ne 0 ]; then
    FAILED=1
    log "phase $1 FAILED (status $status)"
    # The scratch folder goes when the run ends: keep the server's side of a failure (its log holds no patient data).
    if [ -n "${APP_LABEL:-}" ] && [ -f "$WORK/app-$APP_LABEL.log" ]; then
      log "last lines of the application's log ($APP_LABEL):"
      tail -60 "$WORK/app-$APP_LABEL.log" >&2
    fi
  fi
}

# The bench nurse's access token: signed in on the sign-in page, then the authorisation code flow with PKCE as
# the public client charnwood-bench-staff (registered above), exactly as a SMART app would.
staff_token() {
  local root=${BASE%/fhir} jar="$WORK/cookies" csrf verifier challenge location code
  rm -f "$jar"
  csrf=$(curl -sf -c "$jar" -b "$jar" "$root/signin" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=bench.nurse" \
    --data-urlencode "password=$STAFF_PASSWORD" --data-urlencode "_csrf=$csrf" "$root/signin"
  verifier=$(openssl rand -hex 32)
  challenge=$(printf '%s' "$verifier" | openssl dgst -binary -sha256 | openssl base64 -A | tr '+/' '-_' | tr -d '=')
  location=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" \
    "$root/oauth2/authorize?response_type=code&client_id=charnwood-bench-staff&redirect_uri=http%3A%2F%2F127.0.0.1%2Fbench-callback&scope=openid%20user%2F*.rs&state=bench&aud=$(jq -rn --arg v "$BASE" '$v|@uri')&code_challenge=$challenge&code_challenge_method=S256")
  code=$(printf '%s' "$location" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  [ -n "$code" ] || { echo "the bench nurse could not authorise the search client: $location" >&2; return 1; }
  curl -sf -d grant_type=authorization_code -d "code=$code" -d redirect_uri=http://127.0.0.1/bench-callback \
    -d client_id=charnwood-bench-staff -d "code_verifier=$verifier" "$root/oauth2/token" | jq -r .access_token
}

# Puts the bench nurse in an active care team of every patient on the server (as a backend system), so the
# nurse's searches pass the relationship checks and find what they look for.
nurse_cares_for_everyone() {
  local root=${BASE%/fhir} system ids bundle
  system=$(curl -sf -u "$CHARNWOOD_CLIENT_ID:$CHARNWOOD_CLIENT_SECRET" -d grant_type=client_credentials \
    -d 'scope=system/*.cruds' "$root/oauth2/token" | jq -r .access_token)
  ids=$(curl -sf -H "Authorization: Bearer $system" "$BASE/Patient?_count=1000&_elements=id" | jq -r '.entry[].resource.id')
  bundle=$(printf '%s\n' $ids | jq -R . | jq -c -s '{resourceType: "Bundle", type: "transaction", entry: (
    [{resource: {resourceType: "Practitioner", id: "bench-nurse", name: [{family: "Nurse", given: ["Benchmark"]}]},
      request: {method: "PUT", url: "Practitioner/bench-nurse"}}] +
    map({resource: {resourceType: "CareTeam", status: "active", subject: {reference: ("Patient/" + .)},
      participant: [{member: {reference: "Practitioner/bench-nurse"}}]}, request: {method: "POST", url: "CareTeam"}}))}')
  printf '%s' "$bundle" > "$WORK/care-teams.json"
  curl -sf -o /dev/null -H "Authorization: Bearer $system" -H 'Content-Type: application/fhir+json' \
    --data-binary @"$WORK/care-teams.json" "$BASE" || { echo "care teams could not be written" >&2; return 1; }
}

# relay_settled: waits until the outbox relay of the server at BASE has delivered every committed change
# (charnwood_outbox_pending 0), so what is measured next does not share the cores with the listeners' backlog
# (NEWS2 scoring, relationship caches) left by the data just written. Notes the wait in the report. A server
# without the gauge (an older build) is not waited for.
relay_settled() {
  local root=${BASE%/fhir} waited=0 pending
  while :; do
    pending=$(curl -sf --max-time 10 -H "Authorization: Bearer $CHARNWOOD_METRICS_TOKEN" "$root/actuator/prometheus" \
      | sed -n 's/^charnwood_outbox_pending \([0-9.E+]*\).*/\1/p' || true)
    if [ -z "$pending" ]; then
      log "the server shows no outbox backlog gauge: not waiting for its relay"
      return 0
    fi
    [ "${pending%%.*}" = 0 ] && break
    if [ "$waited" -ge "${RELAY_TIMEOUT:-600}" ]; then
      log "the outbox relay is still $pending events behind after ${waited} s: measuring anyway"
      echo "- The outbox relay was still $pending events behind after ${waited} s; measured anyway." >> "$BODY"
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "outbox relay settled after ${waited} s"
  echo "- Waited ${waited} s for the outbox relay to deliver the events of the data just written, so the next phase is measured without that backlog." >> "$BODY"
  echo >> "$BODY"
}

# A figure from a phase report: figure FILE LABEL [p99]
figure() {
  local line
  line=$(grep -m1 "^| $2 |" "$1" || true)
  if [ "${3:-}" = p99 ]; then
    printf '%s' "$line" | sed -n 's/.*p99 \([0-9.,]*\) ms.*/\1/p' | tr -d ,
  else
    printf '%s' "$line" | awk -F'|' '{gsub(/[ ,]/, "", $3); print $3}'
  fi
}

# The server's CPU per search request (application and PostgreSQL together, ms) from a search phase's report
cpu_ms() {
  grep -m1 '^| Server CPU per request |' "$1" | sed -n 's/.*application \([0-9.,]*\) ms, PostgreSQL \([0-9.,]*\) ms.*/\1 \2/p' \
    | tr -d , | awk '{printf "%.3f", $1 + $2}'
}

# --server-pid and --postgres-pid of the server measured now, so a phase reports its CPU per resource or request
server_pids() {
  local postmaster
  postmaster=$(postmaster_pid "$APP_LABEL")
  echo "--server-pid $APP_PID${postmaster:+ --postgres-pid $postmaster}"
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# security_measure MODE PAIR: ingest and search against the running server (APP_PID, BASE) of that mode; appends
# a row to $PAIRS_TABLE
security_measure() {
  local mode=$1 pair=$2 token ingest synthea=- p99 requests load cpu caller row
  echo "## Pair $pair: authorisation and audit $mode" >> "$BODY"
  echo >> "$BODY"
  # shellcheck disable=SC2046
  phase ingest --base "$BASE" --patients "$INGEST_PATIENTS" --concurrency "$CONCURRENCY" --seed 1 $(server_pids)
  cp "$WORK/phase.md" "$WORK/ingest-$mode-$pair.md"
  if [ "$SYNTHEA_PATIENTS" -gt 0 ]; then
    relay_settled
    # shellcheck disable=SC2046
    phase ingest --base "$BASE" --patients "$SYNTHEA_PATIENTS" --concurrency "$CONCURRENCY" --seed 1 \
      --synthea charnwood-bench/data/synthea $(server_pids)
    synthea=$(figure "$WORK/phase.md" "Resources/s")
    if [ -n "$synthea" ]; then echo "$synthea" >> "$WORK/synthea-$mode"; else synthea=-; fi
  fi
  # The nurse's care teams are only for the nurse's searches.
  case " $SEARCH_CALLERS " in *" nurse "*) nurse_cares_for_everyone ;; esac
  relay_settled
  ingest=$(figure "$WORK/ingest-$mode-$pair.md" "Resources/s")
  row="| $pair | $mode | $ingest | $synthea"
  for caller in $SEARCH_CALLERS; do
    case "$caller" in
      nurse) token=$(staff_token) ;;
      system) token="" ;; # client credentials, as the foundation's search phase
      *) echo "unknown search caller $caller" >&2; exit 2 ;;
    esac
    echo "### Search mix as the $caller" >> "$BODY"
    echo >> "$BODY"
    # shellcheck disable=SC2046
    CHARNWOOD_TOKEN="$token" phase search --base "$BASE" --duration "$SEARCH_SECONDS" --warmup "$WARMUP_SECONDS" \
      --concurrency "$SEARCH_CONCURRENCY" --rate "$SEARCH_RATE" --seed 1 $(server_pids)
    cp "$WORK/phase.md" "$WORK/search-$mode-$pair-$caller.md"
    p99=$(figure "$WORK/search-$mode-$pair-$caller.md" "Overall latency" p99)
    requests=$(figure "$WORK/search-$mode-$pair-$caller.md" "Requests" | sed 's/in.*//')
    cpu=$(cpu_ms "$WORK/search-$mode-$pair-$caller.md")
    echo "$p99" >> "$WORK/p99-$mode-$caller"
    echo "$cpu" >> "$WORK/cpu-$mode-$caller"
    row="$row | $p99 ms | $requests | $cpu ms"
  done
  record_app "pair $pair, authorisation and audit $mode"
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "$ingest" >> "$WORK/ingest-$mode"
  echo "$row | $load |" >> "$PAIRS_TABLE"
}

# security_servers: starts every server of every pair at once (start-up under load takes minutes and is not
# what is measured); each is then measured in turn while the others idle. Sets SEC_PID_<mode>_<pair> etc.
security_servers() {
  local pair mode
  APP_PROFILE=bench
  for pair in $(seq 1 "$PAIRS"); do
    for mode in $SECURITY_SIDES; do
      case "$mode" in
        off) APP_ARGS="--charnwood.bench.security-off=true" ;;
        policy-off) APP_ARGS="--charnwood.bench.policy-off=true" ;;
        audit-off) APP_ARGS="--charnwood.bench.audit-off=true" ;;
        on) APP_ARGS="" ;;
        *) echo "unknown security side $mode" >&2; exit 2 ;;
      esac
      launch_app "security-$mode-$pair"
      eval "SEC_PID_${mode//-/_}_$pair=$APP_PID SEC_BASE_${mode//-/_}_$pair=$BASE SEC_STARTED_${mode//-/_}_$pair=$APP_STARTED"
      ALL_SERVERS="$ALL_SERVERS $APP_PID:security-$mode-$pair"
    done
  done
  # Every server ready before any is measured: a start-up running beside a measurement would take its CPU.
  for pair in $(seq 1 "$PAIRS"); do
    for mode in $SECURITY_SIDES; do
      eval "APP_PID=\$SEC_PID_${mode//-/_}_$pair BASE=\$SEC_BASE_${mode//-/_}_$pair APP_STARTED=\$SEC_STARTED_${mode//-/_}_$pair"
      APP_LABEL="security-$mode-$pair"
      await_app
    done
  done
  APP_PID=""
}

# security_pair PAIR SIDES...: measures the pair's servers in that order, stopping each after it is measured.
security_pair() {
  local pair=$1 mode
  shift
  for mode in "$@"; do
    eval "APP_PID=\$SEC_PID_${mode//-/_}_$pair BASE=\$SEC_BASE_${mode//-/_}_$pair APP_STARTED=\$SEC_STARTED_${mode//-/_}_$pair"
    APP_LABEL="security-$mode-$pair"
    await_app
    security_measure "$mode" "$pair"
    stop_app
  done
}

# A throwaway signing key and bench client secret for this run (never written outside the scratch folder).
SIGNING_KEY=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)
export CHARNWOOD_CLIENT_ID=charnwood-bench
CHARNWOOD_CLIENT_SECRET=$(openssl rand -hex 24)
export CHARNWOOD_CLIENT_SECRET
STAFF_PASSWORD=$(openssl rand -hex 16)
# The servers' metrics scraper credential, so the run can read the outbox relay's backlog (relay_settled).
CHARNWOOD_METRICS_TOKEN=$(openssl rand -hex 24)
export CHARNWOOD_METRICS_TOKEN
PAIRS_TABLE="$WORK/pairs.md"
: > "$PAIRS_TABLE"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED_AT=$(date -u +"%Y-%m-%d %H:%M UTC")
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building (./mvnw -q -B -DskipTests package)"
  ./mvnw -q -B -DskipTests package
fi

if [ "$MAIN" = 1 ]; then
  start_app main
  # shellcheck disable=SC2086,SC2046
  phase ingest --base "$BASE" --patients "$INGEST_PATIENTS" --concurrency "$CONCURRENCY" --seed 1 \
    --warmup "$INGEST_WARMUP" $(server_pids) ${INGEST_OPTS:-}
  phase baseline --patients "$INGEST_PATIENTS" --concurrency "$CONCURRENCY" --seed 1
  if [ "$SYNTHEA_PATIENTS" -gt 0 ]; then
    relay_settled
    # shellcheck disable=SC2046
    phase ingest --base "$BASE" --patients "$SYNTHEA_PATIENTS" --concurrency "$CONCURRENCY" --seed 1 \
      --synthea charnwood-bench/data/synthea $(server_pids)
  fi
  relay_settled
  # shellcheck disable=SC2046
  phase search --base "$BASE" --duration "$SEARCH_SECONDS" --warmup "$WARMUP_SECONDS" \
    --concurrency "$SEARCH_CONCURRENCY" --rate "$SEARCH_RATE" --seed 1 $(server_pids)
  phase bulk --base "$BASE" --patients "$BULK_PATIENTS" --seed 2
  relay_settled
  phase export --base "$BASE"
  record_app "after ingest, search, bulk import and export"
  stop_app
fi

if [ "$SCALE" = 1 ]; then
  start_app scale
  phase scale --base "$BASE" --small 1000 --large 20000 --duration "$SEARCH_SECONDS" --warmup "$WARMUP_SECONDS" \
    --concurrency "$SEARCH_CONCURRENCY" --seed 3
  record_app "after scale (20,000 patients)"
  stop_app
fi

if [ "$SUMMARY" = 1 ]; then
  start_app summary demo
  phase record-summary --base "$BASE" --synthea charnwood-bench/data/synthea/winford225-oconnell601.json.gz \
    --requests 300 --warmup 30
  record_app "after the record summary (demo data and one Synthea patient)"
  stop_app
fi

if [ "$SECURITY" = 1 ]; then
  security_servers
  for pair in $(seq 1 "$PAIRS"); do
    # Alternate which goes first, so a trend in the machine's load does not favour one side.
    # shellcheck disable=SC2046
    if [ $((pair % 2)) = 1 ]; then security_pair "$pair" $SECURITY_SIDES
    else security_pair "$pair" $(printf '%s\n' $SECURITY_SIDES | tac); fi
  done
  {
    echo "## Authorisation and audit: on against off"
    echo
    header="| Pair | Authorisation and audit | Ingest resources/s (system) | Synthea ingest resources/s (system)"
    rule="|---|---|---|---"
    for caller in $SEARCH_CALLERS; do
      header="$header | Search p99 ($caller) | Search requests ($caller) | Server CPU per search ($caller)"
      rule="$rule|---|---|---"
    done
    echo "$header | Load (1 min) after |"
    echo "$rule|---|"
    cat "$PAIRS_TABLE"
    echo
    base=${SECURITY_SIDES%% *}
    ingest_off=$(median < "$WORK/ingest-$base")
    for side in ${SECURITY_SIDES#* }; do
      ingest_on=$(median < "$WORK/ingest-$side")
      echo "| Median | $base | $side | $side ÷ $base | Budget |"
      echo "|---|---|---|---|---|"
      echo "| Ingest resources/s | $ingest_off | $ingest_on | $(awk -v a="$ingest_on" -v b="$ingest_off" 'BEGIN {printf "%.2f", a / b}') | ≥ 0.85 |"
      if [ "$SYNTHEA_PATIENTS" -gt 0 ]; then
        synthea_off=$(median < "$WORK/synthea-$base"); synthea_on=$(median < "$WORK/synthea-$side")
        echo "| Synthea ingest resources/s | $synthea_off | $synthea_on | $(awk -v a="$synthea_on" -v b="$synthea_off" 'BEGIN {printf "%.2f", a / b}') | ≥ 0.85 |"
      fi
      for caller in $SEARCH_CALLERS; do
        p99_off=$(median < "$WORK/p99-$base-$caller"); cpu_off=$(median < "$WORK/cpu-$base-$caller")
        p99_on=$(median < "$WORK/p99-$side-$caller"); cpu_on=$(median < "$WORK/cpu-$side-$caller")
        echo "| Search p99 ($caller) | $p99_off ms | $p99_on ms | $(awk -v a="$p99_on" -v b="$p99_off" 'BEGIN {printf "%.2f", a / b}') | ≤ 1.15 |"
        echo "| Server CPU per search request ($caller) | $cpu_off ms | $cpu_on ms | $(awk -v a="$cpu_on" -v b="$cpu_off" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}') | (explains the p99: at concurrency 4 on 2 cores the searches queue for CPU) |"
      done
      echo
    done
  } >> "$BODY"
fi

if [ "$SCHEDULING" = 1 ]; then
  phase scheduling --seconds 30 --seed 1 --sizes 250/25,1000/100
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p bench-results
REPORT="bench-results/$(date +%Y-%m-%d-%H%M%S)-$MODE.md"
{
  echo "# Charnwood benchmark ($MODE), $STARTED_AT"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Code | $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'); application jar $APP_JAR |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores |"
  echo "| Memory | $(free -g | awk '/^Mem:/ {print $2}') GB |"
  echo "| Java | $("$JAVA" -version 2>&1 | head -1) |"
  echo "| Load average (1, 5, 15 min) | before: $LOAD_BEFORE; after: $LOAD_AFTER |"
  echo
  echo "Load generator, application and its PostgreSQL share the same cores: compare ratios within a run, not"
  echo "absolute figures across machines or runs."
  echo
  echo "### Application start-up and memory"
  echo
  echo "| Server | Start to ready | Java RSS at ready | Java RSS at end | Java peak RSS | PostgreSQL PSS at end |"
  echo "|---|---|---|---|---|---|"
  cat "$SERVERS"
  echo
  cat "$BODY"
  if [ "$FAILED" = 1 ]; then echo "**Some phases failed: see above.**"; fi
} > "$REPORT"
cat "$REPORT"
log "report written to $REPORT"
exit "$FAILED"
