#!/usr/bin/env bash
# Surge-shaped benchmark: residents of ten sites, each doing the web journey verify -> availability (two
# weeks) -> book, and a share then rescheduling (10%) or cancelling (5%), with the naive design of the
# same journey measured by pgbench in the same run.
#
#   bench/surge-load.sh                      # RESIDENTS=256 DURATION=10 WARMUP=60 CARDS=40000 RUNS=1 PORT=18081
#   SCENARIOS=hot CARDS=300000 bench/surge-load.sh   # hot uses a tenth of the cards (the first site's): enough for
#                                            # a 60 s warm-up takes 300,000 per phase (an import of about a minute)
#   CARDS_BY=sql bench/surge-load.sh         # cards written straight into the table and never analysed
#   SCENARIOS=spread RUNS=2 bench/surge-load.sh
#   JAR=/elsewhere/target/madoguchi.jar SKIP_BUILD=1 bench/surge-load.sh   # another build of the service (an A/B)
#   SAMPLE_PG=1 bench/surge-load.sh          # also what PostgreSQL's backends wait on during each measured run
#   PROFILER=/path/to/libasyncProfiler.so PROFILE=event=wall,threads bench/surge-load.sh
#                                            # async-profiler (attached by jcmd) on the service during each measured run
#
# Ten sites with the demo's opening hours (weekdays 08:30-17:00, 15-minute slots) for eight weeks, four
# counters of ten residents per slot. The cards come in by the card import (POST /api/v1/admin/cards/import,
# CARDS_BY=import, which analyses what it wrote) or by one INSERT that nothing analyses afterwards
# (CARDS_BY=sql: the tables right after a bulk import with autovacuum off, as on this machine).
# Scenarios: spread (a free seat at random among those the availability showed) and hot (every resident
# of the first site books its first slot, made 1,000,000 seats).
#
# The generator is madoguchi.bench.SurgeLoad (src/test/java; not a test), a closed loop of RESIDENTS virtual
# residents, in one JVM that first runs the warm-up on other cards (service and generator both compiled before the
# measured run). A resident is served when the journey ended with the booking (and its reschedule or cancel)
# answered 2xx. The naive design: pgbench, as many clients (capped by PostgreSQL's free connections), each
# transaction one resident: the card read by notice number and birth date, the site's slots for two weeks,
# then one transaction per booking (UPDATE of the slot row with booked < capacity, INSERT of the booking),
# and the same shares rescheduling (one transaction: both slot rows and the booking) or cancelling. No HTTP,
# no JSON, no tokens, no abuse limits, no idempotency: the naive design's floor.
#
# CPU: bench/cpu-split.py reads /proc during each measured run and prints shares of the whole machine: the
# service's JVM, PostgreSQL (this database's backends and the server's writers), the generator (SurgeLoad or
# pgbench), idle, and the rest (other work on the machine). MADOGUCHI_* variables in the environment reach the
# service (e.g. MADOGUCHI_DB_POOL=32).
#
# Needs: the PostgreSQL at 127.0.0.1:5432 (trust auth), pgbench and psql (postgresql-client), curl. Durable:
# synchronous_commit and fsync as the server has them (on). Throw-away database madoguchi_surge.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:-madoguchi_surge}
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
PORT=${PORT:-18081}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-60}   # a JVM compiles the service's code for a minute or more; shorter measures the JIT
RESIDENTS=${RESIDENTS:-256}
CARDS=${CARDS:-40000}     # cards per phase (warm-up, measured run) of each scenario and run
CARDS_BY=${CARDS_BY:-import}
SCENARIOS=${SCENARIOS:-"spread hot"}
RUNS=${RUNS:-1}
LIMITS=${LIMITS:-shared}   # MADOGUCHI_LIMITS: the abuse limits counted in PostgreSQL (shared) or in memory (local)
MVN=${MVN:-"mvn -q -B -o"}
ADMIN=bench-admin-token-0123456789abcdef
OUT=target/bench
FIRST=6000000000
SITES="s01 s02 s03 s04 s05 s06 s07 s08 s09 s10"
mkdir -p "$OUT"

if [ -z "${SKIP_BUILD:-}" ]; then
  $MVN package -DskipTests
  $MVN test-compile
  $MVN dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
fi
CP="target/test-classes:target/classes:$(cat target/cp.txt)"

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

pid=""
start_service() {
  # on a machine loaded by other builds the service may fail to start (its event loop blocked past the
  # pool's 5 s wait for a connection): it is started again, up to three times
  for attempt in 1 2 3; do
    MADOGUCHI_LIMITS=$LIMITS PORT=$PORT MANAGEMENT_PORT=0 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB MADOGUCHI_DEMO=false \
      MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN=$ADMIN MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE=1000000 \
      java -Xmx1g ${JAVA_OPTS:-} -jar "${JAR:-target/madoguchi.jar}" > "$OUT/surge-service.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 240); do
      curl -sf "localhost:$PORT/ready" >/dev/null 2>&1 && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    echo "service did not start (attempt $attempt): $(grep -m1 'could not start' "$OUT/surge-service.log" || echo 'no answer')" >&2
    stop_service
  done
  echo "service did not start; see $OUT/surge-service.log" >&2
  exit 1
}
stop_service() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop_service EXIT
api() {  # method path content-type body: fails (saying why) on any answer but 2xx
  local out
  out=$(curl -sS --fail-with-body -X"$1" "localhost:$PORT$2" -H "Authorization: Bearer $ADMIN" -H "Content-Type: $3" \
    --data-binary "$4") || { echo "$1 $2 failed: $out" >&2; return 1; }
  echo "$out"
}

# eight weeks from the day after tomorrow (the booking window opens 12 hours ahead)
FROM=$(TZ=Asia/Tokyo date -d "+2 days" +%F)
TO=$(TZ=Asia/Tokyo date -d "+57 days" +%F)
start_service
for s in $SITES; do
  api POST /api/v1/admin/sites application/json "{\"id\":\"$s\",\"name\":{\"ja\":\"$s\",\"en\":\"$s\"},\"kind\":\"ward\"}" >/dev/null
  api PUT /api/v1/admin/sites/$s/capacity application/json \
    "{\"from\":\"$FROM\",\"to\":\"$TO\",\"weekdays\":[1,2,3,4,5],\"startTime\":\"08:30\",\"endTime\":\"17:00\",\"counters\":4,\"perCounter\":10}" >/dev/null
done
# the cards: ten sites in turn; the warm-up's come after the measured runs' ones
TOTAL=$((CARDS * RUNS * $(echo $SCENARIOS | wc -w) * 2))
if [ "$CARDS_BY" = import ]; then
  python3 - "$FIRST" "$TOTAL" "$OUT/surge-cards.csv" $SITES <<'PY'
import sys
first, total, out, sites = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
with open(out, "w") as f:
    f.write("noticeNumber,birthDate,phone,siteId,state\n")
    for i in range(total):
        f.write("%d,1980-01-01,,%s,ready\n" % (first + i, sites[i % len(sites)]))
PY
  t0=$(date +%s.%N)
  api POST /api/v1/admin/cards/import text/csv @"$OUT/surge-cards.csv" > "$OUT/surge-import.json"
  echo "card import: $TOTAL cards in $(echo "$(date +%s.%N) - $t0" | bc) s (answered after ANALYZE of what it wrote)"
fi
stop_service
if [ "$CARDS_BY" = sql ]; then
  $PSQL -d $DB -c "INSERT INTO cards (notice_number, birth_date, site_id, state)
    SELECT ($FIRST + g)::text, DATE '1980-01-01', 's' || lpad((1 + g % 10)::text, 2, '0'), 'ready' FROM generate_series(0, $TOTAL - 1) g"
fi
HOT=$($PSQL -d $DB -Atc "SELECT min(id) FROM slots WHERE site_id = 's01'")
$PSQL -d $DB <<SQL
UPDATE slots SET capacity = 1000000, quota_web = 1000000, quota_phone = 1000000 WHERE id = $HOT;
CREATE TABLE naive_slots AS SELECT id, site_id, start_at, capacity, booked FROM slots;
ALTER TABLE naive_slots ADD PRIMARY KEY (id);
CREATE INDEX ON naive_slots (site_id, start_at);
CREATE TABLE naive_bookings (id bigserial PRIMARY KEY, card_id bigint NOT NULL, slot_id bigint NOT NULL, status text NOT NULL DEFAULT 'active');
SQL
stats=$($PSQL -d $DB -Atc "SELECT string_agg(relname || ':' || coalesce(last_analyze::text, 'never'), ' ') FROM pg_stat_user_tables
  WHERE relname IN ('cards', 'slots', 'bookings')")
echo "statistics: $stats; $($PSQL -d $DB -Atc "SELECT count(*) FROM slots") slots"
# slot ids of each site are consecutive (created site by site): the naive design picks one at random in the two weeks
read -r LO HI <<< "$($PSQL -d $DB -AtF' ' -c "SELECT min(id), max(id) FROM slots WHERE site_id = 's01' AND start_at < DATE '$FROM' + 14")"
SPAN=$((HI - LO))
PER_SITE=$($PSQL -d $DB -Atc "SELECT count(*) FROM slots WHERE site_id = 's01'")

reset() {
  $PSQL -d $DB -c "TRUNCATE bookings, booking_events, idempotency_keys, holds, attempt_counts, naive_bookings CASCADE" \
    -c "UPDATE slots SET booked = 0, held = 0, override_booked = 0, version = version + 1" \
    -c "UPDATE naive_slots SET booked = 0" -c "CHECKPOINT"
}
# what the database's backends are doing (state | wait event | statement), sampled every 0.1 s until killed;
# counted into $1 at the end (the share of samples says where connections spend their time)
sample_pg() {
  local raw="$1.raw"; : > "$raw"
  trap 'sort "$raw" | uniq -c | sort -rn | head -40 > "$1"; exit 0' TERM
  while :; do
    $PSQL -d postgres -Atc "SELECT coalesce(state, '-') || ' | ' || coalesce(wait_event_type || ':' || wait_event, 'cpu')
      || ' | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 60) FROM pg_stat_activity
      WHERE datname = '$DB' AND pid <> pg_backend_pid() AND backend_type = 'client backend'" >> "$raw" || true
    sleep 0.1
  done
}

# the naive journey, one pgbench script per share (weights as the residents' shares)
naive_scripts() {  # scenario
  local slot
  if [ "$1" = hot ]; then slot="\\set slot $HOT"; else slot="\\set site random(0, 9)
\\set slot $LO + :site * $PER_SITE + random(0, $SPAN)"; fi
  local head="\\set card random($FIRST, $FIRST + $TOTAL - 1)
$slot
\\set to :slot + 1
SELECT id, site_id, state FROM cards WHERE notice_number = :card::text AND birth_date = DATE '1980-01-01';
SELECT id, capacity - booked FROM naive_slots WHERE site_id = (SELECT site_id FROM naive_slots WHERE id = :slot)
  AND start_at >= DATE '$FROM' AND start_at < DATE '$FROM' + 14 ORDER BY start_at;
BEGIN;
UPDATE naive_slots SET booked = booked + 1 WHERE id = :slot AND booked < capacity;
INSERT INTO naive_bookings (card_id, slot_id) VALUES (:card, :slot) RETURNING id \\gset
COMMIT;"
  printf '%s\n' "$head" > "$OUT/naive-book.sql"
  printf '%s\n%s\n' "$head" "BEGIN;
UPDATE naive_slots SET booked = booked + 1 WHERE id = :to AND booked < capacity;
UPDATE naive_slots SET booked = booked - 1 WHERE id = :slot;
UPDATE naive_bookings SET slot_id = :to WHERE id = :id AND status = 'active';
COMMIT;" > "$OUT/naive-reschedule.sql"
  printf '%s\n%s\n' "$head" "BEGIN;
UPDATE naive_bookings SET status = 'cancelled' WHERE id = :id AND status = 'active';
UPDATE naive_slots SET booked = booked - 1 WHERE id = :slot;
COMMIT;" > "$OUT/naive-cancel.sql"
}

# core-milliseconds of each group per journey served, from a split line ("service 29% postgres 32% ...") and the
# journeys per second: what the machine's cores allow at most is cores * 1000 / (the groups' sum) journeys/s
per_journey() {  # split-line journeys-per-second
  echo "$1" | awk -v n="$(nproc)" -v rate="$2" '{ out = ""; sum = 0
    for (i = 1; i < NF; i += 2) if ($i == "service" || $i == "postgres" || $i == "generator") {
      ms = (rate > 0) ? n * 1000 * ($(i + 1) + 0) / 100 / rate : 0; sum += ms; out = out sprintf("%s %.2f ms, ", $i, ms) }
    printf "%stogether %.2f ms (at most %d journeys/s on %d cores)", out, sum, (sum > 0) ? n * 1000 / sum : 0, n }'
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$CARDS_BY cards: $TOTAL, $RESIDENTS residents, ${DURATION}s measured after ${WARMUP}s warm-up"
next=$FIRST
for run in $(seq 1 "$RUNS"); do
 for scenario in $SCENARIOS; do
  reset
  start_service
  residents_first=$next; next=$((next + CARDS))
  warm_first=$next; next=$((next + CARDS))
  # hot: only the first site's cards (every tenth notice number), all booking its first slot
  if [ $scenario = hot ]; then stride=10; else stride=1; fi
  # one generator JVM: the warm-up on other cards, then (once it prints MEASURING) the measured run
  rm -f "$OUT/surge-gen.out" "$OUT/surge-stop"
  java -cp "$CP" -Dsurge.stride=$stride -Dsurge.warm="$warm_first:$WARMUP" madoguchi.bench.SurgeLoad "http://127.0.0.1:$PORT" \
    "$residents_first" "$((CARDS / stride))" "$RESIDENTS" "$DURATION" "$scenario" "$FROM" "$HOT" > "$OUT/surge-gen.out" &
  gen=$!
  # polled gently: a grep forked every 20 ms during the measured run took a tenth of the machine from the service
  until grep -q MEASURING "$OUT/surge-gen.out" 2>/dev/null || ! kill -0 $gen 2>/dev/null; do sleep 0.05; done
  python3 bench/cpu-split.py "$pid" "$DB" "$OUT/surge-stop" > "$OUT/surge-cpu.txt" & split=$!
  [ -n "${SAMPLE_PG:-}" ] && { sample_pg "$OUT/surge-pgwait-$scenario-$run.txt" & sampler=$!; }
  [ -n "${PROFILER:-}" ] && jcmd "$pid" "JVMTI.agent_load $PROFILER \"start,${PROFILE:-event=cpu}\"" >/dev/null
  sleep "$DURATION"
  until grep -q RESULT "$OUT/surge-gen.out" 2>/dev/null || ! kill -0 $gen 2>/dev/null; do sleep 0.05; done
  touch "$OUT/surge-stop"
  [ -n "${PROFILER:-}" ] && jcmd "$pid" \
    "JVMTI.agent_load $PROFILER \"stop,collapsed,file=$PWD/$OUT/surge-profile-$scenario-$run.collapsed\"" >/dev/null
  [ -n "${SAMPLE_PG:-}" ] && { kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true; }
  wait $split || true
  wait $gen || true
  line=$(grep RESULT "$OUT/surge-gen.out" || echo "RESULT served_per_s=0 (no result)")
  cpu=$(cat "$OUT/surge-cpu.txt")
  stop_service
  served=$(echo "$line" | sed 's/.*served_per_s=\([0-9]*\).*/\1/')
  naive_scripts $scenario
  # as many clients as residents, capped by the connections PostgreSQL has free now (other databases on the server hold some)
  free=$($PSQL -d postgres -Atc "SELECT current_setting('max_connections')::int - count(*) - 6 FROM pg_stat_activity")
  clients=$(( RESIDENTS < free ? RESIDENTS : free ))
  rm -f "$OUT/surge-stop"
  python3 bench/cpu-split.py 0 "$DB" "$OUT/surge-stop" > "$OUT/surge-cpu.txt" & split=$!
  pgbench -h 127.0.0.1 -U postgres -n -c "$clients" -j 2 -T "$DURATION" -r \
    -f "$OUT/naive-book.sql@85" -f "$OUT/naive-reschedule.sql@10" -f "$OUT/naive-cancel.sql@5" $DB > "$OUT/pgbench.out" 2>"$OUT/pgbench.err" \
    || echo "pgbench failed: $(head -1 "$OUT/pgbench.err")" >&2
  tps=$(awk '/^tps/{print int($3)}' "$OUT/pgbench.out" | head -1)
  touch "$OUT/surge-stop"; wait $split || true
  ncpu=$(cat "$OUT/surge-cpu.txt" | sed 's/service 0% //')
  nlat=$(awk '/latency average/{print $4}' "$OUT/pgbench.out" | head -1)
  ratio=$(awk -v a="$served" -v b="$tps" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }')
  echo "run $run $scenario $RESIDENTS | madoguchi $(echo "$line" | sed 's/RESULT //') | cpu $cpu | naive ${tps}/s ($clients clients, mean ${nlat} ms; cpu $ncpu) | x$ratio | load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  cpu per journey: madoguchi $(per_journey "$cpu" "$served") | naive $(per_journey "$ncpu" "$tps")"
 done
done
