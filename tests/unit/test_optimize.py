"""``quiz optimize``: weights fitted to a learner unlike FSRS's defaults predict them better.

A simulated learner forgets faster than the defaults assume (hidden weights); they study with
the default schedule for months. Weights fitted to the first months must predict the later
months' reviews better than the defaults do (log loss on reviews the fit never saw).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs
import fsrs_rs_python as rs
import pytest

from quiz.cli import main
from quiz.config import load_config
from quiz.errors import QuizError
from quiz.optimize import MIN_REVIEWS, dated_items, fit, review_items, write_parameters
from quiz.storage import Answer

START = datetime(2024, 1, 1, 9, tzinfo=UTC)
HIDDEN = list(fsrs.scheduler.DEFAULT_PARAMETERS)
HIDDEN[:4] = [w * 0.25 for w in HIDDEN[:4]]  # first memories four times weaker
HIDDEN[8] = 0.9  # and growing more slowly with each success


def simulate(days: int, new_per_day: int, seed: int = 7) -> list[Answer]:
    """A learner whose memory follows ``HIDDEN``, studying what FSRS's defaults schedule."""
    rng = random.Random(seed)
    schedule = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    memory = fsrs.Scheduler(
        parameters=HIDDEN, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    cards: list[tuple[fsrs.Card, fsrs.Card]] = []
    answers = []
    for day in range(days):
        now = START + timedelta(days=day)
        cards += [(fsrs.Card(0, due=now), fsrs.Card(0, due=now)) for _ in range(new_per_day)]
        for n, (shown, truth) in enumerate(cards):
            if shown.due > now:
                continue
            recall = truth.last_review is None or rng.random() < memory.get_card_retrievability(
                truth, now
            )
            rating = fsrs.Rating.Good if recall else fsrs.Rating.Again
            cards[n] = (
                schedule.review_card(shown, rating, now)[0],
                memory.review_card(truth, rating, now)[0],
            )
            answers.append(Answer("d", f"c{n}", int(rating), "review", now, 0, now.date(), 0))
    return answers


def test_fitted_weights_predict_later_reviews_better_than_the_defaults() -> None:
    answers = simulate(days=120, new_per_day=6)
    split = date(2024, 3, 1)
    fitted = fit(a for a in answers if a.learner_day < split)
    assert fitted.fitted_loss < fitted.current_loss  # on the months it saw
    later = [item for day, item in dated_items(answers) if day >= split]
    default = rs.FSRS(list(rs.DEFAULT_PARAMETERS)).evaluate(later).log_loss
    own = rs.FSRS(list(fitted.fitted)).evaluate(later).log_loss
    assert own < default  # and on the months it did not


def test_too_little_history_says_so_and_fits_nothing() -> None:
    answers = simulate(days=10, new_per_day=2)
    assert len(review_items(answers)) < MIN_REVIEWS
    with pytest.raises(QuizError, match="at least 400"):
        fit(answers)


def test_the_fitted_weights_go_into_the_settings_file_and_nothing_else_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "# my settings\nday_starts_at = 5\n\n[study]\nnew_per_day = 30  # more\n\n"
        "[limits]\nnew_per_day = 50\n"
    )
    weights = [round(w * 1.01, 4) for w in fsrs.scheduler.DEFAULT_PARAMETERS]
    write_parameters(path, weights)
    text = path.read_text()
    assert text.startswith("# my settings\nday_starts_at = 5\n\n[study]\nparameters = [")
    assert "new_per_day = 30  # more" in text and "[limits]\nnew_per_day = 50" in text
    assert load_config(path).study.parameters == pytest.approx(weights, abs=1e-4)
    write_parameters(path, list(fsrs.scheduler.DEFAULT_PARAMETERS))  # replaced, not added
    assert path.read_text().count("parameters =") == 1
    empty = tmp_path / "new" / "config.toml"
    write_parameters(empty, weights)
    assert load_config(empty).study.parameters is not None


def test_optimize_without_history_explains_and_exits_nonzero(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["optimize"]) == 2  # an error, not a failed check
    assert "FSRS needs at least 400" in capsys.readouterr().err


def test_stats_say_which_weights_schedule_and_how_well_they_predict(tmp_path: Path) -> None:
    from quiz.config import Config
    from quiz.stats import stats_text
    from quiz.storage import Store

    with Store.open(tmp_path, now=START) as store:
        text = stats_text(store, [], START, Config())
        assert "FSRS weights: FSRS's defaults (quiz optimize fits your own" in text
    own = Config.model_validate({"study": {"parameters": list(HIDDEN)}})
    with Store.open(tmp_path, now=START) as store:
        assert "FSRS weights: your own ([study] parameters)" in stats_text(store, [], START, own)


def test_prediction_scores_the_weights_on_the_history() -> None:
    from quiz.optimize import prediction

    answers = simulate(days=90, new_per_day=6)
    default = prediction(answers, None)
    hidden = prediction(answers, HIDDEN)
    assert default is not None and hidden is not None
    assert hidden.current_loss < default.current_loss  # the true weights predict best
    assert prediction(answers[:50], None) is None


def test_the_weights_are_judged_on_the_past_year_only() -> None:
    """A lifetime's log is no statistics screen's business: only the last year is read."""
    from typing import Any, cast

    from quiz.config import Config
    from quiz.stats import PREDICTION_DAYS, weights_line

    answers = simulate(days=120, new_per_day=6)
    asked: list[datetime] = []

    class Log:
        def answers(self, *, since: datetime, deck_ids: list[str]) -> list[Answer]:
            asked.append(since)
            return [a for a in answers if a.reviewed_at >= since]

    class Deck:
        id = "d"

    recent = START + timedelta(days=130)
    line = weights_line(cast(Any, Log()), [cast(Any, Deck())], recent, Config())
    assert "reviews this past year, log loss" in line
    much_later = START + timedelta(days=PREDICTION_DAYS + 200)
    line = weights_line(cast(Any, Log()), [cast(Any, Deck())], much_later, Config())
    assert "fits your own once you have a few hundred reviews" in line
    assert asked == [recent - timedelta(days=PREDICTION_DAYS), much_later - timedelta(days=365)]
