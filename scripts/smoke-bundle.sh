#!/usr/bin/env bash
# Builds the PyInstaller bundle from kiosk.spec and runs it the way a checkpoint would, from
# outside the source tree: seed demo data, check an ID, a plate and a signed code, decode a demo
# image, and keep the window (demo camera feed) up for a while without a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -e ".[bundle]"
.venv/bin/pyinstaller --noconfirm --log-level WARN kiosk.spec
version=$(.venv/bin/python -c 'import kiosk; print(kiosk.__version__)')
bin="$PWD/dist/kiosk-$version/kiosk"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
cd "$data"  # nothing may come from the checkout
"$bin" demo --data-dir "$data" >/dev/null
manifest="$data/demo/manifest.json"
expect() {  # expect WHAT VERDICT ARGS...: the bundle's verdict must be the manifest's
  local what=$1 want=$2; shift 2
  got=$("$bin" check --data-dir "$data" "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')
  [ "$got" = "$want" ] || { echo "smoke-bundle: $what: got $got, want $want" >&2; exit 1; }
}
# one line each: the first demo ID, plate and sample, with the verdict the manifest expects
python3 - "$manifest" > "$data/expected" <<'PY'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
sample = m["samples"][0]
for line in (m["ids"][0]["id"], m["ids"][0]["verdict"], m["plates"][0]["plate"],
             m["plates"][0]["verdict"], sample["file"], sample["verdict"], sample["payload"]):
    print(line)
PY
{ read -r id; read -r id_verdict; read -r plate; read -r plate_verdict
  read -r file; read -r sample_verdict; read -r payload; } < "$data/expected"
expect "ID $id" "$id_verdict" --id "$id"
expect "plate $plate" "$plate_verdict" --plate "$plate"
expect "sample $file" "$sample_verdict" --payload "$payload"
"$bin" decode --data-dir "$data" "$data/demo/$file" | grep -qF "$payload" \
  || { echo "smoke-bundle: decode of $file did not give its payload" >&2; exit 1; }
set +e
QT_QPA_PLATFORM=offscreen timeout 15 "$bin" --data-dir "$data" 2>"$data/window.err"
rc=$?
set -e
[ "$rc" -eq 124 ] || { echo "smoke-bundle: the window exited with $rc:" >&2; cat "$data/window.err" >&2; exit 1; }
if grep -q worker_died "$data/logs/events.jsonl"; then
  echo "smoke-bundle: a worker died:" >&2; grep worker_died "$data/logs/events.jsonl" >&2; exit 1
fi
du -sh "$(dirname "$bin")"
echo "smoke-bundle: $bin passed"
