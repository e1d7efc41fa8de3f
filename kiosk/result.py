"""What every role's desk answers: one shape for the verdict panel, the CLI and the event log.

Each desk (`PersonDesk`, `VehicleDesk`, `CardDesk`, `DeclarationDesk`) returns a subclass of
`RoleResult` carrying what its own screen shows beside the verdict; whoever only needs the
verdict, its reason, its words or the `kiosk check` JSON reads this base and nothing else.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime

from kiosk.messages import LANGUAGES, reason_text
from kiosk.rules import Verdict


@dataclass(frozen=True)
class RoleResult:
    verdict: Verdict
    reason: str  # a code of kiosk.messages.REASONS
    event_id: str  # the recorded scan (or queued declaration), committed before this exists
    checked_at: datetime
    _: KW_ONLY
    params: dict[str, str] = field(default_factory=dict)  # the reason's placeholders
    source: str = ""  # camera, wedge, serial, typed, cli
    # the scan's place in its screen's day, as the window shows it (kiosk.scan_count); 0: none
    number: int = 0

    def words(self, lang: str) -> dict[str, str]:
        """The reason's placeholders in `lang`; a result whose words differ by language
        (a market card's days) says so here."""
        return self.params

    def message(self, lang: str) -> str:
        return reason_text(self.reason, self.words(lang), lang)

    def messages(self) -> dict[str, str]:
        """The reason in every language of the kiosk, Vietnamese first."""
        return {lang: self.message(lang) for lang in LANGUAGES}

    def to_json(self) -> dict[str, object]:
        """The `kiosk check` contract, for every role: verdict, reason, message_vi,
        message_en, in this order, and nothing personal."""
        return {
            "verdict": self.verdict.value,
            "reason": self.reason,
            **{f"message_{lang}": text for lang, text in self.messages().items()},
        }
