"""The setup wizard: checkpoint, server and pairing code, camera, reader, then what is missing.

Shown in the window instead of the sign-in screen on a data directory never set up
(kiosk.first_run.needs_setup), and again from the supervisor's panel. Every step can be skipped;
nothing is saved before the last one but the pairing itself (done for real, on a worker). The
decisions are kiosk/first_run.py's and sync/pairing.py's: this module only shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import first_run, messages
from kiosk.catalogue import gettext_noop
from kiosk.clock import utc_now
from kiosk.settings import Settings
from kiosk.storage import Store
from scanner.camera import CameraSpec
from ui.buttons import Button
from ui.lanes import DatabaseLane
from ui.pair_form import PairForm
from ui.preview import _to_qimage
from ui.said import SaidLabel
from ui.setup_workers import CameraProbe
from ui.texts import tr
from ui.theme import big_font
from ui.wedge_filter import WedgeFilter

STEP = gettext_noop("Setting up this kiosk · step {step} of {steps}: {title}")
TITLES = {
    "checkpoint": gettext_noop("the checkpoint"),
    "server": gettext_noop("the server"),
    "camera": gettext_noop("the camera"),
    "reader": gettext_noop("the QR reader"),
    "summary": gettext_noop("what is missing"),
}
PAGES = tuple(TITLES)
WELCOME = gettext_noop(
    "Welcome. Five short steps set this kiosk up for its checkpoint. Any step can be skipped "
    "and done later from the supervisor's panel. The language button at the top right switches "
    "to English."
)
CHECKPOINT_LABEL = gettext_noop("This checkpoint's id (as on the health authority's list):")
CHECKPOINT_PLACEHOLDER = gettext_noop("e.g. chot-phong-dien-01")
SERVER_INTRO = gettext_noop(
    "The kiosk gets approvals, operators and signing keys from the province's server, and "
    "sends its scans there. An administrator makes a pairing code on the back office's Kiosks "
    "page; type it here with the server's address."
)
CAMERA_INTRO = gettext_noop(
    "The camera reads QR codes held up to it. Testing it opens it and shows one picture."
)
CAMERA_TESTING = gettext_noop("Opening the camera…")
CAMERA_FOUND = gettext_noop("Camera works: this is what it sees.")
CAMERA_DEMO_FOUND = gettext_noop(
    "The demo video plays instead of a camera: this is its picture. Plug in a webcam any time."
)
CAMERA_NOT_FOUND = gettext_noop(
    "No camera found. Plug one in and press Try again, or use the demo video to try the kiosk."
)
TRY_AGAIN = gettext_noop("Try again")
USE_DEMO = gettext_noop("Use the demo video")
READER_INTRO = gettext_noop(
    "If a QR reader is plugged in (a USB reader that types like a keyboard), scan any code with "
    "it now. No reader? Skip: the camera and typing work without one."
)
READER_WAITING = gettext_noop("Waiting for a scan…")
READER_WORKS = gettext_noop("The reader works: it read {length} characters ({start}…).")
READER_TYPED = gettext_noop(
    "That was typed by hand, not sent by a reader: scan a code with the reader."
)
SUMMARY_INTRO = gettext_noop("What is done, and what is missing:")
BACK = gettext_noop("Back")
SKIP = gettext_noop("Skip")
NEXT = gettext_noop("Next")
FINISH = gettext_noop("Start using the kiosk")
SETUP_SAVED_FAILED = gettext_noop("Could not save the setup: {error}")

PREVIEW_SIZE = (480, 270)


@dataclass
class Outcome:
    """What the steps found, for the summary."""

    checkpoint: str | None = None  # a new id typed in; None: left as it was
    camera: str = "untested"  # kiosk.first_run.CAMERA_STATES
    reader: str = "untested"


class SetupWizard(QWidget):
    done = Signal(object)  # the settings now in force (kiosk.settings.Settings)
    camera_chosen = Signal(object, bool)  # CameraSpec, is the demo video

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        lane: DatabaseLane,
        lang: str,
        live_frame: Callable[[], np.ndarray | None] = lambda: None,
        window_camera: Callable[[], str] = lambda: "",
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.lane = lane
        self.lang = lang
        self.live_frame = live_frame  # the window's camera when it already has one
        self.window_camera = window_camera  # '' (none), 'live' or 'demo'
        self._advance_on_pair = False
        self._camera_waits = 0
        self.camera_wait = QTimer(self)  # the window's camera is starting: its first picture
        self.camera_wait.setSingleShot(True)
        self.camera_wait.setInterval(250)
        self.camera_wait.timeout.connect(self.test_camera)
        self.outcome = Outcome()
        self.pairing: first_run.PairingState | None = None
        self.probe: CameraProbe | None = None

        self.step = QLabel()
        self.step.setFont(big_font(20))
        self.step.setWordWrap(True)
        self.pages = QStackedWidget()
        # 1. checkpoint
        self.welcome = QLabel()
        self.checkpoint_label = QLabel()
        self.checkpoint = QLineEdit()
        self.checkpoint.setFont(big_font(18))
        self.checkpoint.setMaxLength(40)
        self.checkpoint_problem = SaidLabel(lang)
        self.checkpoint_problem.setStyleSheet("color: #c62828;")
        self._page(self.welcome, self.checkpoint_label, self.checkpoint, self.checkpoint_problem)
        # 2. server
        self.server_intro = QLabel()
        self.pair_form = PairForm(data_dir / "kiosk.db", self._checkpoint_for_pairing, lang)
        self._page(self.server_intro, self.pair_form)
        # 3. camera
        self.camera_intro = QLabel()
        self.picture = QLabel()
        self.picture.setFixedSize(*PREVIEW_SIZE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #37474f; color: #ffffff;")
        self.camera_state = SaidLabel(lang)
        self.camera_state.setFont(big_font(14))
        self.try_again = Button()
        self.use_demo = Button()
        camera_buttons = QHBoxLayout()
        camera_buttons.addWidget(self.try_again)
        camera_buttons.addWidget(self.use_demo)
        camera_buttons.addStretch(1)
        self._page(self.camera_intro, self.picture, self.camera_state, camera_buttons)
        # 4. reader
        self.reader_intro = QLabel()
        self.reader_field = QLineEdit()
        self.reader_field.setFont(big_font(16))
        self.reader_state = SaidLabel(lang)
        self.reader_state.setFont(big_font(14))
        self._page(self.reader_intro, self.reader_field, self.reader_state)
        self.wedge = WedgeFilter(
            parent=self,
            wants_scans=lambda: self.current == "reader" and self.isVisible(),
            typing_field=lambda: self.reader_field if self.current == "reader" else None,
            accepts=lambda _text: True,  # any code proves the reader
        )
        # 5. summary
        self.summary_intro = QLabel()
        self.summary = SaidLabel(lang)
        self.summary.setFont(big_font(15))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self._page(self.summary_intro, self.summary)

        self.back = Button()
        self.skip = Button()
        self.next = Button()
        for button in (self.back, self.skip, self.next):
            button.setFont(big_font(16))
            button.setMinimumWidth(160)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.skip)
        buttons.addWidget(self.next)
        panel = QWidget()
        inner = QVBoxLayout(panel)
        inner.addWidget(self.step)
        inner.addWidget(self.pages, 1)
        inner.addLayout(buttons)
        panel.setMaximumWidth(960)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 8)
        outer.addStretch(1)

        self.back.clicked.connect(self.go_back)
        self.skip.clicked.connect(self.skip_step)
        self.next.clicked.connect(self.go_next)
        self.checkpoint.returnPressed.connect(self.go_next)
        self.pair_form.paired.connect(self._paired)
        # Enter in the code field pairs (the form's own) and, once paired, moves on, as Next does
        self.pair_form.code.returnPressed.connect(self._advance_after_pairing)
        self.try_again.clicked.connect(self.test_camera)
        self.use_demo.clicked.connect(self.use_demo_video)
        self.wedge.scanned.connect(self._reader_scanned)
        self.reader_field.returnPressed.connect(self._reader_typed)
        for label in (
            self.welcome,
            self.server_intro,
            self.camera_intro,
            self.reader_intro,
            self.checkpoint_label,
            self.summary_intro,
        ):
            label.setWordWrap(True)
            label.setFont(big_font(14))
        for button in (self.try_again, self.use_demo):
            button.setFont(big_font(14))
        self.retranslate(lang)

    def _page(self, *parts: object) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        for part in parts:
            if isinstance(part, QWidget):
                box.addWidget(part)
            else:
                box.addLayout(part)  # type: ignore[arg-type]
        box.addStretch(1)
        self.pages.addWidget(page)

    # --- going through ------------------------------------------------------------------
    @property
    def current(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def start(self) -> None:
        """From the first step, with what this kiosk already is (the supervisor's rerun too)."""
        self.outcome = Outcome()
        checkpoint = self.settings.checkpoint_id
        self.checkpoint.setText("" if checkpoint == Settings().checkpoint_id else checkpoint)
        self.checkpoint_problem.say(None)
        self.pair_form.result.say(None)
        self.reader_state.say(None)
        self._show("checkpoint")
        self._pairing_changed()

    def _show(self, page: str) -> None:
        self._advance_on_pair = False
        self.camera_wait.stop()
        self.pages.setCurrentIndex(PAGES.index(page))
        self._render_step()
        app = QApplication.instance()
        if page == "reader":  # a reader's burst is told from typing here only
            app.installEventFilter(self.wedge)
        else:
            app.removeEventFilter(self.wedge)
            self.wedge.stop()
        if page == "checkpoint":
            self.checkpoint.setFocus()
        elif page == "server":
            form = self.pair_form
            (form.code if form.server.text() else form.server).setFocus()
        elif page == "camera":
            self.test_camera()
        elif page == "reader":
            self.reader_field.clear()
            self.reader_field.setFocus()
            if self.outcome.reader != "works":
                self.reader_state.say(lambda lang: tr(READER_WAITING, lang))
        elif page == "summary":
            self.summary.say(None)  # said once what the kiosk holds now is read
            self._pairing_changed()
            self.next.setFocus()

    def go_next(self) -> None:
        page = self.current
        if page == "checkpoint":
            text = self.checkpoint.text().strip()
            problem = first_run.checkpoint_problem(text)
            if problem is not None:
                self.checkpoint_problem.say(lambda lang: messages.text(problem, lang))
                self.checkpoint.setFocus()
                return
            self.checkpoint_problem.say(None)
            self.outcome.checkpoint = text
        elif page == "server" and self.pair_form.code.text().strip():
            # a code typed and Next pressed: the person means "pair"; on only once paired
            self._advance_on_pair = True
            self.pair_form.pair()
            return
        elif page == "summary":
            self.finish()
            return
        self._show(PAGES[PAGES.index(page) + 1])

    def _advance_after_pairing(self) -> None:
        self._advance_on_pair = self.pair_form.busy

    def _paired(self, _kiosk: str, _server: str) -> None:
        self._pairing_changed()
        if self._advance_on_pair and self.current == "server":
            self._show("camera")
        self._advance_on_pair = False

    def skip_step(self) -> None:
        page = self.current
        if page == "checkpoint":
            self.checkpoint_problem.say(None)
            self.outcome.checkpoint = None
        if page == "summary":
            self.finish()
            return
        self._stop_probe()
        self._show(PAGES[PAGES.index(page) + 1])

    def go_back(self) -> None:
        index = self.pages.currentIndex()
        if index > 0:
            self._stop_probe()
            self._show(PAGES[index - 1])

    def finish(self) -> None:
        checkpoint, data_dir, now = self.outcome.checkpoint, self.data_dir, utc_now()
        self.next.setEnabled(False)

        def job(_store: Store) -> Settings:
            return first_run.finish_setup(data_dir, checkpoint, now)

        self.lane.run(job, self._finished, self._not_finished)

    def _finished(self, settings: Settings) -> None:
        self.next.setEnabled(True)
        self.stop()
        self.settings = settings
        self.done.emit(settings)

    def _not_finished(self, code: str, params: dict[str, object]) -> None:
        self.next.setEnabled(True)
        error = messages.error_text(code, self.lang, **params) if code in messages.ERRORS else code
        self.summary.say(lambda lang: tr(SETUP_SAVED_FAILED, lang, error=error))

    def stop(self) -> None:
        """Everything this wizard runs, stopped: the reader's filter, a camera test, a pairing."""
        QApplication.instance().removeEventFilter(self.wedge)
        self.wedge.stop()
        self.camera_wait.stop()
        self._stop_probe()
        self.pair_form.stop()

    # --- server -------------------------------------------------------------------------
    def _checkpoint_for_pairing(self) -> str:
        return self.outcome.checkpoint or self.settings.checkpoint_id

    def _pairing_changed(self) -> None:
        self.lane.run(first_run.pairing_state, self._show_pairing, lambda _c, _p: None)

    def _show_pairing(self, state: first_run.PairingState) -> None:
        self.pairing = state
        self.pair_form.show_state(state)
        self._render_summary()

    # --- camera -------------------------------------------------------------------------
    def test_camera(self) -> None:
        if self.sender() is not self.camera_wait:
            self._camera_waits = 0
        kind = self.window_camera()
        if kind:  # the window's own camera: its newest picture, not a second opening
            frame = self.live_frame()
            if frame is not None:
                self._camera_frame(frame, demo=kind == "demo")
            elif self._camera_waits < 12:
                self._camera_waits += 1
                self.camera_state.say(lambda lang: tr(CAMERA_TESTING, lang))
                self.camera_wait.start()
            else:
                self._no_camera()
            return
        spec = CameraSpec("0" if self.settings.camera == "auto" else self.settings.camera)
        self._probe(spec, None, demo=False)

    def use_demo_video(self) -> None:
        feed = self.data_dir / "demo" / "demo-feed.mp4"
        self._probe(CameraSpec(str(feed)), feed, demo=True)

    def _probe(self, spec: CameraSpec, write: Path | None, demo: bool) -> None:
        self._stop_probe()
        self.picture.clear()
        self.camera_state.say(lambda lang: tr(CAMERA_TESTING, lang))
        self.try_again.setEnabled(False)
        self.use_demo.setEnabled(False)
        probe = CameraProbe(spec, write, self)
        probe.frame.connect(lambda frame: self._camera_frame(frame, demo, spec))
        probe.nothing.connect(self._no_camera)
        probe.finished.connect(self._probe_finished)
        self.probe = probe
        probe.start()

    def _probe_finished(self) -> None:
        if self.probe is not None:
            self.probe.wait()
            self.probe.deleteLater()
        self.probe = None
        self.try_again.setEnabled(True)
        self.use_demo.setEnabled(True)
        if self.current == "camera":  # Space goes on: the demo video when none, else Next
            (self.use_demo if self.outcome.camera == "none" else self.next).setFocus()

    def _stop_probe(self) -> None:
        if self.probe is not None:
            self.probe.requestInterruption()
            self.probe.wait()
            self._probe_finished()

    def _camera_frame(self, frame: np.ndarray, demo: bool, spec: CameraSpec | None = None) -> None:
        image = _to_qimage(frame)
        self.picture.setPixmap(
            QPixmap.fromImage(image).scaled(
                *PREVIEW_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.outcome.camera = "demo" if demo else "live"
        self.camera_state.say(lambda lang: tr(CAMERA_DEMO_FOUND if demo else CAMERA_FOUND, lang))
        if spec is not None:
            self.camera_chosen.emit(spec, demo)

    def _no_camera(self) -> None:
        self.outcome.camera = "none"
        self.picture.setText("✕")
        self.camera_state.say(lambda lang: tr(CAMERA_NOT_FOUND, lang))

    # --- reader -------------------------------------------------------------------------
    def _reader_scanned(self, text: str) -> None:
        if self.current != "reader":
            return
        self.outcome.reader = "works"
        self.reader_field.clear()
        length, start = len(text), text[:6]  # a code may carry a person's data: a glimpse only
        self.reader_state.setStyleSheet("color: #1b5e20;")
        self.reader_state.say(lambda lang: tr(READER_WORKS, lang, length=length, start=start))
        # proven: the filter steps aside, so the keys that go on are the window's as anywhere
        QApplication.instance().removeEventFilter(self.wedge)
        self.next.setFocus()  # Space goes on

    def _reader_typed(self) -> None:
        if not self.reader_field.text().strip():
            return
        self.reader_field.clear()
        if self.outcome.reader != "works":
            self.reader_state.setStyleSheet("color: #c62828;")
            self.reader_state.say(lambda lang: tr(READER_TYPED, lang))

    # --- words --------------------------------------------------------------------------
    def _facts(self) -> first_run.SetupFacts | None:
        if self.pairing is None:
            return None
        checkpoint = self.outcome.checkpoint or self.settings.checkpoint_id
        named = bool(self.outcome.checkpoint) or checkpoint != Settings().checkpoint_id
        return first_run.SetupFacts(
            named, checkpoint, self.pairing, self.outcome.camera, self.outcome.reader
        )

    def _render_summary(self) -> None:
        facts = self._facts()
        if facts is None or self.current != "summary":
            return
        lacking, ready = first_run.missing(facts), first_run.done(facts)

        def saying(lang: str) -> str:
            lines = ["✓ " + messages.text(m, lang, **p) for m, p in ready]
            if not lacking:
                return "\n".join([*lines, "", messages.text(first_run.NOTHING_MISSING, lang)])
            return "\n".join([*lines, *("✗ " + messages.text(m, lang, **p) for m, p in lacking)])

        self.summary.say(saying)

    def _render_step(self) -> None:
        lang, page = self.lang, self.current
        title = tr(TITLES[page], lang)
        self.step.setText(tr(STEP, lang, step=PAGES.index(page) + 1, steps=len(PAGES), title=title))
        self.back.setVisible(page != "checkpoint")
        self.skip.setVisible(page != "summary")
        self.next.setText(tr(FINISH if page == "summary" else NEXT, lang))

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        for said in (self.checkpoint_problem, self.camera_state, self.reader_state, self.summary):
            said.retranslate(lang)
        self.pair_form.retranslate(lang)
        self.welcome.setText(tr(WELCOME, lang))
        self.checkpoint_label.setText(tr(CHECKPOINT_LABEL, lang))
        self.checkpoint.setPlaceholderText(tr(CHECKPOINT_PLACEHOLDER, lang))
        self.server_intro.setText(tr(SERVER_INTRO, lang))
        self.camera_intro.setText(tr(CAMERA_INTRO, lang))
        self.try_again.setText(tr(TRY_AGAIN, lang))
        self.use_demo.setText(tr(USE_DEMO, lang))
        self.reader_intro.setText(tr(READER_INTRO, lang))
        self.summary_intro.setText(tr(SUMMARY_INTRO, lang))
        self.back.setText(tr(BACK, lang))
        self.skip.setText(tr(SKIP, lang))
        self._render_step()
