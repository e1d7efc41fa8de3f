"""A signed market card whose time slot is no time of day (issue 14, point 6): the issuer's
bug must give a verdict, not a crash of `kiosk check`."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import tokens
from kiosk.app.demo import DEMO_KEY_ID, demo_key
from kiosk.market_cards import _BODY, EVERY_N_DAYS

pytestmark = pytest.mark.slow  # `kiosk demo`, then `kiosk check`, as processes


def card_with_slot(start: int, end: int) -> str:
    now = datetime.now(UTC)
    body = _BODY.pack(5001, 1, 0, 60000, EVERY_N_DAYS, 1, start, end, 0, 0)
    envelope = tokens.Envelope(
        tokens.TYPE_MARKET_CARD, DEMO_KEY_ID, now - timedelta(days=1), now + timedelta(days=9), body
    )
    return tokens.seal(envelope, demo_key())


def kiosk(data_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIOSK_DATA_DIR": str(data_dir)},
    )


@pytest.mark.parametrize("slot", [(1440, 1500), (480, 1440), (65534, 65534)])
def test_a_card_whose_slot_is_no_time_of_day_is_refused_not_a_crash(tmp_path, slot):
    assert kiosk(tmp_path, "demo", "--no-feed").returncode == 0
    done = kiosk(tmp_path, "check", "--payload", card_with_slot(*slot))
    assert done.returncode == 0, done.stderr  # before: a traceback, "hour must be in 0..23"
    assert json.loads(done.stdout)["verdict"] == "deny"
