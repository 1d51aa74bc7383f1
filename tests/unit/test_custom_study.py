"""Custom study: study ahead, a search, forgotten cards, extra new cards, reviews only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_session import Clock, basics, deck

from quiz.config import Config
from quiz.custom import CustomStudy, CustomStudyError, chosen_cards
from quiz.decks import LoadedDeck
from quiz.grading import Rating
from quiz.session import StudySession
from quiz.storage import Store

CONFIG = Config.model_validate({"timezone": "Europe/Berlin"})


def study(store: Store, clock: Clock, d: LoadedDeck, ratings: list[Rating]) -> list[str]:
    """Answer the session's cards with these ratings; the keys answered, in order."""
    s = StudySession(store, [d], clock, CONFIG)
    keys = []
    for rating in ratings:
        card = s.next_card()
        if card is None:
            break
        keys.append(card.item.key)
        s.rate(rating, duration_ms=1000)
    return keys


def shown(store: Store, clock: Clock, d: LoadedDeck, custom: CustomStudy) -> list[str]:
    """The keys a custom study shows, answering each Easy so it leaves the session."""
    only = chosen_cards(custom, store, [d], clock(), CONFIG)
    s = StudySession(
        store,
        [d],
        clock,
        CONFIG,
        only,
        extra_new=custom.extra_new,
        reviews_only=custom.reviews_only,
    )
    keys = []
    while (card := s.next_card()) is not None:
        keys.append(card.item.key)
        s.rate(Rating.EASY, duration_ms=1000)
    return keys


def test_study_ahead_takes_the_cards_due_within_n_days_now(store: Store) -> None:
    clock = Clock()
    d = deck(basics(3))
    assert len(study(store, clock, d, [Rating.EASY] * 3)) == 3  # due in days, none today
    assert study(store, clock, d, [Rating.GOOD]) == []
    with pytest.raises(CustomStudyError, match="due within 0 days"):
        chosen_cards(CustomStudy(ahead=0), store, [d], clock(), CONFIG)
    states = store.states_for_deck("d")
    soonest = min(s.due for s in states.values() if s.due is not None)
    days = (soonest - clock()).days + 1
    picked = chosen_cards(CustomStudy(ahead=days), store, [d], clock(), CONFIG)
    assert picked and picked <= {("d", key) for key in states}
    assert sorted(shown(store, clock, d, CustomStudy(ahead=days))) == sorted(k for _, k in picked)
    assert chosen_cards(CustomStudy(ahead=3650), store, [d], clock(), CONFIG) == {
        ("d", key) for key in states
    }


def test_forgotten_cards_are_those_rated_again_in_the_last_n_days(store: Store) -> None:
    clock = Clock()
    d = deck(basics(3))
    first = study(store, clock, d, [Rating.AGAIN, Rating.EASY, Rating.EASY])
    forgotten = CustomStudy(forgotten=1)
    assert chosen_cards(forgotten, store, [d], clock(), CONFIG) == {("d", first[0])}
    clock.advance(days=2)
    with pytest.raises(CustomStudyError, match="forgotten in the last 1 days"):
        chosen_cards(forgotten, store, [d], clock(), CONFIG)
    assert chosen_cards(CustomStudy(forgotten=3), store, [d], clock(), CONFIG) == {("d", first[0])}


def test_a_search_picks_cards_and_unknown_terms_are_refused(store: Store) -> None:
    clock = Clock()
    d = deck('[[cards]]\nfront = "a"\nback = "b"\ntags = ["verb"]\n' + basics(2))
    assert chosen_cards(CustomStudy(search="tag:verb"), store, [d], clock(), CONFIG) == {
        ("d", d.items[0].key)
    }
    assert shown(store, clock, d, CustomStudy(search="tag:verb")) == [d.items[0].key]
    with pytest.raises(CustomStudyError, match="unknown search terms: colour:red, is:odd"):
        chosen_cards(CustomStudy(search="colour:red is:odd q1"), store, [d], clock(), CONFIG)
    with pytest.raises(CustomStudyError, match="no card matches"):
        chosen_cards(CustomStudy(search="nothing-like-this"), store, [d], clock(), CONFIG)


def test_suspended_and_buried_cards_stay_out(store: Store) -> None:
    clock = Clock()
    d = deck(basics(2))
    s = StudySession(store, [d], clock, CONFIG)
    s.next_card()
    s.suspend()
    s.next_card()
    s.bury()
    with pytest.raises(CustomStudyError, match="suspended or buried"):
        chosen_cards(CustomStudy(search="q"), store, [d], clock(), CONFIG)


def test_extra_new_cards_go_beyond_todays_limits_and_reviews_only_has_none(store: Store) -> None:
    clock = Clock()
    d = deck(basics(12), study="[deck.study]\nfuzz = false\nnew_per_day = 2\n")
    assert shown(store, clock, d, CustomStudy(reviews_only=True)) == []
    assert len(shown(store, clock, d, CustomStudy())) == 2  # the deck's limit
    assert len(shown(store, clock, d, CustomStudy())) == 0  # used up for today
    assert len(shown(store, clock, d, CustomStudy(extra_new=3))) == 3
    assert "3 extra new" in CustomStudy(extra_new=3).describe()
    with pytest.raises(CustomStudyError):
        CustomStudy(extra_new=2, reviews_only=True)


DECK = """[deck]
id = "cli"
[[cards]]
front = "first"
back = "one"
tags = ["pick"]
[[cards]]
front = "second"
back = "two"
"""


def quiz(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"QUIZ_HOME": str(home), "QUIZ_NOW": "2026-03-02T09:00:00+00:00", "PATH": ""}
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("flags", "asked", "error"),
    [
        (["--search", "tag:pick"], ["first"], None),
        (["--search", "is:new -tag:pick"], ["second"], None),
        (["--search", "kind:odd"], [], "unknown search terms: kind:odd"),
        (["--ahead", "2"], [], "no studied card is due within 2 days"),
        (["--forgotten", "1"], [], "no card was forgotten in the last 1 days"),
        (["--extra-new", "1"], ["first", "second"], None),
        (["--reviews-only"], [], None),
        (["--ahead", "-1"], [], "out of range"),
        (["--extra-new", "1", "--reviews-only"], [], "not allowed with"),
    ],
)
def test_plain_study_takes_the_custom_study_flags(
    tmp_path: Path, flags: list[str], asked: list[str], error: str | None
) -> None:
    path = tmp_path / "cli.toml"
    path.write_text(DECK)
    done = quiz(tmp_path / "home", "study", "--plain", *flags, str(path), stdin=" \n4\n" * 3)
    if error is not None:
        assert done.returncode == 2 and error in done.stderr
        assert "Traceback" not in done.stderr
        return
    assert done.returncode == 0, done.stderr
    questions = [line[3:] for line in done.stdout.splitlines() if line.startswith("Q: ")]
    assert questions == asked


def test_plain_study_ahead_and_forgotten_after_studying(tmp_path: Path) -> None:
    path = tmp_path / "cli.toml"
    path.write_text(DECK)
    home = tmp_path / "home"
    first = quiz(home, "study", "--plain", str(path), stdin=" \n1\n \n4\n \n4\n")
    assert first.returncode == 0, first.stderr
    forgotten = quiz(home, "study", "--plain", "--forgotten", "1", str(path), stdin=" \n4\n")
    assert [line for line in forgotten.stdout.splitlines() if line.startswith("Q: ")] == [
        "Q: first"
    ]
    ahead = quiz(home, "study", "--plain", "--ahead", "3650", str(path), stdin=" \n4\n" * 3)
    assert sorted(line for line in ahead.stdout.splitlines() if line.startswith("Q: ")) == [
        "Q: first",
        "Q: second",
    ]
