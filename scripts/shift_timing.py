"""One person per role, timed: the real window under Xvfb + openbox at 1366x768, driven by xdotool.

Usage: .venv/bin/python scripts/shift_timing.py [--out DIR] [--key-ms 150] [--roles medic,...]

For each role a fresh `kiosk` process on a fresh `kiosk demo --no-feed` data directory (no
camera: every code is typed, as on a laptop whose webcam is broken): the operator is chosen and
the PIN typed on the sign-in screen, then one person is handled:

- medic: a CCCD number, Enter;
- police: an unregistered plate, Enter, then the key naming its kind (1 = freight);
- market: a card number, Enter;
- supervisor: Ctrl+Shift+Tab to the panel (today's numbers, last scans, data directory).

Keys go at --key-ms apart (150 ms: a steady typist). The seconds run from the PIN's Enter to the
verdict on screen: the event log's `verdict` line, written as the verdict is shown (the
supervisor's panel has no verdict: the first screenshot that differs from the medic's screen,
~0.2 s resolution). A screenshot of each role's screen goes to --out for a person to look at.
The assistant's form is not timed here (it is changing in another branch).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.storage import Store  # noqa: E402
from kiosk.storage.repository import fold_name  # noqa: E402

SCREEN = "1366x768"
PY = sys.executable


@dataclass
class Person:
    role: str
    operator: str
    pin: str
    keys: list[list[str]]  # xdotool key names, one list per step; a chord is one keystroke
    what: str


@dataclass
class Timing:
    role: str
    what: str
    sign_in_keys: int
    task_keys: int
    seconds: float  # the PIN's Enter to the verdict on screen
    signing_in: float  # the PIN's Enter to the session open (Argon2id checks the PIN)
    after_last_key: float  # the last key to the verdict: the machine's share
    verdict: str
    screenshot: Path
    notes: list[str] = field(default_factory=list)


def chars(text: str) -> list[str]:
    names = {"-": "minus", ".": "period", " ": "space"}
    return [names.get(c, c) for c in text]


PEOPLE = (
    Person(
        "medic",
        "medic-demo",
        "1111",
        [chars("046085001234"), ["Return"]],
        "CCCD 046085001234 typed, Enter",
    ),
    Person(
        "police",
        "police-demo",
        "2222",
        [chars("38C-999.99"), ["Return"], ["1"]],
        "unregistered plate 38C-999.99, Enter, kind key 1 (freight)",
    ),
    Person(
        "market",
        "market-demo",
        "3333",
        [chars("5001"), ["Return"]],
        "card number 5001 typed, Enter",
    ),
    Person(
        "supervisor",
        "supervisor-demo",
        "9999",
        [["ctrl+shift+Tab"]],
        "Ctrl+Shift+Tab to the supervisor's panel",
    ),
)


class Display:
    """Xvfb and openbox on a free display, stopped on exit."""

    def __enter__(self) -> Display:
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        number = b""
        while not number.endswith(b"\n"):
            chunk = os.read(read, 16)
            if not chunk:
                raise RuntimeError("Xvfb did not start")
            number += chunk
        os.close(read)
        self.env = {**os.environ, "DISPLAY": f":{int(number)}"}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.openbox = subprocess.Popen(["openbox"], env=self.env, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in (self.openbox, self.xvfb):
            proc.terminate()
            proc.wait(10)

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(
            args, env=self.env, capture_output=True, text=True, check=check
        ).stdout

    def key(self, window: str, names: list[str], delay_ms: int) -> float:
        """Sends the keys `delay_ms` apart in one xdotool call (its own pacing, not a process
        per key); returns when the last key was due to go."""
        start = time.time()
        self.run("xdotool", "key", "--window", window, "--delay", str(delay_ms), *names)
        return start + (len(names) - 1) * delay_ms / 1000

    def grab(self) -> np.ndarray:
        """The whole screen as BGR, read from `xwd` (x11-apps; ImageMagick is not needed)."""
        raw = subprocess.run(
            ["xwd", "-root", "-silent"], env=self.env, capture_output=True, check=True
        ).stdout
        return xwd_to_bgr(raw)


def xwd_to_bgr(raw: bytes) -> np.ndarray:
    """An XWD dump of a 24/32-bit TrueColor screen (what Xvfb gives) as an OpenCV image."""
    head = struct.unpack(">25I", raw[:100])
    header_size, width, height = head[0], head[4], head[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = head[7], head[11], head[12], head[19]
    if bits_per_pixel not in (24, 32):
        raise ValueError(f"xwd: {bits_per_pixel} bits per pixel, 24 or 32 expected")
    n = bits_per_pixel // 8
    start = header_size + 12 * ncolors
    rows = np.frombuffer(raw, np.uint8, bytes_per_line * height, start)
    pixels = rows.reshape(height, bytes_per_line)[:, : width * n].reshape(height, width, n)
    if byte_order == 1:  # MSBFirst: (X)RGB in memory
        pixels = pixels[:, :, ::-1]
    return np.ascontiguousarray(pixels[:, :, :3])  # LSBFirst: BGR(X), OpenCV's order


def sign_in_keys(data: Path, operator: str, pin: str) -> list[list[str]]:
    """The fewest keys to choose `operator` on the sign-in list: the shortest start of a word
    of their name (marks left out, as ui/operator_box.py matches) that no one else's name
    contains, then Enter to move on to the PIN. Then the PIN and Enter."""
    store = Store.open(data / "kiosk.db")
    try:
        names = {
            o.id: fold_name(f"{o.display_name} ({o.id})")
            for o in store.accounts.all_active()
            if o.pin_hash
        }
    finally:
        store.close()
    others = [n for i, n in names.items() if i != operator]
    typed = min(
        (
            word[:k]
            for word in names[operator].split()
            for k in range(1, len(word) + 1)
            if word[:k].isalnum() and not any(word[:k] in n for n in others)
        ),
        key=len,
    )
    return [chars(typed.lower()), ["Return"], chars(pin), ["Return"]]


def events(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]


def wait_for(check, seconds: float = 20.0, every: float = 0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise TimeoutError("the window did not get there in time")


def ts(event: dict[str, object]) -> float:
    return datetime.fromisoformat(str(event["ts"])).timestamp()


def time_one(display: Display, person: Person, out: Path, key_ms: int) -> Timing:
    data = Path(tempfile.mkdtemp(prefix=f"kiosk-timing-{person.role}-"))
    subprocess.run(
        [PY, "-m", "kiosk", "--data-dir", str(data), "demo", "--no-feed"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    keys_in = sign_in_keys(data, person.operator, person.pin)
    log = data / "logs" / "events.jsonl"
    kiosk = subprocess.Popen(
        [PY, "-m", "kiosk", "--data-dir", str(data)],
        env=display.env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        window = wait_for(
            lambda: display.run(
                "xdotool", "search", "--onlyvisible", "--pid", str(kiosk.pid), check=False
            ).split(),
            30,
        )[0]
        display.run("xdotool", "windowactivate", "--sync", window)
        time.sleep(1.5)  # the operator list comes from the database lane
        for step in keys_in[:-1]:
            display.key(window, step, key_ms)
            time.sleep(key_ms / 1000)
        t0 = time.time()
        display.key(window, keys_in[-1], 0)
        signed = wait_for(lambda: [e for e in events(log) if e["event"] == "sign_in"])
        if signed[0]["operator"] != person.operator:
            raise RuntimeError(f"signed in as {signed[0]['operator']}, not {person.operator}")
        before = display.grab() if person.role == "supervisor" else None
        time.sleep(key_ms / 1000)
        for step in person.keys:
            t_last = display.key(window, step, key_ms)
            time.sleep(key_ms / 1000)
        if person.role == "supervisor":

            def changed() -> bool:
                diff = cv2.absdiff(display.grab(), before)
                return bool((diff.max(axis=2) > 40).mean() > 0.05)

            wait_for(changed, every=0.0)
            t_verdict, verdict = time.time(), "panel shown"
        else:
            # the verdict the last key brings (the police's kind question is one before it)
            shown = wait_for(
                lambda: [
                    e
                    for e in events(log)
                    if e["event"] == "verdict"
                    and e.get("screen") == person.role
                    and ts(e) >= t_last
                ]
            )
            final = shown[-1]
            t_verdict = ts(final)
            verdict = f"{final['verdict']} {final['reason']}"
        time.sleep(0.6)  # the flash is over: the screenshot shows what stays
        shot = out / f"timing-{person.role}.png"
        cv2.imwrite(str(shot), display.grab())
        return Timing(
            person.role,
            person.what,
            sum(len(s) for s in keys_in),
            sum(len(s) for s in person.keys),
            round(t_verdict - t0, 2),
            round(ts(signed[0]) - t0, 2),
            round(max(0.0, t_verdict - t_last), 2),
            verdict,
            shot,
        )
    finally:
        kiosk.send_signal(signal.SIGTERM)
        kiosk.wait(30)
        shutil.rmtree(data, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "shift-timing")
    parser.add_argument("--key-ms", type=int, default=150)
    parser.add_argument("--roles", default=",".join(p.role for p in PEOPLE))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [p for p in PEOPLE if p.role in args.roles.split(",")]
    results = []
    with Display() as display:
        for person in chosen:
            results.append(time_one(display, person, args.out, args.key_ms))
    print(
        f"{'role':<11}{'sign-in keys':>13}{'task keys':>10}{'total':>6}"
        f"{'s sign-in->verdict':>20}{'(PIN check)':>12}{'s last key->verdict':>21}  verdict"
    )
    for r in results:
        print(
            f"{r.role:<11}{r.sign_in_keys:>13}{r.task_keys:>10}"
            f"{r.sign_in_keys + r.task_keys:>6}{r.seconds:>20.2f}{r.signing_in:>12.2f}"
            f"{r.after_last_key:>21.2f}  {r.verdict}"
        )
    print(f"keys {args.key_ms} ms apart; screenshots in {args.out}")
    print(
        json.dumps(
            [{**r.__dict__, "screenshot": str(r.screenshot)} for r in results], ensure_ascii=False
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
