"""Browse: search as you type, manage the selected card (asserting on the store), stay quick."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory, Clock, Settle, StoreOpener
from pilot_keys import type_text, write_locked
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from quiz.decks import Library, LoadedDeck
from quiz.model import BasicCard, DeckMeta
from quiz.session import StudySession
from quiz.tui.screens.browse import SHOWN, BrowseScreen


def browse_screen(pilot: Pilot[Any]) -> BrowseScreen:
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen), screen
    return screen


async def search(pilot: Pilot[Any], settle: Any, query: str) -> BrowseScreen:
    """Put a query in the search box at once (each change searches, as each keystroke does)."""
    screen = browse_screen(pilot)
    field = screen.query_one("#search", Input)
    field.focus()
    field.value = query
    await settle(pilot)
    return screen


async def test_search_as_you_type(make_app: AppFactory, settle: Settle) -> None:
    async with make_app("every-kind.toml", "hostile.toml").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = browse_screen(pilot)
        assert screen.result.total == 10  # from "All decks": no filter
        await type_text(pilot, "planet")
        await settle(pilot)
        assert screen.result.total == 1
        assert screen.result.entries[0].item.key == "planet"
        assert (await search(pilot, settle, "deck:hostile")).result.total == 3
        assert (await search(pilot, settle, "is:new -deck:hostile")).result.total == 7
        assert (await search(pilot, settle, "is:suspended")).result.total == 0
        assert (await search(pilot, settle, '"boils at"')).result.total == 1


async def test_suspend_unsuspend_and_reset_are_stored(
    make_app: AppFactory, settle: Settle, store: StoreOpener, clock: Clock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Some progress on the first card, as a study session would leave it.
        session = StudySession(app.store, app.library.decks, clock.now, app.config)
        assert session.next_card() is not None
        session.rate(4)
        await pilot.press("b")
        await settle(pilot)
        await search(pilot, settle, "capital")
        await pilot.press("enter")  # from the search box to the table
        await pilot.press("exclamation_mark")
        await settle(pilot)
        state = store().state("every-kind", "capital")
        assert state is not None and state.suspended and state.reps == 1
        screen = await search(pilot, settle, "is:suspended")
        assert [e.item.key for e in screen.result.entries] == ["capital"]
        await pilot.press("enter", "exclamation_mark")
        await settle(pilot)
        state = store().state("every-kind", "capital")
        assert state is not None and not state.suspended and state.reps == 1
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
    db = store()
    state = db.state("every-kind", "capital")
    assert state is not None and state.is_new and not state.suspended
    kinds = [r.kind for r in db.history("every-kind", "capital")]
    assert kinds == ["learn", "manual", "manual", "manual"]


async def test_details_show_the_review_history(
    make_app: AppFactory, settle: Settle, clock: Clock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = StudySession(app.store, app.library.decks, clock.now, app.config)
        session.next_card()
        session.rate(3, duration_ms=4000)
        await pilot.press("b")
        await settle(pilot)
        history = str(browse_screen(pilot).query_one(".history .field-value").render())
        assert "2025-03-03 12:00  learn    Good · 4s" in history


async def test_a_hundred_thousand_cards_fill_only_one_page(
    make_app: AppFactory, settle: Settle, tmp_path: Path
) -> None:
    cards = [BasicCard(front=f"question {n}", back=f"answer {n}") for n in range(100_000)]
    big = LoadedDeck(tmp_path / "big.toml", "big", DeckMeta(), cards, [0] * len(cards))  # type: ignore[arg-type]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.library = Library([big])
        app.open_browse()
        await settle(pilot)
        screen = browse_screen(pilot)
        assert screen.result.total == 100_000
        assert screen.query_one("#matches", DataTable).row_count == SHOWN
        count = str(screen.query_one("#browse-count").render())
        assert "100,000 cards match · showing 200; the last row shows 200 more" in count
        # The last row brings the next page, the cursor staying on the card it was on.
        table = screen.query_one("#matches", DataTable)
        table.focus()
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.row_count == 2 * SHOWN and table.cursor_row == SHOWN - 1
        assert screen.result.entries[SHOWN].item.prompt == f"question {SHOWN}"
        assert "showing 400; the last row shows 200 more" in str(
            screen.query_one("#browse-count").render()
        )
        assert (await search(pilot, settle, "question 99999")).result.total == 1


async def test_a_locked_database_keeps_browse_drawing_and_changes_nothing(
    make_app: AppFactory,
    settle: Settle,
    store: StoreOpener,
    quiz_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Suspend and reset wait for another process's lock in a worker, then say so."""
    from quiz import storage

    wait = 1.0
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", int(wait * 1000))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await search(pilot, settle, "capital")
        await pilot.press("enter")
        with write_locked(app, quiz_home) as ticks:
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert browse_screen(pilot).changing
            await pilot.press("exclamation_mark")  # waits for the first: no second change
            await settle(pilot)
            await pilot.press("R")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
        titles = [n.title for n in app._notifications]
        assert titles.count("Not changed") == 1 and "Not reset" in titles
        assert len(ticks.times) > 2 * wait / 0.1 and ticks.longest_gap() < wait / 2
        assert not browse_screen(pilot).changing
        await pilot.press("exclamation_mark")  # the lock is gone
        await settle(pilot)
        assert "Suspended." in [n.message for n in app._notifications]
    db = store()
    assert [r.kind for r in db.history("every-kind", "capital")] == ["manual"]
    state = db.state("every-kind", "capital")
    assert state is not None and state.suspended


async def test_down_leaves_the_search_box_and_unknown_terms_are_named(
    make_app: AppFactory, settle: Settle
) -> None:
    from textual.widgets import Static
    from textual.widgets._footer import FooterKey

    async with make_app("every-kind.toml").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = await search(pilot, settle, "planet colour:red")
        line = str(screen.query_one("#browse-count", Static).render())
        assert "unknown colour:red · filters: tag: deck: is:" in line
        footer = {key.action for key in screen.query(FooterKey)}
        assert "to_table" not in footer  # nothing matches
        screen = await search(pilot, settle, "a")
        footer = {key.action for key in screen.query(FooterKey)}
        assert "to_table" in footer and not footer & {"toggle_suspend", "reset", "edit"}
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(screen.focused, DataTable)
        footer = {key.action for key in screen.query(FooterKey)}
        assert {"toggle_suspend", "reset"} <= footer and "to_table" not in footer


async def test_set_due_date_and_unbury_from_the_browser(
    make_app: AppFactory, settle: Settle, store: StoreOpener, clock: Clock
) -> None:
    from quiz.scheduling import Calendar

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session = StudySession(app.store, app.library.decks, clock.now, app.config)
        assert session.next_card() is not None
        session.rate(4)  # capital: a review card, due in days
        assert session.next_card() is not None
        session.bury()  # water/c1: buried, still new
        await pilot.press("b")
        await settle(pilot)
        await search(pilot, settle, "capital")
        await pilot.press("down", "D")
        await settle(pilot)
        await pilot.press("ctrl+u", *"3", "enter")
        await settle(pilot)
        calendar = Calendar(app.zone, app.config.day_starts_at)
        state = store().state("every-kind", "capital")
        assert state is not None and state.due is not None
        assert (calendar.day(state.due) - calendar.day(clock.now())).days == 3
        await search(pilot, settle, "is:buried")
        await pilot.press("down", "D", "enter")  # a new card: nothing to move
        await settle(pilot)
        assert any("no due date to move" in n.message for n in pilot.app._notifications)
        await pilot.press("U")
        await settle(pilot)
    water = store().state("every-kind", "water/c1")
    assert water is not None and water.buried_until is None


async def test_details_name_the_leech_tag_beside_the_decks_own(
    make_app: AppFactory, settle: Settle, clock: Clock
) -> None:
    from quiz.card_state import CardState

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = await search(pilot, settle, "planet")
        entry = screen.result.entries[0]
        # quiz tags a card that keeps slipping; the tag lives with its progress, not the deck.
        leech = CardState(*entry.ref, reps=9, lapses=8, due=clock.now(), tags=("leech",))
        screen.states[entry.ref] = leech
        screen._show_details(again=True)
        tags = str(screen.fields["Tags"].query_one(".field-value").render())
        assert screen.fields["Tags"].display and tags == "leech"


async def test_o_and_a_header_click_sort_the_matches(make_app: AppFactory, settle: Settle) -> None:
    async with make_app("every-kind.toml").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = browse_screen(pilot)
        deck_order = [e.item.prompt for e in screen.result.entries]
        screen.query_one("#matches", DataTable).focus()
        for _ in range(2):  # due, then card
            await pilot.press("o")
            await settle(pilot)
        prompts = [e.item.prompt for e in screen.result.entries]
        assert prompts == sorted(deck_order, key=str.casefold) != deck_order
        assert "· by card" in str(screen.query_one("#browse-count").render())
        table = screen.query_one("#matches", DataTable)
        labels = {c.key.value: str(c.label) for c in table.columns.values()}
        assert labels["card"] == "Card ▲" and labels["due"] == "Due"
        await pilot.click("#matches", offset=(20, 0))  # the Card header again: reversed
        await settle(pilot)
        assert [e.item.prompt for e in screen.result.entries] == prompts[::-1]
        assert "· by card ↓" in str(screen.query_one("#browse-count").render())
        for _ in range(3):  # state, deck, then deck order again
            await pilot.press("o")
            await settle(pilot)
        assert [e.item.prompt for e in screen.result.entries] == deck_order


async def test_marked_cards_are_suspended_and_reset_together(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    app = make_app("every-kind.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = await search(pilot, settle, "-deck:nothing")
        total = screen.result.total
        await pilot.press("down")  # into the table, on the first row
        await pilot.press("space", "space")  # marks the first two (the cursor moves on)
        await pilot.press("down", "space")  # skips the third, marks the fourth
        await settle(pilot)
        marked = [e.ref for e in screen.result.entries[:2]] + [screen.result.entries[3].ref]
        assert list(screen.marked) == marked
        assert "3 marked (esc clears)" in str(screen.query_one("#browse-count").render())
        table = screen.query_one("#matches", DataTable)
        assert str(table.get_row_at(0)[1]).startswith("● ")
        await pilot.press("exclamation_mark")
        await settle(pilot)
        suspended = {ref for ref in marked if (s := store().state(*ref)) and s.suspended}
        assert suspended == set(marked)
        unmarked = screen.result.entries[2].ref
        assert store().state(*unmarked) is None  # the card left out is untouched
        assert any("Suspended: 3 cards." in n.message for n in pilot.app._notifications)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        for ref in marked:
            state = store().state(*ref)
            assert state is not None and not state.suspended and state.is_new
        await pilot.press("escape")  # clears the marks, stays in the browser
        await settle(pilot)
        assert not screen.marked and pilot.app.screen is screen
        await pilot.press("asterisk")  # every match shown
        assert len(screen.marked) == total
        await search(pilot, settle, "planet")  # a new search drops marks no longer seen
        assert not screen.marked
