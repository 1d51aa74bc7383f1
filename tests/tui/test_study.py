"""Study flows driven with Pilot: every card kind to the summary, undo, bury, suspend, edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AppFactory, Clock, EditorSpy, Settle, StoreOpener
from helpers import review_count
from pilot_keys import answer_current, open_first_deck, study_screen, type_text, write_locked
from textual.widgets import Static

from quiz.tui.screens.study import StudyScreen
from quiz.tui.screens.summary import SummaryScreen


async def test_every_kind_to_the_summary(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        kinds = []
        while isinstance(pilot.app.screen, StudyScreen):
            card = study_screen(pilot).card
            assert card is not None
            kinds.append(card.kind)
            await answer_current(pilot)
            await settle(pilot)
        summary = pilot.app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.summary.studied == 7
        assert summary.summary.correct == 7
    assert kinds == ["basic", "cloze", "typed", "choice", "choice", "truefalse", "order"]
    db = store()
    assert review_count(db) == 7
    states = db.states_for_deck("every-kind")
    assert set(states) == {"capital", "water/c1", "author", "planet", "primes", "sky", "numbers"}
    assert all(
        s.reps == 1 and s.due is not None and s.due.date() > app.now().date()
        for s in states.values()
    )


async def test_rating_keys_do_nothing_before_the_reveal(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        await pilot.press("1", "2", "3", "4")
        assert screen.phase == "question"
        assert screen.check_action("rate", (3,)) is False
        await pilot.press("space")
        assert screen.check_action("rate", (3,)) is True
    assert review_count(store()) == 0


async def test_typed_answer_shows_differences_and_enter_accepts(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "3")  # basic: Good
        await pilot.press("space", "3")  # cloze: Good
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.kind == "typed"
        await type_text(pilot, "Shakespaere")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.rating == 2  # a near miss: Hard
        yours, expected = str(pilot.app.screen.query_one(".diff").render()).splitlines()
        # Aligned, with a dot where one side has nothing:
        assert yours == "yours     Shakesp·aere"
        assert expected == "expected  Shakespea·re"
        await pilot.press("enter")
        await settle(pilot)
    reviews = store().history("every-kind", "author")
    assert [r.rating for r in reviews] == [2]


async def test_undo_takes_back_the_last_answer(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "4")
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
        await pilot.press("u")
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "capital"
        assert screen.phase == "question"
        db = store()
        assert [r.undone for r in db.history("every-kind", "capital")] == [True]
        assert db.state("every-kind", "capital") is None
        await pilot.press("space", "1")
        await settle(pilot)
    assert [r.rating for r in store().history("every-kind", "capital")] == [4, 1]


async def test_bury_and_suspend_move_on_and_are_stored(
    make_app: AppFactory, settle: Settle, store: StoreOpener, clock: Clock
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        await pilot.press("minus")
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "author"
    db = store()
    buried = db.state("every-kind", "capital")
    assert buried is not None and buried.buried_until is not None
    assert buried.buried_until > clock.now() and buried.reps == 0
    suspended = db.state("every-kind", "water/c1")
    assert suspended is not None and suspended.suspended
    assert [r.kind for r in db.history("every-kind", "water/c1")] == ["manual"]


async def test_edit_opens_the_editor_at_the_card_and_reloads(
    make_app: AppFactory, settle: Settle, store: StoreOpener, editor: EditorSpy, tmp_path: Path
) -> None:
    deck = tmp_path / "every-kind.toml"
    shutil.copy(Path(__file__).parent / "decks" / "every-kind.toml", deck)
    card_line = deck.read_text().splitlines().index('id = "water"')  # the [[cards]] line above

    def edit(path: Path) -> None:
        path.write_text(path.read_text().replace("degrees Celsius", "°C"))

    editor.edit = edit
    async with make_app(deck).run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "4")  # progress on the first card
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
        await pilot.press("E")
        await settle(pilot)
        assert editor.calls == [(deck, card_line)]
        assert screen.card is not None and screen.card.item.key == "water/c1"
        assert screen.card.item.prompt == "Water boils at [...] °C at sea level."
        counts = str(screen.query_one("#study-counts", Static).render())
        assert "1/7 done" in counts  # the answer before the edit still counts
        await pilot.press("space", "4")
        await settle(pilot)
        await pilot.press("escape", "escape")  # out of the typed card's answer box, then end
        await settle(pilot)
        assert isinstance(pilot.app.screen, SummaryScreen)
        assert pilot.app.screen.summary.studied == 2  # the answers before the edit count
    db = store()
    assert [r.rating for r in db.history("every-kind", "capital")] == [4]
    assert [r.rating for r in db.history("every-kind", "water/c1")] == [4]


async def test_escape_ends_with_a_summary_and_returns_home(
    make_app: AppFactory, settle: Settle
) -> None:
    from quiz.tui.screens.home import HomeScreen

    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "4", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SummaryScreen)
        assert pilot.app.screen.summary.studied == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_escape_leaves_the_answer_box_so_keys_work(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "4", "space", "4")
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.kind == "typed"
        await pilot.press("minus")  # typed into the answer box
        assert screen.card.kind == "typed"
        await pilot.press("escape", "minus")  # leaves the box, then buries
        await settle(pilot)
        assert screen.card is not None and screen.card.kind == "choice"
    state = store().state("every-kind", "author")
    assert state is not None and state.buried_until is not None


async def test_the_mouse_reveals_nothing_but_rates_and_picks(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space")
        await pilot.click("#rate-2")  # Hard, by mouse
        await settle(pilot)
        await pilot.press("space", "4")
        await type_text(pilot, "Shakespeare")
        await pilot.press("enter", "4")
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.kind == "choice"
        jupiter = screen.card.options.index("Jupiter")
        await pilot.click(list(screen.query(".option"))[jupiter])
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
    db = store()
    assert [r.rating for r in db.history("every-kind", "capital")] == [2]


async def test_a_locked_database_never_stops_the_screen_and_loses_nothing(
    make_app: AppFactory,
    settle: Settle,
    store: StoreOpener,
    quiz_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process holds the write lock: bury, suspend, undo and rate each wait for it in
    a worker (the event loop keeps running), then say so, and the card stays as it was."""
    from quiz import storage

    wait = 1.0
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", int(wait * 1000))  # a real lock, a real wait
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "3")  # the basic card is answered: there is an undo
        await settle(pilot)
        screen = study_screen(pilot)
        assert screen.card is not None
        shown = screen.card.item.key
        with write_locked(app, quiz_home) as ticks:
            for keys in (["minus"], ["exclamation_mark"], ["u"], ["space", "3"]):
                await pilot.press(*keys)
                await settle(pilot)
                assert app.is_running and screen.card is not None
                assert screen.card.item.key == shown  # nothing moved on: nothing was saved
        titles = [n.title for n in app._notifications]
        for title in ("Not buried", "Not suspended", "Undo", "Not saved"):
            assert title in titles
        assert all("busy" in n.message for n in app._notifications if n.title == "Not saved")
        # Four waits of a second each; a blocked loop would show a gap as long as one wait.
        assert len(ticks.times) > 4 * wait / 0.1 and ticks.longest_gap() < wait / 2
        assert screen.phase == "answered"  # the rating keys are back
        await pilot.press("3")  # the lock is gone: now it is saved
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key != shown
    db = store()
    assert [r.rating for r in db.history("every-kind", "capital")] == [3]
    assert [r.rating for r in db.history("every-kind", shown)] == [3]
    state = db.state("every-kind", shown)
    assert state is not None and state.buried_until is None and not state.suspended


async def test_keys_wait_while_an_answer_is_being_saved(
    make_app: AppFactory, settle: Settle, store: StoreOpener, quiz_home: Path
) -> None:
    """A second key press during a slow write neither rates twice nor acts on the next card."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        with write_locked(app, quiz_home):
            await pilot.press("space", "3")
            await pilot.pause()
            assert screen.phase == "saving"
            assert screen.card is not None and screen.card.item.key == "capital"
            await pilot.press("4", "minus", "exclamation_mark", "u", "escape")
            assert screen.phase == "saving" and pilot.app.screen is screen
        await settle(pilot)
        assert str(screen.phase) == "question"  # (mypy narrowed it to "saving" above)
        assert screen.card is not None and screen.card.item.key != "capital"
    db = store()
    assert [r.rating for r in db.history("every-kind", "capital")] == [3]
    assert all(
        s.buried_until is None and not s.suspended
        for s in db.states_for_deck("every-kind").values()
    )


async def test_u_takes_back_a_suspend_and_a_bury_not_the_answer_before(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        await pilot.press("space", "3")  # the basic card: Good
        await settle(pilot)
        await pilot.press("exclamation_mark")  # suspend the cloze
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "author"
        await pilot.press("escape", "u")  # out of the typed card's box, then undo
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
        await pilot.press("minus")  # bury it
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "author"
        await pilot.press("escape", "u")  # and take that back too
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
    db = store()
    assert [r.rating for r in db.history("every-kind", "capital")] == [3]  # still answered
    water = db.state("every-kind", "water/c1")
    assert water is None or (not water.suspended and water.buried_until is None)


def test_the_summary_says_complete_only_when_nothing_comes_back_today() -> None:
    from datetime import UTC, datetime, timedelta

    from quiz.session import Summary
    from quiz.tui.screens.summary import _heading

    now = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)

    def heading(studied: int, due_in: timedelta | None) -> str:
        due = None if due_in is None else now + due_in
        return _heading(Summary(studied, studied, 0, 1000, due), now)

    assert heading(0, None) == "Nothing to study right now"
    assert heading(3, timedelta(0)).startswith("Session ended")  # left with cards due
    assert heading(3, timedelta(minutes=10)).startswith("Done for now")  # learning steps
    assert heading(3, timedelta(days=2)) == "Session complete"
    assert heading(3, None) == "Session complete"


async def test_the_footer_offers_submit_once_an_option_is_chosen(
    make_app: AppFactory, settle: Settle
) -> None:
    """Bindings follow state (reactive), not a manual refresh: Enter appears with a choice."""
    from textual.widgets._footer import FooterKey

    def footer_actions() -> list[str]:
        return [key.action for key in pilot.app.screen.query(FooterKey)]

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        while (card := study_screen(pilot).card) is not None and card.item.key != "primes":
            await answer_current(pilot)
            await settle(pilot)
        assert "submit" not in footer_actions()
        await pilot.press("1")
        await settle(pilot)
        assert "submit" in footer_actions()
        await pilot.press("1")  # chosen again: taken back
        await settle(pilot)
        assert "submit" not in footer_actions()


async def test_enter_shows_a_basic_cards_answer_then_accepts_nothing_unasked(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    """Enter reveals a self-graded card as space does; it never rates one on its own."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        assert screen.card is not None and screen.card.kind == "basic"
        phases = [screen.phase]
        for _ in range(2):  # the second: no grade to accept, a self-graded card is rated by hand
            await pilot.press("enter")
            await settle(pilot)
            phases.append(screen.phase)
        assert phases == ["question", "answered", "answered"]
        assert review_count(store()) == 0


async def test_the_answer_box_takes_letters_and_the_footer_offers_only_what_works(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    """In a typed card's box, u, - and ! are text: the footer offers ^z and Escape instead;
    out of the box, it offers Tab back and the usual keys."""
    from textual.widgets import Input
    from textual.widgets._footer import FooterKey

    def footer() -> set[str]:
        return {key.action for key in pilot.app.screen.query(FooterKey)}

    async with make_app().run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        for _ in range(2):  # the basic card and the cloze: Good
            await pilot.press("space", "3")
            await settle(pilot)
        assert screen.card is not None and screen.card.kind == "typed"
        box = screen.query_one(Input)
        assert screen.focused is box
        assert {"undo_typing", "leave"} <= footer()
        assert not footer() & {"undo", "bury", "suspend", "edit", "focus_answer"}
        await pilot.press("u", "minus", "exclamation_mark")
        await settle(pilot)
        assert box.value == "u-!"  # typed, not undo, bury and suspend
        assert review_count(store()) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert {"undo", "bury", "focus_answer"} <= footer()
        assert "undo_typing" not in footer()
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is box
        await pilot.press("ctrl+z")  # undo from inside the box: the cloze again
        await settle(pilot)
        assert screen.card is not None and screen.card.item.key == "water/c1"
    assert [r.undone for r in store().history("every-kind", "water/c1")] == [True]


async def test_i_shows_the_cards_state_and_history_without_leaving_it(
    make_app: AppFactory, settle: Settle
) -> None:
    from quiz.tui.screens.info import CardInfoModal

    async with make_app().run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        screen = study_screen(pilot)
        await pilot.press("space", "3", "u")  # answered, then taken back: in the history
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, CardInfoModal)
        text = str(modal.query_one("#info", Static).render())
        assert "Card info · Capital of France?" in text
        assert "State        new" in text and "learn    Good" in text and "(undone)" in text
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.phase == "question"
