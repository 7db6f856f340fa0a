#!/usr/bin/env bash
# Load test of the web app (issue "The web app and JSON API"): a generated SQLite district,
# the release server in demo mode, `wrk` with 64 connections on loopback against the caseload
# dashboard, a student page and the student JSON endpoint; then the server's peak memory.
#   bash bench/web_load.sh            # STUDENTS=100000 CONNECTIONS=64 DURATION=20s by default
# Needs: a release build (cargo build --release), wrk (apt-get install wrk), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
STUDENTS=${STUDENTS:-100000}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/iep504}
work=$(mktemp -d)
db="$work/load.sqlite"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

echo "== generating $STUDENTS students" >&2
"$BIN" --db "$db" gen --students "$STUDENTS" --seed 504 --anchor 2026-11-02 >/dev/null
"$BIN" --db "$db" sweep >/dev/null
"$BIN" --db "$db" demo --addr "127.0.0.1:$port" >"$work/logins.json" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# Sign in as the demo case manager (demo mode: no second step) and pick a student on the caseload.
casemanager=$(python3 -c 'import json,sys; print(next(l["username"] for l in json.load(open(sys.argv[1]))["logins"] if l["role"]=="case_manager"))' "$work/logins.json")
read -r cookie student < <(python3 - "$base" "$casemanager" <<'PY'
import re, sys, urllib.request, urllib.parse, http.client
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
session = [c.split(";")[0] for k, c in r.getheaders() if k.lower() == "set-cookie" and "iep504" in c and "=;" not in c.split(";")[0] + ";"]
cookie = "; ".join(session)
r, page = request("GET", "/caseload", cookie=cookie)
ids = re.findall(r'href="/students/(\d+)', page)
if not ids:
    r, page = request("GET", "/", cookie=cookie)
    ids = re.findall(r'href="/students/(\d+)', page)
print(cookie, ids[0])
PY
)
token=$("$BIN" --db "$db" token create --username "$casemanager" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

run() { # name, url, header
  echo "== $1" >&2
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2" | tee "$work/$1.txt" >&2
}
run caseload "$base/caseload" "Cookie: $cookie"
run student_page "$base/students/$student" "Cookie: $cookie"
run student_json "$base/api/v1/students/$student" "Authorization: Bearer $token"
peak=$(grep VmHWM "/proc/$server/status" | awk '{print $2}')
echo "== server peak RSS: $((peak / 1024)) MiB ($STUDENTS students, $CONNECTIONS connections, $DURATION each)" >&2
