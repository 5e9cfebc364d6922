#!/usr/bin/env bash
# HTTP load benchmark of durable bookings, with the naive design measured beside it in the same run.
#
#   bench/http-load.sh            # DURATION=10s CONNS="64 256 1000" PORT=18080 by default
#   LIMITS="local shared" CONNS="64 256" bench/http-load.sh   # the abuse limits in memory, then shared, each scenario in turn
#   JAVA_OPTS="-XX:StartFlightRecording=filename=target/bench/run.jfr" bench/http-load.sh   # with a profile
#
# Each run first warms the service up for WARMUP (10s) with bookings of other cards (WARM_CARDS), then measures.
# Besides the figures it prints where the CPU went during each wrk run (seconds of CPU of the service's JVM,
# of all PostgreSQL processes and of wrk, out of the 2 cores' total), read from /proc.
#
# Needs: the PostgreSQL at 127.0.0.1:5432 (trust auth), wrk and pgbench (Debian: wrk, postgresql-client).
# The service runs from target/madoguchi.jar against a throw-away database madoguchi_bench, with
# durable commits (synchronous_commit on, fsync on). Each run starts from empty bookings.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:-madoguchi_bench}   # another name when another checkout benchmarks at the same time
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
PORT=${PORT:-18080}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"64 256 1000"}
CARDS=${CARDS:-300000}
WARM_CARDS=${WARM_CARDS:-100000}
WARMUP=${WARMUP:-10s}
# MADOGUCHI_LIMITS for each measured run: shared (PostgreSQL, the default) and/or local (this instance's memory)
LIMITS=${LIMITS:-shared}
ADMIN=bench-admin-token-0123456789abcdef
OUT=target/bench
mkdir -p "$OUT"

mvn -q -B package -DskipTests
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

pid=""
start_service() {
  MADOGUCHI_LIMITS=${1:-shared} PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB MADOGUCHI_DEMO=false \
    MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN=$ADMIN java -Xmx1g ${JAVA_OPTS:-} -jar target/madoguchi.jar > "$OUT/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "localhost:$PORT/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "service did not start; see $OUT/service.log" >&2
  exit 1
}
stop_service() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop_service EXIT

# the site: one day of 48 slots of 10,000 seats (spread runs), the first made a hot slot of 1,000,000
start_service
DAY=$(date -d "+3 days" +%F)
curl -sf -XPOST "localhost:$PORT/api/v1/admin/sites" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":{"ja":"負荷試験","en":"Benchmark"},"kind":"popup"}' >/dev/null
curl -sf -XPUT "localhost:$PORT/api/v1/admin/sites/bench/capacity" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"from\":\"$DAY\",\"to\":\"$DAY\",\"startTime\":\"09:00\",\"endTime\":\"21:00\",\"counters\":200,\"perCounter\":50}" >/dev/null
stop_service
$PSQL -d $DB <<SQL
INSERT INTO cards (notice_number, birth_date, site_id, state)
  SELECT (5000000000 + g)::text, DATE '1980-01-01', 'bench', 'ready' FROM generate_series(1, $CARDS + $WARM_CARDS) g;
UPDATE slots SET capacity = 1000000, quota_web = 1000000, quota_phone = 1000000
  WHERE id = (SELECT min(id) FROM slots WHERE site_id = 'bench');
CREATE TABLE naive_slots AS SELECT id, capacity, booked FROM slots WHERE site_id = 'bench';
ALTER TABLE naive_slots ADD PRIMARY KEY (id);
SQL
HOT=$($PSQL -d $DB -Atc "SELECT min(id) FROM slots WHERE site_id = 'bench'")
SPREAD=$($PSQL -d $DB -Atc "SELECT string_agg(id::text, ',' ORDER BY id) FROM slots WHERE site_id = 'bench' AND id <> $HOT")
FIRST_SPREAD=$((HOT + 1)); LAST_SPREAD=$((HOT + 47))
java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" madoguchi.bench.MintTokens \
  "jdbc:postgresql://127.0.0.1:5432/$DB" bench "$((CARDS + WARM_CARDS))" "$OUT/all-tokens.txt"
# the measured runs book the first cards; the warm-up (its own cards, so none is already booked) the rest
head -n "$CARDS" "$OUT/all-tokens.txt" > "$OUT/tokens.txt"
tail -n "$WARM_CARDS" "$OUT/all-tokens.txt" > "$OUT/warm-tokens.txt"

reset() {
  $PSQL -d $DB -c "TRUNCATE bookings, booking_events, idempotency_keys, holds, attempt_counts CASCADE" \
    -c "UPDATE slots SET booked = 0, held = 0, override_booked = 0, version = version + 1" \
    -c "UPDATE naive_slots SET booked = 0" -c "CHECKPOINT"
}

# CPU seconds (user + system) of a set of processes, from /proc/<pid>/stat
# (a PostgreSQL backend may end between the listing and the read: it then counts 0, instead of ending the run)
ticks() { local t=0 p v; for p in "$@"; do v=$(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null) && t=$((t + ${v:-0})); done; echo $t; }
all_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
pg_pids() { pgrep -x postgres || pgrep -f "postgres:" || true; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "scenario conns limits madoguchi_created_per_s p50_ms p99_ms max_ms statuses | naive_tps (clients) ratio"
for scenario in spread hot; do
  for c in $CONNS; do
   for limits in $LIMITS; do
    reset
    start_service "$limits"
    slots=$([ $scenario = hot ] && echo "$HOT" || echo "$SPREAD")
    # a service runs for days: warm the JIT first (a cold JVM spent 40% of its CPU compiling during a 10 s run)
    TOKENS="$OUT/warm-tokens.txt" SLOTS="$slots" WRK_THREADS=2 wrk -t2 -c"$c" -d"$WARMUP" --timeout 10s \
      -s bench/book.lua "http://127.0.0.1:$PORT" > "$OUT/warm.out"
    j0=$(ticks $pid); g0=$(ticks $(pg_pids)); a0=$(all_ticks)
    TOKENS="$OUT/tokens.txt" SLOTS="$slots" WRK_THREADS=2 wrk -t2 -c"$c" -d"$DURATION" --timeout 10s \
      -s bench/book.lua "http://127.0.0.1:$PORT" > "$OUT/wrk.out" &
    wpid=$!
    w=0; while kill -0 $wpid 2>/dev/null; do w=$(ticks $wpid 2>/dev/null || echo $w); sleep 0.2; done
    wait $wpid
    line=$(grep RESULT "$OUT/wrk.out")
    j1=$(ticks $pid); g1=$(ticks $(pg_pids)); a1=$(all_ticks)
    cpu=$(awk -v j=$((j1 - j0)) -v g=$((g1 - g0)) -v w=$w -v a=$((a1 - a0)) -v n=$(nproc) \
      'BEGIN{ t = a / n; printf "cpu of %.1f s x %d cores: jvm %.0f%% postgres %.0f%% wrk %.0f%%", t / 100, n, 100 * j / a, 100 * g / a, 100 * w / a }')
    stop_service
    created=$(echo "$line" | sed 's/.*created_per_s=\([0-9]*\).*/\1/')
    # the naive design: one transaction per booking, a conditional UPDATE on the slot row
    clients=$(( c < 90 ? c : 90 ))
    if [ $scenario = hot ]; then
      echo "UPDATE naive_slots SET booked = booked + 1 WHERE id = $HOT AND booked < capacity;" > "$OUT/naive.sql"
    else
      printf '\\set s random(%s, %s)\nUPDATE naive_slots SET booked = booked + 1 WHERE id = :s AND booked < capacity;\n' \
        "$FIRST_SPREAD" "$LAST_SPREAD" > "$OUT/naive.sql"
    fi
    tps=$(pgbench -h 127.0.0.1 -U postgres -n -c "$clients" -j 2 -T "${DURATION%s}" -f "$OUT/naive.sql" $DB 2>/dev/null \
      | awk '/^tps/{print int($3); exit}')
    ratio=$(awk -v a="$created" -v b="$tps" 'BEGIN{ if (b > 0) printf "%.1f", a / b; else print "-" }')
    echo "$scenario $c $limits $(echo "$line" | sed 's/RESULT //') | naive $tps ($clients) x$ratio | $cpu"
   done
  done
done
