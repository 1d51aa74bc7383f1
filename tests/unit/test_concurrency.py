"""Concurrency: several ``quiz study --plain`` processes on one data dir at once, from the very
first start (creating the database, migrating it, taking the daily backup) to the last answer:
no error shown, no answer lost or recorded twice, every answer built on the one before."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from deadline import within
from plain_runs import RECORDED, assert_sound, checked_log, start_study

from quiz.backup import backups_dir, list_backups
from quiz.storage import Store

NOW = "2024-03-04T09:00:00+00:00"
CARDS = 12


def write_home(home: Path) -> Path:
    (home / "config.toml").write_text('timezone = "UTC"\n[limits]\nnew_per_day = 1000\n')
    deck = home / "shared.toml"
    body = "".join(f'[[cards]]\nfront = "q{n}"\nback = "a{n}"\n' for n in range(CARDS))
    deck.write_text('[deck]\nid = "shared"\n[deck.study]\nnew_per_day = 1000\n' + body)
    return deck


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_studying_one_data_dir_at_once(tmp_path: Path, processes: int) -> None:
    home = tmp_path / "home"
    home.mkdir()
    deck = write_home(home)
    procs = [start_study(home, deck, NOW) for _ in range(processes)]
    # Every process gets its whole input at once: they race through the same new cards,
    # Again and Hard keep cards in learning so they come round again within a session.
    ratings = "1234" * CARDS
    for n, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write("".join(f"\n{ratings[n + i]}\n" for i in range(CARDS * 2)))
        proc.stdin.close()
    acknowledged: dict[str, tuple[str, int]] = {}
    answered_by: dict[str, set[int]] = {}
    for n, proc in enumerate(procs):
        assert proc.stdout is not None and proc.stderr is not None
        with within(120):  # each writes a few kB: no pipe fills up while another is read
            out, err = proc.stdout.read(), proc.stderr.read()
            assert proc.wait() == 0, err
        assert err == "", err  # not even a warning
        for review_id, deck_id, key, rating in RECORDED.findall(out):
            assert deck_id == "shared"
            assert review_id not in acknowledged
            acknowledged[review_id] = (key, int(rating))
            answered_by.setdefault(key, set()).add(n)
    assert max(len(who) for who in answered_by.values()) > 1  # they did share cards
    with Store.open(home, now=datetime.fromisoformat(NOW)) as store:
        log = checked_log(store, "shared", acknowledged)
    assert len(log) == len(acknowledged) >= CARDS  # nothing unacknowledged either
    assert_sound(home)
    # Started together on one day, they took that day's backup once between them.
    assert [b.kind for b in list_backups(backups_dir(home))] == ["auto"]
