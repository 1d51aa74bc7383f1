"""Deck text is data: markup, links, click actions and escape sequences show literally."""

from __future__ import annotations

from typing import Any

from conftest import AppFactory, Settle, StoreOpener
from helpers import review_count
from pilot_keys import type_text
from textual.app import App
from textual.widgets import Static

from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.study import StudyScreen

MARKUP = "[bold]x[/bold] and [link=https://e.com]l[/link] and [@click=app.quit]q[/]"


def screen_text(app: App[Any]) -> str:
    """Everything on screen, as the terminal would show it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_hostile_deck_is_shown_literally_and_the_app_keeps_running(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    app = make_app("hostile.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert "[bold]Hostile[/bold] deck" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StudyScreen)
        prompt = screen.query_one("#prompt", Static)
        assert str(prompt.render()) == MARKUP
        assert MARKUP in screen_text(app)
        await pilot.click(prompt, offset=(len(MARKUP) - 5, 0))  # on "[@click=app.quit]q"
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        assert "[red]answer[/red] ␛[31mred␛[0m" in text
        assert "OSC 8: ␛]8;;http://x␇link␛]8;;␇ and [$accent]var[/]" in text
        exported = app.export_screenshot()
        assert "\x1b" not in exported
        await pilot.press("3")
        await settle(pilot)
        # A typed answer with markup in it, compared literally.
        await type_text(pilot, "[b]this[/b]")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
        await pilot.press("3")
        await settle(pilot)
        # Choice options with markup and a clear-screen sequence.
        assert screen.card is not None and screen.card.kind == "choice"
        text = screen_text(app)
        assert "[@click=app.quit]quit[/]" in text and "[reverse]no[/reverse]" in text
        assert "␛[2Jclear" in text
        await pilot.press(str(screen.card.options.index("[@click=app.quit]quit[/]") + 1))
        await pilot.press("3")
        await settle(pilot)
        assert app.is_running
    assert review_count(store()) == 3
