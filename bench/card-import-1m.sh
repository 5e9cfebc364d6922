#!/usr/bin/env bash
# Card import at city scale: 1,000,000 cards sent as FILES status files in sequence through
# POST /api/v1/admin/cards/import (a file may be at most 32 MiB), then a shelf count recorded at
# each of the nine sites on that data (POST /api/v1/admin/inventory) and the reconciliation report
# read once. The baseline, in the same run, is plain COPY of the same files by psql (into an
# unindexed staging table, and into a copy of the cards table with its indexes).
#
#   bench/card-import-1m.sh        # ROWS=1000000 FILES=4 PORT=18091 COUNT_DATE=2021-07-13 ANALYZE=0 by default
#
# Needs: the PostgreSQL at 127.0.0.1:5432 (trust auth), psql, curl, python3, and target/madoguchi.jar
# (mvn -B -q package -DskipTests). Uses a throw-away database madoguchi_cards1m_bench (kept after the
# run for a look). Like bench/card-import.sh it runs no ANALYZE: the tables have whatever statistics
# the service's own work gives them (none, where autovacuum is off). ANALYZE=1 runs ANALYZE on cards
# and card_events after the imports (what autovacuum would do in time), to see what statistics change.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=madoguchi_cards1m_bench
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
PORT=${PORT:-18091}
ROWS=${ROWS:-1000000}
FILES=${FILES:-4}
COUNT_DATE=${COUNT_DATE:-2021-07-13}
ANALYZE=${ANALYZE:-0}
ADMIN=bench-admin-token-0123456789abcdef
OUT=target/bench/cards-1m
mkdir -p "$OUT"
[ -f target/madoguchi.jar ] || mvn -q -B package -DskipTests
SITES="kawasaki daishi tajima saiwai nakahara takatsu miyamae tama asao"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The files: FILES × ROWS/FILES cards in the shape of the national system's status files (no phone
# column), notice numbers in no order, sites weighted by the wards' size, applications over
# 2015-2021 (most in the 2020-21 surge), states by application year (older cards mostly issued or
# cancelled, recent ones ready or still applied), changedOn the day the card reached its state.
# Also: each site's cards ready at the end of COUNT_DATE (what the reconciliation should find) and a
# shelf count a little under it, and a change file (the first file's cards, 20% moved on) for a dry run.
python3 - "$ROWS" "$FILES" "$OUT" "$COUNT_DATE" "$SITES" <<'PY'
import sys, random, datetime as dt
rows, files, out, count_date, sites = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], dt.date.fromisoformat(sys.argv[4]), sys.argv[5].split()
rnd = random.Random(20210713)
weights = dict(kawasaki=9, daishi=4, tajima=4, saiwai=13, nakahara=20, takatsu=18, miyamae=18, tama=17, asao=14)
site_w = [weights[s] for s in sites]
years = [2015, 2016, 2017, 2018, 2019, 2020, 2021]
year_w = [4, 12, 8, 8, 9, 25, 34]
mix = {  # issued, cancelled, ready, applied, by application year
    "old": [84, 10, 5, 1], 2020: [75, 7, 13, 5], 2021: [50, 4, 26, 20]}
states = ["issued", "cancelled", "ready", "applied"]
reasons, reason_w = ["expired", "moved_out", "withdrawn", "died", "moved_between_wards"], [40, 25, 15, 10, 10]
last = dt.date(2021, 12, 31)
head = "noticeNumber,birthDate,siteId,state,cancelReason,appliedOn,changedOn\n"
per = rows // files
ready_then = {s: 0 for s in sites}
totals = {s: 0 for s in states}
first_file = []
n = 0
for k in range(files):
    with open("%s/cards-%d.csv" % (out, k + 1), "w") as f:
        f.write(head)
        for i in range(per if k < files - 1 else rows - per * (files - 1)):
            notice = 300000000000 + (n * 618033989 + 12345) % 1000000000
            n += 1
            site = rnd.choices(sites, site_w)[0]
            y = rnd.choices(years, year_w)[0]
            applied = dt.date(y, 1, 5) + dt.timedelta(days=rnd.randrange(350 if y < 2021 else 345))
            birth = dt.date(1925, 1, 1) + dt.timedelta(days=rnd.randrange((applied - dt.date(1925, 1, 1)).days - 30))
            state = rnd.choices(states, mix.get(y, mix["old"]))[0]
            reason = ""
            if state == "applied":
                changed = applied
            elif state == "ready":
                changed = applied + dt.timedelta(days=rnd.randint(20, 60))
            elif state == "issued":
                changed = applied + dt.timedelta(days=rnd.randint(30, 400))
            else:
                changed = applied + dt.timedelta(days=rnd.randint(30, 900))
                reason = rnd.choices(reasons, reason_w)[0]
            changed = min(changed, last)
            totals[state] += 1
            if state == "ready" and changed <= count_date:
                ready_then[site] += 1
            line = "%d,%s,%s,%s,%s,%s,%s\n" % (notice, birth, site, state, reason, applied, changed)
            f.write(line)
            if k == 0:
                first_file.append((notice, birth, site, state, reason, applied, changed))
with open(out + "/counts.txt", "w") as f:
    for s in sites:  # the shelf holds a few cards fewer than the system says (handed out, mislaid)
        f.write("%s %d %d\n" % (s, ready_then[s], max(0, ready_then[s] - rnd.randint(0, 12))))
with open(out + "/cards-changes.csv", "w") as f:
    f.write(head)
    for j, (notice, birth, site, state, reason, applied, changed) in enumerate(first_file):
        if j % 5 == 0 and state in ("ready", "applied"):
            state, changed = ("issued" if state == "ready" else "ready"), dt.date(2022, 1, 14)
        elif j % 5 == 0 and state == "issued":
            state, reason, changed = "cancelled", "moved_out", dt.date(2022, 1, 14)
        f.write("%d,%s,%s,%s,%s,%s,%s\n" % (notice, birth, site, state, reason, applied, changed))
print("generated %d rows in %d files; states %s" % (rows, files, totals))
PY
ls -l "$OUT"/cards-*.csv | awk '{printf "  %s %.1f MiB\n", $NF, $5 / 1048576}'

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB MADOGUCHI_DEMO=false \
  MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN=$ADMIN java -Xmx1g -jar target/madoguchi.jar > "$OUT/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/ready" >/dev/null && break; sleep 1; done
for s in $SITES; do
  kind=ward; case $s in daishi|tajima) kind=branch;; esac
  code=$(curl -s -o "$OUT/site.json" -w '%{http_code}' -XPOST "localhost:$PORT/api/v1/admin/sites" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d "{\"id\":\"$s\",\"name\":{\"ja\":\"$s\",\"en\":\"$s\"},\"kind\":\"$kind\",\"address\":\"川崎市\"}")
  [ "$code" = 201 ] || { echo "site $s: $code $(cat "$OUT/site.json")"; exit 1; }
done

echo "rows: $ROWS in $FILES files; nproc $(nproc); $(free -g | awk '/Mem:/ {print $2 " GB"}') memory; load $(load); $(date -u +%FT%TZ); the service is pid $pid"
busy() { echo "busiest processes now ($1):"; top -bn1 -o %CPU | sed -n '8,12p' | awk '{printf "  %5s%% %s (pid %s)\n", $9, $12, $1}'; }
busy "before the imports"

# send_file FILE LABEL [QUERY]: one file, timed by curl from the first byte sent to the answer
total_import=0
send_file() {
  local code t
  read -r code t < <(curl -s -o "$OUT/answer.json" -w '%{http_code} %{time_total}\n' -XPOST \
    "localhost:$PORT/api/v1/admin/cards/import${3:-}" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/csv' \
    --data-binary "@$1")
  printf '%-40s %s %8.2f s  %s  (load %s)\n' "$2" "$code" "$t" "$(python3 -c "
import json, sys
rows = sum(1 for _ in open('$1')) - 1
try:
    a = json.load(open('$OUT/answer.json'))
    print('%7d rows/s  imported %d updated %d unchanged %d rejected %d; service millis %d; byState %s' % (rows / $t, a['imported'],
          a['updated'], a['unchanged'], len(a['rejected']), a['millis'], json.dumps(a['byState'], sort_keys=True)))
except Exception:
    print(open('$OUT/answer.json').read()[:300])
")" "$(load)"
  [ "$code" = 200 ] || return 0
  LAST=$t
}
for k in $(seq 1 "$FILES"); do
  LAST=0
  send_file "$OUT/cards-$k.csv" "import, file $k of $FILES (new cards)"
  total_import=$(echo "$total_import + $LAST" | bc)
done
printf '%-40s     %8.2f s  %7d rows/s\n' "import, all $FILES files" "$total_import" "$(echo "$ROWS / $total_import" | bc)"
$PSQL -d $DB -At -c "SELECT 'in the database: ' || (SELECT count(*) FROM cards) || ' cards, ' || (SELECT count(*) FROM card_events) || ' card events; '
  || 'cards ' || pg_size_pretty(pg_total_relation_size('cards')) || ', card_events ' || pg_size_pretty(pg_total_relation_size('card_events'))
  || '; last analyze of cards: ' || coalesce((SELECT greatest(last_analyze, last_autoanalyze)::text FROM pg_stat_user_tables WHERE relname = 'cards'), 'never')"

busy "after the imports"
if [ "$ANALYZE" = 1 ]; then
  t0=$(date +%s.%N)
  $PSQL -d $DB -c "ANALYZE cards" -c "ANALYZE card_events"
  printf '%-40s     %8.2f s  (ANALYZE=1, not part of the service)\n' "ANALYZE cards, card_events" "$(echo "$(date +%s.%N) - $t0" | bc)"
fi

# nine shelf counts, one per site, one after another; then the reconciliation report once
echo "shelf counts on $COUNT_DATE (site, ready that day by the generator, counted):"
while read -r site ready counted; do
  read -r code t < <(curl -s -o "$OUT/count.json" -w '%{http_code} %{time_total}\n' -XPOST "localhost:$PORT/api/v1/admin/inventory" \
    -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -H "Idempotency-Key: bench-$site-$(date +%s%N)" \
    -d "{\"siteId\":\"$site\",\"countedAt\":\"$COUNT_DATE\",\"counted\":$counted}")
  printf '  count %-9s %s %8.2f s  %s  (load %s)\n' "$site" "$code" "$t" "$(python3 -c "
import json
a = json.load(open('$OUT/count.json'))
print('reconciled %s, ready %s (generator %s), counted %s, difference %s, explained %s' % (a.get('reconciled'), a.get('ready', '-'),
      $ready, a.get('counted'), a.get('difference', '-'), json.dumps(a.get('explained', '-'))) if 'counted' in a else a)
")" "$(load)"
done < "$OUT/counts.txt"
read -r code t < <(curl -s -o "$OUT/reconciliation.json" -w '%{http_code} %{time_total}\n' \
  "localhost:$PORT/api/v1/admin/reports/reconciliation?date=$COUNT_DATE" -H "Authorization: Bearer $ADMIN")
printf '%-40s %s %8.2f s  %s  (load %s)\n' "GET reconciliation report" "$code" "$t" "$(python3 -c "
import json
a = json.load(open('$OUT/reconciliation.json'))
print('sites %d, totals %s' % (len(a['sites']), json.dumps(a['totals'])) if 'totals' in a else a)
")" "$(load)"

# the reconciliation's statement as the service sends it (PgReports.READY_ON), for one site, explained
python3 - "$OUT/ready-on.sql" "$COUNT_DATE" <<'PY'
import re, sys, datetime as dt
src = open("src/main/java/madoguchi/store/PgReports.java").read()
body = re.search(r'String READY_ON = (.*?);\n', src, re.S).group(1)
sql = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))
day = dt.date.fromisoformat(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("PREPARE ready_on(date, timestamptz, text[]) AS %s;\n" % sql)
    f.write("EXPLAIN (ANALYZE, BUFFERS) EXECUTE ready_on('%s', '%sT00:00:00+09:00', '{kawasaki}');\n" % (day, day + dt.timedelta(days=1)))
PY
echo "EXPLAIN (ANALYZE, BUFFERS) of READY_ON for kawasaki (psql, no statement timeout) -> $OUT/ready-on-explain.txt (load $(load))"
$PSQL -d $DB -f "$OUT/ready-on.sql" > "$OUT/ready-on-explain.txt"
grep -E "Execution Time|Planning Time" "$OUT/ready-on-explain.txt" | sed 's/^ */  /'

# the baseline: the same files by COPY, into an unindexed staging table and into a copy of cards
$PSQL -d $DB -c "CREATE TABLE staging (n text, b text, s text, st text, r text, a text, c text)" \
  -c "CREATE TABLE cards_copy (LIKE cards INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)" \
  -c "ALTER TABLE cards_copy ADD COLUMN changed_on date"
copy() { # table columns label
  local t0 t1 sum=0 k
  for k in $(seq 1 "$FILES"); do
    t0=$(date +%s.%N)
    $PSQL -d $DB -c "\\copy $1 $2 FROM '$OUT/cards-$k.csv' WITH (FORMAT csv, HEADER true)"
    t1=$(date +%s.%N)
    printf '%-40s     %8.2f s\n' "$3, file $k" "$(echo "$t1 - $t0" | bc)"
    sum=$(echo "$sum + $t1 - $t0" | bc)
  done
  printf '%-40s     %8.2f s  %7d rows/s  import / COPY %.1f×  (load %s)\n' "$3, all $FILES files" "$sum" \
    "$(echo "$ROWS / $sum" | bc)" "$(echo "$total_import / $sum" | bc -l)" "$(load)"
}
copy staging "" "psql COPY into unindexed staging"
copy cards_copy "(notice_number, birth_date, site_id, state, cancel_reason, applied_on, changed_on)" "psql COPY into a copy of cards"

# a dry run of a monthly change file (the first file's cards, 20% moved on): checked, written, rolled back
send_file "$OUT/cards-changes.csv" "dry run, file 1, every 5th card moved on" "?dryRun=true"
echo "service log: $(grep -c ' ERROR ' "$OUT/service.log" || true) ERROR lines, $(grep -c ' WARN ' "$OUT/service.log" || true) WARN lines (load $(load))"
grep -E ' (ERROR|WARN) ' "$OUT/service.log" | cut -c1-300 | head -20 || true
