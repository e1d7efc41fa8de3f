"""The supervisor's panel: who this kiosk knows, today's numbers by verdict and hour, the last
scans with a search, and sync now. Read-only views over the core (kiosk/storage/history.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
)

from kiosk import messages
from kiosk.catalogue import gettext_noop
from kiosk.clock import local, start_of_local_day, utc_now
from kiosk.daily_report import write_daily_report
from kiosk.first_run import pairing_state
from kiosk.storage import Store
from kiosk.storage.accounts import OperatorRow
from kiosk.storage.history import ScanLine, counts_since, last_scans
from ui import texts
from ui.buttons import Button
from ui.health_panel import HealthPanel
from ui.pair_form import PairForm
from ui.screen import Screen, ScreenContext
from ui.texts import tr
from ui.theme import big_font

VERDICTS = ("allow", "attention", "deny")
PAIR_BUTTON = gettext_noop("Pair")
RUN_SETUP = gettext_noop("Run the setup again (checkpoint, server, camera, reader)")


@dataclass(frozen=True)
class Overview:
    operators: list[OperatorRow]
    by_verdict: Counter[str]
    by_hour: Counter[tuple[int, str]]
    scans: list[ScanLine]


class SupervisorScreen(Screen):
    name = "supervisor"

    def __init__(
        self, ctx: ScreenContext, lang: str, sync_now: object = None, run_setup: object = None
    ) -> None:
        super().__init__(ctx, lang)
        self.sync_now = sync_now
        self.overview: Overview | None = None
        self.operators = QListWidget()
        self.numbers = QLabel()
        self.numbers.setFont(big_font(14))
        self.hours = QLabel()
        self.hours.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.search = self.entry = QLineEdit()
        self.search.setFont(big_font(14))
        self.scans = QListWidget()
        self.refresh_button = Button()
        self.sync_button = Button()
        # Pair: server address + code, on a worker (ui/pair_form.py), under the buttons
        self.pair_button = Button()
        self.pair_button.setCheckable(True)
        self.setup_button = Button()
        self.pair_form = PairForm(
            Path(ctx.data_dir) / "kiosk.db", lambda: ctx.settings.checkpoint_id, lang, points=11
        )
        self.pair_form.setVisible(False)
        self.pair_button.toggled.connect(self._show_pairing)
        self.pair_form.paired.connect(lambda _k, _s: self._paired())
        if callable(run_setup):
            self.setup_button.clicked.connect(run_setup)
        else:
            self.setup_button.setVisible(False)
        self.report_button = Button()
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.titles = {k: QLabel() for k in ("operators", "today", "scans")}
        left = QVBoxLayout()
        left.addWidget(self.titles["operators"])
        left.addWidget(self.operators, 1)
        left.addWidget(self.titles["today"])
        left.addWidget(self.numbers)
        left.addWidget(self.hours, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.report_button)
        left.addLayout(buttons)
        left.addWidget(self.pair_form)
        left.addWidget(self.setup_button)
        left.addWidget(self.report_label)
        self.health = HealthPanel(ctx, lang)  # the data directory's health: ui/health_panel.py
        left.addWidget(self.health)
        right = QVBoxLayout()
        right.addWidget(self.titles["scans"])
        right.addWidget(self.search)
        right.addWidget(self.scans, 1)
        body = QHBoxLayout(self)
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        self.search.returnPressed.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button.clicked.connect(self.print_report)
        if callable(sync_now):
            self.sync_button.clicked.connect(sync_now)
        self.retranslate(lang)
        self.refresh()
        self.health.refresh()

    def _show_pairing(self, shown: bool) -> None:
        self.pair_form.setVisible(shown)
        if shown:
            self.ctx.lane.run(pairing_state, self.pair_form.show_state, self._refused)
            self.pair_form.server.setFocus()

    def _paired(self) -> None:
        if callable(self.sync_now):
            self.sync_now()  # the new server's operators and approvals, now

    def stop(self) -> None:
        self.pair_form.stop()

    def refresh(self) -> None:
        search, since = self.search.text(), start_of_local_day(utc_now())

        def job(store: Store) -> Overview:
            by_verdict, by_hour = counts_since(store.engine, since)
            scans = last_scans(store.engine, 200, search)
            return Overview(store.accounts.all_active(), by_verdict, by_hour, scans)

        self.ctx.lane.run(job, self._show, self._refused)

    def print_report(self) -> None:
        """Today's PDF into DATA_DIR/reports/bao-cao-YYYYMMDD.pdf, written on the lane."""
        day = local(utc_now()).date()
        out = Path(self.ctx.data_dir) / "reports" / f"bao-cao-{day:%Y%m%d}.pdf"
        checkpoint, lang = self.ctx.settings.checkpoint_id, self.lang  # read on the GUI thread

        def job(store: Store) -> Path:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_daily_report(store, day, out, lang, checkpoint)
            return out

        self.report_button.setEnabled(False)
        self.ctx.lane.run(job, self._report_written, self._report_refused)

    def _report_written(self, path: Path) -> None:
        self.report_button.setEnabled(True)
        self.report_label.setText(tr(texts.SUPERVISOR_REPORT_WRITTEN, self.lang, path=path))

    def _report_refused(self, code: str, params: dict[str, object]) -> None:
        self.report_button.setEnabled(True)
        self.report_label.setText(messages.error_text(code, self.lang, **params))

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        self._render()

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.numbers.setText(messages.error_text(code, self.lang, **params))

    def _render(self) -> None:
        o, lang = self.overview, self.lang
        if o is None:
            return
        self.operators.clear()
        for op in o.operators:
            state = tr(texts.OPERATOR_READY if op.pin_hash else texts.OPERATOR_NO_PIN, lang)
            role = tr(texts.ROLES[op.role], lang) if op.role in texts.ROLES else op.role
            self.operators.addItem(f"{op.display_name} · {role} · {state}")
        words = {v: messages.verdict_word(v, lang) for v in VERDICTS}
        self.numbers.setText("   ".join(f"{words[v]}: {o.by_verdict.get(v, 0)}" for v in VERDICTS))
        hours = sorted({h for h, _ in o.by_hour})
        self.hours.setText(
            "\n".join(
                f"{h:02d}:00  "
                + "  ".join(f"{words[v]} {o.by_hour.get((h, v), 0)}" for v in VERDICTS)
                for h in hours
            )
        )
        self.scans.clear()
        for s in o.scans:
            self.scans.addItem(
                f"{local(s.scanned_at):%H:%M:%S %d/%m} · {words.get(s.verdict, s.verdict)} · "
                f"{s.subject_ref or '—'} · {s.reason} · {s.screen} · {s.operator_id}"
                + (f" · {tr(texts.DISPOSITIONS[s.disposition], lang)}" if s.disposition else "")
            )

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.titles["operators"].setText(tr(texts.SUPERVISOR_OPERATORS, lang))
        self.titles["today"].setText(tr(texts.SUPERVISOR_TODAY, lang))
        self.titles["scans"].setText(tr(texts.SUPERVISOR_SCANS, lang))
        self.search.setPlaceholderText(tr(texts.SUPERVISOR_SEARCH, lang))
        self.refresh_button.setText(tr(texts.SUPERVISOR_REFRESH, lang))
        self.sync_button.setText(tr(texts.SYNC_NOW, lang))
        self.pair_button.setText(tr(PAIR_BUTTON, lang))
        self.setup_button.setText(tr(RUN_SETUP, lang))
        self.pair_form.retranslate(lang)
        self.report_button.setText(tr(texts.SUPERVISOR_PRINT_REPORT, lang))
        self.health.retranslate(lang)
        self._render()
