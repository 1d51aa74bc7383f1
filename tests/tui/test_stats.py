"""Statistics screen after a simulated history: heatmap, forecast, retention, card counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import AppFactory, Clock, Settle
from textual.widgets import Select, Static

from quiz.session import StudySession
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.widgets.charts import BarChart, Heatmap


async def test_statistics_after_a_simulated_history(
    make_app: AppFactory, settle: Settle, clock: Clock
) -> None:
    app = make_app("every-kind.toml", "hostile.toml")
    start = clock.now()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Ten days ago every card of every-kind was learnt (Easy); yesterday all seven were
        # reviewed, one forgotten (Again, then Good when it came back).
        every_kind = [app.library.decks[0]]
        for days_ago, ratings in ((10, [4] * 7), (1, [1, 3, 3, 3, 3, 3, 3, 3])):
            clock.moment = start - timedelta(days=days_ago)
            session = StudySession(app.store, every_kind, clock.now, app.config)
            for rating in ratings:
                assert session.next_card() is not None
                session.rate(rating, duration_ms=1000)
                clock.advance(600)
            assert session.next_card() is None
        clock.moment = start
        await pilot.press("s")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StatsScreen)
        heatmap = screen.query_one(Heatmap)
        day = start.date()
        assert heatmap.counts == {day - timedelta(days=10): 7, day - timedelta(days=1): 8}
        forecast = screen.query_one(BarChart)
        # Learner days start at 04:00 (UTC here): the 30th ends on 2 April at 04:00.
        horizon = datetime(2025, 4, 2, 4, tzinfo=UTC)
        dues = [s.due for s in app.store.states_for_deck("every-kind").values() if s.due]
        assert len(forecast.values) == 30
        assert sum(forecast.values) == sum(due < horizon for due in dues) > 0
        retention = str(screen.query_one("#stats-retention", Static).render())
        assert retention.splitlines()[1].startswith("young    86% 6/7")  # last 7 days
        cards = str(screen.query_one("#stats-cards", Static).render())
        assert "review           7" in cards and "new              3" in cards
        # The hostile deck alone: no history at all.
        screen.query_one(Select).value = "hostile"
        await settle(pilot)
        assert screen.query_one(Heatmap).counts == {}
        cards = str(screen.query_one("#stats-cards", Static).render())
        assert "new              3" in cards and "review           0" in cards
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, StatsScreen)


async def test_page_keys_scroll_the_charts_at_80x24(make_app: AppFactory, settle: Settle) -> None:
    from textual.containers import VerticalScroll

    async with make_app("every-kind.toml").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        body = pilot.app.screen.query_one("#stats-body", VerticalScroll)
        assert body.max_scroll_y > 0  # more than one screen of charts
        assert isinstance(pilot.app.focused, Select)  # the picker has the keys
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        await settle(pilot)
        assert body.scroll_y == 0


async def test_the_forecast_tells_a_small_count_from_zero() -> None:
    from textual.app import App, ComposeResult

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield BarChart([0, 1, 200, 0], first_label="today", last_label="+3")

    async with Chart().run_test(size=(20, 9)) as pilot:
        await pilot.pause()
        lines = str(pilot.app.query_one(BarChart).render()).splitlines()
    bottom = lines[-2]  # the row above the labels
    assert bottom.startswith("  0 ")
    cells = [bottom[4 + 3 * n : 6 + 3 * n] for n in range(4)]  # two-column bars, one apart
    assert cells[0] == "▁▁" == cells[3]  # nothing due: the flat baseline
    assert cells[1] == "▂▂"  # 1 of 200 still shows a bar, taller than the baseline
    assert cells[2] == "██"
    assert lines[0].startswith("200 ")
