"""Terminal safety of the app: the hostile deck (markup, actions, links, CSI / OSC 8 / OSC 52,
C0 and C1 controls, bidi overrides in every field of every card kind) and a deck file whose
very name is an escape sequence go through every screen; nothing reaches the terminal raw,
the text shows literally and the app keeps running."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory, Settle, StoreOpener
from helpers import review_count
from pilot_keys import open_first_deck, type_text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.study import StudyScreen

HOSTILE = Path(__file__).parent.parent / "data" / "hostile" / "hostile.toml"
MARKUP = "[bold]b[/bold] [@click=app.quit]q[/] [link=https://evil.example]l[/link] [$accent]v[/]"
OSC52 = "␛]52;c;ZXZpbA==␇ <U+009D>52;c;eA==<U+009C>"
BIDI = "<U+202E>evil<U+202C> <U+2066>iso<U+2069>"


def on_screen(app: App[Any]) -> str:
    """The screen as the terminal receives it, segment by segment."""
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    )


def assert_inert(app: App[Any]) -> str:
    text = on_screen(app)
    raw = sorted({f"U+{ord(c):04X}" for c in text if not (c.isprintable() or c == "\n")})
    assert raw == [], raw
    assert app.is_running
    return text


async def answer_any(pilot: Pilot[Any], screen: StudyScreen) -> None:
    """Give some answer to whatever card is shown, then rate it Good."""
    card = screen.card
    assert card is not None
    match card.kind:
        case "typed":
            await type_text(pilot, "x")
            await pilot.press("enter")
        case "choice":
            await pilot.press("1")
        case "truefalse":
            await pilot.press("t")
        case "order":
            await pilot.press("enter")
        case _:
            await pilot.press("space")
    await pilot.pause()


async def test_hostile_text_is_inert_on_every_screen(
    make_app: AppFactory, settle: Settle, tmp_path: Path, store: StoreOpener
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(HOSTILE, decks / "hostile.toml")
    evil_name = decks / "\x1b]52;c;ZXZpbA==\x07\u202e.toml"
    evil_name.write_text("x = ")
    app = make_app(decks)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = assert_inert(app)
        assert "T " + MARKUP in text  # the deck's title
        assert "␛]52;c;ZXZpbA==␇<U+202E>.toml:1: TOML syntax" in text  # the failing file

        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        kinds = {"basic", "cloze", "typed", "choice", "truefalse", "order"}
        seen: list[str] = []
        shown: list[str] = []
        while isinstance(app.screen, StudyScreen) and not kinds <= {*seen} and len(seen) < 12:
            assert screen.card is not None
            seen.append(screen.card.item.card_key)
            text = assert_inert(app)
            assert MARKUP in text
            await answer_any(pilot, screen)
            shown.append(assert_inert(app))
            await pilot.click(screen.query_one("#prompt", Static), offset=(22, 0))  # "[@click"
            await pilot.press("3")
            await settle(pilot)
        assert kinds <= {*seen}, seen
        assert any(OSC52 in text and BIDI in text for text in shown)  # literally, not acted on
        assert_inert(app)

        # Notifications quote errors, which quote paths and deck text.
        app.notify(f"problem in {evil_name}", title="\x1b[2J", severity="error", markup=False)
        await settle(pilot)
        await pilot.pause(0.1)
        assert "problem in" in assert_inert(app)

        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await settle(pilot)
        for key in ("b", "escape", "s", "escape", "e"):  # browse, statistics, an exam
            await pilot.press(key)
            await settle(pilot)
            assert_inert(app)
        assert MARKUP in on_screen(app)  # the exam asks a card of the hostile deck
    assert review_count(store()) >= 6


async def test_an_editor_name_with_markup_shows_literally(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.tui.app import run_editor

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-[bold]x[/bold]")
    app = make_app()
    app.editor = run_editor
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await open_first_deck(pilot, settle)
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("E")
        await settle(pilot)
        await pilot.pause(0.1)
        assert "cannot run the editor 'no-such-editor-[bold]x[/bold]'" in assert_inert(app)
        assert isinstance(app.screen, StudyScreen)
