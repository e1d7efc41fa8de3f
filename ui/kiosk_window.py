"""The kiosk's window: sign-in, then the signed-in operator's screens as tabs. It wires the
device lanes and the database lane to the screens; the core decides everything."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QEvent, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import first_run, messages
from kiosk.auth import Session
from kiosk.clock import local, utc_now
from kiosk.eventlog import EventLog
from kiosk.receipts import purge_receipts, receipt_spool
from kiosk.settings import Settings
from scanner.camera import CameraSource, CameraSpec
from sync.loop import SyncStatus
from ui import texts
from ui.assistant_screen import AssistantScreen
from ui.buttons import Button
from ui.devices import Devices
from ui.first_run_wizard import SetupWizard
from ui.idle import IdleWatcher
from ui.kiosk_mode import GateAction, PinGate
from ui.lanes import DatabaseLane
from ui.market_screen import MarketScreen
from ui.medic_screen import MedicScreen
from ui.police_screen import PoliceScreen
from ui.preview import PreviewWidget
from ui.said import SaidLabel
from ui.screen import Screen, ScreenContext
from ui.sign_in import SignInScreen, demo_hint
from ui.sound import VerdictSounds
from ui.supervisor_screen import SupervisorScreen
from ui.texts import tr
from ui.wedge_filter import WedgeFilter
from ui.workers import SyncWorker

DEFAULT_SIZE = (1280, 800)
TITLE_BAR_PX = 36  # a window manager's title bar before the window is shown (openbox: 24-30)
STATUS_SECONDS = 600  # how long a worker's restart stays in the status line
BACKUP_MS = 3600 * 1000  # a rolling backup every hour, and one at each sign-out


class WaitingRead(NamedTuple):
    """A camera read queued behind a held verdict."""

    text: str
    source: str
    refusal: str = ""  # the error code of a code with no text in it (not_utf8)


class KioskWindow(QMainWindow):
    def __init__(
        self, *, data_dir: Path, settings: Settings, devices: Devices, event_log: EventLog
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.lang = settings.language
        self.devices = devices
        self.event_log = event_log
        self.session: Session | None = None
        self.lane = DatabaseLane(data_dir / "kiosk.db", self)
        self.lane.crashed.connect(lambda trace: self._worker_problem("database", trace))
        self.screens: dict[str, Screen] = {}
        self.previews: list[PreviewWidget] = []
        self.wedge: WedgeFilter | None = None  # ui.app.install_wedge sets it
        self.clock: Callable[[], float] = time.monotonic
        self.sounds = VerdictSounds(settings.sound_volume, self)
        # camera reads that came while a verdict was held: shown in turn, or recorded unseen
        # when their screen leaves the front first (_record_unseen)
        self.waiting_scans: deque[WaitingRead] = deque()  # none dropped: no maxlen
        self.waiting_at: Screen | None = None  # the screen they were read in front of
        self.last_camera_text: str | None = None
        self.release_timer = QTimer(self)
        self.release_timer.setSingleShot(True)
        self.release_timer.timeout.connect(self._release_scans)

        self.who = QLabel()
        self.language_button = Button()
        self.sign_out_button = Button()
        self.mute_button = Button()
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(self.sounds.muted)
        self.mute_button.toggled.connect(self._set_muted)
        # a click on the top bar leaves the focus in the field being typed in (digits typed
        # after switching the language would go to the button and be lost); Tab still reaches them
        for button in (self.mute_button, self.language_button, self.sign_out_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.status = SaidLabel(self.lang)
        self.status_clear = QTimer(self)
        self.status_clear.setSingleShot(True)
        self.status_clear.setInterval(STATUS_SECONDS * 1000)
        self.status_clear.timeout.connect(lambda: self.status.say(None))
        self.sync_label = QLabel()
        self.sync_status: SyncStatus | None = None
        # what waits to be sent is counted again once a job that may have written (a scan, a
        # declaration, an audit row) ends: the number follows the work, not the sync cycle.
        # One count for a burst of jobs: the timer fires once the event loop is free.
        self.pending_timer = QTimer(self)
        self.pending_timer.setSingleShot(True)
        self.pending_timer.setInterval(0)
        self.pending_timer.timeout.connect(self._count_pending)
        self.lane.wrote.connect(self._queue_may_have_changed)
        self.sync = SyncWorker(data_dir / "kiosk.db", self)
        self.sync.status.connect(self._on_sync)
        devices.supervisor.watch("sync", self.sync)
        self.sign_in = SignInScreen(self.lane, self.lang, demo_hint(data_dir))
        self.tabs = QTabWidget()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.tabs)
        # kiosk mode: full screen that only a supervisor's PIN leaves; Ctrl+L locks
        self.kiosk_mode = False
        self.locked = False
        self._may_close = False
        self.gate = PinGate(self.lane, self.lang)
        self.stack.addWidget(self.gate)
        self.setup: SetupWizard | None = None  # made when first needed (show_setup)
        self._gate_action: GateAction | None = None
        self._gate_back: QWidget | None = None
        self.gate.passed.connect(self._gate_passed)
        self.gate.cancelled.connect(self._gate_cancelled)
        for keys, slot in (
            (Qt.Key.Key_Escape, self._leave_full_screen),
            (Qt.Key.Key_F11, self._toggle_full_screen),
            (QKeySequence("Ctrl+Q"), self._quit_asked),
            (QKeySequence("Ctrl+L"), self.lock),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.mute_button)
        top.addWidget(self.language_button)
        top.addWidget(self.sign_out_button)
        root = QVBoxLayout()
        root.addLayout(top)
        root.addWidget(self.stack, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.sync_label)
        root.addLayout(bottom)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)

        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_MS)
        self.backup_timer.timeout.connect(self.backup)
        self.idle = IdleWatcher(settings.idle_sign_out_minutes, self)
        self.idle.idle.connect(self._signed_out_for_idleness)
        QApplication.instance().installEventFilter(self.idle)
        self.sign_in.signed_in.connect(self.open_session)
        self.tabs.currentChanged.connect(lambda _i: self._screen_changed())
        self.sign_out_button.clicked.connect(self.close_session)
        self.language_button.clicked.connect(self.toggle_language)
        devices.scanned.connect(self._route_scan)
        devices.refused.connect(self._route_refusal)
        devices.state_changed.connect(self._render_status)
        devices.worker_restarted.connect(self._worker_problem)
        self.retranslate()
        self._shut_down = False
        # a quit that closes no window (a signal, QApplication.quit) still stops every lane
        QApplication.instance().aboutToQuit.connect(self.shutdown)

    # --- size ---------------------------------------------------------------------------
    def fit_to_screen(self, available: QRect | None = None) -> None:
        """The default size, inside the screen's free area (taskbar excluded) with the title
        bar: a 1366x768 laptop sees the status line; a big screen gets a big window."""
        if available is None:
            # QWidget.screen: this class's screen(name) is the role's screen
            screen = QWidget.screen(self) or QApplication.primaryScreen()
            available = screen.availableGeometry()
        frame_h = max(TITLE_BAR_PX, self.frameGeometry().height() - self.geometry().height())
        frame_w = max(0, self.frameGeometry().width() - self.geometry().width())
        width = min(DEFAULT_SIZE[0], available.width() - frame_w)
        height = min(DEFAULT_SIZE[1], available.height() - frame_h)
        if available.width() >= 1600:  # room to spare: use most of it
            width, height = available.width() * 9 // 10, (available.height() - frame_h) * 9 // 10
        self.resize(width, height)
        self.move(
            available.x() + (available.width() - width - frame_w) // 2,
            available.y() + (available.height() - height - frame_h) // 2,
        )

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        self.lane.start()
        self.devices.show_screen(None)  # the demo camera shows an empty desk until sign-in
        self.devices.start()
        self.sync.start()
        self.backup_timer.start()

    def backup(self) -> None:
        """A backup on the lane, between two checks; a failure goes to the status line."""

        def failed(code: str, params: dict[str, object]) -> None:
            self.event_log.write("backup_failed", error=code)
            self.status.say(lambda lang: messages.error_text(code, lang))

        self.lane.run(
            lambda store: store.backup().name,
            lambda name: self.event_log.write("backup", file=name),
            failed,
        )

    def shutdown(self) -> None:
        """Stops every lane and timer; runs on close and on aboutToQuit, whichever comes first."""
        if self._shut_down:
            return
        self._shut_down = True
        app = QApplication.instance()
        app.aboutToQuit.disconnect(self.shutdown)
        app.removeEventFilter(self.idle)
        if self.wedge is not None:
            app.removeEventFilter(self.wedge)
            self.wedge.stop()
        self.idle.stop()
        self._record_unseen()  # on the lane before it stops: it runs what it was handed
        self.status_clear.stop()
        self.pending_timer.stop()
        self.sounds.close()
        for screen in self.screens.values():
            if screen.verdict is not None:
                screen.verdict.stop()
        self._flush_drafts_and_stop_previews()
        self.devices.stop()
        if self.setup is not None:
            self.setup.stop()
        self.sync.requestInterruption()
        # the cycle stops between requests; one request in flight ends within its timeout
        if not self.sync.wait(35_000):
            self.event_log.write("worker_died", worker="sync", error="did not stop in time")
        self.lane.stop()

    def _flush_drafts_and_stop_previews(self) -> None:
        for screen in self.screens.values():
            if isinstance(screen, AssistantScreen):
                screen.flush()
            if isinstance(screen, SupervisorScreen):
                screen.stop()  # a pairing in flight ends first
        for preview in self.previews:
            preview.stop()

    def closeEvent(self, event: object) -> None:  # Qt override
        if not self._shut_down and not self._may_close and (self.session or self.kiosk_mode):
            # Alt+F4 or the close button while signed in: only a supervisor closes the kiosk
            event.ignore()  # type: ignore[attr-defined]
            self.ask_supervisor(texts.SUPERVISOR_TO_CLOSE, lambda _s: self._close_now())
            return
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    # --- kiosk mode ---------------------------------------------------------------------
    def enter_kiosk_mode(self) -> None:
        self.kiosk_mode = True
        self.showFullScreen()

    def ask_supervisor(self, title: object, then: GateAction) -> None:
        self._open_gate(title, ("supervisor",), None, then, can_cancel=True)

    def _open_gate(
        self,
        title: object,
        roles: tuple[str, ...],
        only: str | None,
        then: GateAction,
        can_cancel: bool,
    ) -> None:
        if self.stack.currentWidget() is not self.gate:
            self._gate_back = self.stack.currentWidget()
        self._gate_action = then
        self.devices.set_accepting(False)
        self.gate.ask(title, roles, only, can_cancel)  # type: ignore[arg-type]
        self.stack.setCurrentWidget(self.gate)
        self.devices.show_screen(None)

    def _gate_passed(self, session: Session) -> None:
        action, self._gate_action = self._gate_action, None
        self._gate_closed()
        if action is not None:
            action(session)

    def _gate_cancelled(self) -> None:
        self._gate_action = None
        self._gate_closed()

    def _gate_closed(self) -> None:
        self.locked = False
        back = self._gate_back or (self.tabs if self.session else self.sign_in)
        self.stack.setCurrentWidget(back)
        self.devices.set_accepting(self.session is not None and back is self.tabs)
        self.devices.show_screen(self._front_name())
        if back is self.tabs:
            self.focus_entry()

    def lock(self) -> None:
        """Ctrl+L: the screens hide (a medic's full names with them) until the operator who is
        signed in, or a supervisor, types a PIN; the session and its tabs stay as they were."""
        if self.session is None or self.locked:
            return
        self.locked = True
        self.event_log.write("locked", operator=self.session.operator_id)
        # as at a sign-out: unlocked before the hold ended, they would pop up stale on screen
        self._record_unseen()
        self._open_gate(
            texts.LOCKED_TITLE, (), self.session.operator_id, lambda _s: None, can_cancel=False
        )
        self.gate.operator.setFocus()

    def _leave_full_screen(self) -> None:
        if self.isFullScreen() and self.kiosk_mode:
            self.ask_supervisor(texts.SUPERVISOR_TO_LEAVE, lambda _s: self._end_kiosk_mode())
        elif self.stack.currentWidget() is self.gate and self.gate.cancel.isVisible():
            self._gate_cancelled()

    def _toggle_full_screen(self) -> None:
        if self.kiosk_mode:
            self._leave_full_screen()
        elif self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def _end_kiosk_mode(self) -> None:
        self.kiosk_mode = False
        self.showNormal()

    def _quit_asked(self) -> None:
        if self.kiosk_mode or self.session is not None:
            self.ask_supervisor(texts.SUPERVISOR_TO_CLOSE, lambda _s: self._close_now())
        else:
            self.close()

    def _close_now(self) -> None:
        self._may_close = True
        self.close()

    # --- sessions -----------------------------------------------------------------------
    def open_session(self, session: Session) -> None:
        self.close_session()
        self.session = session
        ctx = ScreenContext(session, self.settings, self.lane, self.event_log, self.data_dir)
        for name in session.screens:
            screen = self._make_screen(name, ctx)
            if screen.verdict is not None:
                screen.verdict.clock = self.clock
                screen.verdict.announced.connect(self.sounds.play)
                screen.verdict.hold_changed.connect(self._hold_changed)
            screen.check_changing.connect(self._record_unseen)
            self.screens[name] = screen
            self.tabs.addTab(screen, "")
        self.stack.setCurrentWidget(self.tabs)
        self.devices.set_accepting(True)
        self.idle.start()
        self.event_log.write("sign_in", operator=session.operator_id, role=session.role)
        self.retranslate()
        self._screen_changed()
        self._replay(self.sign_in.take_typed_ahead())

    def _replay(self, keys: list[tuple[int, Qt.KeyboardModifier, str]]) -> None:
        """Keys typed while the PIN was checked, given to the field now in front, as typed."""
        for key, modifiers, text in keys:
            target = QApplication.focusWidget() or self
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, key, modifiers, text))

    def _front_name(self) -> str | None:
        screen = self.current_screen
        return screen.name if screen is not None else None

    def _screen_changed(self) -> None:
        """Another screen in front: camera reads held for the last one are recorded unseen,
        the demo camera plays this one's codes, and typing goes to its field."""
        self._record_unseen()
        self.devices.show_screen(self._front_name())
        self.focus_entry()

    def focus_entry(self) -> None:
        """The first thing typed after sign-in, or after a tab change, lands in the field."""
        field = self.typing_field()
        if field is not None:
            field.setFocus()

    def _signed_out_for_idleness(self) -> None:
        self.close_session()
        self.sign_in.message.say(lambda lang: tr(texts.SIGNED_OUT_IDLE, lang))

    def close_session(self) -> None:
        if self.session is None:
            return
        self.event_log.write("sign_out", operator=self.session.operator_id)
        self._record_unseen()  # with the operator who was signed in when they were read
        self.backup()
        purge_receipts(receipt_spool(self.data_dir))  # printed by now: none kept (security.md)
        self._flush_drafts_and_stop_previews()
        self.previews.clear()
        self.tabs.clear()
        for screen in self.screens.values():
            if screen.verdict is not None:
                screen.verdict.stop()
            screen.deleteLater()
        self.screens.clear()
        self.session = None
        self.locked, self._gate_back, self._gate_action = False, None, None
        self.idle.stop()
        self.devices.set_accepting(False)
        self.stack.setCurrentWidget(self.sign_in)
        self.devices.show_screen(None)
        self.sign_in.reload()
        self.retranslate()

    def _make_screen(self, name: str, ctx: ScreenContext) -> Screen:
        if name in ("medic", "market"):
            preview = PreviewWidget(self.devices.frames) if self.devices.capture else None
            if preview is not None:
                self.devices.codes.connect(preview.set_codes)
                self.devices.follow_trouble(preview.set_trouble)
                self.previews.append(preview)
            cls = MedicScreen if name == "medic" else MarketScreen
            return cls(ctx, self.lang, preview)
        if name == "police":
            return PoliceScreen(ctx, self.lang)
        if name == "supervisor":
            return SupervisorScreen(ctx, self.lang, self.sync.sync_now, run_setup=self.show_setup)
        return AssistantScreen(ctx, self.lang)

    @property
    def current_screen(self) -> Screen | None:
        shown = self.session is not None and self.stack.currentWidget() is self.tabs
        widget = self.tabs.currentWidget() if shown else None
        return widget if isinstance(widget, Screen) else None

    def takes_reader_scans(self) -> bool:
        """Whether a reader's burst is a scan here: a screen that takes scans is in front."""
        screen = self.current_screen
        return screen is not None and screen.takes_scans

    def typing_field(self) -> QWidget | None:
        """The field of the screen in front that typed words go to."""
        screen = self.current_screen
        return screen.entry if screen is not None else None

    def screen(self, name: str) -> Screen:
        """The signed-in operator's screen of that name, brought to the front."""
        screen = self.screens[name]
        self.tabs.setCurrentWidget(screen)
        return screen

    # --- scans --------------------------------------------------------------------------
    def _route_scan(self, text: str, source: str) -> None:
        """A camera read waits while the verdict on screen is held (the same code again is the
        person still in view: ignored); a reader's scan is the operator moving on: at once."""
        read = WaitingRead(text, source)
        if source != "camera" or not self._wait_if_held(read):
            self._deliver(read)

    def _route_refusal(self, code: str, source: str) -> None:
        """A code with no text in it: from the camera, a read like any other, so it waits
        behind a held verdict too (shown at once, it took the place of what the operator was
        reading); from a reader, at once."""
        read = WaitingRead("", source, refusal=code)
        if source != "camera" or not self._wait_if_held(read):
            self._deliver(read)

    def _wait_if_held(self, read: WaitingRead) -> bool:
        """The camera's read queued while the verdict on screen is held (True), or not."""
        screen = self.current_screen
        if screen is None or screen.verdict is None:
            return False
        if screen.verdict.held(self.settings.verdict_hold_seconds) > 0 or self.waiting_scans:
            # the same text again is the person still in view; two codes with no text are two
            # codes (the camera already let the same one through once), each shown or logged
            again = not read.refusal and (
                read.text == self.last_camera_text or read in self.waiting_scans
            )
            if not again:
                self.waiting_scans.append(read)
                self.waiting_at = screen
                screen.scans_waiting(len(self.waiting_scans))
            self._arm_release()
            return True
        if not read.refusal:
            self.last_camera_text = read.text
        return False

    def _arm_release(self) -> None:
        screen = self.current_screen
        left = screen.verdict.held(self.settings.verdict_hold_seconds) if screen else 0.0
        if screen is not None and screen.verdict is not None:
            self.release_timer.start(int(left * 1000) + 1)

    def _release_scans(self) -> None:
        screen = self.current_screen
        if screen is None or screen is not self.waiting_at or screen.verdict is None:
            self._record_unseen()  # a PIN page or the setup wizard in front: not shown there
            return
        if not self.waiting_scans:
            return
        if screen.verdict.held(self.settings.verdict_hold_seconds) > 0:
            self._arm_release()
            return
        read = self.waiting_scans.popleft()
        if not read.refusal:
            self.last_camera_text = read.text
        screen.scans_waiting(len(self.waiting_scans))
        self._deliver(read)
        if self.waiting_scans:
            self._arm_release()

    def _hold_changed(self) -> None:
        """A screen kept its verdict longer or let it go: the waiting reads' turn moves."""
        if self.waiting_scans:
            self._arm_release()

    def _record_unseen(self) -> None:
        """Camera reads still waiting when their screen leaves the front (a tab change, a
        sign-out, the lock) or changes what it checks (the market's exit mode): each recorded
        through its screen's own job, as the operator who was signed in, but not shown. Shown
        later they would reach another check (an identity QR checked as a market card, an entry
        recorded as an exit) or another role's eyes (a medic's full names to the police)."""
        reads, screen = list(self.waiting_scans), self.waiting_at
        self.waiting_scans.clear()
        self.waiting_at = None
        self.release_timer.stop()
        for each in self.screens.values():
            each.scans_waiting(0)
        if screen is None or not reads:
            return
        name = screen.name

        def recorded(outcome: object) -> None:
            self.event_log.write("scan_recorded_unseen", screen=name)
            # its screen's counts include it now, not at their next refresh; after a sign-out
            # there is none (the next sign-in's screens count it as they open)
            if (still := self.screens.get(name)) is not None:
                still.recorded_unseen(outcome)

        def refused(code: str, _params: dict[str, object]) -> None:
            self.event_log.write("refused", screen=name, code=code)

        count = 0
        for read in reads:
            if read.refusal:  # nothing to check: logged as its screen logs it when shown
                refused(read.refusal, {})
                count += 1
            elif (job := screen.scan_job(read.text, read.source)) is not None:
                self.lane.run(job, recorded, refused)
                count += 1
        if count:
            self.status.say(lambda lang: tr(texts.WAITING_RECORDED_UNSEEN, lang, count=count))
            self.status_clear.start()

    def _deliver(self, read: WaitingRead) -> None:
        screen = self.current_screen
        if screen is None:
            return
        if read.refusal:
            screen.handle_refusal(read.refusal)
            return
        if screen.takes_scans:
            # codes the camera happens to see in front of the police or assistant screen
            # are no one at work: they must not keep an unattended session open
            self.idle.touch()
        screen.handle_scan(read.text, read.source)

    # --- language and status ------------------------------------------------------------
    def _set_muted(self, muted: bool) -> None:
        self.sounds.set_muted(muted)
        self.retranslate()

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        self.setWindowTitle(tr(texts.WINDOW_TITLE, lang))
        self.language_button.setText(texts.SWITCH_LANGUAGE[lang])
        self.sign_out_button.setText(tr(texts.SIGN_OUT, lang))
        self.mute_button.setText(tr(texts.SOUND_OFF if self.sounds.muted else texts.SOUND_ON, lang))
        self.sign_out_button.setVisible(self.session is not None)
        if self.session is not None:
            role = tr(texts.ROLES[self.session.role], lang)
            self.who.setText(
                tr(
                    texts.SIGNED_IN_AS,
                    lang,
                    name=self.session.display_name,
                    role=role,
                    checkpoint=self.settings.checkpoint_id,
                )
            )
        elif self.setup is not None and self.stack.currentWidget() is self.setup:
            self.who.setText("")  # the checkpoint is what the wizard is asking for
        else:
            self.who.setText(self.settings.checkpoint_id)
        self.sign_in.retranslate(lang)
        if self.setup is not None:
            self.setup.retranslate(lang)
        self.gate.retranslate(lang)
        self.status.retranslate(lang)
        for i in range(self.tabs.count()):
            screen = self.tabs.widget(i)
            if isinstance(screen, Screen):
                self.tabs.setTabText(i, tr(texts.SCREENS[screen.name], lang))
                screen.retranslate(lang)
        self._render_status()
        self._render_sync()

    def _render_status(self) -> None:
        lang = self.lang
        d = self.devices
        if d.camera_state == "none":
            text = tr(texts.CAMERA_NONE, lang)
        elif d.camera_state == "lost":
            text = tr(texts.CAMERA_LOST, lang)
        elif d.camera_is_demo:
            text = tr(texts.CAMERA_DEMO, lang)
        else:
            text = tr(texts.CAMERA_LIVE, lang, name=d.camera_name)
        if d.serial_state == "lost":
            text += "\n" + tr(texts.SERIAL_LOST, lang)
        for preview in self.previews:
            preview.set_message(text)
            preview.set_glare_text(tr(texts.GLARE_HINT, lang))
        self.camera_text = text

    def _on_sync(self, status: SyncStatus) -> None:
        if status.detail:
            self.event_log.write("sync_failed", error=status.detail)
        self.sync_status = status
        self._render_sync()
        self.check_pairing()
        if status.online:  # operators a first sync brought: on the sign-in list at once
            self.sign_in.reload_if_idle()

    # --- first run ----------------------------------------------------------------------
    def check_pairing(self) -> None:
        """The sign-in screen's line about pairing and sync: at start and after each sync."""
        self.lane.run(first_run.pairing_state, self._pairing_read, lambda _c, _p: None)

    def _pairing_read(self, state: first_run.PairingState) -> None:
        self.sign_in.show_notice(
            first_run.sign_in_notice(state.paired, state.last_sync, utc_now(), state.server)
        )

    def show_setup(self) -> None:
        """The setup wizard in place of the sign-in screen (first run) or of the supervisor's
        tabs (run again from the panel); back where it was when it is done."""
        if self.setup is None:
            self.setup = SetupWizard(
                self.data_dir,
                self.settings,
                self.lane,
                self.lang,
                live_frame=lambda: self.devices.frames.peek()[1],
                window_camera=self._camera_kind,
            )
            self.setup.done.connect(self._setup_done)
            self.setup.camera_chosen.connect(self._camera_chosen)
            self.setup.pair_form.paired.connect(lambda _k, _s: self.sync.sync_now())
            self.stack.addWidget(self.setup)
        self.setup.settings = self.settings
        self.setup.retranslate(self.lang)
        self.devices.set_accepting(False)
        self.stack.setCurrentWidget(self.setup)
        self.setup.start()
        self.retranslate()

    def _camera_kind(self) -> str:
        d = self.devices
        if d.capture is None or d.camera_state in ("none", "lost"):
            return ""
        return "demo" if d.camera_is_demo else "live"

    def _camera_chosen(self, spec: CameraSpec, is_demo: bool) -> None:
        s = self.settings
        if self.devices.use_camera(CameraSource(spec, s.camera_width, s.camera_height), is_demo):
            self._render_status()

    def _setup_done(self, settings: Settings) -> None:
        self.settings = settings  # a new checkpoint id: the next sign-in's screens record it
        self.event_log.write("setup_done", checkpoint=settings.checkpoint_id)
        back = self.tabs if self.session is not None else self.sign_in
        self.stack.setCurrentWidget(back)
        self.devices.set_accepting(back is self.tabs)
        self.sign_in.reload()
        self.check_pairing()
        self.retranslate()
        if back is self.tabs:
            self.focus_entry()

    def _queue_may_have_changed(self) -> None:
        if not self._shut_down and not self.pending_timer.isActive():
            self.pending_timer.start()

    def _count_pending(self) -> None:
        # an indexed count of the few unsent rows (migration 0008_unsent): about a millisecond
        self.lane.run(
            lambda store: store.replica.pending_count(),
            self._pending_counted,
            lambda _code, _params: None,  # the next sync's status says it again
            may_write=False,
        )

    def _pending_counted(self, count: int) -> None:
        if self.sync_status is not None:  # before the first sync's status there is no line yet
            self.sync_status = replace(self.sync_status, pending=count)
            self._render_sync()

    def _render_sync(self) -> None:
        lang, st = self.lang, self.sync_status
        if st is None:
            self.sync_label.setText("")
            return
        when = f"{local(st.last_good):%H:%M %d/%m}" if st.last_good else "—"
        if not st.paired:
            message = texts.SYNC_NOT_PAIRED
        elif st.online:
            message = texts.SYNC_ONLINE
        else:
            message = texts.SYNC_OFFLINE
        reason = messages.error_text(st.error, lang) if st.error in messages.ERRORS else ""
        self.sync_label.setText(tr(message, lang, when=when, pending=st.pending))
        self.sync_label.setToolTip(reason)

    def _worker_problem(self, name: str, error: str) -> None:
        last = error.strip().splitlines()[-1] if error.strip() else ""
        at = f"{local(utc_now()):%H:%M}"
        self.status.say(
            lambda lang: f"{at} · " + tr(texts.WORKER_RESTARTED, lang, name=name, error=last)
        )
        self.status_clear.start()  # old news after a while: the event log keeps it
        self.event_log.write("worker_died", worker=name, error=last)
