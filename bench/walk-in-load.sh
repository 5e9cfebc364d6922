#!/usr/bin/env bash
# Load benchmark of walk-in tickets and the call-up board: 2,000 tickets at one site in one minute
# with 50 boards open (server-sent events), a counter calling the next number every second.
#
#   bench/walk-in-load.sh            # TICKETS=2000 DURATION=60 BOARDS=50 BASELINE=10 PORT=18090 by default
#
# The generator is madoguchi.bench.WalkInLoad (src/test/java; not a test): it warms the service up on a
# second walk-in site, measures the ticket baseline there (same rate and calls, no board open), then the
# load at the measured site, then the board baseline (same boards, calls only). See BENCHMARKS.md.
#
# Needs: the PostgreSQL at 127.0.0.1:5432 (trust auth) and curl. The service runs from target/madoguchi.jar
# against a throw-away database madoguchi_walkin_bench, durable (synchronous_commit on, fsync on).
# Walk-in tickets are per day in Asia/Tokyo: do not run it across midnight there (15:00 UTC).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=madoguchi_walkin_bench
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
PORT=${PORT:-18090}
TICKETS=${TICKETS:-2000}
DURATION=${DURATION:-60}
BOARDS=${BOARDS:-50}
BASELINE=${BASELINE:-10}
MVN=${MVN:-"mvn -q -B"}   # MVN="mvn -q -B -o" offline
ADMIN=bench-admin-token-0123456789abcdef
OUT=target/bench
SITE=bench-door        # the measured site
OTHER=bench-base       # warm-up and ticket baseline
FIRST=7900000001
OTHER_FIRST=7800000001
mkdir -p "$OUT"

$MVN package -DskipTests
$MVN test-compile
$MVN dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

pid=""
stop_service() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop_service EXIT
# MANAGEMENT_PORT=0: metrics on a free port, so as not to meet another run's service on 9464
PORT=$PORT MANAGEMENT_PORT=0 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB MADOGUCHI_DEMO=false \
  MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN=$ADMIN java -Xmx1g ${JAVA_OPTS:-} -jar target/madoguchi.jar > "$OUT/walk-in-service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "localhost:$PORT/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "localhost:$PORT/ready" >/dev/null || { echo "service did not start; see $OUT/walk-in-service.log" >&2; exit 1; }

api() {  # method path content-type body: fails (saying why) on any answer but 2xx
  local out
  out=$(curl -sS --fail-with-body -X"$1" "localhost:$PORT$2" -H "Authorization: Bearer $ADMIN" -H "Content-Type: $3" \
    --data-binary "$4") || { echo "$1 $2 failed: $out" >&2; return 1; }
  echo "$out"
}
# today's slots, 00:00-23:45 with 10 counters x 50 seats each: the day's ticket cap (the seats) is far above the load
TODAY=$(TZ=Asia/Tokyo date +%F)
for site in $SITE $OTHER; do
  api POST /api/v1/admin/sites application/json \
    "{\"id\":\"$site\",\"walkIn\":true,\"name\":{\"ja\":\"予約不要\",\"en\":\"Walk-in\"},\"kind\":\"popup\",\"address\":\"川崎市\"}" >/dev/null
  api PUT /api/v1/admin/sites/$site/capacity application/json \
    "{\"from\":\"$TODAY\",\"to\":\"$TODAY\",\"startTime\":\"00:00\",\"endTime\":\"23:45\",\"counters\":10,\"perCounter\":50}" >/dev/null
done
# a ready card for every ticket (one ticket per card per day): the load's cards, and the warm-up's and baseline's
{
  echo "noticeNumber,birthDate,phone,siteId,state"
  seq $FIRST $((FIRST + TICKETS + 499)) | sed "s/\$/,1980-01-01,,$SITE,ready/"
  seq $OTHER_FIRST $((OTHER_FIRST + 2 * TICKETS * BASELINE / DURATION + 499)) | sed "s/\$/,1980-01-01,,$OTHER,ready/"
} > "$OUT/walk-in-cards.csv"
echo "cards: $(api POST /api/v1/admin/cards/import text/csv @"$OUT/walk-in-cards.csv")"

# what the service's PostgreSQL sessions are doing, sampled every 0.2 s during the run: on CPU, waiting for a
# lock, for the WAL's flush (IO), or idle in a transaction (waiting for the service's next statement)
( while :; do
    echo "$(date +%T.%3N) sample - 0"
    $PSQL -d $DB -AtF' ' -c "SELECT to_char(clock_timestamp(), 'HH24:MI:SS.MS'), replace(state, ' ', '_'),
        coalesce(wait_event_type || '/' || wait_event, 'CPU'), count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'madoguchi' AND state <> 'idle' GROUP BY 2, 3" 2>/dev/null || true
    sleep 0.2
  done ) > "$OUT/walk-in-waits.txt" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; stop_service' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
# the client drops a pooled connection after 5 s idle, before the service's 10 s header timeout closes it
java -Xmx512m -Djdk.httpclient.keepalive.timeout=5 -cp "target/test-classes:target/classes:$(cat target/cp.txt)" madoguchi.bench.WalkInLoad \
  "http://127.0.0.1:$PORT" "$ADMIN" $SITE $FIRST $OTHER $OTHER_FIRST "$pid" "$TICKETS" "$DURATION" "$BOARDS" "$BASELINE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill $sampler 2>/dev/null || true
echo "the service's PostgreSQL sessions, not idle, over $(grep -c ' sample ' "$OUT/walk-in-waits.txt") samples ($OUT/walk-in-waits.txt):"
awk '$2 != "sample" { n[$2 " " $3] += $4 } END { for (k in n) print "  " n[k], k }' "$OUT/walk-in-waits.txt" | sort -rn | head -8
stop_service
echo "service log: $(grep -c . "$OUT/walk-in-service.log") lines, $(grep -ciE 'error|exception' "$OUT/walk-in-service.log" || true)" \
  "with error/exception, $(awk '/madoguchi.request/ && $(NF-1) >= 500' "$OUT/walk-in-service.log" | wc -l) answers 5xx ($OUT/walk-in-service.log)"
