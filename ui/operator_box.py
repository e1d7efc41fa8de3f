"""The operator's name at sign-in: typed, not scrolled to. Names start with a title ("Y sĩ",
"Thiếu úy", "Bác sĩ") and many share a family name, so a search from the first letter finds the
wrong person; the list shows every name containing what was typed, marks or not ("nguyen" finds
"Nguyễn"), and the name counts only once it is the whole text of the field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter, QWidget
from shiboken6 import isValid

from kiosk.storage.repository import fold_name

FOLDED = Qt.ItemDataRole.UserRole + 1  # the name without its marks, what typing is matched on


class FoldingCompleter(QCompleter):
    """Matches what is typed against the names without their marks, anywhere in the name."""

    def splitPath(self, path: str) -> list[str]:  # Qt override
        return [fold_name(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # Qt override
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class OperatorBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        # what was typed is a search, never a new name in the list
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = FoldingCompleter(self.model(), self)
        completer.setCompletionRole(FOLDED)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self._focus_at_late_report: QWidget | None = None
        completer.popup().installEventFilter(self)

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        # the list of matches is a window of its own: it would keep the small default font
        if event.type() == QEvent.Type.FontChange:
            self.completer().popup().setFont(self.font())
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        popup = self.completer().popup()
        if watched is popup and event.type() == QEvent.Type.Show:
            self._focus_at_late_report = None
        elif watched is popup and not popup.isVisible():
            self._late_report(event)
        return super().eventFilter(watched, event)

    def _late_report(self, event: QEvent) -> None:
        """On X11 the list grabs the keyboard when it opens, and the window system reports the
        grab, then its end, as the list's window activated, then the kiosk's. When the list
        opened and closed in one go (a name typed fast, or a burst the wedge filter held, then
        Enter), those reports come after Enter moved on to the PIN: activating the closed list
        hands the kiosk window's focus to the list's proxy, the name, which gets it back with the
        window, and the PIN typed next lands in the name (seen at 10 ms a key under openbox).
        The focus the reports found is put back before the window gives it to the name."""
        if event.type() == QEvent.Type.WindowActivate:
            self._focus_at_late_report = QApplication.focusWidget()
        elif event.type() == QEvent.Type.WindowDeactivate:
            before, self._focus_at_late_report = self._focus_at_late_report, None
            if before is None or not isValid(before) or not before.isVisible():
                return
            if before.window().focusWidget() is not before:
                # setFocus on the widget Qt still counts as focused would change nothing
                before.clearFocus()
                before.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def fill(self, items: list[tuple[str, str]]) -> None:
        """(label, operator id) pairs; no one chosen and the field empty afterwards."""
        self.clear()
        for label, operator_id in items:
            self.addItem(label, operator_id)
            self.setItemData(self.count() - 1, fold_name(label), FOLDED)
        self.setCurrentIndex(-1)  # an editable box chooses its first item by itself

    def items(self) -> list[tuple[str, str]]:
        return [(self.itemText(i), self.itemData(i)) for i in range(self.count())]

    def chosen(self) -> str | None:
        """The operator whose whole name is in the field; a name half typed over is no one."""
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            return None
        return self.itemData(index)

    def matches(self) -> list[int]:
        """The rows whose name contains what is typed (all of them for an empty field)."""
        typed = fold_name(self.currentText())
        return [i for i in range(self.count()) if typed in str(self.itemData(i, FOLDED))]

    def choose_typed(self) -> bool:
        """Enter or Tab after typing: the one name that matches is chosen; whether someone is."""
        if self.chosen() is None:
            rows = self.matches()
            if len(rows) == 1 and self.currentText().strip():
                self.setCurrentIndex(rows[0])
        return self.chosen() is not None

    def searching(self) -> bool:
        """Whether someone is choosing: a name typed or chosen (a list reload would spoil it)."""
        return bool(self.currentText())
