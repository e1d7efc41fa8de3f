"""The audit trail as staff read it: each action in words of the page's language, its detail
as "key: value" text with days day first, and never a whole ID number (the trail masks them
when it writes; a line written otherwise, or a number in a target, is masked here too)."""

from __future__ import annotations

import json
import re

from kiosk.privacy import mask_id
from kiosk.storage.repository import fold_name
from kiosk_server.days import shown
from kiosk_server.staff import SECTIONS
from kiosk_server.web.i18n import TEXT, text

# a run of 9 or 12 digits alone: a CMND or a CCCD (card and declaration ids are far shorter)
_ID = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")
# detail values that are codes of a list the pages already name: the key's words for them
_CODED = {
    "outcome": ("outcome_",),
    "role": ("role_", "operator_role_"),  # a staff account's, or a kiosk operator's
    "kind": ("",),
    "days": ("",),
    "purpose": ("",),
    "status": ("",),
    "pin": ("pin_",),
}


# who did what on the server's console, as the trail stores it: "cli" (the office commands),
# "cli:<login>" (a trace run there), "command line" (older rows of a trace with no login name)
_CONSOLE = ("cli", "command line")
_CONSOLE_PREFIX = "cli:"
# an ID number as the page masks it (mask_id: a CCCD keeps 4 and 2 digits, a CMND 2 and 2)
_MASKED_ID = re.compile(r"\d{4}\*{6}\d{2}|\d{2}\*{5}\d{2}")


def actor_words(actor: str, lang: str) -> str:
    """Who did it, as the page shows it: the console in the page's words, with the login a
    trace was run under; an account named by an ID number masked, as targets are."""
    if actor in _CONSOLE:
        return text("actor_cli", lang)
    if actor.startswith(_CONSOLE_PREFIX):
        return f"{text('actor_cli', lang)} ({masked(actor[len(_CONSOLE_PREFIX) :])})"
    return masked(actor)


def actor_filter(typed: str, lang: str) -> tuple[list[str], list[str]]:
    """What an actor typed in the filter finds besides the stored actor as typed: the stored
    actors the page's words name ("Dòng lệnh", "Dòng lệnh (root)"), and LIKE patterns: every
    console login for the console's words alone, an ID-named account for its masked number
    (the trail holds the whole name; the page shows it masked)."""
    words = " ".join(typed.split())
    console = fold_name(text("actor_cli", lang))
    if fold_name(words) == console:
        return list(_CONSOLE), [_CONSOLE_PREFIX + "%"]
    head, sep, login = words.partition(" (")
    if sep and login.endswith(")") and fold_name(head) == console:
        return [_CONSOLE_PREFIX + login[:-1]], []
    if _MASKED_ID.fullmatch(words):
        return [], [words.replace("*", "_")]  # digits and one character per star
    return [], []


def action_words(action: str, lang: str) -> str:
    key = f"action_{action}"
    return text(key, lang) if key in TEXT else action


# what a change was made to, as the trail writes it ("vehicle:990001", "declarations"): the
# kind before the colon, or a whole list (an export's, an import's, a search's)
_TARGET_KINDS = (
    "declaration",
    "vehicle",
    "zone",
    "operator",
    "kiosk",
    "market",
    "card",
    "checkpoint",
    "hospital_approval",
    "person",
)
_LISTS = {"hospital_approvals": "hospital"}  # a list the pages name by its section
# actions whose target is a staff account's name, which no word replaces
_ACCOUNT_ACTIONS = ("user_add", "user_active", "user_password", "password_change")


def target_words(target: str, action: str, lang: str) -> str:
    """The target in the page's language: "Phương tiện 990001", "Tờ khai y tế"; a number in
    it masked when it is an ID number; what the trail names otherwise, as it is (masked)."""
    if not target:
        return ""
    if action in _ACCOUNT_ACTIONS:
        # a name may be an ID number (staff use their own): masked as any target is
        return f"{text('target_account', lang)} {masked(target)}"
    kind, sep, rest = target.partition(":")
    if sep and kind in _TARGET_KINDS:
        return f"{text('target_' + kind, lang)} {masked(rest)}"
    section = _LISTS.get(target, target)
    if not sep and section in SECTIONS:
        return text(section, lang)
    return masked(target)


def target_filter(typed: str, lang: str) -> tuple[list[str], list[str]]:
    """What a target typed in the filter finds besides the stored target as typed: the stored
    targets its words name in the page's language ("Phương tiện 990001", "phuong tien 990001",
    "990001") and the kinds it names whole ("Phương tiện"). Words find only what the trail
    stores: a number the trail keeps masked is found by its masked form, as the page shows it,
    never by the whole number (which the trail does not hold to compare with)."""
    words = typed.split()
    if not words:
        return [], []
    targets = [f"{kind}:{' '.join(words)}" for kind in _TARGET_KINDS]  # the number alone
    kinds = []
    for kind in _TARGET_KINDS:
        name = fold_name(text("target_" + kind, lang)).split()
        if fold_name(" ".join(words[: len(name)])).split() != name:
            continue
        rest = " ".join(words[len(name) :])
        if rest:
            targets.append(f"{kind}:{rest}")
        else:
            kinds.append(kind)
    account = fold_name(text("target_account", lang)).split()
    if fold_name(" ".join(words[: len(account)])).split() == account and words[len(account) :]:
        targets.append(" ".join(words[len(account) :]))
    for section in SECTIONS:
        if fold_name(typed) == fold_name(text(section, lang)):
            targets += [section, *(k for k, v in _LISTS.items() if v == section)]
    return targets, kinds


def masked(value: str) -> str:
    return _ID.sub(lambda m: mask_id(m.group()), value)


def detail_text(detail: str | None, lang: str) -> str:
    """ "key: value; key: value" in the page's language; the stored text as it is (masked)
    when it is not the JSON object the trail writes."""
    try:
        parsed = json.loads(detail or "{}")
    except ValueError:
        return masked(detail or "")
    if not isinstance(parsed, dict):
        return masked(_value("", parsed, lang))
    return "; ".join(f"{_label(k, lang)}: {_value(k, v, lang)}" for k, v in parsed.items())


def _label(key: str, lang: str) -> str:
    for candidate in (f"detail_{key}", key):
        if candidate in TEXT:
            return text(candidate, lang)
    return key.replace("_", " ")


def _value(key: str, value: object, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return text("yes" if value else "no", lang)
    if isinstance(value, list | tuple):
        return ", ".join(_value(key, v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_label(k, lang)} {_value(k, v, lang)}" for k, v in value.items())
    words = str(value)
    if key == "query" and words == "name":  # a search by name: the trail keeps no name
        return text("full_name", lang).lower()
    for prefix in _CODED.get(key, ()):
        if f"{prefix}{words}" in TEXT:
            return text(f"{prefix}{words}", lang)
    if "/" in words and all(_is_day(p) for p in words.split("/")):  # a window: from/to
        return "–".join(shown(p) for p in words.split("/"))
    return masked(shown(words))


def _is_day(part: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", part))
