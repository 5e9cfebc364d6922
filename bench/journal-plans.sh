#!/usr/bin/env bash
# The seat journal's batch statements on tables just loaded and never analysed (autovacuum off, bookings
# seconds after a card import), the statements of an earlier commit against this commit's, in the same run,
# then the same after ANALYZE.
#
#   bench/journal-plans.sh                     # OLD=8e4c151 NEW=HEAD CARDS=200000 BATCH=64 ROUNDS=15
#
# Each statement is PREPAREd as the service's driver prepares it (the text read from the source at each
# commit by bench/journal-sql.py), with plan_cache_mode = force_generic_plan (the plan PostgreSQL caches
# for a prepared statement), and run ROUNDS times on a batch of BATCH rows inside a transaction that is
# rolled back, the two commits' statements alternating; the figure is the median of EXPLAIN ANALYZE's
# execution time (with the foreign-key checks the insert triggers). Data: ten sites, eight
# weeks of 15-minute slots on weekdays 08:30-17:00 (13,600 slots), CARDS ready cards, 23,000 active
# bookings of which 5,000 on one slot (a hot slot). Needs psql and the PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:-madoguchi_plans}
OLD=${OLD:-8e4c151}
NEW=${NEW:-HEAD}
CARDS=${CARDS:-200000}
BATCH=${BATCH:-64}
ROUNDS=${ROUNDS:-15}
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
OUT=target/bench
mkdir -p "$OUT"

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
for f in $(ls src/main/resources/db/migration | sed 's/^V\([0-9]*\)__.*/\1 &/' | sort -n | cut -d' ' -f2); do
  $PSQL -d $DB -f "src/main/resources/db/migration/$f" >/dev/null
done
$PSQL -d $DB <<SQL
ALTER TABLE cards SET (autovacuum_enabled = false);
ALTER TABLE slots SET (autovacuum_enabled = false);
ALTER TABLE bookings SET (autovacuum_enabled = false);
ALTER TABLE holds SET (autovacuum_enabled = false);
INSERT INTO sites (id, name_ja, name_en, kind) SELECT 's' || g, 'x', 'x', 'ward' FROM generate_series(0, 9) g;
-- site by site, day by day, 34 slots a weekday
INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone)
  SELECT 's' || site, d + time '08:30' + k * interval '15 minutes', d + time '08:45' + k * interval '15 minutes', 40, 40, 40
  FROM generate_series(0, 9) site, generate_series(date '2027-01-04', date '2027-02-26', interval '1 day') d, generate_series(0, 33) k
  WHERE extract(isodow FROM d) < 6 ORDER BY site, d, k;
INSERT INTO cards (notice_number, birth_date, site_id, state)
  SELECT (6000000000 + g)::text, DATE '1980-01-01', 's' || (g % 10), 'ready' FROM generate_series(0, $CARDS - 1) g;
UPDATE slots SET capacity = 1000000, quota_web = 1000000, quota_phone = 1000000 WHERE id = 1;
-- 18,000 bookings spread over their sites' slots, 5,000 on slot 1 (site s0)
INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status)
  SELECT c.id, 'C' || c.id, c.id, c.site_id,
    CASE WHEN c.id <= 50000 AND c.site_id = 's0' THEN 1
         ELSE (SELECT min(id) FROM slots WHERE site_id = c.site_id) + c.id % 1224 END, 'web', 'active'
  FROM cards c WHERE c.id <= 20000 OR (c.site_id = 's0' AND c.id <= 50000);
SQL
echo "loaded: $($PSQL -d $DB -Atc "SELECT (SELECT count(*) FROM cards) || ' cards, ' || (SELECT count(*) FROM slots) || ' slots, '
  || (SELECT count(*) FROM bookings) || ' bookings (' || (SELECT count(*) FROM bookings WHERE slot_id = 1) || ' on slot 1); statistics: '
  || (SELECT count(*) FROM pg_stats WHERE tablename IN ('cards', 'slots', 'bookings')) || ' columns'")"

# the batches' arrays: BATCH unbooked cards, each into a random slot of its own site; BATCH bookings of the hot slot
$PSQL -d $DB -At > "$OUT/plans-args.sql" <<SQL
WITH picked AS (SELECT c.id, c.site_id, (SELECT min(id) FROM slots s WHERE s.site_id = c.site_id) + (c.id * 7) % 1224 AS slot,
                       row_number() OVER () AS n
                FROM cards c WHERE c.id > 60000 ORDER BY c.id LIMIT $BATCH)
SELECT format('\set card_ids %L', array_agg(id)::text) || E'\n' || format('\set slot_ids %L', array_agg(slot)::text) || E'\n'
    || format('\set new_ids %L', array_agg(90000000 + n)::text) || E'\n' || format('\set codes %L', array_agg('N' || n)::text) || E'\n'
    || format('\set channels %L', array_agg('web'::text)::text) || E'\n' || format('\set falses %L', array_agg(false)::text) || E'\n'
    || format('\set nulls %L', array_agg(NULL::text)::text) || E'\n' || format('\set uuids %L', array_agg(gen_random_uuid())::text) || E'\n'
    || format('\set expiries %L', array_agg(now() + interval '5 minutes')::text)
FROM picked;
SELECT format('\set hot_ids %L', array_agg(id)::text) || E'\n' || format('\set hot_slots %L', array_agg(slot_id)::text) || E'\n'
    || format('\set reasons %L', array_agg('resident'::text)::text)
FROM (SELECT id, slot_id FROM bookings WHERE slot_id = 1 ORDER BY id LIMIT $BATCH) b;
SQL

# statement -> the EXECUTE arguments of one batch
declare -A ARGS=(
  [INSERT_BOOKINGS]=":'new_ids', :'codes', :'card_ids', :'slot_ids', :'channels', :'falses', :'nulls', :'nulls'"
  [INSERT_HOLDS]=":'uuids', :'card_ids', :'slot_ids', :'channels', :'expiries', :'falses'"
  [CANCEL_BOOKINGS]=":'hot_ids', :'reasons', :'hot_slots', :'falses'"
)
measure() {  # statement -> "old-median new-median" (ms), the two commits' statements alternating in one session
  {
    echo "\\i $OUT/plans-args.sql"
    echo "SET plan_cache_mode = force_generic_plan;"
    echo "PREPARE old AS $(bench/journal-sql.py "$OLD" "$1");"
    echo "PREPARE new AS $(bench/journal-sql.py "$NEW" "$1");"
    for _ in $(seq 1 "$ROUNDS"); do
      for which in old new; do
        echo "BEGIN;"
        echo "\\echo $which"
        echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF, FORMAT JSON) EXECUTE $which(${ARGS[$1]});"
        echo "ROLLBACK;"
      done
    done
  } > "$OUT/plans-run.sql"
  $PSQL -d $DB -At -f "$OUT/plans-run.sql" | awk '/^(old|new)$/ {w = $1} /"Execution Time"/ {gsub(/[^0-9.]/, "", $0); print w, $0}' \
    | sort -k1,1 -k2,2n | awk '{v[$1] = v[$1] " " $2; n[$1]++}
        END {split(v["old"], o, " "); split(v["new"], e, " ");
             printf "%.2f %.2f", o[int((n["old"] + 1) / 2)], e[int((n["new"] + 1) / 2)]}'
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg); batch of $BATCH rows, median of $ROUNDS executions (ms)"
for phase in "no statistics" "after ANALYZE"; do
  [ "$phase" = "after ANALYZE" ] && $PSQL -d $DB -c "ANALYZE cards, slots, bookings, holds"
  for st in INSERT_BOOKINGS INSERT_HOLDS CANCEL_BOOKINGS; do
    read -r old new <<< "$(measure $st)"
    echo "$phase | $st | $OLD ${old} ms | $NEW ${new} ms | $(awk -v a="$old" -v b="$new" 'BEGIN{printf "%.1fx", a / b}')"
  done
done
