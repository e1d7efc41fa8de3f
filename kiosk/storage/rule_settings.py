"""The rules' numbers and choices that the health authority sets on the server, synced down.

Each setting has a default that holds until the server says otherwise, and a source: the part
of a directive it comes from, or "project choice" where no directive gives a number. The server
may send a setting with its own source; `kiosk check` and the documents quote it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from kiosk.storage.database import translate_errors
from kiosk.storage.models import RuleSetting

_SET = RuleSetting.__table__

ZONE_LOOKBACK_DAYS = "zone_lookback_days"
FREIGHT_MAX_STAY_HOURS = "freight_max_stay_hours"
MARKET_LAST_ODD_DAY = "market_last_odd_day"  # per market: "market_last_odd_day.<market id>"


@dataclass(frozen=True)
class Setting:
    key: str
    value: str
    source: str


DEFAULTS: dict[str, Setting] = {
    ZONE_LOOKBACK_DAYS: Setting(
        ZONE_LOOKBACK_DAYS,
        "14",
        "project choice: directive 82/CV-BCĐ III.4.b says 'passed through or came from' an "
        "epidemic zone and names no period; 14 days is the incubation period used in 2021",
    ),
    FREIGHT_MAX_STAY_HOURS: Setting(
        FREIGHT_MAX_STAY_HOURS,
        "12",
        "project choice: directive 82/CV-BCĐ III.2.a says the crew must leave right after "
        "delivering ('quay về ngay sau khi giao/nhận hàng') and names no number of hours",
    ),
    MARKET_LAST_ODD_DAY: Setting(
        MARKET_LAST_ODD_DAY,
        "odd",
        "project choice: no seed says how a market counts the 31st or 29 February; the card's "
        "plain meaning is that an odd date is an odd date",
    ),
}


def market_key(market_id: int) -> str:
    return f"{MARKET_LAST_ODD_DAY}.{market_id}"


class RuleSettings:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> Setting:
        """The server's setting, else the default of its family (a per-market key falls back to
        the default for every market)."""
        with translate_errors(), self.engine.connect() as conn:
            row = conn.execute(select(_SET).where(_SET.c.key == key)).first()
        if row is not None:
            return Setting(row.key, row.value, row.source)
        return DEFAULTS[key.split(".")[0]]

    def number(self, key: str) -> int:
        """A whole-number setting; a value the server garbled falls back to the default rather
        than stopping every check."""
        value = self.get(key).value
        return int(value) if value.isdigit() else int(DEFAULTS[key.split(".")[0]].value)

    def put(self, key: str, value: str, source: str) -> None:
        """For the demo and tests; sync writes this table through Replica."""
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(
                insert(_SET).prefix_with("OR REPLACE").values(key=key, value=value, source=source)
            )
