"""The medic's screen: camera preview, verdict, ID entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.checker import PersonDesk, PersonResult
from kiosk.clock import local, start_of_local_day, utc_now
from kiosk.scan_count import numbered, scans_today
from kiosk.storage import Store
from kiosk.storage.history import DISPOSITIONS, record_disposition
from ui import texts
from ui.buttons import Button
from ui.preview import PreviewWidget
from ui.screen import Screen, ScreenContext, beside_preview, entry_row
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel


class MedicScreen(Screen):
    name = "medic"

    def __init__(self, ctx: ScreenContext, lang: str, preview: PreviewWidget | None) -> None:
        super().__init__(ctx, lang)
        self.preview = preview
        self.verdict = VerdictPanel(ctx.session.role, lang)
        self.id_label = QLabel()
        self.id_entry = self.entry = QLineEdit()
        self.id_entry.setMaxLength(20)
        self.id_entry.setFont(big_font())
        self.check_button = Button()
        self.check_button.setFont(big_font())
        self.counter = QLabel()
        self.scans_today = 0
        # a coach or car the police let in: its occupants' scans are grouped under its entry
        self.vehicle_label = QLabel()
        self.vehicle = QComboBox()
        self.vehicle.currentIndexChanged.connect(self._vehicle_changed)
        self.vehicle_entry_id: str | None = None  # the vehicle the next scan is grouped under
        self.occupants = QLabel()
        self.occupant_count = 0
        self.handover_button = Button()
        self.handover_button.clicked.connect(self.print_handover)
        self.handover_note = QLabel()
        self.handover_note.setWordWrap(True)
        vehicle_row = QHBoxLayout()
        vehicle_row.addWidget(self.vehicle_label)
        vehicle_row.addWidget(self.vehicle, 1)
        vehicle_row.addWidget(self.occupants)
        right = QVBoxLayout()
        right.addWidget(self.verdict, 1)
        right.addLayout(self.held_row())
        right.addLayout(vehicle_row)
        right.addWidget(self.id_label)
        right.addLayout(entry_row(self.id_entry, self.check_button, self.submit_typed))
        right.addWidget(self.counter)
        right.addWidget(self.handover_button)
        right.addWidget(self.handover_note)
        # what was done with the person: recorded with the check, synced as an audit row
        self.disposition_row = QHBoxLayout()
        self.disposition_buttons = {d: Button() for d in DISPOSITIONS}
        for name, button in self.disposition_buttons.items():
            button.setEnabled(False)
            button.clicked.connect(partial(self.record_disposition, name))
            self.disposition_row.addWidget(button)
        self.disposition_label = QLabel()
        self.disposition: str | None = None
        right.addLayout(self.disposition_row)
        right.addWidget(self.disposition_label)
        beside_preview(self, preview, right)
        self.scans_waiting(0)
        self.retranslate(lang)
        self.refresh_vehicles()
        self.refresh_counter()

    def handle_scan(self, text: str, source: str) -> None:
        self._run(self.scan_job(text, source))

    def scan_job(self, text: str, source: str) -> Callable[[Store], tuple[PersonResult, int]]:
        who = self._who()
        return lambda store: _checked(PersonDesk(store, **who).check_payload(text, source), store)

    def recorded_unseen(self, outcome: object) -> None:
        result, self.scans_today = cast(tuple[PersonResult, int], outcome)  # scan_job's
        self.counter.setText(tr(texts.SCANS_TODAY, self.lang, count=self.scans_today))
        if result.vehicle_entry_id:
            self._count_occupants()

    def handle_refusal(self, code: str) -> None:
        self._refused(code, {})

    @property
    def last_event_id(self) -> str | None:
        """The scan of the person whose verdict is on screen: the one the buttons act on (none
        while an error, or nothing, is shown)."""
        shown = self.verdict.shown_result
        return (shown.event_id or None) if shown is not None else None

    def _enable_dispositions(self) -> None:
        for button in self.disposition_buttons.values():
            button.setEnabled(self.last_event_id is not None)

    def submit_typed(self) -> None:
        text = self.id_entry.text().strip()
        if text:
            who = self._who()
            self._run(
                lambda store: _checked(PersonDesk(store, **who).check_id(text, "typed"), store)
            )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_vehicles()  # the police may have let a car in since
        self.refresh_counter()  # the day's scans, made before this sign-in too

    def refresh_counter(self) -> None:
        def show(count: object) -> None:
            self.scans_today = int(count)  # type: ignore[call-overload]
            self.counter.setText(tr(texts.SCANS_TODAY, self.lang, count=self.scans_today))

        screen = self.name
        self.ctx.lane.run(lambda store: scans_today(store, screen, utc_now()), show, self._refused)

    def _who(self) -> dict[str, Any]:
        return {**self.ctx.who, "vehicle_entry_id": self.vehicle_entry_id}

    def _vehicle_changed(self, *_args: object) -> None:
        """Another vehicle's occupants from now on: camera reads waiting behind the verdict were
        read while the last one's stood in front, and are recorded under it (check_changing)."""
        chosen = self.vehicle.currentData()
        if chosen != self.vehicle_entry_id:
            self.check_changing.emit()
            self.vehicle_entry_id = chosen
        self._count_occupants()

    def refresh_vehicles(self) -> None:
        """Today's coaches and cars, newest first; the first line is "not from a vehicle"."""

        def fill(rows: object) -> None:
            chosen = self.vehicle.currentData()
            self.vehicle.blockSignals(True)
            self.vehicle.clear()
            self.vehicle.addItem(tr(texts.NO_VEHICLE, self.lang), None)
            for r in rows:  # type: ignore[attr-defined]
                label = f"{r.plate_display} · {tr(texts.VEHICLE_KINDS[r.kind], self.lang)}"
                self.vehicle.addItem(f"{label} · {local(r.entered_at):%H:%M}", r.event_id)
            self.vehicle.setCurrentIndex(max(0, self.vehicle.findData(chosen)))
            self.vehicle.blockSignals(False)
            self._vehicle_changed()  # the one chosen may be gone (a new day)

        self.ctx.lane.run(
            lambda store: store.vehicle_entries.with_occupants(
                start_of_local_day(datetime.now(UTC))
            ),
            fill,
            self._refused,
        )

    def _count_occupants(self, *_args: object) -> None:
        entry = self.vehicle.currentData()
        if entry is None:
            self.occupant_count = -1
            self.occupants.setText("")
            return

        def show(count: object) -> None:
            self.occupant_count = int(count)  # type: ignore[call-overload]
            self.occupants.setText(
                tr(texts.OCCUPANTS_CHECKED, self.lang, count=self.occupant_count)
            )

        self.ctx.lane.run(
            lambda store: len(store.vehicle_entries.occupant_scans(entry)), show, self._refused
        )

    def print_handover(self) -> None:
        # one moment for the file's name and the "Printed" line in it, both in checkpoint time
        # (UTC+7) whatever the laptop's time zone: the name is how the file is found again
        printed = utc_now()
        name = f"ban-giao-{local(printed):%Y%m%d-%H%M%S}.pdf"
        path = self.ctx.data_dir / "handover" / name
        checkpoint = self.ctx.settings.checkpoint_id

        def write(store: Store) -> int:
            from kiosk.handover_list import write_handover_pdf

            rows = store.handovers.listing(start_of_local_day(printed))
            write_handover_pdf(path, rows, checkpoint, printed)
            return len(rows)

        def done(count: object) -> None:
            self.handover_note.setText(
                tr(texts.HANDOVER_WRITTEN, self.lang, path=str(path), count=count)
            )
            self.focus_back()  # the click left the focus on the button

        self.ctx.lane.run(write, done, self._refused)

    def record_disposition(self, name: str) -> None:
        event_id, operator = self.last_event_id, self.ctx.session.operator_id
        if event_id is None:
            return
        self.ctx.lane.run(
            lambda store: record_disposition(
                store.engine, event_id, name, operator, "medic", utc_now()
            ),
            lambda _r: self._disposed(name, event_id),
            self._refused,
        )

    def _disposed(self, name: str, event_id: str) -> None:
        if event_id != self.last_event_id:
            return  # recorded for the person it was clicked for; another is on screen now
        self.disposition = name
        self._render_disposition()
        # acted on: the usual short hold lets "Recorded" be seen, then a waiting read is shown
        self.verdict.keep(self.ctx.settings.verdict_hold_seconds)
        self.focus_back()

    def _render_disposition(self) -> None:
        what = tr(texts.DISPOSITIONS[self.disposition], self.lang) if self.disposition else ""
        self.disposition_label.setText(
            tr(texts.DISPOSITION_RECORDED, self.lang, what=what) if what else ""
        )

    def _run(self, job: Callable[[Store], tuple[PersonResult, int]]) -> None:
        self.ctx.lane.run(job, self._on_result, self._refused)

    def _on_result(self, outcome: tuple[PersonResult, int]) -> None:
        result, self.scans_today = outcome
        self.verdict.show_result(result)
        self.disposition = None
        self._enable_dispositions()
        self._render_disposition()
        if result.payload_kind == "typed_id":
            # looked up by hand: the medic reads it and acts on this person
            self.hold_for_reading()
            self.ready_for_next()
        self.counter.setText(tr(texts.SCANS_TODAY, self.lang, count=self.scans_today))
        if result.vehicle_entry_id:
            self._count_occupants()
        self.log_verdict(result, kind=result.payload_kind)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        typed = bool(self.id_entry.text())
        self.show_error(code, params, typed=typed)
        self.disposition = None  # the error is about no one: no one's buttons
        self._enable_dispositions()
        self._render_disposition()
        if typed:
            self.keep_for_correction()
        self.ctx.event_log.write("refused", screen="medic", code=code)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.id_label.setText(tr(texts.ID_LABEL, lang))
        self.id_entry.setPlaceholderText(tr(texts.ID_PLACEHOLDER, lang))
        self.check_button.setText(tr(texts.CHECK_BUTTON, lang))
        self.counter.setText(tr(texts.SCANS_TODAY, lang, count=self.scans_today))
        self.vehicle_label.setText(tr(texts.OCCUPANTS_OF, lang))
        if self.vehicle.count():
            self.vehicle.setItemText(0, tr(texts.NO_VEHICLE, lang))
        if self.occupant_count >= 0 and self.vehicle.currentData() is not None:
            self.occupants.setText(tr(texts.OCCUPANTS_CHECKED, lang, count=self.occupant_count))
        self.handover_button.setText(tr(texts.PRINT_HANDOVER, lang))
        for name, button in self.disposition_buttons.items():
            button.setText(tr(texts.DISPOSITIONS[name], lang))
        self._render_disposition()
        self.verdict.retranslate(lang)


def _checked(result: PersonResult, store: Store) -> tuple[PersonResult, int]:
    """The result with its number of the day, and the day's count, both read in the lane after
    the scan's commit: the verdict's № and the counter under it say the same."""
    return numbered(result, store), scans_today(store, MedicScreen.name, result.checked_at)
