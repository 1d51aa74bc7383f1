"""``quiz generate``: drafting a deck from an article, held to quality checks on real text.

The checks run on three articles of our own (tests/data/articles) and, when it is present, on
the seed article in ../shared/seeds/. No sentence of the seed article is written here: only
names, offices and short facts the draft must cover.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.cli import main
from quiz.decks import deck_to_toml, parse_deck
from quiz.generate import (
    EXCERPT_WORDS,
    Draft,
    GenerateError,
    generate_deck,
    split_paragraphs,
    split_sentences,
)
from quiz.model import (
    BasicCard,
    Card,
    ChoiceCard,
    ClozeCard,
    OrderCard,
    TrueFalseCard,
    TypedCard,
    cloze_answered,
    cloze_deletions,
    prompt_text,
)

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "data" / "articles"
SEED = REPO.parent / "shared" / "seeds" / "article.txt"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def drafted_clozes(text: str) -> list[str]:
    """The cloze texts of a draft of ``text``."""
    return [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]


def _asked(card: Card) -> str:
    """What a card asks: its prompt, and for a cloze which words are gapped (one sentence
    with two gaps asks two things)."""
    gaps = [d.answer for d in cloze_deletions(card.cloze)] if isinstance(card, ClozeCard) else []
    return " | ".join([_norm(prompt_text(card)), *gaps])


def found_in(text: str, paragraph: str) -> bool:
    """Every piece of ``text`` between "…" cuts appears, word for word, in the paragraph."""
    pieces = [_norm(p) for p in re.split(r"…|___", text)]
    haystack = f" {_norm(paragraph)} "
    return any(pieces) and all(f" {p} " in haystack for p in pieces if p)


def checked_texts(card: Card) -> list[str]:
    """What a card claims the source says: its answers, and the context it shows with them."""
    match card:
        case BasicCard():
            return [card.back]
        case TypedCard():
            if not card.prompt.startswith("Fill in the number: "):
                return [card.answer]  # a question (who said ...?), not a sentence with a gap
            context = card.prompt.removeprefix("Fill in the number: ")
            return [card.answer, context.replace("___", card.answer)]
        case ChoiceCard():
            if card.question.startswith("Fill in the number: "):
                context = card.question.removeprefix("Fill in the number: ")
                return [*card.answers, context.replace("___", card.answers[0])]
            return card.answers
        case ClozeCard():
            # "He (Berg) studied ...": the name beside an opening pronoun is the draft's own
            answered = re.sub(r"^(He|She|His|Her) \([^)]*\)", r"\1", cloze_answered(card.cloze))
            return [d.answer for d in cloze_deletions(card.cloze)] + [answered]
        case TrueFalseCard():
            m = re.match(r"(.+?) (?:said|reported that) (.+)$", card.statement)
            assert m, card.statement
            speaker = m.group(1)
            if not card.true:
                said = re.fullmatch(r"It was (.+)\.", card.explanation or "")
                assert said, card
                speaker = said.group(1)
            return [speaker, m.group(2)]
        case OrderCard():
            return []  # its events come from several paragraphs: see the timeline test
    raise AssertionError(card)


def article(name: str) -> str:
    if name == "seed":
        if not SEED.exists():
            pytest.skip(f"seed article not present at {SEED}")
        return SEED.read_text(encoding="utf-8")
    return (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")


def draft(name: str, **kwargs: object) -> Draft:
    return generate_deck(article(name), source_name=f"{name}.txt", **kwargs)  # type: ignore[arg-type]


def answers(d: Draft, kind: type) -> set[str]:
    out: set[str] = set()
    for card in d.deck.cards:
        if isinstance(card, kind):
            if isinstance(card, ClozeCard):
                out |= {x.answer for x in cloze_deletions(card.cloze)}
            elif isinstance(card, ChoiceCard):
                out |= set(card.answers)
            elif isinstance(card, BasicCard):
                out.add(card.back)
            elif isinstance(card, TypedCard):
                out.add(card.answer)
    return out


def offices(d: Draft) -> dict[str, str]:
    """Person → office, from "Who is X?" cards, or from the note "Ada Berg: geophysicist." of
    a card that asks who (at most two cards are drafted from a sentence: the office may have
    no card of its own)."""
    found: dict[str, str] = {}
    for c in d.deck.cards:
        if c.explanation and (note := re.fullmatch(r"(.+?): (.+)\.", c.explanation)):
            found.setdefault(note.group(1), note.group(2))
        m = (
            re.fullmatch(r"Who is (?!the |a |an )(.+)\?|What is (.+)'s role\?", c.front)
            if isinstance(c, BasicCard)
            else None
        )
        if m and isinstance(c, BasicCard):
            found[m.group(1) or m.group(2)] = c.back
    return found


NUMBER = r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twice)\b"
NAMES = ["science", "sport", "press_release", "seed"]

# What each draft must cover: people with their offices, who said what, figures, places.
EXPECTED: dict[str, dict[str, object]] = {
    "science": {
        "min_cards": 15,
        "offices": {
            "Ingrid Halvorsen": "a glaciologist at the Nordic Polar Institute",
            "Marcus Oyelaran": "a geophysicist at the University of Leeds",
        },
        "speakers": {"Ingrid Halvorsen", "Halvorsen", "Oyelaran"},
        "figures": {"1.8", "0.3", "12", "2.5 million"},
        "places": {"Ilulissat"},  # Greenland is in the headline: no gap for the topic
        "absent": ["Tomas Varga", "radar sled", "fifth year", "Facebook"],
    },
    "sport": {
        "min_cards": 20,
        "offices": {
            "Sofia Lindqvist": "Harbour City head coach",
            "Petra Novak": "Valemont manager",
            "Joel Ferreira": "captain",
            "Kwame Mensah": "substitute",
        },
        "speakers": {"Sofia Lindqvist", "Mensah", "Novak", "Petra Novak"},
        "figures": {"3-2", "1-0", "58th", "87th", "14,200"},
        "places": {"Riverside Park", "Eastport Rovers"},
        "absent": ["Brazilian winger", "Instagram", "We play for the fans", "celebrates"],
    },
    "press_release": {
        "min_cards": 15,
        "offices": {
            "Hanne Dahl": "chief executive of Nordlys Energy",
            "Ragnhild Sæther": "Minister of Energy",
        },
        "speakers": {"Hanne Dahl", "Vestnett"},
        # 14 months, 1.1 billion kroner and 35 people share one sentence: two of them are asked
        "figures": {"120", "240", "1.1 billion", "210"},
        "places": {"Fjellvik", "Bergen", "Stavanger"},
        "absent": ["Ola Brekke", "press@", "Gothenburg", "IMMEDIATE", "download images"],
    },
    "seed": {
        "min_cards": 30,
        "offices": {
            "Naftali Bennett": "Prime Minister",
            "Vladimir Putin": "Russian President",
            "Volodymyr Zelensky": "Ukrainian President",
            "Yair Lapid": "Foreign Minister",
            "Yevgen Korniychuk": "Ukrainian Ambassador to Israel",
            "Gary Koren": "Foreign Ministry Deputy Director-General for Eurasia",
            "Benjamin Netanyahu": "former prime minister",
            # Herzog is the second person of a sentence whose two cards ask about Netanyahu
            "Michael Brodsky": "Israeli Ambassador to Ukraine",
        },
        "speakers": {
            "Naftali Bennett",
            "Bennett",
            # Putin speaks only inside RIA's report: "Who reported that Putin said ...?" asks it
            "Zelensky",
            "Yevgen Korniychuk",
            "Gary Koren",
            "Koren",
            "Michael Brodsky",
            "RIA",
            "Yediot Aharonot",
        },
        "figures": {"100"},  # "twice" shares its sentence with Netanyahu and Herzog, asked
        "places": {"Belarus", "Kyiv", "Syria"},  # Ukraine, the topic, only where nothing is better
        "absent": ["Snake Island", "Day 4", "sabotage", "miscalculate"],
    },
}


# --- splitting ------------------------------------------------------------------------------


def test_sentences_keep_abbreviations_initials_decimals_and_quotes() -> None:
    text = (
        "Mr. Smith met Dr. J. K. Rowling in the U.S. capital on Friday. "
        "Prices rose 3.5 percent in Jan. 2022, e.g. bread. "
        "“We are ready,” she said. “Are you?” he asked. He left… Then the U.S. The end!"
    )
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. K. Rowling in the U.S. capital on Friday.",
        "Prices rose 3.5 percent in Jan. 2022, e.g. bread.",
        "“We are ready,” she said.",
        "“Are you?” he asked.",
        "He left…",
        "Then the U.S.",
        "The end!",
    ]


def test_sentences_of_odd_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("no punctuation at all") == ["no punctuation at all"]
    assert split_sentences("这是第一句。这是第二句！") == ["这是第一句。", "这是第二句！"]


def test_paragraphs_by_line_when_there_are_no_blank_lines() -> None:
    assert split_paragraphs("One line.\n  Two   line.\n\n") == ["One line.", "Two line."]


def test_paragraphs_by_block_joining_hard_wrapped_lines() -> None:
    text = (
        "Headline of the story\n\n"
        "This paragraph is wrapped at a fixed width so that\n"
        "its lines are joined again into one paragraph of\n"
        "text.\n\n"
        "Every line here ends a sentence.\nSo every line is a paragraph.\n\n"
        "Read more:\n- one link\n- another link\n"
    )
    assert split_paragraphs(text) == [
        "Headline of the story",
        "This paragraph is wrapped at a fixed width so that its lines are joined again into one"
        " paragraph of text.",
        "Every line here ends a sentence.",
        "So every line is a paragraph.",
        "Read more:",
        "- one link",
        "- another link",
    ]


# --- quality on real text -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_is_in_its_source_paragraph(name: str) -> None:
    text = article(name)
    paragraphs = split_paragraphs(text)
    d = draft(name)
    for card in d.deck.cards:
        assert card.source is not None and card.source.paragraph is not None
        paragraph = paragraphs[card.source.paragraph - 1]
        for claimed in checked_texts(card):
            assert found_in(claimed, paragraph), (card.id, claimed)
        assert card.source.excerpt is not None
        assert found_in(card.source.excerpt, paragraph), card.id
        assert len(card.source.excerpt.split()) <= EXCERPT_WORDS + 1


@pytest.mark.parametrize("name", NAMES)
def test_draft_covers_people_speakers_figures_and_places(name: str) -> None:
    d = draft(name)
    expected = EXPECTED[name]
    assert len(d.deck.cards) >= expected["min_cards"]  # type: ignore[operator]
    found = offices(d)
    for person, office in expected["offices"].items():  # type: ignore[attr-defined]
        assert found.get(person, "").casefold() == office.casefold(), person
    said = answers(d, ChoiceCard) | answers(d, BasicCard) | answers(d, TypedCard)
    assert expected["speakers"] <= said  # type: ignore[operator]
    figures = answers(d, TypedCard) | answers(d, ChoiceCard)
    assert expected["figures"] <= figures  # type: ignore[operator]
    assert expected["places"] <= answers(d, ClozeCard)  # type: ignore[operator]
    kinds = {c.kind for c in d.deck.cards}
    assert {"basic", "cloze"} <= kinds and kinds & {"choice", "typed"}


@pytest.mark.parametrize("name", NAMES)
def test_nothing_from_link_lists_bylines_captions_or_contacts(name: str) -> None:
    d = draft(name)
    toml = deck_to_toml(d.deck)
    for absent in EXPECTED[name]["absent"]:  # type: ignore[attr-defined]
        assert absent not in toml
    noise = {s.paragraph for s in d.report.skipped if s.reason != "no fact found"}
    assert noise
    assert all(c.source and c.source.paragraph not in noise for c in d.deck.cards)


@pytest.mark.parametrize("name", NAMES)
def test_no_two_cards_ask_the_same_thing(name: str) -> None:
    prompts = [_asked(c) for c in draft(name).deck.cards]
    assert len(prompts) == len(set(prompts))


@pytest.mark.parametrize("name", NAMES)
def test_distractors_are_other_facts_of_the_same_article(name: str) -> None:
    text = article(name)
    d = draft(name)
    people = set(offices(d))
    choices = [c for c in d.deck.cards if isinstance(c, ChoiceCard)]
    for card in choices:  # with fewer than three options a choice became a typed card
        assert len(card.distractors) >= 2
        options = [_norm(x) for x in card.distractors]
        assert len(options) == len(set(options))
        assert not set(options) & {_norm(a) for a in card.answers}
        assert all(x in text for x in card.distractors)
        if card.question.startswith("Who is "):
            assert set(card.distractors) <= people
        if card.question.startswith("Fill in the number: "):
            assert all(re.search(NUMBER, x) for x in card.distractors)


@pytest.mark.parametrize("name", NAMES)
def test_output_is_reproducible_and_passes_the_loader(name: str, tmp_path: Path) -> None:
    first, second = deck_to_toml(draft(name).deck), deck_to_toml(draft(name).deck)
    assert first == second
    loaded = parse_deck(first, tmp_path / "draft.toml")
    assert loaded.warnings == []
    assert len({c.id for c in loaded.cards}) == len(loaded.cards)
    assert all(
        c.id and re.fullmatch(r"[a-z]+-p\d+-\d+-[0-9a-f]{6}(-\d+)?", c.id) for c in loaded.cards
    )


def test_same_bytes_from_processes_with_different_hash_seeds() -> None:
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "quiz", "generate", str(ARTICLES / "sport.txt")],
            capture_output=True,
            env=env,
            check=True,
            cwd=REPO,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1 and b"[[cards]]" in outputs.pop()


@pytest.mark.parametrize("name", NAMES)
def test_max_is_honoured_and_still_covers_kinds(name: str) -> None:
    full = draft(name)
    small = draft(name, max_cards=8)
    assert len(small.deck.cards) == 8
    assert small.report.left_out == len(full.deck.cards) - 8
    assert len({c.tags[0] for c in small.deck.cards}) >= 3
    ids = [c.id for c in full.deck.cards]
    assert [c.id for c in small.deck.cards] == [
        i for i in ids if i in {c.id for c in small.deck.cards}
    ]
    assert len(draft(name, max_cards=10_000).deck.cards) == len(full.deck.cards)


def test_report_counts_kinds_and_reasons() -> None:
    d = draft("press_release")
    assert sum(d.report.cards_by_kind.values()) == len(d.deck.cards)
    reasons = {s.reason for s in d.report.skipped}
    assert {"contact details", "share prompt", "headline", "boilerplate"} <= reasons
    summary = d.report.summary()
    assert summary.startswith(f"drafted {len(d.deck.cards)} card(s)")
    assert "contact details" in summary
    assert d.deck.deck.title == "Nordlys Energy opens Norway's largest battery storage plant"


def test_who_said_asks_with_other_speakers() -> None:
    d = draft("sport")
    said = [
        c for c in d.deck.cards if isinstance(c, ChoiceCard) and c.question.startswith("Who said")
    ]
    assert {c.answers[0] for c in said} >= {"Sofia Lindqvist", "Mensah", "Novak"}
    short = next(c for c in said if c.answers == ["Mensah"])
    assert all(" " not in x for x in short.distractors)  # surnames beside a surname


def test_a_false_statement_swaps_the_speaker_and_says_who_it_was() -> None:
    text = (
        "“We will keep the plant open,” said Ada Berg on Monday.\n\n"
        "“We should have closed it years ago,” said Bo Lind.\n\n"
        "“Nobody asked the workers,” said Cy Moe.\n\n"
        "“The workers want it open,” said Di Holm.\n\n"
        "“Talks resume in May,” said Ed Vik.\n"
    )
    d = generate_deck(text)
    flipped = [c for c in d.deck.cards if isinstance(c, TrueFalseCard) and not c.true]
    assert flipped
    for card in flipped:
        speaker = card.statement.split(" said ")[0]
        assert card.explanation and card.explanation.startswith("It was ")
        assert speaker not in card.explanation and speaker in {
            "Ada Berg",
            "Bo Lind",
            "Cy Moe",
            "Di Holm",
        }


def test_title_option_and_bad_options() -> None:
    d = generate_deck(
        "Alice Smith, chief executive of Acme Robotics, said profits rose.", title="T"
    )
    assert d.deck.deck.title == "T"
    with pytest.raises(GenerateError, match="--max"):
        generate_deck("text", max_cards=0)
    with pytest.raises(GenerateError, match="title"):
        generate_deck("text", title="  ")


# --- text that is not a tidy article ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n \t ",
        "One sentence about Oslo and Bergen on Monday.",
        "Один абзац на русском языке. Президент Иван Петров сказал, что 5 тонн прибыли в Москву.",
        "שלום עולם. זהו משפט בעברית עם המספר 42.",
        "中文文本没有空格。第二句有数字3。",
        "{{not a cloze}} said Jane Doe on Friday. A {{brace}} in Paris cost 5 euros.",
        "\x1b[31mRED\x1b[0m text\x00 with control characters said Bob Jones in Rome.",
        "x" * 5000,
        " ".join(["word"] * 3000),
        '"Unbalanced quote, said Mr. Smith. ” ” “ " said',
        "🎉🎉🎉 Emoji only!!! ??? ... …",
        "Read more:\n- a\n- b\n",
    ],
)
def test_odd_text_does_not_crash(text: str, tmp_path: Path) -> None:
    d = generate_deck(text)
    if d.deck.cards:
        parse_deck(deck_to_toml(d.deck), tmp_path / "odd.toml")
        assert all(
            "\x1b" not in prompt_text(c) and "\x00" not in prompt_text(c) for c in d.deck.cards
        )


PIECES = [
    "Mr.",
    "Jane",
    "Doe",
    "President",
    "said",
    "told",
    "“",
    "”",
    '"',
    ",",
    ".",
    "Oslo",
    "in",
    "on",
    "Friday",
    "3-2",
    "100",
    "tons",
    "twice",
    "according",
    "to",
    "{{",
    "}}",
    "::",
    "\n",
    "\n\n",
    "-",
    "Read",
    "By",
    "(Photo:",
    "he",
    "that",
    "U.S.",
    "2021",
    "$5",
    "5%",
    "58th",
    "minute",
    "University",
    "…",
    "Ä",
    "İ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join)))
def test_any_text_gives_a_deck_that_loads(text: str) -> None:
    d = generate_deck(text)
    if d.deck.cards:
        parse_deck(deck_to_toml(d.deck), Path("fuzz.toml"))


def test_one_sentence_article() -> None:
    d = generate_deck("Foreign Minister Jane Roe said on Monday that 40 ships left Oslo.")
    # At most two cards of one sentence: who said it, and the number; the office rides along.
    assert len(d.deck.cards) == 2 and "beyond 2 per sentence" in d.report.summary()
    assert offices(d) == {"Jane Roe": "Foreign Minister"}
    assert "40" in answers(d, TypedCard)
    # One person and one number: no distractor of their class, so no choice card either.
    assert not any(isinstance(c, ChoiceCard) for c in d.deck.cards)
    fronts = {c.front: c.back for c in d.deck.cards if isinstance(c, BasicCard)}
    assert fronts == {"Who said 40 ships left Oslo?": "Jane Roe"}


def test_huge_article_is_drafted(tmp_path: Path) -> None:
    rng = random.Random(5)
    vocabulary = (article("sport") + " " + article("science")).split()
    words = [rng.choice(vocabulary) for _ in range(10_000)]
    d = generate_deck(" ".join(words))
    prompts = [_asked(c) for c in d.deck.cards]
    assert len(prompts) == len(set(prompts))
    big = "\n\n".join([article("sport"), article("science"), article("press_release")] * 11)
    assert len(big.split()) > 10_000
    d = generate_deck(big)
    once = generate_deck("\n\n".join(big.split("\n\n")[: len(big.split("\n\n")) // 11]))
    assert len(d.deck.cards) >= len(once.deck.cards) >= 50
    parse_deck(deck_to_toml(d.deck), tmp_path / "big.toml")


# --- command line -----------------------------------------------------------------------------


def test_cli_writes_a_deck_that_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "decks" / "sport.toml"
    out.parent.mkdir()
    code = main(
        ["generate", str(ARTICLES / "sport.txt"), "-o", str(out), "--max", "12", "--title", "Cup"]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert err.startswith("drafted 12 card(s)") and f"wrote 12 card(s) to {out}" in err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#:schema ./deck.schema.json\n") and 'title = "Cup"' in text
    assert main(["check", str(out)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_cli_writes_to_stdout_and_the_summary_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(ARTICLES / "science.txt")]) == 0
    captured = capsys.readouterr()
    assert "[[cards]]" in captured.out and "drafted" not in captured.out
    assert captured.err.startswith("drafted ")
    assert "byline" in captured.err and "link list" in captured.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"caf\xe9 au lait", "not UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
        (b"", "nothing to draft"),
        (b"Read more:\n- a link\n", "nothing to draft"),
    ],
)
def test_cli_errors_are_messages(
    content: bytes | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["generate", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_rejects_a_folder_and_a_bad_max(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["generate", str(ARTICLES / "sport.txt"), "--max", "0"]) == 2
    assert "--max must be at least 1" in capsys.readouterr().err


def test_people_named_in_full_then_by_surname_get_who_did_what_cards() -> None:
    text = (
        "Saturday, May 4, 2024\n\n"
        "On Saturday, Tomas Rivera won the Harbour Cup sailing race in record time.\n\n"
        "Rivera finished ahead of Lena Brandt, who had led for most of the day.\n\n"
        "Brandt lost the lead at the last mark when her spinnaker tore.\n\n"
        "The Tomas Rivera Trophy goes to the fastest newcomer.\n\n"
        "The crews of Lena Brandt, Tomas Rivera and Omar Haddad sail again in June."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("{{Tomas Rivera::who}} won the Harbour Cup" in c for c in clozes), clozes
    assert not any("{{Tomas Rivera::who}} Trophy" in c for c in clozes)  # part of a name
    assert not any("{{Harbour Cup::who}}" in c for c in clozes)  # a race is not a person
    assert not any("Brandt, {{Tomas Rivera::who}} and" in c for c in clozes)  # one of a list


def test_whoever_won_is_asked_by_surname_and_a_known_winner_gives_way_to_a_new_fact() -> None:
    """Who won ("Lind won ...") is the point of a report: the surname alone is the gap; where a
    card already asked for Maria Lind, a sentence's other people come first."""
    won = (
        "Sunday, June 2, 2024\n\n"
        "The Lakeside 200 was run at Harbor Park in light rain on Sunday afternoon.\n\n"
        "Rookie driver Maria Lind started from the back of the field with a new engine.\n\n"
        "After a late caution, Lind won the race by a second over Petra Holm."
    )
    assert any("{{Lind::who}} won the race" in c for c in clozes_of(generate_deck(won)))
    again = (
        "Sunday, June 2, 2024\n\n"
        "On Sunday, Maria Lind of Team Nord won the Lakeside 200 at Harbor Park.\n\n"
        "Starting tenth, Lind won her fifth race of the season, breaking a tie with teammate"
        " Ola Berg for the most wins, while tying rally driver Nina Kask for the most podiums."
    )
    later = [c for c in clozes_of(generate_deck(again)) if "Lakeside" not in c]
    assert not any("{{Lind::who}}" in c for c in later), later
    assert {"Ola Berg", "Nina Kask"} <= {x.answer for c in later for x in cloze_deletions(c)}


def test_code_in_technical_text_is_asked_whole_and_numbers_never_cut_it() -> None:
    text = (
        "Use the --max-redirs option to change how many redirects curl follows.\n\n"
        "The --post301 option keeps a POST after a 301 response.\n\n"
        "Call sorted() to get a new list; the Apache server --the oldest one-- is not code."
    )
    cards = generate_deck(text).deck.cards
    clozes = [c.cloze for c in cards if isinstance(c, ClozeCard)]
    assert any("{{--max-redirs::option}}" in c for c in clozes), clozes
    assert any("{{sorted()::function}}" in c for c in clozes), clozes
    assert not any("--the::" in c for c in clozes)
    for card in cards:  # no number gap inside --post301
        shown = prompt_text(card)
        assert "--post___" not in shown and "{{301" not in shown, shown


def test_what_a_term_is_where_the_text_says_so() -> None:
    text = (
        "Gradle, the build tool of many Java projects, reads a file called build.gradle.\n\n"
        "Finding a plugin is easy -- plugins.gradle.org is a public index of Gradle plugins.\n\n"
        "The first script is known as the Init Script, and plugins.gradle.org lists it too.\n\n"
        "Finally, the tool caches every download. However, the cache can grow large."
    )
    cards = generate_deck(text).deck.cards
    asked = {c.front: c.back for c in cards if isinstance(c, BasicCard)}
    assert asked.get("What is Gradle?") == "the build tool of many Java projects"
    assert asked.get("What is plugins.gradle.org?") == "a public index of Gradle plugins"
    assert "What is Finally?" not in asked and "What is However?" not in asked
    clozes = [c.cloze for c in cards if isinstance(c, ClozeCard)]
    assert any("known as the {{Init Script::name}}" in c for c in clozes), clozes


def test_why_from_because_and_due_to() -> None:
    text = (
        "The keeper was substituted in the 30th minute due to injury and was replaced.\n\n"
        "The match was delayed because of heavy rain over the stadium, officials said."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("due to {{injury::why}} and was replaced" in c for c in clozes), clozes
    assert any("because of {{heavy rain over the stadium::why}}" in c for c in clozes), clozes


# --- choosing what to ask -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_at_most_two_cards_per_sentence(name: str) -> None:
    d = draft(name)
    cards = [c for c in d.deck.cards if c.source and not isinstance(c, OrderCard)]
    per_sentence = Counter((c.source.paragraph, c.source.excerpt) for c in cards if c.source)
    assert max(per_sentence.values()) <= 2
    assert d.report.repeats > 0 and "per sentence" in d.report.summary()


def test_the_two_cards_of_a_sentence_ask_different_facts() -> None:
    d = generate_deck(
        "Valemont captain Joel Ferreira scored twice on Saturday.\n\n"
        "Ferreira later thanked the fans.\n\n"
        "Valemont striker Amir Haddad and keeper Ben Moss watched.\n"
    )
    first = [c for c in d.deck.cards if c.source and c.source.paragraph == 1]
    assert len(first) == 2
    asked = {card_answer(c) for c in first}
    assert len(asked) == 2 and "twice" in asked  # not "Who is the captain?" and its reverse


def clozes_of(d: Draft) -> list[str]:
    """The cloze texts of a draft, in deck order."""
    return [c.cloze for c in d.deck.cards if isinstance(c, ClozeCard)]


def gaps_of(d: Draft, hint: str | None = None) -> set[str]:
    """The answers of a draft's cloze gaps (with ``hint``: only those hinted so)."""
    return {
        x.answer
        for c in d.deck.cards
        if isinstance(c, ClozeCard)
        for x in cloze_deletions(c.cloze)
        if hint is None or x.hint == hint
    }


def numbers_of(d: Draft) -> list[str]:
    """The answers of a draft's number cards, in deck order."""
    return [card_answer(c) for c in d.deck.cards if "Fill in the number" in prompt_text(c)]


def card_answer(card: Card) -> str:
    match card:
        case ClozeCard():
            return " ".join(d.answer for d in cloze_deletions(card.cloze))
        case BasicCard():
            return card.back
        case TypedCard():
            return card.answer
        case ChoiceCard():
            return " ".join(card.answers)
    return ""


def test_a_list_is_asked_as_one_cloze_of_all_its_items() -> None:
    d = generate_deck(
        "The survey covered wheat, rice, maize and soybean in four countries.\n\n"
        "Floods, droughts and extreme weather also matter.\n\n"
        "The fund was backed by Nordlys Energy, Kestrel Cells and Vestnett.\n"
    )
    lists = [c for c in d.deck.cards if isinstance(c, ClozeCard) and "c1::" in c.cloze]
    found = [[x.answer for x in cloze_deletions(c.cloze)] for c in lists]
    assert ["wheat", "rice", "maize", "soybean"] in found
    assert ["Nordlys Energy", "Kestrel Cells", "Vestnett"] in found
    assert not any("extreme" in items for items in found)  # "extreme weather": ends unknown
    assert all(len({x.group for x in cloze_deletions(c.cloze)}) == 1 for c in lists)


def test_who_did_what_keeps_the_title_as_the_cue_and_notes_the_office() -> None:
    d = generate_deck(
        "Ukrainian President Ada Berg has asked Israel several times to mediate.\n\n"
        "Berg spoke again on Monday.\n"
    )
    gaps = [c for c in d.deck.cards if isinstance(c, ClozeCard) and "::who}}" in c.cloze]
    assert gaps and gaps[0].cloze.startswith("Ukrainian President {{Ada Berg::who}} has asked")
    assert gaps[0].explanation == "Ada Berg: Ukrainian President."


def test_whom_a_speaker_told_is_asked_but_not_the_speaker() -> None:
    d = generate_deck(
        "Prime Minister Ada Berg told President Bo Lind on Sunday that she would help.\n\n"
        "Lind thanked Berg.\n"
    )
    gaps = gaps_of(d, "who")
    assert "Bo Lind" in gaps and "Ada Berg" not in gaps


def test_numbers_worth_asking_once() -> None:
    d = generate_deck(
        "Kestrel 2 was launched in 2019 by Ada Berg, 34, and her team.\n\n"
        "The team said Kestrel 2 would carry 40 tonnes.\n\n"
        "A second launch would carry 40 tonnes too.\n\n"
        "It flew 300 kilometres.\n"
    )
    numbers = numbers_of(d)
    assert "34" not in numbers  # an age in commas
    assert "2" not in numbers  # part of the name "Kestrel 2"
    assert numbers.count("40") == 1 and "300" in numbers  # the same quantity once


# --- reading the text -----------------------------------------------------------------------


def test_a_quotation_of_several_sentences_stays_with_its_speaker() -> None:
    assert split_sentences("“We will win. We always do,” said Ada Berg. She smiled.") == [
        "“We will win. We always do,” said Ada Berg.",
        "She smiled.",
    ]
    long = "He said “" + " ".join(f"Point {i} stands." for i in range(6))
    assert len(split_sentences(long)) == 6  # a quotation left open is not swallowed whole


def test_datelines_of_press_releases_are_not_reporting() -> None:
    for line in (
        "Forest Hill, MD --19 May 2015-- The Kestrel Foundation released Tern 2.0 today.",
        "SAN JOSE, Calif., May 19, 2015 /PRNewswire/ -- The Kestrel Foundation released Tern.",
        "OSLO -- The Kestrel Foundation released Tern today.",
    ):
        d = generate_deck(line + "\n\nTern is free software.\n")
        text = deck_to_toml(d.deck)
        assert "Forest Hill" not in text and "PRNewswire" not in text and "OSLO --" not in text


def test_an_announcement_is_no_quotation() -> None:
    d = generate_deck(
        "The Kestrel Foundation, the volunteer stewards of 350 projects, announced today the"
        " availability of Tern™ 2.0, a query engine.\n\n"
        "Ada Berg announced that the team would grow.\n"
    )
    said = [prompt_text(c) for c in d.deck.cards if prompt_text(c).startswith("Who said")]
    assert not any("availability" in p for p in said)
    assert any("team would grow" in prompt_text(c) for c in d.deck.cards)


def test_products_and_projects_are_not_people() -> None:
    d = generate_deck(
        "The Apache Software Foundation released Apache Tern today.\n\n"
        "Tern runs on Apache Hadoop® clusters.\n\n"
        "Tern is fast, and Hadoop is popular.\n\n"
        "Ada Berg, Vice President of Apache Parquet, welcomed it.\n"
    )
    who = gaps_of(d, "who")
    assert not {"Tern", "Hadoop", "Parquet", "Apache Tern", "Apache Hadoop"} & set(who)


def test_code_names_need_the_text_to_use_them_as_code() -> None:
    text = (
        "Both sorted() and list.sort() have a key parameter to pick what to compare.\n\n"
        "    >>> sorted(words, key=str.lower)\n\n"
        "Use the dedicated options for that: --post301 and --post302.\n\n"
        "The operator module has itemgetter() for this.\n\n"
        "    >>> from operator import itemgetter\n"
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("{{key::parameter}} parameter" in c for c in clozes)
    assert any("{{operator::module}} module" in c for c in clozes)
    assert not any("{{dedicated" in c for c in clozes)


def test_an_entry_names_its_subject_beside_an_opening_pronoun() -> None:
    d = generate_deck(
        "Ada Marie Berg (1801–1870) was a Norwegian engineer who built the Tern bridge.\n\n"
        "Berg was born in Bergen on 3 May 1801, the daughter of Olaf Berg, a carpenter.\n\n"
        "She studied at the Royal Academy in Oslo. She left Oslo in 1822 for Paris.\n\n"
        "Berg worked with King Oscar I of Sweden. Later Per Dahl hired her. He paid well.\n"
    )
    clozes = clozes_of(d)
    assert any(c.startswith("She (Berg) studied at the") for c in clozes)
    assert not any("He (Berg)" in c for c in clozes)  # "He" follows another person
    who = {x.answer for c in clozes for x in cloze_deletions(c) if x.hint == "who"}
    assert "Ada Marie Berg" not in who and "Oscar" not in who  # the subject; "Oscar I"
    for card in d.deck.cards:  # the excerpt quotes the text as written
        assert card.source and card.source.excerpt and "(Berg)" not in card.source.excerpt


def test_a_titled_name_must_end_like_a_name() -> None:
    d = generate_deck(
        "Professor Ada Berg, Director of the National Iodine Nutrition study, spoke.\n\n"
        "Minister of Energy Bo Lind attended the opening on Monday.\n"
    )
    offices_found = offices(d)
    assert "Iodine Nutrition" not in offices_found
    assert offices_found.get("Bo Lind") == "Minister of Energy"


def test_distractors_three_of_the_answers_kind_or_none() -> None:
    from quiz.generate.distractors import pick, pick_number

    assert pick("Naftali Bennett", ["Bennett", "Yair Lapid", "Ada Berg"]) == []  # two real
    three = pick("Naftali Bennett", ["Bennett", "Yair Lapid", "Ada Berg", "Bo Lind"])
    assert sorted(three) == ["Ada Berg", "Bo Lind", "Yair Lapid"]
    assert pick("12 km", ["40 km", "40 km", "7 km"]) == []  # distinct options only
    near = pick_number("120", ["12", "300", "1,100", "90", "40,000", "5"])
    assert len(near) == 3 and set(near) <= {"12", "300", "1,100", "90"}  # within 10x of 120
    years = pick_number("1854", ["1848", "1853", "1610", "1820", "2019"])
    assert set(years) == {"1848", "1853", "1820"}
    assert pick_number("2.5 million", ["1.8 million", "900,000", "3 million", "12"]) != []


def test_dated_events_make_one_order_card_told_without_their_dates() -> None:
    text = (
        "Ada Berg (1801–1870) was a Norwegian engineer.\n\n"
        "In 1822, Berg moved to Paris to study bridges.\n\n"
        "Berg built the Tern bridge over the Glomma in 1831.\n\n"
        "The Royal Society of Engineers made her a member in 1845.\n\n"
        "Her last bridge, over the Lagen, opened on 2 June 1859.\n\n"
        "Her students founded the Berg school of design in 1866.\n"
    )
    d = generate_deck(text)
    orders = [c for c in d.deck.cards if isinstance(c, OrderCard)]
    assert len(orders) == 1
    items = orders[0].items
    assert len(items) == 4 and not any(re.search(r"\d{4}", i) for i in items)
    assert items[0].startswith("Berg moved to Paris") and "Berg school" in items[-1]
    for item in items:  # each event in the text's words (an opening "Her" named beside it)
        told = re.sub(r"^(He|She|His|Her) \([^)]*\)", r"\1", item.rstrip("…"))
        assert told in text.replace("In 1822, ", "")


def test_no_gap_for_the_name_the_whole_text_is_about() -> None:
    lines = [
        "Kestrel Cells opened a plant in Norway on Monday.",
        "Storage in Norway should triple by 2030.",
        "Officials expect more plants in Norway soon.",
        "Prices in Norway fell after the opening.",
        "The plant employs 35 people near Bergen.",
    ]
    d = generate_deck("\n\n".join(lines) + "\n")
    gaps = gaps_of(d)
    assert "Norway" not in gaps


def test_max_keeps_the_most_important_cards() -> None:
    d = draft("sport", max_cards=6)
    assert len(d.deck.cards) == 6
    hints = [
        x.hint for c in d.deck.cards if isinstance(c, ClozeCard) for x in cloze_deletions(c.cloze)
    ]
    assert "day" not in hints  # "on Saturday" waits until the facts are taken
    assert any(
        isinstance(c, ChoiceCard) and c.question.startswith("Who said") for c in d.deck.cards
    )


def test_people_of_a_party_and_the_party_itself() -> None:
    d = generate_deck(
        "Demosisto's Ada Berg earned a surprise victory with 50,818 votes.\n\n"
        "Councillors Bo Lind of the Labour Party and Cy Moe of the Civic Party were re-elected.\n\n"
        "The New People Party's Di Holm lost her seat.\n\n"
        "Polls closed at 22:30 in Taikoo.\n"
    )
    clozes = clozes_of(d)
    gaps = {x.answer for c in clozes for x in cloze_deletions(c)}
    assert "Ada Berg" in gaps  # a person, named as her party's own
    assert not any(" of the " in g for g in gaps)  # "Bo Lind of the Labour Party" is no one name
    assert not any(g.startswith("People Party") for g in gaps)
    numbers = numbers_of(d)
    assert "22" not in numbers and "30" not in numbers  # a clock time is not two quantities
    assert offices(d).get("Bo Lind", "councillor") == "councillor"


def test_a_military_or_utc_time_is_neither_a_year_nor_a_quantity() -> None:
    d = generate_deck(
        "The race began at 1:19 PM EDT (1719 UTC), with Ada Berg on pole in 1994.\n\n"
        "The shelling started at 0600 hours near the border of Ruritania.\n"
    )
    assert "1719" not in numbers_of(d) and "0600" not in numbers_of(d)
    assert "1719" not in gaps_of(d) and "0600" not in gaps_of(d)
    assert "1994" in gaps_of(d, "year")  # a year beside them still is one


def test_relatives_named_in_full_are_people_and_race_names_keep_their_numbers() -> None:
    d = generate_deck(
        "At the Brickyard 400, Kyle Busch finished second.\n\n"
        "His brother Kurt Busch started from the back of the field.\n\n"
        "Earlier, Kyle Busch led for ten laps before the caution.\n"
    )
    who = gaps_of(d, "who")
    assert "Kyle Busch" in who
    numbers = numbers_of(d)
    assert "400" not in numbers
    gaps = gaps_of(d)
    assert "Brickyard" not in gaps  # the name is "Brickyard 400": never half of it


def test_a_quoted_term_is_asked_and_a_quoted_clause_is_not() -> None:
    d = generate_deck(
        "Tern 2.0 is out today after two years of work.\n\n"
        'The slowest car becomes the "lucky dog" and regains a lap.\n\n'
        'Critics said the plan was "far too little and far too late for anyone".\n\n'
        "Tern 2.0 runs on every laptop, and Tern 2.0 is free.\n\n"
        'Version 2.0 adds a "drop-in replacement" for C. If you like it, try it.\n'
    )
    clozes = clozes_of(d)
    assert any("{{lucky dog::term}}" in c for c in clozes)
    assert any("{{drop-in replacement::term}}" in c for c in clozes)
    assert not any("far too little" in c and "::term}}" in c for c in clozes)
    assert split_sentences("It is a replacement for C. If you like it, try it.") == [
        "It is a replacement for C.",
        "If you like it, try it.",
    ]
    numbers = numbers_of(d)
    assert "2.0" not in numbers  # the release the text announces


def test_what_an_unnamed_source_said_is_asked_but_not_who() -> None:
    d = generate_deck(
        "Prime Minister Ada Berg called President Bo Lind on Sunday.\n\n"
        "“Lind was open to Berg’s offer,” the source said.\n"
    )
    fronts = {c.front: c.back for c in d.deck.cards if isinstance(c, BasicCard)}
    assert fronts.get("What did the source say about Bo Lind?") == "“Lind was open to Berg’s offer”"
    assert not any(
        prompt_text(c).startswith("Who said") and "open to" in prompt_text(c) for c in d.deck.cards
    )


def test_labels_half_names_and_one_fact_twice_are_left_out() -> None:
    d = generate_deck(
        "Shells fell near posts 542 and 543, and 15 shells fell near posts 250 and 251.\n\n"
        "North Korea fired 36 shells at the border in Yeoncheon.\n\n"
        "The study was supported by the Croucher Foundation, the Kestrel Fund, and Vestnett.\n\n"
        "If deficiency is serious you lose 15 IQ points on average.\n"
    )
    numbers = numbers_of(d)
    assert not {"542", "543", "250", "251"} & set(numbers) and "36" in numbers
    assert "15" in numbers  # "15 IQ points" is a quantity, not a label
    gaps = gaps_of(d)
    assert "North" not in gaps
    supported = [c for c in d.deck.cards if c.source and "Croucher" in (c.source.excerpt or "")]
    assert len(supported) == 1  # the list, not the list and one of its items again


def test_the_speaker_is_the_name_before_its_appositives() -> None:
    from quiz.generate.quotes import attributions

    said = attributions(
        "Professor Ada Berg, Director of the Kestrel study, and Chair of the Tern Centre, says"
        " children need more iodine."
    )
    assert said[0].speaker == "Professor Ada Berg"
    assert (
        attributions("In a statement, the company said it would close the plant.")[0].speaker
        == "the company"
    )
    assert (
        attributions("Ada Berg, a geophysicist at Leeds, said the lake was draining.")[0].speaker
        == "Ada Berg"
    )


def test_people_by_their_titles_and_companies_by_theirs() -> None:
    d = generate_deck(
        "Ed Whitacre, General Motors chairman and CEO, said the company would repay the loans.\n\n"
        "Speaker Mike Johnson told reporters the vote would happen Friday.\n\n"
        "Everton boss Koeman said his side deserved more than a draw.\n\n"
        "Sen. John Thune, R-S.D., said the bill would pass easily.\n\n"
        "Governor William Lane of New Mexico declared the valley part of the territory.\n"
    )
    found = offices(d)
    assert "Motors" not in found  # "General Motors" is no general
    assert found.get("Ed Whitacre") == "General Motors chairman and CEO"
    assert found.get("Mike Johnson") == "Speaker" and found.get("Koeman") == "Everton boss"
    assert not any("the Sen." in prompt_text(c) for c in d.deck.cards)
    said = {card_answer(c) for c in d.deck.cards if prompt_text(c).startswith("Who said")}
    assert {"Ed Whitacre", "Mike Johnson", "Koeman", "John Thune"} <= said
    who = gaps_of(d)
    assert "William Lane" in who


def test_a_command_line_in_prose_is_asked_whole() -> None:
    d = generate_deck(
        "Run git checkout -b feature to create a branch and switch to it.\n\n"
        "Install the tool with pip install tern, then open it.\n\n"
        "Browsers make life complicated for a git user.\n"
    )
    clozes = clozes_of(d)
    assert any("{{git checkout -b feature::command}}" in c for c in clozes)
    assert any("{{pip install tern::command}}" in c for c in clozes)
    assert not any("{{make life" in c for c in clozes)


def test_people_known_by_party_or_by_what_only_people_do() -> None:
    d = generate_deck(
        "In the north district, Mara Quill of the Tide Alliance topped the poll.\n\n"
        "Veteran Oren Vask was defeated by a newcomer.\n\n"
        "Later the Harbour Council of the Bay Region announced a recount.\n\n"
        "He studied at the Royal Academy and redesigned the Federal Hall for the city.\n"
    )
    who = gaps_of(d, "who")
    assert {"Mara Quill", "Oren Vask"} <= who
    assert not who & {"Federal Hall", "Harbour Council", "Royal Academy"}  # "the": no person


def test_a_regnal_name_is_not_a_title_and_a_name() -> None:
    d = generate_deck(
        "Her father painted for King Louis XV of France and his court.\n\n"
        "The painter later moved to Lyon with his family.\n"
    )
    assert "Louis" not in {card_answer(c) for c in d.deck.cards}
    assert "Louis" not in offices(d)


def test_a_report_of_what_someone_said_is_asked_once_and_the_place_too() -> None:
    d = generate_deck(
        "The news agency Tass reported that Ivanov said he is ready to meet in Vienna.\n\n"
        "Ivanov, the foreign minister, later told reporters nothing had changed.\n"
    )
    first = [c for c in d.deck.cards if c.source and c.source.paragraph == 1]
    asked = [card_answer(c) for c in first]
    assert "Tass" in asked and "Ivanov" not in asked  # the report's card already names him
    assert "Vienna" in asked


def test_a_new_fact_before_one_already_asked() -> None:
    d = generate_deck(
        "Lina Horvat was born in Split in 1901 and trained as a weaver.\n\n"
        "Lina Horvat was born in Split, the daughter of a ship's carpenter, in 1901.\n"
    )
    second = [card_answer(c) for c in d.deck.cards if c.source and c.source.paragraph == 2]
    assert second and "1901" not in second  # the year is asked by the first sentence


def test_why_from_in_light_of_and_in_retaliation_for() -> None:
    d = generate_deck(
        "Officials know there is no chance of talks in light of the army's refusal.\n\n"
        "The embassy was closed in retaliation for the expulsions.\n"
    )
    why = gaps_of(d, "why")
    assert {"the army's refusal", "the expulsions"} <= why


def test_an_opening_his_after_someone_new_means_them_not_the_texts_subject() -> None:
    d = generate_deck(
        "Ola Berg won the Tova Renn Cup on Sunday.\n\n"
        "Ola Berg led from the start, and Ola Berg never looked back.\n\n"
        "Ola Berg thanked his team. Renn, who taught sailing in Oslo, died young. His name was"
        ' chosen for the cup by the "Local Heroes" scheme.\n'
    )
    prompts = [prompt_text(c) for c in d.deck.cards]
    assert not any("His (Berg)" in p for p in prompts)
    assert any("His (Renn) name was chosen" in p for p in prompts), prompts


def test_a_numbered_name_is_no_quantity_and_an_of_name_is_a_body() -> None:
    d = generate_deck(
        "She joined Harbour Lodge No. 8 in the spring of that year.\n\n"
        "Later she designed the medal of the Society of the Mariners for its members.\n\n"
        "The museum was founded by Ilse Marit Vogt with money from the city.\n"
    )
    assert "8" not in numbers_of(d)  # "No. 8" names the lodge
    assert "Society of the Mariners" in gaps_of(d)
    assert "Ilse Marit Vogt" in offices(d) or "Ilse Marit Vogt" in gaps_of(d, "who")


def test_a_spokesperson_for_a_body_is_the_speaker_and_a_range_is_one_fact() -> None:
    d = generate_deck(
        "Maren Holt for Coastal Water Authority Norway, says new rules are due by the end of"
        " the year.\n\n"
        "A survey of 1709 schoolchildren - aged 8–10 years, from 88 schools - was carried out.\n"
    )
    said = {card_answer(c) for c in d.deck.cards if prompt_text(c).startswith("Who said")}
    assert said == {"Maren Holt"}  # not the authority she speaks for
    numbers = numbers_of(d)
    assert "1709" in numbers and "8–10" not in numbers  # a count, not a year; an age range
    assert not {"8", "10"} & set(numbers)  # never one end of a range


def test_a_treaty_or_an_isthmus_of_somewhere_is_a_name_to_ask() -> None:
    d = generate_deck(
        "In 1847 the republic tried to buy the Isthmus of Varnholm as a route between two seas."
        "\n\nThe Treaty of Elsweir formally ended the long border conflict between the states.\n"
    )
    tags = {g: c.tags for c in d.deck.cards if isinstance(c, ClozeCard) for g in gaps_of_card(c)}
    assert tags.get("Isthmus of Varnholm") == ["places"]
    assert tags.get("Treaty of Elsweir") == ["events"]


def gaps_of_card(card: ClozeCard) -> list[str]:
    return [x.answer for x in cloze_deletions(card.cloze)]


def test_a_cloze_opening_on_it_is_widened_by_the_short_sentence_before() -> None:
    """A cloze "It returns {{None}}" says nothing alone; the sentence before says what it is. A
    "They" is not widened (the sentence before seldom names them): it is dropped."""
    text = (
        "Lists can also be sorted with the method list.sort() from the standard library.\n\n"
        "You can call the method on any list. It changes the list in place and returns"
        " the sentinel value None.\n\n"
        "The survey covered nine hundred schools. They say the strongest predictor was"
        " household income."
    )
    clozes = clozes_of(generate_deck(text))
    widened = [c for c in clozes if "It changes the list" in c]
    assert widened and all(c.startswith("You can call the method on any list. It") for c in widened)
    assert not any(c.startswith("They") or ". They say" in c for c in clozes), clozes


def test_a_hyphenated_camp_before_a_name_is_no_part_of_it() -> None:
    """In "Pro-reform Lena Ash of the Green Party failed ..." the camp is a description: she
    is still the one who failed."""
    text = (
        "Monday, May 6, 2024\n\n"
        "The council election results were announced early on Monday morning.\n\n"
        "Pro-reform Lena Ash of the Green Party failed to win a seat in the northern district."
    )
    assert "Lena Ash" in gaps_of(generate_deck(text), "who")


def test_a_friend_and_a_recruiter_with_a_particle_in_the_name_are_people() -> None:
    """A friend of someone and "recruited by Jean Baptiste de Rochefort" name people, particle
    and all; the entry's own first name is no gap ("from {{Marie}} to Mary" in her entry)."""
    text = (
        "Marie Anne Lenoir (March 3, 1760 – May 9, 1830) was a French-born American engraver.\n\n"
        "Lenoir was recruited by Jean Baptiste de Rochefort to engrave maps for the navy.\n\n"
        "Lenoir was a close friend of Abigail Hartley, who wrote about her in several letters.\n\n"
        "In Boston she changed her first name from Marie to Mary, as her neighbours spoke it."
    )
    d = generate_deck(text)
    who = gaps_of(d, "who")
    assert {"Jean Baptiste de Rochefort", "Abigail Hartley"} <= who, who
    assert "Marie" not in gaps_of(d)
    fronts = [getattr(c, "front", "") for c in d.deck.cards]
    assert not any("said about" in f for f in fronts), fronts  # "who wrote about her": no quote


def test_a_title_before_a_name_with_a_particle_takes_the_whole_name() -> None:
    text = (
        "Tuesday, March 5, 1850\n\n"
        "The border talks had failed again by the end of the winter.\n\n"
        "Chilean President Manuel de la Vega responded by sending envoys to the capital."
    )
    who = gaps_of(generate_deck(text), "who")
    assert who == {"Manuel de la Vega"}, who  # never "{{Manuel::who}} de la Vega"


def test_a_number_written_as_a_word_gives_way_to_the_names_of_its_sentence() -> None:
    """A span of "the following six years" is seldom the point; the treaty that ended a war is."""
    text = (
        "Friday, May 3, 1850\n\n"
        "The valley had been fought over for most of the decade before.\n\n"
        "While the Treaty of Lune formally ended the Valley War in March 1848, tensions between"
        " the two governments continued to simmer over the following six years."
    )
    d = generate_deck(text)
    assert "Treaty of Lune" in gaps_of(d)
    assert not any(getattr(c, "answer", "") == "six" for c in d.deck.cards)


def test_what_someone_called_someone_is_asked() -> None:
    """The word a report turns on ("called him a liar") is a gap even where the sentence's
    who-said card and a reason compete for it; "called them on Friday" is no epithet."""
    text = (
        "The mayor called Councillor Dana Price a liar in response to the audit, the Gazette "
        "reported.\n\n"
        "The mayor called them on Friday to discuss the budget."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("Dana Price a {{liar::what}}" in c for c in clozes), clozes
    assert not any("::what}} to discuss" in c or "{{Friday::what}}" in c for c in clozes)
    assert not any("reported}}" in c for c in clozes), clozes  # the speaker is no key phrase
    fronts = [prompt_text(c) for c in generate_deck(text).deck.cards]
    assert "Who reported that the mayor called Councillor Dana Price a liar" in " ".join(fronts)


def test_a_release_is_asked_by_its_version_but_not_the_topic_release() -> None:
    """ "Quill 2.1" is a number in a name, asked whole; "Quill 2.0", which the text
    announces in most sentences, would guess itself."""
    text = (
        "Today we release Quill 2.0, the editor for long documents.\n\n"
        "Quill 2.0 adds outlines and a faster search over big files.\n\n"
        "Quill 2.0 also keeps every document readable by older versions.\n\n"
        "Alongside Quill 2.0 we also publish the Quill 2.1 beta for testers."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("Quill {{2.1::version}} beta" in c for c in clozes), clozes
    assert not any("{{2.0" in c for c in clozes), clozes


def test_a_maintainer_is_a_person_and_a_cut_parenthesis_leaves_no_stray_closer() -> None:
    text = (
        "The guide is the best place to start for anyone new to the language and its tools "
        "(readers who like paper more than screens can order a bound copy of every one of the "
        "twelve chapters from the publisher in Leeds or from any good bookshop, where Mira "
        "Castell maintains the printed edition).\n\n"
        "The guide has twelve chapters."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    who = [c for c in clozes if "{{Mira Castell::who}}" in c]
    assert who, clozes
    assert all(c.count(")") <= c.count("(") for c in who), who


def test_a_person_named_with_an_initial_and_who_is_asked_without_giving_them_away() -> None:
    """ ", who" says a name is a person's, a middle initial is part of it, and the gap's
    prompt leaves out the word made from the name ("Haldanian")."""
    text = (
        "The method is often called the Haldanian sieve, after Morwenna T. Haldane, who "
        "described it for field botanists.\n\n"
        "The sieve sorts seeds by size."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    who = [c for c in clozes if "{{Morwenna T. Haldane::who}}" in c]
    assert who, clozes
    assert not any("Haldanian" in c for c in who), who


def test_snake_case_names_are_code_and_a_prompt_line_gets_no_gap() -> None:
    text = (
        "To convert an old comparison, the library provides tools.cmp_wrap for that job.\n\n"
        ">>> sorted(record_list, key=tools.cmp_wrap(compare)) # wraps the old function"
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("{{tools.cmp_wrap::name}}" in c for c in clozes), clozes
    assert not any(c.startswith(">>>") for c in clozes), clozes


def test_a_count_in_a_supposed_case_is_no_fact() -> None:
    text = (
        "The merge is safe: if two branches change the same line, the tool stops and asks.\n\n"
        "The team tested the merge on three projects before the release."
    )
    prompts = [prompt_text(c) for c in generate_deck(text).deck.cards]
    assert not any("if ___ branches" in p for p in prompts), prompts
    assert any("on ___ projects" in p for p in prompts), prompts


def test_a_name_after_an_honorific_is_a_person_and_the_honorific_is_no_part_of_it() -> None:
    text = (
        "The crown had already granted Spanish Don Luis de Ortega the right to mine the hills "
        "above the river.\n\n"
        "The mines closed after ten years."
    )
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    assert any("Don {{Luis de Ortega::who}} the right" in c for c in clozes), clozes


def test_a_city_with_its_dotted_district_and_a_numbered_lodge_are_whole_names() -> None:
    d = generate_deck(
        "Ana Ruiz was an architect who drew the first map of Washington, D.C. in 1802.\n\n"
        "In 1790 Ruiz joined Orion Lodge No. 4, in Boston.\n"
    )
    answers = [card_answer(c) for c in d.deck.cards]
    assert "Washington, D.C." in answers  # not "Washington" taken for a person, nor "D"
    assert "Orion Lodge No. 4" in answers
    assert not any(a in ("D", "C", "Washington") for a in answers)


def test_a_birthplace_is_asked_before_whose_child_someone_was() -> None:
    d = generate_deck(
        "Ruiz was born in Lisbon on May 3, 1770, the daughter of Tomas Ruiz, a printer.\n"
    )
    assert sorted(card_answer(c) for c in d.deck.cards) == ["Lisbon", "May 3, 1770"]


def test_the_lead_leaves_a_date_to_the_sentence_that_tells_it() -> None:
    """An entry's lead gives the life span that "Early life" gives again: the lead asks what
    only it tells."""
    d = generate_deck(
        "Ana Ruiz (May 3, 1770 – June 1, 1840) was an architect who drew the first map of "
        "Washington, D.C.\n\n"
        "Ruiz was born in Lisbon on May 3, 1770.\n"
    )
    lead = [card_answer(c) for c in d.deck.cards if c.source and c.source.paragraph == 1]
    later = [card_answer(c) for c in d.deck.cards if c.source and c.source.paragraph == 2]
    assert "Washington, D.C." in lead and "May 3, 1770" not in lead
    assert "May 3, 1770" in later


SANTA_ANNA = (
    "President Antonio de Santa Anna ruled Mexico from a palace in the capital.\n\n"
    "Santa Anna refused to sell the northern valleys of the country, but he needed money to pay "
    "an army to crush the revolts in the south, so in 1853 he signed a treaty with the envoy.\n"
)


def test_what_money_was_needed_for_is_asked_why() -> None:
    clozes = [c.cloze for c in generate_deck(SANTA_ANNA).deck.cards if isinstance(c, ClozeCard)]
    assert any("{{pay an army to crush the revolts in the south::why}}" in c for c in clozes)


def test_a_clause_cut_from_its_sentence_names_whom_its_pronoun_means() -> None:
    """ "…but he needed money" alone does not say who; the name after a particle is the one
    the text uses ("Santa Anna", not "Anna")."""
    clozes = [c.cloze for c in generate_deck(SANTA_ANNA).deck.cards if isinstance(c, ClozeCard)]
    later = [c for c in clozes if c.startswith("…")]
    assert later and all("he (Santa Anna)" in c for c in later)


def test_a_pronoun_stays_as_it_is_when_two_people_could_be_meant() -> None:
    clozes = drafted_clozes(
        "Santa Anna met the envoy James Gadsden in the capital, and later that year he signed a "
        "treaty that sold the valley of the Gila River for ten million dollars.\n"
    )
    assert clozes and not any("he (" in c for c in clozes)


QUIST = (
    "Mara Quist won the Harbour Marathon on Sunday, her fifth win on the course.\n\n"
    "Quist led from the start.\n\n"
    "Quist thanked her coach Tomas Berg.\n\n"
    "Quist said the heat was hard.\n\n"
    "Quist will run in Oslo next.\n"
)


def test_an_ordinal_after_whose_it_is_is_a_count() -> None:
    typed = [c for c in generate_deck(QUIST).deck.cards if isinstance(c, TypedCard)]
    fifth = [c for c in typed if c.answer == "fifth"]
    assert fifth and "her ___ win" in fifth[0].prompt and "5th" in fifth[0].accept


def test_the_person_a_text_is_about_is_asked_who_once_where_they_won() -> None:
    clozes = [c.cloze for c in generate_deck(QUIST).deck.cards if isinstance(c, ClozeCard)]
    who = [c for c in clozes if "{{Mara Quist::who}}" in c or "{{Quist::who}}" in c]
    assert len(who) == 1 and "won" in who[0]


def test_a_relative_clause_keeps_the_name_it_is_about() -> None:
    d = generate_deck(
        "The race was run in the rain, and at the end of the day the cup went to Tomas Berg, "
        "who had trained for three years in the hills of Kenya with his brother and his dog.\n"
    )
    typed = [c for c in d.deck.cards if isinstance(c, TypedCard) and c.answer == "three"]
    assert typed and "Tomas Berg, who had trained for ___ years" in typed[0].prompt


@pytest.mark.parametrize(
    ("text", "fact", "named"),
    [
        (  # "He arrived ... beside Captain Lund. He was made ...": still Berg
            "Tomas Berg (1801–1870) was a Danish engineer.\n\n"
            "Berg left Aarhus in 1822. He arrived in Boston in 1824 and worked beside Captain "
            "Olaf Lund on the harbour. He was made chief engineer of the port in 1830.\n\n"
            "Berg died in Boston in 1870.\n",
            "chief engineer",
            "He (Berg)",
        ),
        (  # the sentence before was about her sister, who shares the surname: named in full
            "Ana Maria Ruiz (1770–1840) was a Portuguese architect.\n\n"
            "Ruiz was born in Lisbon. Her sister Clara Ruiz ran the family print shop in the old "
            "town. She studied drawing at the Academy of Fine Arts in Porto.\n\n"
            "Ruiz moved to Boston in 1795.\n",
            "studied drawing",
            "She (Clara Ruiz)",
        ),
    ],
)
def test_an_opening_pronoun_means_whom_the_sentence_before_is_about(
    text: str, fact: str, named: str
) -> None:
    clozes = [c.cloze for c in generate_deck(text).deck.cards if isinstance(c, ClozeCard)]
    cards = [c for c in clozes if fact in c]
    assert cards and all(c.startswith(named) for c in cards)


def test_a_pronoun_is_left_alone_when_it_is_unclear() -> None:
    clozes = drafted_clozes(
        "Tomas Berg (1801–1870) was a Danish engineer.\n\n"
        "In 1810 his brother Karl Berg died, and Tomas Berg became the eldest son. He studied "
        "at the Royal Academy in Copenhagen.\n\nBerg left Denmark in 1822. Berg died in 1870.\n"
    )
    assert not any("He (" in c for c in clozes)
    d = generate_deck(  # nobody said whom the first "He" means: the second is no clearer
        "He arrived in Boston in 1824 and worked beside Captain Olaf Lund on the harbour. "
        "He was made chief engineer of the port in 1830.\n"
    )
    clozes = [c.cloze for c in d.deck.cards if isinstance(c, ClozeCard)]
    assert not any("He (" in c for c in clozes)


def test_two_gaps_of_one_sentence_are_two_questions() -> None:
    d = generate_deck(
        "The navy led strikes on Iranian targets in Syria on the night of the storm, "
        "the admiral said."
    )
    gaps = sorted(
        d.answer for c in d.deck.cards if isinstance(c, ClozeCard) for d in cloze_deletions(c.cloze)
    )
    assert gaps == ["Iranian targets", "Syria"]


def test_the_words_of_the_most_quoted_speaker_are_asked_before_who_said_them() -> None:
    clozes = drafted_clozes(
        "Mayor Lena Vogt spoke on Monday. Vogt said the city is in a “calm and orderly state” "
        "after the storm.\n\nVogt said the bridge would reopen on Friday.\n\n"
        "Vogt said schools will stay shut for a week.\n\nThe weather office said more rain is "
        "coming.\n"
    )
    assert any("“{{calm and orderly state}}”" in c and "Vogt said" in c for c in clozes)


def test_who_did_best_is_asked_though_named_after_an_opening_phrase() -> None:
    """ "After passing Mara Quist, Vogt ran ...": the comma ends an opening phrase, not a
    list of names; "having the most points" makes her the one to ask about."""
    clozes = drafted_clozes(
        "The Harbour Marathon was run on Sunday in heavy rain.\n\n"
        "After passing Mara Quist, Vogt ran alone for ten miles; she ended the day "
        "having the most points of any runner.\n\n"
        "Lena Vogt said the course was fast.\n"
    )
    assert any("{{Vogt::who}} ran alone" in c for c in clozes)


def test_a_time_zone_and_a_table_of_results_in_prose_are_no_gaps() -> None:
    d = generate_deck(
        "The race began at 1:19 PM EDT (1719 UTC) under grey skies over the old harbour.\n\n"
        "The standings after the race: Mara Quist, 717; Lena Vogt, 609; Olaf Lund, 606.\n\n"
        "Mara Quist said the heat was hard. Lena Vogt said the course was fast. Olaf Lund said "
        "little.\n"
    )
    gaps = {
        g.answer for c in d.deck.cards if isinstance(c, ClozeCard) for g in cloze_deletions(c.cloze)
    }
    assert gaps and not {"UTC", "PM EDT", "EDT", "Mara Quist", "Lena Vogt", "Olaf Lund"} & gaps


def test_a_timeline_names_whom_an_opening_he_means() -> None:
    d = generate_deck(
        "Tomas Berg (1801–1870) was a Danish engineer who built harbours.\n\n"
        "Berg left Aarhus for Hamburg in 1822. He reached Boston by ship in 1824.\n\n"
        "Berg opened the new dock of the port in 1830.\n\n"
        "Berg married the painter Ida Holm in 1841, and Berg retired in Maine.\n"
    )
    [order] = [c for c in d.deck.cards if isinstance(c, OrderCard)]
    assert any(item.startswith("He (Berg) reached Boston") for item in order.items)
