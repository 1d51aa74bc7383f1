"""The one clock of quiz and the learner's time zone.

Everything below the CLI and the app takes ``now`` as an argument; only ``now()`` here reads
the system clock. ``QUIZ_NOW`` (an ISO datetime; UTC if it has no offset) stops it at that
moment, so that subprocess tests of the commands are deterministic.

The system's time zone comes from ``tzlocal``, which knows only IANA names. A POSIX ``TZ``
string (``JST-9``, ``UTC0``, ``CET-1CEST,M3.5.0,M10.5.0/3``) or a ``TZ`` naming a file that is
not a zone is read through the C library instead: a zone without daylight saving time is a
fixed offset, exactly; one with it is taken at its current offset, with a warning naming the
``timezone`` setting that makes it exact.
"""

from __future__ import annotations

import functools
import os
import re
import time
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from quiz.errors import QuizError

__all__ = ["EARLIEST", "LATEST", "now", "system_zone", "tz_name", "zone_warning"]

EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
"""The moments ``QUIZ_NOW`` may name: far enough from the ends of ``datetime`` that a century
of intervals and learner days can be added to them."""

_POSIX_NO_DST = re.compile(r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)[+-]?\d{1,2}(?::\d{2}){0,2}")
"""A POSIX ``TZ`` with a standard time only (``JST-9``, ``<+0330>-3:30``): a fixed offset."""


def now() -> datetime:
    """The current moment in UTC, or the one ``QUIZ_NOW`` names."""
    fixed = os.environ.get("QUIZ_NOW")
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
        moment = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    except (ValueError, OverflowError):
        raise QuizError(f"QUIZ_NOW={fixed!r} is not an ISO date and time") from None
    if not EARLIEST <= moment < LATEST:
        raise QuizError(
            f"QUIZ_NOW={fixed!r} is out of range (from {EARLIEST.year} to {LATEST.year - 1})"
        )
    return moment


def tz_name(zone: tzinfo) -> str:
    """A time zone's IANA name when it has one (what the review log records)."""
    return str(getattr(zone, "key", None) or zone)


@functools.cache
def _system_zone() -> tuple[tzinfo, str | None]:
    try:
        import tzlocal

        return tzlocal.get_localzone(), None
    except Exception:  # tzlocal refuses POSIX TZ strings and unreadable zone files
        pass
    tz = os.environ.get("TZ", "")
    offset = timedelta(seconds=time.localtime().tm_gmtoff)
    name = time.strftime("%Z") or None
    zone = UTC if not offset else timezone(offset, name) if name else timezone(offset)
    if not time.daylight and _POSIX_NO_DST.fullmatch(tz):
        return zone, None  # a fixed offset is all such a TZ says: exact
    from quiz.paths import config_file

    return zone, (
        f"the system time zone (TZ={tz!r}) is not an IANA zone name; using UTC{_hours(offset)}"
        f' for learner days. Set timezone = "Area/City" in {config_file()} to fix it.'
    )


def _hours(offset: timedelta) -> str:
    if not offset:
        return ""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def system_zone() -> tzinfo:
    """The system's time zone; never raises (see the module docstring)."""
    return _system_zone()[0]


def zone_warning() -> str | None:
    """Why ``system_zone`` is only an approximation, when it is; shown once by the CLI/app."""
    return _system_zone()[1]
