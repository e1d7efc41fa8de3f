"""What a page refuses to do, and the one parser of the numbers its URLs and forms carry.

A page number or a row's id comes from whoever typed the URL: a number past SQLite's and
PostgreSQL's 64-bit integer would raise in the database (a 500), so every page reads them here
and answers a bad one with a message instead."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

MAX_PAGE = 1_000_000  # 50 million rows at 50 a page: past any list's end
MAX_ID = 2**63 - 1  # the largest integer key either database holds


class Refused(Exception):
    """Answered with the error page: `status`, and the message `key` in the operator's
    language; for a request with no form to show again (a download's), the `param` it names
    and `box`, the label key of the box that parameter comes from."""

    def __init__(self, status: int, key: str, param: str = "", box: str = "") -> None:
        self.status = status
        self.key = key
        self.param = param
        self.box = box


def whole_number(text: str, most: int) -> int:
    """`text` as a number from 0 to `most`: ASCII digits only (str.isdigit() also takes
    full-width and Arabic-Indic ones); Refused(400) otherwise."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 20 or int(text) > most:
        raise Refused(400, "bad_number")
    return int(text)


def page_number(page: str = "0") -> int:
    """A list's `?page=` (a FastAPI dependency)."""
    return whole_number(page or "0", MAX_PAGE)


def no_nul(request: Request) -> None:
    """Refused(400) for a NUL character in a URL's path or query (a router's dependency): text
    with one cannot be stored or even looked up in PostgreSQL, which answered with an error
    (a 500) instead. A form's fields are checked as it is read (`refuse_nul`)."""
    refuse_nul(
        [request.url.path, *(x for pair in request.query_params.multi_items() for x in pair)]
    )


def refuse_nul(texts: Iterable[str]) -> None:
    if any("\0" in t for t in texts):
        raise Refused(400, "nul_character")
