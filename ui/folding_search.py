"""Typing on a closed list finds an item with its marks left out: on a keyboard with no
Vietnamese input method "thua" must reach "Thừa Thiên Huế" and "da" "Đà Nẵng" (Qt's own search
compares letters as they are, so "d" never finds "Đ" and "thu" finds nothing)."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication, QComboBox, QListView

from kiosk.storage.repository import fold_name


class FoldingSearchView(QListView):
    """A combo box's list whose keyboard search ignores marks and case; letters typed within
    Qt's keyboard interval add to the search, as Qt's own does."""

    def __init__(self) -> None:
        super().__init__()
        self._typed = ""
        self._last = 0.0

    def keyboardSearch(self, search: str) -> None:  # Qt override
        now = time.monotonic()
        if now - self._last > QApplication.keyboardInputInterval() / 1000:
            self._typed = ""
        self._last = now
        self._typed += search
        # spaces left out: Space opens a closed list, so "hochi" is how "Hồ Chí Minh" is typed
        wanted = fold_name(self._typed).replace(" ", "")
        if not wanted:
            return
        model = self.model()
        items = [model.index(row, self.modelColumn()) for row in range(model.rowCount())]
        names = [fold_name(str(index.data() or "")).split() for index in items]
        # the name's start first ("nam" is Nam Định, not Hà Nam), then any word's ("hue")
        for first in (0, None):
            for index, words in zip(items, names, strict=True):
                starts = range(len(words)) if first is None else (first,)
                if any("".join(words[i:]).startswith(wanted) for i in starts):
                    self.setCurrentIndex(index)
                    return


def fold_searching(combo: QComboBox) -> QComboBox:
    """The combo box, its typed search now ignoring marks."""
    combo.setView(FoldingSearchView())
    return combo
