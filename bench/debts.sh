#!/usr/bin/env bash
# Times the district's compensatory-debt view (`GET /compliance/services`) on a generated SQLite
# district: gen, sweep, the release server in demo mode, the demo district admin signed in, then
# ROUNDS sequential requests with curl (time to the last byte, after one warm-up request).
#   bash bench/debts.sh              # STUDENTS=100000 ROUNDS=10 by default
#   BIN=/tmp/old/iep504 DB=/tmp/g.sqlite bash bench/debts.sh   # another build, a kept database
#   SWEEP=0 DB=/tmp/g.sqlite bash bench/debts.sh                 # no sweep before the requests
# Needs: a release build (cargo build --release), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
STUDENTS=${STUDENTS:-100000}
ROUNDS=${ROUNDS:-10}
SWEEP=${SWEEP:-1}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/iep504}
work=$(mktemp -d)
db=${DB:-$work/debts.sqlite}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

if [ ! -f "$db" ]; then
  echo "== generating $STUDENTS students" >&2
  "$BIN" --db "$db" gen --students "$STUDENTS" --seed 504 --anchor 2026-11-02 >/dev/null
fi
if [ "$SWEEP" = 1 ]; then
  echo "== sweep" >&2
  "$BIN" --db "$db" sweep >/dev/null
fi
"$BIN" --db "$db" demo --addr "127.0.0.1:$port" >"$work/logins.json" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

admin=$(python3 -c 'import json,sys; print(next(l["username"] for l in json.load(open(sys.argv[1]))["logins"] if l["role"]=="district_admin"))' "$work/logins.json")
cookie=$(python3 - "$base" "$admin" <<'PY'
import re, sys, urllib.parse, http.client
base, username = sys.argv[1], sys.argv[2]
host, port = base.split("//")[1].split(":")
def request(method, path, body=None, cookie=None):
    conn = http.client.HTTPConnection(host, int(port))
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie: headers["Cookie"] = cookie
    conn.request(method, path, body, headers)
    r = conn.getresponse(); data = r.read().decode()
    return r, data
r, page = request("GET", "/sign-in")
pre = "; ".join(c.split(";")[0] for k, c in r.getheaders() if k.lower() == "set-cookie")
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"csrf": csrf, "username": username, "password": "demo-password-504"})
r, _ = request("POST", "/sign-in", form, pre)
print("; ".join(c.split(";")[0] for k, c in r.getheaders()
                if k.lower() == "set-cookie" and "iep504" in c and "=;" not in c.split(";")[0] + ";"))
PY
)
fetch() { curl -fsS -o "$work/page.html" -w '%{time_total}\n' -H "Cookie: $cookie" "$base/compliance/services"; }
fetch >/dev/null
rows=$(grep -c '<tr' "$work/page.html" || true)
echo "== $ROUNDS requests ($rows table rows on the page)" >&2
for _ in $(seq 1 "$ROUNDS"); do fetch; done | sort -n | awk '
  { t[NR] = $1 }
  END { printf "min %.3f s, median %.3f s, max %.3f s over %d requests\n", t[1], t[int((NR + 1) / 2)], t[NR], NR }'
