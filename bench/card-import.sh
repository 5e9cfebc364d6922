#!/usr/bin/env bash
# Card import benchmark: a 100,000-row status file through POST /api/v1/admin/cards/import, with
# plain COPY of the same file by psql (into an unindexed staging table, and into a copy of the
# cards table with its indexes) measured in the same run as the baseline.
#
#   bench/card-import.sh        # ROWS=100000 PORT=18090 by default
#
# Needs: the PostgreSQL at 127.0.0.1:5432 (trust auth), psql, curl, python3, and target/madoguchi.jar
# (mvn -B -q package -DskipTests). Uses a throw-away database madoguchi_cards_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=madoguchi_cards_bench
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
PORT=${PORT:-18090}
ROWS=${ROWS:-100000}
ADMIN=bench-admin-token-0123456789abcdef
OUT=target/bench
mkdir -p "$OUT"
[ -f target/madoguchi.jar ] || mvn -q -B package -DskipTests

python3 - "$ROWS" "$OUT" <<'PY'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
head = "noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n"
sites = ["kawasaki", "saiwai", "nakahara", "takatsu"]
with open(out + "/cards-1.csv", "w") as f, open(out + "/cards-2.csv", "w") as g:
    f.write(head); g.write(head)
    for i in range(rows):
        n, site, applied = 9100000000 + i, sites[i % 4], "2021-03-%02d" % (1 + i % 28)
        f.write("%d,1980-01-01,+8180%08d,%s,ready,,%s,2021-06-01\n" % (n, i, site, applied))
        state, reason = ("issued", "") if i % 10 == 0 else ("cancelled", "moved_out") if i % 10 == 1 else ("ready", "")
        g.write("%d,1980-01-01,+8180%08d,%s,%s,%s,%s,2021-06-20\n" % (n, i, site, state, reason, applied))
PY

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB MADOGUCHI_DEMO=false \
  MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN=$ADMIN java -Xmx1g -jar target/madoguchi.jar > "$OUT/cards-service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/ready" >/dev/null && break; sleep 1; done
for s in kawasaki saiwai nakahara takatsu; do
  curl -sf -XPOST "localhost:$PORT/api/v1/admin/sites" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$s\",\"name\":{\"ja\":\"$s\",\"en\":\"$s\"},\"kind\":\"ward\"}" >/dev/null
done

post() { # file label
  local t0 t1
  t0=$(date +%s.%N)
  curl -sf -XPOST "localhost:$PORT/api/v1/admin/cards/import" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/csv' \
    --data-binary "@$1" -o "$OUT/cards-answer.json"
  t1=$(date +%s.%N)
  printf '%-44s %8.2f s   %s\n' "$2" "$(echo "$t1 - $t0" | bc)" "$(python3 -c "import json;a=json.load(open('$OUT/cards-answer.json'));print('imported',a['imported'],'updated',a['updated'],'unchanged',a.get('unchanged'),'rejected',len(a['rejected']))")"
}
copy() { # sql label
  local t0 t1
  t0=$(date +%s.%N)
  $PSQL -d $DB -c "$1"
  t1=$(date +%s.%N)
  printf '%-44s %8.2f s\n' "$2" "$(echo "$t1 - $t0" | bc)"
}

echo "rows: $ROWS; nproc $(nproc); $(free -g | awk '/Mem:/ {print $2 " GB"}') memory; load $(cut -d' ' -f1-3 /proc/loadavg)"
post "$OUT/cards-1.csv" "import, new cards"
post "$OUT/cards-1.csv" "import, same file again (nothing changes)"
post "$OUT/cards-2.csv" "import, 20% change state"
$PSQL -d $DB -c "CREATE TABLE staging (n text, b text, p text, s text, st text, r text, a text, c text)" \
  -c "CREATE TABLE cards_copy (LIKE cards INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)" \
  -c "ALTER TABLE cards_copy ADD COLUMN changed_on date"
copy "\\copy staging FROM '$OUT/cards-1.csv' WITH (FORMAT csv, HEADER true)" "psql COPY into an unindexed staging table"
copy "\\copy cards_copy (notice_number, birth_date, phone, site_id, state, cancel_reason, applied_on, changed_on) FROM '$OUT/cards-1.csv' WITH (FORMAT csv, HEADER true)" \
  "psql COPY into a copy of cards (same indexes)"
