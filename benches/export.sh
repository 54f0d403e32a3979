#!/usr/bin/env bash
# Bulk export: speed and memory of `GET /export/cases.csv` and `.jsonl` and of
# `cordon export cases`, on a database filled by `cordon bench-data`.
#
#   benches/export.sh                 # 100,000 cases (and a 10,000-case run to compare memory)
#   CASES="20000" benches/export.sh   # other sizes, space-separated
#
# For each size it prints: cases exported, bytes, seconds, cases per second, and the server's
# resident memory before the export, at its peak during it (sampled every 20 ms) and after.
# Release build; loopback only. Figures go in BENCHMARKS.md.
set -euo pipefail

cd "$(dirname "$0")/.."
CASES=${CASES:-"10000 100000"}
SITES=${SITES:-10000}
EVENTS=${EVENTS:-5}
TARGET=${CARGO_TARGET_DIR:-target}
BIN="$TARGET/release/cordon"
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

cargo build --release --quiet

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Samples the RSS of $1 every 20 ms until the file $2 exists; prints the highest value (kB).
peak_rss() {
    local pid=$1 stop=$2 peak=0 now
    while [ ! -e "$stop" ]; do
        now=$(rss_kb "$pid" 2>/dev/null || echo 0)
        if [ "$now" -gt "$peak" ]; then peak=$now; fi
        sleep 0.02
    done
    echo "$peak"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for n in $CASES; do
    db="sqlite://$WORK/bench-$n.db"
    echo "== $n cases, $SITES sites, $EVENTS events each"
    start=$(date +%s.%N)
    "$BIN" bench-data --database "$db" --cases "$n" --sites "$SITES" --events "$EVENTS" >/dev/null 2>&1
    echo "bench-data: $(echo "$(date +%s.%N) - $start" | bc) s, $(du -h "$WORK/bench-$n.db" | cut -f1) database"
    echo 'a long benchmark password' | DATABASE_URL="$db" "$BIN" user add bench --role observer \
        --password-stdin >/dev/null

    port=$(free_port)
    CORDON_WORKERS=2 "$BIN" serve --bind "127.0.0.1:$port" --database "$db" >"$WORK/serve.log" 2>&1 &
    SERVER_PID=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    jar="$WORK/jar"
    rm -f "$jar"
    token=$(curl -fs -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "username=bench" \
        --data-urlencode "password=a long benchmark password" --data-urlencode "csrf_token=$token" "$base/login"
    curl -fs -o /dev/null -b "$jar" "$base/"   # warm the pool and the screener

    for fmt in csv jsonl; do
        before=$(rss_kb "$SERVER_PID")
        stop="$WORK/stop-$fmt"
        rm -f "$stop"
        peak_rss "$SERVER_PID" "$stop" >"$WORK/peak" &
        sampler=$!
        out=$(curl -fs -b "$jar" -o "$WORK/out.$fmt" -w '%{time_total} %{size_download}' "$base/export/cases.$fmt")
        touch "$stop"
        wait "$sampler"
        after=$(rss_kb "$SERVER_PID")
        secs=${out% *}
        bytes=${out#* }
        rows=$(wc -l <"$WORK/out.$fmt")
        if [ "$fmt" = csv ]; then rows=$((rows - 1)); fi
        printf '%-6s %7d lines, %6.1f MB in %6.3f s = %8.0f cases/s; RSS before %6.1f MB, peak %6.1f MB, after %6.1f MB\n' \
            "$fmt" "$rows" "$(echo "$bytes / 1048576" | bc -l)" "$secs" "$(echo "$n / $secs" | bc -l)" \
            "$(echo "$before / 1024" | bc -l)" "$(echo "$(cat "$WORK/peak") / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)"
    done
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""

    /usr/bin/time -f '%e s, max RSS %M kB' -o "$WORK/time" "$BIN" export cases --format csv --database "$db" >/dev/null 2>"$WORK/cli.err"
    echo "cordon export cases (csv): $(cat "$WORK/time")"
done
