"""Server address + pairing code + Pair, run on a PairWorker (never the GUI thread). The setup
wizard's server step and the supervisor's "Pair" both use it; what pairing means is
sync/pairing.py's, the words kiosk/first_run.py's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk import first_run, messages
from kiosk.catalogue import gettext_noop
from ui.buttons import Button
from ui.said import SaidLabel
from ui.setup_workers import PairWorker
from ui.texts import tr
from ui.theme import big_font

SERVER_LABEL = gettext_noop("Server address:")
SERVER_PLACEHOLDER = gettext_noop("e.g. https://kiosk.tthue.gov.vn")
CODE_LABEL = gettext_noop("Pairing code:")
CODE_PLACEHOLDER = gettext_noop("from the back office's Kiosks page, e.g. 3F2A-9C01-77BE")
PAIR = gettext_noop("Pair")
PAIR_AGAIN = gettext_noop("Pair again")
PAIRED_NOW = gettext_noop("Paired with {server}.")
NOT_PAIRED_NOW = gettext_noop("Not paired with a server yet.")

OK_STYLE = "color: #1b5e20;"
PROBLEM_STYLE = "color: #c62828;"


class PairForm(QWidget):
    paired = Signal(str, str)  # kiosk id, server host

    def __init__(
        self, db_path: Path, checkpoint: Callable[[], str], lang: str, points: int = 16
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.checkpoint = checkpoint  # read when Pair is pressed: the name the server lists
        self.lang = lang
        self.worker: PairWorker | None = None
        self.is_paired = False
        self.state = SaidLabel(lang)
        self.server = QLineEdit()
        self.code = QLineEdit()
        self.button = Button()
        self.result = SaidLabel(lang)
        self.labels = (QLabel(), QLabel())
        for widget in (self.server, self.code, self.button):
            widget.setFont(big_font(points))
        for widget in (*self.labels, self.state, self.result):
            widget.setFont(big_font(points - 2))
        form = QFormLayout()
        form.addRow(self.labels[0], self.server)
        form.addRow(self.labels[1], self.code)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.state)
        box.addLayout(form)
        box.addWidget(self.button)
        box.addWidget(self.result)
        self.server.returnPressed.connect(self.code.setFocus)
        self.code.returnPressed.connect(self.pair)
        self.button.clicked.connect(self.pair)
        self.retranslate(lang)

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def show_state(self, state: first_run.PairingState) -> None:
        self.is_paired = state.paired
        if state.url and not self.server.text():  # pairing again: usually the same server
            self.server.setText(state.url)
            if self.server.hasFocus():
                self.code.setFocus()
        server = state.server
        self.state.say(
            (lambda lang: tr(PAIRED_NOW, lang, server=server))
            if state.paired
            else (lambda lang: tr(NOT_PAIRED_NOW, lang))
        )
        self.retranslate(self.lang)

    def pair(self) -> None:
        if self.busy:
            return
        url, code = self.server.text(), self.code.text()
        if not first_run.pairing_code(code):
            self._refused("pairing_code_empty", {})
            self.code.setFocus()
            return
        server = first_run.host_of(first_run.server_url(url))
        self.result.setStyleSheet("")
        self.result.say(lambda lang: messages.text(first_run.PAIRING, lang, server=server))
        self.button.setEnabled(False)
        worker = PairWorker(self.db_path, url, code, self.checkpoint(), self)
        worker.paired.connect(self._paired)
        worker.failed.connect(self._refused)
        worker.finished.connect(self._finished)
        self.worker = worker
        worker.start()

    def _finished(self) -> None:
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
        self.worker = None
        self.button.setEnabled(True)

    def _paired(self, kiosk_id: str, server: str) -> None:
        self.code.clear()
        self.is_paired = True
        self.result.setStyleSheet(OK_STYLE)
        self.result.say(
            lambda lang: messages.text(first_run.PAIRED, lang, server=server, kiosk=kiosk_id[:8])
        )
        self.state.say(lambda lang: tr(PAIRED_NOW, lang, server=server))
        self.retranslate(self.lang)
        self.paired.emit(kiosk_id, server)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.result.setStyleSheet(PROBLEM_STYLE)
        self.result.say(lambda lang: problem_text(code, lang, params))

    def stop(self) -> None:
        """Waits for a pairing in flight (its request ends within the client's timeouts)."""
        if self.worker is not None:
            self.worker.wait()
            self._finished()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.state.retranslate(lang)
        self.result.retranslate(lang)
        self.labels[0].setText(tr(SERVER_LABEL, lang))
        self.labels[1].setText(tr(CODE_LABEL, lang))
        self.server.setPlaceholderText(tr(SERVER_PLACEHOLDER, lang))
        self.code.setPlaceholderText(tr(CODE_PLACEHOLDER, lang))
        self.button.setText(tr(PAIR_AGAIN if self.is_paired else PAIR, lang))


def problem_text(code: str, lang: str, params: dict[str, object]) -> str:
    if code in first_run.PAIRING_PROBLEMS:
        return messages.text(first_run.PAIRING_PROBLEMS[code], lang, **params)
    if code in messages.ERRORS:  # the machine in the way: a full disk, a damaged database
        return messages.error_text(code, lang, **params)
    return code
