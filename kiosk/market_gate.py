"""The market manager's desk at the gate: right market, right day and time, once a day."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk import messages, tokens
from kiosk.clock import local, local_day, utc_now
from kiosk.errors import InputError
from kiosk.market_cards import MarketCardToken, allowed_on, describe_days, period_of, verify_card
from kiosk.payloads import normalise
from kiosk.result import RoleResult
from kiosk.rules import Decision, Verdict, decision
from kiosk.storage import AuditRecord, ScanRecord, Store
from kiosk.storage.markets import CardRow, GateCount
from kiosk.storage.rule_settings import market_key


@dataclass(frozen=True)
class CardResult(RoleResult):
    card: MarketCardToken | None = None
    holder: CardRow | None = None
    lang_params: dict[str, dict[str, str]] = field(default_factory=dict)  # words per language

    def words(self, lang: str) -> dict[str, str]:
        """'Which days' is said differently in each language."""
        return {**self.params, **self.lang_params.get(lang, {})}


@dataclass(frozen=True)
class CardExit:
    """A card going out: whether its entry of today was closed, and which card it was (the
    screen names the household, as it does at the entry)."""

    done: bool  # False: no entry of today open (not scanned in, or out already)
    card_id: int
    holder: CardRow | None  # None: a typed number no card of the cache has


class CardDesk:
    """The market manager's check at the gate: right market, right day and time, once a day."""

    def __init__(
        self,
        store: Store,
        *,
        market_id: int,
        checkpoint_id: str,
        operator_id: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.markets = store.markets
        self.market_id = market_id
        self.checkpoint_id = checkpoint_id
        self.operator_id = operator_id
        self.clock = clock

    def _key(self, key_id: int, at: datetime) -> Ed25519PublicKey | None:
        raw = self.store.trusted_key(key_id, at)
        return Ed25519PublicKey.from_public_bytes(raw) if raw else None

    def check_card(self, text: str, source: str = "camera") -> CardResult:
        """Raises InputError when the text is no CK1 code at all (nothing recorded)."""
        text = normalise(text)
        if not tokens.looks_like_token(text):
            raise InputError("not_a_card")
        if tokens.token_type(text) not in (None, tokens.TYPE_MARKET_CARD):
            raise InputError("not_a_card")
        now = self.clock()
        card: MarketCardToken | None = None
        holder: CardRow | None = None
        lang_params: dict[str, dict[str, str]] = {}
        try:
            card = verify_card(text, self._key, now)
        except tokens.TokenError as exc:
            d = decision(exc.code)
        else:
            holder = self.markets.card(card.card_id)
            d, lang_params = self._decide(card, holder, now)
        scan = ScanRecord(
            checkpoint_id=self.checkpoint_id,
            operator_id=self.operator_id,
            source=source,
            payload_kind="market_card",
            subject_ref=f"card:{card.card_id}" if card else "",
            declaration_id=None,
            verdict=d.verdict.value,
            reason=d.reason,
            scanned_at=now,
            screen="market",
            action="market_card",
        )
        entry = (
            self.markets.admit(card.card_id, self.market_id, local_day(now), now, self.operator_id)
            if card is not None and d.verdict is Verdict.ALLOW
            else None
        )
        # Scan, audit row and, when admitted, the entry: one transaction, on disk before shown.
        event_id = self.store.record_scan(scan, extra=entry)
        return CardResult(
            d.verdict,
            d.reason,
            event_id,
            now,
            card=card,
            holder=holder,
            lang_params=lang_params,
            params=d.params,
            source=source,
        )

    def check_card_number(self, typed: str, source: str = "typed") -> CardResult:
        """A card whose code cannot be read, its number typed by the manager holding it. The
        signed rules (days, time slot, quota) are only in the code, so what the cache knows is
        checked (known, not revoked, this market, not yet in today) and the verdict is at most
        ATTENTION: the manager reads the days printed on the card. Raises InputError (nothing
        recorded) for text that is no card number."""
        card_id = card_number(typed)
        if card_id is None:
            raise InputError("not_a_card")
        now = self.clock()
        holder = self.markets.card(card_id)
        if holder is None:
            d = decision("card_unknown")
        elif holder.revoked:
            d = decision("card_revoked")
        elif holder.market_id != self.market_id:
            name = self.markets.market_name(holder.market_id) or f"#{holder.market_id}"
            d = decision("card_wrong_market", market=name)
        elif (entered := self.markets.entry_time(card_id, local_day(now))) is not None:
            d = decision("card_already_today", time=f"{local(entered):%H:%M}")
        else:
            d = decision("card_typed")
        scan = ScanRecord(
            checkpoint_id=self.checkpoint_id,
            operator_id=self.operator_id,
            source=source,
            payload_kind="market_card_number",
            subject_ref=f"card:{card_id}",
            declaration_id=None,
            verdict=d.verdict.value,
            reason=d.reason,
            scanned_at=now,
            screen="market",
            action="market_card",
        )
        entry = (
            self.markets.admit(card_id, self.market_id, local_day(now), now, self.operator_id)
            if d.reason == "card_typed"
            else None
        )
        event_id = self.store.record_scan(scan, extra=entry)
        return CardResult(
            d.verdict, d.reason, event_id, now, holder=holder, params=d.params, source=source
        )

    def _decide(
        self, card: MarketCardToken, holder: CardRow | None, now: datetime
    ) -> tuple[Decision, dict[str, dict[str, str]]]:
        day = local_day(now)
        if holder is not None and holder.revoked:
            return decision("card_revoked"), {}
        if not card.valid_from <= day <= card.valid_to:
            return decision("card_expired", date=card.valid_to.strftime("%d/%m/%Y")), {}
        if card.market_id != self.market_id:
            name = self.markets.market_name(card.market_id) or f"#{card.market_id}"
            return decision("card_wrong_market", market=name), {}
        last_odd_day = self.store.rule_settings.get(market_key(self.market_id)).value
        if not allowed_on(card, day, last_odd_day):
            return decision("card_wrong_day"), {
                lang: {"days": describe_days(card, day, lang, last_odd_day)}
                for lang in messages.LANGUAGES
            }
        slot = card.rules.slot
        if slot and not slot[0] <= _minute(now) <= slot[1]:
            return decision("card_wrong_time", slot=f"{slot[0]:%H:%M}–{slot[1]:%H:%M}"), {}
        entered = self.markets.entry_time(card.card_id, day)
        if entered is not None:
            return decision("card_already_today", time=f"{local(entered):%H:%M}"), {}
        if card.rules.max_entries and card.rules.period_days:
            first, last = period_of(card, day)
            if self.markets.entries_between(card.card_id, first, last) >= card.rules.max_entries:
                return decision(
                    "card_quota_used",
                    count=str(card.rules.max_entries),
                    until=last.strftime("%d/%m"),
                ), {}
        return decision("card_valid"), {}

    def record_exit(self, card_text: str) -> CardExit:
        """Raises InputError (nothing recorded) for text that is no card."""
        now = self.clock()
        typed = card_number(card_text)
        if typed is not None:
            card_id = typed  # typed by hand: going out needs no signature
        else:
            try:
                card_id = verify_card(normalise(card_text), self._key, now).card_id
            except tokens.TokenError:
                raise InputError("not_a_card") from None
        done = self.markets.record_exit(card_id, local_day(now), now)
        self.store.audit(
            AuditRecord(
                self.operator_id,
                "market",
                "market_exit",
                f"card:{card_id}",
                "ok" if done else "no_open_entry",
                at=now,
            )
        )
        return CardExit(done, card_id, self.markets.card(card_id))

    def today(self) -> GateCount:
        return self.markets.count(self.market_id, local_day(self.clock()))


# as the printed card says it ("Số thẻ / No. 100001") or as people write a number: groups
# apart, or with the Vietnamese thousands dot ("100.001")
_CARD_NUMBER = re.compile(
    r"(?:số\s*thẻ|so\s*the|no\.?|#)?\s*([0-9](?:[ .\-]?[0-9])*)", re.IGNORECASE
)


def card_number(typed: str) -> int | None:
    """The card's number in what the manager typed, or None when it is no card number."""
    # NFC: an input method may type "ố" as "o" and two combining marks
    found = _CARD_NUMBER.fullmatch(unicodedata.normalize("NFC", typed).strip())
    if found is None:
        return None
    digits = re.sub(r"[ .\-]", "", found.group(1))
    return int(digits) if len(digits) <= 12 else None


def _minute(now: datetime) -> time:
    """The Vietnamese clock to the minute, as a slot is written: at 11:00:30 a 07:00–11:00 slot
    is still open."""
    return local(now).time().replace(second=0, microsecond=0, tzinfo=None)
