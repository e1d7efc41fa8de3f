"""Which HC1 certificates pass at this checkpoint: the rule set the central server sets.

A rule set is JSON (docs/formats.md, "HC1 rule set"); the kiosk takes its checkpoint's, else
the server's "default", else DEFAULT below. The DGC's one entry (v, t or r) is judged against
it at a moment; each way of failing has its own reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiosk.clock import local

RULES_VERSION = 1
TEST_NEGATIVE = "260415000"  # SNOMED CT "not detected"
TEST_POSITIVE = "260373001"  # "detected"


@dataclass(frozen=True)
class RuleSet:
    accept: tuple[str, ...] = ("v", "t", "r")
    vaccination_min_days: int = 14  # after the last dose of a full course
    test_max_hours: int = 72  # from the sample
    recovery_max_days: int = 180  # from the first positive test

    def to_json(self) -> str:
        return json.dumps({"version": RULES_VERSION, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RuleSet:
        """Raises ValueError naming the field at fault."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != RULES_VERSION:
            raise ValueError(f"rule set: expected an object with version {RULES_VERSION}")
        unknown = set(data) - {"version", *cls.__dataclass_fields__}
        if unknown:
            raise ValueError(f"rule set: unknown fields {sorted(unknown)}")
        accept = data.get("accept", list(cls.accept))
        if not isinstance(accept, list) or not set(accept) <= {"v", "t", "r"}:
            raise ValueError("rule set: accept is a list of 'v', 't', 'r'")
        numbers = {}
        for name in ("vaccination_min_days", "test_max_hours", "recovery_max_days"):
            value = data.get(name, getattr(cls, name))
            if type(value) is not int or not 0 <= value <= 3650 * 24:
                raise ValueError(f"rule set: {name} is a whole number of days or hours")
            numbers[name] = value
        return cls(tuple(accept), **numbers)


DEFAULT = RuleSet()


@dataclass(frozen=True)
class Judgement:
    reason: str
    params: dict[str, str]


def entry(dgc: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """The certificate's kind and its one entry; ValueError if there is not exactly one."""
    found = [
        (k, dgc[k][0])
        for k in ("v", "t", "r")
        if isinstance(dgc.get(k), list | tuple) and len(dgc[k]) == 1
    ]
    present = [k for k in ("v", "t", "r") if k in dgc]
    if len(found) != 1 or len(present) != 1 or not isinstance(found[0][1], Mapping):
        raise ValueError("a DGC holds exactly one vaccination, test or recovery entry")
    return found[0]


def judge(dgc: Mapping[str, Any], rules: RuleSet, now: datetime) -> Judgement:
    """Raises ValueError when a field the rules need is missing or malformed (a damaged code)."""
    kind, item = entry(dgc)
    if kind not in rules.accept:
        return Judgement("hc1_kind_not_accepted", {"kind": kind})
    if kind == "v":
        return _vaccination(item, rules, now)
    if kind == "t":
        return _test(item, rules, now)
    return _recovery(item, rules, now)


def _day(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError("a date is not text")
    return date.fromisoformat(value[:10])


def _moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("a time is not text")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _whole(value: object) -> int:
    if type(value) is not int or not 0 < value < 100:
        raise ValueError("a dose number is not a small whole number")
    return value


def _vaccination(item: Mapping[str, Any], rules: RuleSet, now: datetime) -> Judgement:
    dose, course = _whole(item.get("dn")), _whole(item.get("sd"))
    given = _day(item.get("dt"))
    days = (local(now).date() - given).days
    params = {"dose": f"{dose}/{course}", "date": f"{given:%d/%m/%Y}"}
    if dose < course or days < rules.vaccination_min_days:
        return Judgement(
            "hc1_vaccination_not_valid", {**params, "days": str(rules.vaccination_min_days)}
        )
    return Judgement("hc1_valid_vaccination", params)


def _test(item: Mapping[str, Any], rules: RuleSet, now: datetime) -> Judgement:
    result = item.get("tr")
    taken = _moment(item.get("sc"))
    params = {"date": f"{local(taken):%d/%m/%Y %H:%M}", "hours": str(rules.test_max_hours)}
    if result == TEST_POSITIVE:
        return Judgement("hc1_test_positive", params)
    if result != TEST_NEGATIVE:
        raise ValueError(f"unknown test result {result!r}")
    if taken > now + timedelta(minutes=5):
        return Judgement("hc1_issued_future", {"date": params["date"]})
    if now - taken > timedelta(hours=rules.test_max_hours):
        return Judgement("hc1_test_too_old", params)
    return Judgement("hc1_valid_test", params)


def _recovery(item: Mapping[str, Any], rules: RuleSet, now: datetime) -> Judgement:
    first = _day(item.get("fr"))
    valid_from, valid_until = _day(item.get("df")), _day(item.get("du"))
    today = local(now).date()
    until = min(valid_until, first + timedelta(days=rules.recovery_max_days))
    params = {"from": f"{valid_from:%d/%m/%Y}", "until": f"{until:%d/%m/%Y}"}
    if not valid_from <= today <= until:
        return Judgement("hc1_recovery_outside", params)
    return Judgement("hc1_valid_recovery", params)
