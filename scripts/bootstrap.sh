#!/usr/bin/env bash
# Installs what the kiosk needs on a fresh Debian/Ubuntu machine: the native libraries Qt and
# ZBar load at run time, then a virtual environment with the project and its test tools.
# Idempotent: a stamp records the pyproject.toml it installed, so a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb platform plugin needs the libxcb-* set to open a real window.
debs=(libzbar0 libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core poppler-utils
  libcups2  # Qt's print dialog lists the printers CUPS knows (the assistant's receipts)
  libasound2  # verdict sounds: miniaudio opens ALSA (or PulseAudio's libpulse0) at run time
  chromium chromium-driver)  # the back office's browser tests drive the system Chromium
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
stamp=.venv.stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "bootstrap: creating .venv and installing the kiosk" >&2
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,server]"
echo "$want" > "$stamp"
