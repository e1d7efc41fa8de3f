"""The note at the top of a page after a redirect (`?error=…`, `?done=…`, a CSV's `line`,
`problem` and row `count`): only the server's own messages and numbers.

The words come from the URL, which anyone can write and send to a member of staff. Shown as
they are, `/login?error=Máy chủ đã chuyển, đăng nhập tại http://…` puts a stranger's sentence
in the genuine page's alert box, under its address and padlock; escaping stops a script, not a
lie. A key the catalogue does not hold is said as the plain refusal (an error) or not at all."""

from __future__ import annotations

from typing import Any

from kiosk_server.web.i18n import TEXT

KEYS = ("error", "done", "problem")
NUMBERS = ("line", "count")
UNKNOWN_ERROR = "refused"  # "Không thực hiện được": something failed, never whose words


def ours(context: dict[str, Any]) -> dict[str, Any]:
    """`context` with each note a message key of this server's and each number ASCII digits."""
    kept = dict(context)
    for name in KEYS:
        value = kept.get(name)
        if isinstance(value, str) and value and value not in TEXT:
            kept[name] = UNKNOWN_ERROR if name == "error" else ""
    for name in NUMBERS:
        value = kept.get(name)
        if isinstance(value, str) and not (value.isascii() and value.isdigit()):
            kept[name] = ""
    return kept
