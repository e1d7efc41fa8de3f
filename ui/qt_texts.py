"""Qt's own words in the operator's language: the print dialog, standard buttons, a field's
right-click menu.

Qt ships no Vietnamese (no qtbase_vi.qm among PySide6's translations, nor upstream's), so a
Vietnamese screen opened an English print dialog. The words Qt shows on this kiosk's screens are
listed here by Qt's context and English source, marked for the project's catalogue like every
other sentence (ui/locale/vi/LC_MESSAGES/ui.po); a word not listed stays Qt's English.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTranslator

from kiosk.catalogue import Message, gettext_noop
from ui.texts import tr

QT_WORDS: dict[str, tuple[Message, ...]] = {
    # QDialogButtonBox's standard buttons (and a message box's)
    "QPlatformTheme": (
        gettext_noop("OK"),
        gettext_noop("Cancel"),
        gettext_noop("&Yes"),
        gettext_noop("&No"),
        gettext_noop("Close"),
        gettext_noop("Apply"),
        gettext_noop("Save"),
        gettext_noop("Open"),
        gettext_noop("Help"),
        gettext_noop("Reset"),
        gettext_noop("Discard"),
        gettext_noop("Abort"),
        gettext_noop("Retry"),
        gettext_noop("Ignore"),
        gettext_noop("Restore Defaults"),
    ),
    # a field's right-click menu
    "QLineEdit": (
        gettext_noop("&Undo"),
        gettext_noop("&Redo"),
        gettext_noop("Cu&t"),
        gettext_noop("&Copy"),
        gettext_noop("&Paste"),
        gettext_noop("Delete"),
        gettext_noop("Select All"),
    ),
    # the assistant's receipt: Qt's print dialog
    "QPrintDialog": (
        gettext_noop("Print"),
        gettext_noop("&Print"),
        gettext_noop("&Options >>"),
        gettext_noop("&Options <<"),
        gettext_noop("All Pages"),
        gettext_noop("Odd Pages"),
        gettext_noop("Even Pages"),
        gettext_noop("Local file"),
        gettext_noop("Print to File (PDF)"),
        gettext_noop("Write PDF file"),
    ),
    "QPrintWidget": (
        gettext_noop("Printer"),
        gettext_noop("&Name:"),
        gettext_noop("P&roperties"),
        gettext_noop("Location:"),
        gettext_noop("Type:"),
        gettext_noop("Output &file:"),
        gettext_noop("Preview"),
    ),
    "QPrintSettingsOutput": (
        gettext_noop("Copies"),
        gettext_noop("Copies:"),
        gettext_noop("Collate"),
        gettext_noop("Reverse"),
        gettext_noop("Options"),
        gettext_noop("Color Mode"),
        gettext_noop("Color"),
        gettext_noop("Grayscale"),
        gettext_noop("Duplex Printing"),
        gettext_noop("Double Sided Printing"),
        gettext_noop("Off"),
        gettext_noop("Long side binding"),
        gettext_noop("Short side binding"),
        gettext_noop("Print range"),
        gettext_noop("Print all"),
        gettext_noop("Pages from"),
        gettext_noop("to"),
        gettext_noop("Pages"),
        gettext_noop("Current Page"),
        gettext_noop("Selection"),
        gettext_noop("Page &Set:"),
        gettext_noop("Output Settings"),
        gettext_noop(
            "Specify pages or ranges separated by commas. Ranges are specified by two numbers"
            " separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9."
        ),
    ),
}
_BY_SOURCE = {(context, str(m)): m for context, words in QT_WORDS.items() for m in words}


class QtWords(QTranslator):
    """Answers Qt's own lookups from the catalogue, in the language `lang()` says now (the
    window's, which the operator switches); Qt keeps its English for anything else."""

    def __init__(self, lang: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang

    def translate(  # Qt override
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        message = _BY_SOURCE.get((context, source))
        if message is None or self.lang() == "en":
            return None  # Qt's own English
        return tr(message, self.lang())

    def isEmpty(self) -> bool:  # Qt override: an empty translator is never asked
        return False
