"""``quiz cards``: the cards a search finds, changed all at once; and the changes themselves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.config import Config
from quiz.decks import load_deck
from quiz.errors import QuizError
from quiz.grading import Rating
from quiz.manage import DueDays
from quiz.scheduling import Calendar
from quiz.storage import CardState, Store

NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
DECK = '[deck]\nid = "t"\n[deck.study]\nfuzz = false\n' + "".join(
    f'[[cards]]\nid = "c{i}"\nfront = "q{i}"\nback = "a{i}"\ntags = ["{("even", "odd")[i % 2]}"]\n'
    for i in range(4)
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    (tmp_path / "t.toml").write_text(DECK, encoding="utf-8")
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path))
    monkeypatch.setenv("QUIZ_NOW", NOW.isoformat())
    return tmp_path


def studied(home: Path, *keys: str) -> None:
    """Answer these cards Easy, as a study session would."""
    from quiz.session import StudySession

    deck = load_deck(home / "t.toml")
    with Store.open(home, now=NOW) as store:
        session = StudySession(store, [deck], lambda: NOW, Config(timezone="UTC"))
        while (card := session.next_card()) is not None:
            if card.item.key in keys:
                session.rate(Rating.EASY, duration_ms=1000)
            else:
                session.bury()


def states(home: Path) -> dict[str, CardState]:
    with Store.open(home, now=NOW) as store:
        return dict(store.states_for_deck("t"))


def test_cards_lists_what_a_search_finds(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    studied(home, "c0")
    assert main(["cards", str(home / "t.toml"), "--search", "tag:even"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("t  c0  review  2024-03-") and out[0].endswith("q0")
    assert out[1:] == ["t  c2  buried  -  q2", "2 cards"]
    assert main(["cards", str(home / "t.toml"), "--search", "is:odd"]) == 2
    assert "unknown search terms: is:odd" in capsys.readouterr().err


def test_set_due_date_moves_studied_cards_and_leaves_new_ones(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    studied(home, "c0", "c1")
    assert main(["cards", str(home / "t.toml"), "--due", "0"]) == 0
    out = capsys.readouterr().out
    assert "of 2 cards" in out and "2 new cards left as they are" in out
    calendar = Calendar(Config(timezone="UTC").zone(), 4)
    now_day = calendar.day(NOW)
    after = states(home)
    for key in ("c0", "c1"):
        due = after[key].due
        assert (
            due is not None and calendar.day(due) == now_day and due <= NOW
        )  # due now, at today's start
    assert main(["cards", str(home / "t.toml"), "--search", "tag:odd", "--due", "5-9"]) == 0
    moved, kept = states(home)["c1"].due, states(home)["c0"].due
    assert moved is not None and 5 <= (calendar.day(moved) - now_day).days <= 9
    assert kept is not None and kept <= NOW  # not found: unchanged


def test_unbury_suspend_and_forget(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    studied(home, "c0")
    deck = str(home / "t.toml")
    assert main(["cards", deck, "--search", "is:buried", "--unbury"]) == 0
    assert "unburied 3 cards" in capsys.readouterr().out
    assert all(s.buried_until is None for s in states(home).values())
    assert main(["cards", deck, "--search", "q0", "--suspend"]) == 0
    assert states(home)["c0"].suspended
    assert main(["cards", deck, "--search", "q0", "--forget", "--yes"]) == 0
    assert states(home)["c0"].is_new
    with Store.open(home, now=NOW) as store:
        assert [r.kind for r in store.history("t", "c0")] == ["learn", "manual", "manual"]


@pytest.mark.parametrize(
    ("text", "low", "high"), [("3", 3, 3), ("0", 0, 0), ("1-7", 1, 7), (" 2 - 4 ", 2, 4)]
)
def test_due_days(text: str, low: int, high: int) -> None:
    assert DueDays.parse(text) == DueDays(low, high)


@pytest.mark.parametrize("text", ["", "x", "-1", "7-1", "1-99999", "1.5"])
def test_bad_due_days_are_refused(text: str) -> None:
    with pytest.raises(QuizError):
        DueDays.parse(text)


def test_a_range_spreads_cards_and_each_card_keeps_its_day() -> None:
    from quiz.decks import parse_deck

    body = "".join(f'[[cards]]\nfront = "q{i}"\nback = "a"\n' for i in range(20))
    deck = parse_deck('[deck]\nid = "r"\n' + body, Path("r.toml"))
    days = DueDays(1, 30)
    picked = [days.for_card(item) for item in deck.items]
    assert all(1 <= d <= 30 for d in picked) and len(set(picked)) > 1
    assert picked == [days.for_card(item) for item in deck.items]
