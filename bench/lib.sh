# Shared by bench/load.sh and bench/soak.sh (sourced): the release binary, a work folder, a throwaway
# PostgreSQL 15, and 5,000 cases in one municipality with a team lead and a caseworker.

# BENCH_BIN measures another build (bench/compare.sh: an earlier commit in the same run).
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  cargo build --release --locked -q
  bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
fi
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
pg="$work/pg"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  [ ! -d "$pg/data" ] || runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts PostgreSQL on a Unix socket in $pg (no TCP) and prints its URL.
start_postgres() {
  mkdir -p "$pg"; chown postgres "$pg"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -l "$pg/log" -w -o "-k $pg -c listen_addresses=" start >/dev/null
  echo "postgres://postgres@localhost/postgres?host=$pg"
}

# VACUUM ANALYZE, the state autovacuum reaches in production after a bulk load.
vacuum_postgres() {
  runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "VACUUM ANALYZE" postgres
}

# Imports 5,000 fictitious cases in Gladsaxe (159) into DATABASE and adds bench-lead and bench-worker
# (password bench-password-1).
five_thousand_cases() {
  local db="$1"
  target_csv "$work/target.csv"
  "$bin" import --database "$db" --screening "$work/target.csv" >/dev/null
  for u in bench-lead:home_team_lead bench-worker:home_caseworker; do
    echo "bench-password-1" | "$bin" user put --database "$db" --username "${u%%:*}" --role "${u##*:}" --municipality 159 >/dev/null
  done
}

# Writes a screening of 5,000 fictitious citizens in Gladsaxe (159) to FILE.
target_csv() {
  python3 - "$1" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    # Names as the registers hold them (each surname shared by 1 in 50), so that a search by name finds
    # about a hundred of the 5,000, as a common surname would.
    given = ["Ayşe", "Mohammad", "Nguyễn Thị", "Hodan", "Łukasz", "Mette", "Ali", "Fatima", "Jens", "Oksana"]
    surnames = ["Öztürk", "Al-Hassan", "Hương", "Warsame", "Wiśniewski", "Sørensen", "Khalil", "Rahimi", "Nielsen", "Melnyk"]
    f.write("cpr,included,area_id,municipality_code,awarded_on,as_of,name\n")
    for i in range(5000):
        name = "%s %s%s" % (given[i % 10], surnames[(i // 10) % 10], "" if i % 50 < 10 else " " + str(i % 5))
        f.write("%02d%02d%02d%04d,true,A1,159,2015-01-01,2026-12-01,%s\n" % (61 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 20, i // 6720, name))
PY
}
