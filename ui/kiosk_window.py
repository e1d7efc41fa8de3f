"""The kiosk's window: sign-in, then the signed-in operator's screens as tabs. It wires the
device lanes and the database lane to the screens; the core decides everything."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages
from kiosk.auth import Session
from kiosk.clock import local, utc_now
from kiosk.eventlog import EventLog
from kiosk.receipts import purge_receipts, receipt_spool
from kiosk.settings import Settings
from sync.loop import SyncStatus
from ui import texts
from ui.assistant_screen import AssistantScreen
from ui.devices import Devices
from ui.idle import IdleWatcher
from ui.lanes import DatabaseLane
from ui.market_screen import MarketScreen
from ui.medic_screen import MedicScreen
from ui.police_screen import PoliceScreen
from ui.preview import PreviewWidget
from ui.said import SaidLabel
from ui.screen import Screen, ScreenContext
from ui.sign_in import SignInScreen, demo_hint
from ui.texts import tr
from ui.workers import SyncWorker

STATUS_SECONDS = 600  # how long a worker's restart stays in the status line
BACKUP_MS = 3600 * 1000  # a rolling backup every hour, and one at each sign-out


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

        self.who = QLabel()
        self.language_button = QPushButton()
        self.sign_out_button = QPushButton()
        self.status = SaidLabel(self.lang)
        self.status_clear = QTimer(self)
        self.status_clear.setSingleShot(True)
        self.status_clear.setInterval(STATUS_SECONDS * 1000)
        self.status_clear.timeout.connect(lambda: self.status.say(None))
        self.sync_label = QLabel()
        self.sync_status: SyncStatus | None = None
        self.sync = SyncWorker(data_dir / "kiosk.db", self)
        self.sync.status.connect(self._on_sync)
        devices.supervisor.watch("sync", self.sync)
        self.sign_in = SignInScreen(self.lane, self.lang, demo_hint(data_dir))
        self.tabs = QTabWidget()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.tabs)
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
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

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        self.lane.start()
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
        self.idle.stop()
        self.status_clear.stop()
        self._flush_drafts_and_stop_previews()
        self.devices.stop()
        self.sync.requestInterruption()
        # the cycle stops between requests; one request in flight ends within its timeout
        if not self.sync.wait(35_000):
            self.event_log.write("worker_died", worker="sync", error="did not stop in time")
        self.lane.stop()

    def _flush_drafts_and_stop_previews(self) -> None:
        for screen in self.screens.values():
            if isinstance(screen, AssistantScreen):
                screen.flush()
        for preview in self.previews:
            preview.stop()

    def closeEvent(self, event: object) -> None:  # Qt override
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]

    # --- sessions -----------------------------------------------------------------------
    def open_session(self, session: Session) -> None:
        self.close_session()
        self.session = session
        ctx = ScreenContext(session, self.settings, self.lane, self.event_log, self.data_dir)
        for name in session.screens:
            screen = self._make_screen(name, ctx)
            self.screens[name] = screen
            self.tabs.addTab(screen, "")
        self.stack.setCurrentWidget(self.tabs)
        self.devices.set_accepting(True)
        self.idle.start()
        self.event_log.write("sign_in", operator=session.operator_id, role=session.role)
        self.retranslate()

    def _signed_out_for_idleness(self) -> None:
        self.close_session()
        self.sign_in.message.say(lambda lang: tr(texts.SIGNED_OUT_IDLE, lang))

    def close_session(self) -> None:
        if self.session is None:
            return
        self.event_log.write("sign_out", operator=self.session.operator_id)
        self.backup()
        purge_receipts(receipt_spool(self.data_dir))  # printed by now: none kept (security.md)
        self._flush_drafts_and_stop_previews()
        self.previews.clear()
        self.tabs.clear()
        for screen in self.screens.values():
            screen.deleteLater()
        self.screens.clear()
        self.session = None
        self.idle.stop()
        self.devices.set_accepting(False)
        self.stack.setCurrentWidget(self.sign_in)
        self.sign_in.reload()
        self.retranslate()

    def _make_screen(self, name: str, ctx: ScreenContext) -> Screen:
        if name in ("medic", "market"):
            preview = PreviewWidget(self.devices.frames) if self.devices.capture else None
            if preview is not None:
                self.devices.codes.connect(preview.set_codes)
                self.previews.append(preview)
            cls = MedicScreen if name == "medic" else MarketScreen
            return cls(ctx, self.lang, preview)
        if name == "police":
            return PoliceScreen(ctx, self.lang)
        return AssistantScreen(ctx, self.lang)

    @property
    def current_screen(self) -> Screen | None:
        widget = self.tabs.currentWidget() if self.session else None
        return widget if isinstance(widget, Screen) else None

    def screen(self, name: str) -> Screen:
        """The signed-in operator's screen of that name, brought to the front."""
        screen = self.screens[name]
        self.tabs.setCurrentWidget(screen)
        return screen

    # --- scans --------------------------------------------------------------------------
    def _route_scan(self, text: str, source: str) -> None:
        screen = self.current_screen
        if screen is not None:
            if screen.takes_scans:
                # codes the camera happens to see in front of the police or assistant screen
                # are no one at work: they must not keep an unattended session open
                self.idle.touch()
            screen.handle_scan(text, source)

    def _route_refusal(self, code: str) -> None:
        screen = self.current_screen
        if screen is not None:
            screen.handle_refusal(code)

    # --- language and status ------------------------------------------------------------
    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        self.setWindowTitle(tr(texts.WINDOW_TITLE, lang))
        self.language_button.setText(texts.SWITCH_LANGUAGE[lang])
        self.sign_out_button.setText(tr(texts.SIGN_OUT, lang))
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
        else:
            self.who.setText(self.settings.checkpoint_id)
        self.sign_in.retranslate(lang)
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
        self.camera_text = text

    def _on_sync(self, status: SyncStatus) -> None:
        if status.detail:
            self.event_log.write("sync_failed", error=status.detail)
        self.sync_status = status
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
