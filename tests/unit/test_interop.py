"""Import and export: Anki packages, Anki text exports and CSV, checked against Anki itself."""

from __future__ import annotations

import importlib.util
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from anki_history import add_vocab_type

from quiz.cli import main
from quiz.decks import load_deck
from quiz.interop import InteropError, export_deck, import_file
from quiz.interop.notes import NoteKind, card_to_note, clean_field, kind_from_name
from quiz.model import BasicCard, Card, ClozeCard, DeckFile, TypedCard, expand

NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)

EVERY_KIND = DeckFile.model_validate(
    {
        "deck": {"title": "Every kind", "description": "One card of each kind & more."},
        "cards": [
            {"front": "Capital of France?", "back": "Paris", "tags": ["geo"], "explanation": "Why"},
            {"id": "dog", "front": "dog", "back": "Hund", "reverse": True, "tags": ["de"]},
            {"cloze": "The {{Sun}} is a {{c3::star::kind}}, {{hot}}.", "explanation": "Extra"},
            {"prompt": "2 + 2?", "answer": "4", "accept": ["four"], "source": {"paragraph": 2}},
            {"question": "Which are primes?", "answer": ["2", "3"], "distractors": ["4", "9"]},
            {"question": "Largest planet?", "answer": "Jupiter", "distractors": ["Mars"]},
            {"statement": "The Earth is flat.", "true": False, "explanation": "It is round."},
            {"prompt": "Order by size", "items": ["ant", "cat", "horse"]},
            {"front": "Multi\nline <b>not bold</b>", "back": "a & b\n\nc"},
            {"front": "Capital of France?", "back": "Paris (the same question again)"},
        ],
    }
)


def keyed(deck: DeckFile) -> list[Card]:
    """The cards with their key made explicit (as a valid id), as an import gives them back."""
    keys = {item.index: item.card_key.replace("~", "-") for item in expand("", deck.cards)}
    return [c.model_copy(update={"id": c.id or keys[i]}) for i, c in enumerate(deck.cards)]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


# --- plain text from Anki's HTML ------------------------------------------------------------


def test_html_becomes_plain_text_and_media_is_collected() -> None:
    field = (
        "<div>Line&nbsp;one <b>bold</b></div><div>two &amp; &lt;three&gt;</div>x<br>y\n z"
        '<img src="map.png"><style>.a{}</style>[sound:say.mp3]'
    )
    assert clean_field(field, is_html=True) == (
        "Line one bold\ntwo & <three>\nx\ny  z [image: map.png] [sound: say.mp3]",
        ["map.png", "say.mp3"],
    )
    assert clean_field("<b>kept</b> [sound:a.ogg]", is_html=False) == (
        "<b>kept</b>  [sound: a.ogg]",
        ["a.ogg"],
    )


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
            "a | b\nc | d",
        ),
        ("H<sub>2</sub>O and x<sup>2</sup> and e<sup>iπ</sup>", "H₂O and x² and e^(iπ)"),
        ("<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>字", "漢(kan)字"),
        ('<img src="../../x\x1b]52;c;AAAA\x07.png">', "[image: x]52;c;AAAA.png]"),
    ],
)
def test_html_structure_becomes_readable_text(field: str, text: str) -> None:
    assert clean_field(field, is_html=True)[0] == text


@pytest.mark.parametrize(
    ("name", "fields", "kind"),
    [
        ("Basic", ["a", "b"], NoteKind.BASIC),
        ("Basic (and reversed card)", ["a", "b"], NoteKind.REVERSED),
        ("Basic (optional reversed card)", ["a", "b", "y"], NoteKind.REVERSED),
        ("Basic (optional reversed card)", ["a", "b", ""], NoteKind.BASIC),
        ("Basic (type in the answer)", ["a", "b"], NoteKind.TYPED),
        ("Cloze", ["{{c1::a}}", ""], NoteKind.CLOZE),
        ("", ["The {{c1::Sun}}", ""], NoteKind.CLOZE),
        ("Prototype", ["a", "b"], NoteKind.BASIC),
    ],
)
def test_note_kind_from_a_note_type_name(name: str, fields: list[str], kind: NoteKind) -> None:
    assert kind_from_name(name, fields) is kind


def test_choice_front_lists_sorted_options_and_back_the_right_ones() -> None:
    note = card_to_note(EVERY_KIND.cards[4])
    assert note.kind is NoteKind.BASIC
    assert note.front == "Which are primes?\n\nA. 2\nB. 3\nC. 4\nD. 9"
    assert note.back == "A. 2\nB. 3"
    order = card_to_note(EVERY_KIND.cards[7])
    assert order.back == "1. ant\n2. cat\n3. horse"
    assert card_to_note(EVERY_KIND.cards[2]).front == (
        "The {{c1::Sun}} is a {{c3::star::kind}}, {{c3::hot}}."
    )


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".apkg", ".csv", ".tsv"])
def test_export_then_import_gives_back_the_same_cards(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deck{suffix}"
    export_deck(EVERY_KIND, path, NOW)
    result = import_file(path)
    assert result.deck.cards == keyed(EVERY_KIND)
    assert result.deck.deck.title == "Every kind"
    assert result.media == [] and result.skipped == []


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_a_carriage_return_in_a_field_survives_the_round_trip(tmp_path: Path, suffix: str) -> None:
    deck = DeckFile.model_validate(
        {"cards": [{"id": "cr", "front": "a\rb", "back": "x\ry"}, {"front": "q", "back": "z"}]}
    )
    path = tmp_path / f"deck{suffix}"
    export_deck(deck, path, NOW)
    cards = import_file(path).deck.cards
    assert cards == keyed(deck)
    assert cards[0] == BasicCard(id="cr", front="a\rb", back="x\ry")


def test_apkg_keeps_the_deck_description(tmp_path: Path) -> None:
    export_deck(EVERY_KIND, tmp_path / "deck.apkg", NOW)
    assert import_file(tmp_path / "deck.apkg").deck.deck.description == (
        "One card of each kind & more."
    )


def test_edits_made_in_anki_win_over_the_embedded_card(tmp_path: Path) -> None:
    path = tmp_path / "deck.csv"
    export_deck(EVERY_KIND, path, NOW)
    text = path.read_text(encoding="utf-8").replace(",Hund,", ",der Hund,")
    cards = import_file(write(path, text.replace("2 + 2?,4,", "2 + 2?,4.0,"))).deck.cards
    assert cards[1] == BasicCard(id="dog", front="dog", back="der Hund", reverse=True, tags=["de"])
    assert isinstance(cards[3], TypedCard) and cards[3].answer == "4.0"
    assert cards[3].accept == [] and cards[3].id == keyed(EVERY_KIND)[3].id
    assert cards[0] == keyed(EVERY_KIND)[0]


def test_export_format_comes_from_the_suffix(tmp_path: Path) -> None:
    with pytest.raises(InteropError, match=r"deck\.xlsx: cannot tell the format"):
        export_deck(EVERY_KIND, tmp_path / "deck.xlsx", NOW)


def test_apkg_is_a_legacy_collection_with_one_card_per_review_face(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    export_deck(EVERY_KIND, path, NOW)
    with zipfile.ZipFile(path) as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col")
    assert db.execute("SELECT ver FROM col").fetchone() == (11,)
    assert db.execute("SELECT count(*) FROM notes").fetchone() == (len(EVERY_KIND.cards),)
    assert db.execute("SELECT count(*) FROM cards").fetchone() == (
        len(expand("", EVERY_KIND.cards)),
    )
    db.close()


# --- text and CSV files ---------------------------------------------------------------------


def test_anki_text_export_with_headers(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "#tags column:6\n"
        "ab|c\tBasic\tSpanish::Verbs\t<b>comer</b>\tto eat<br>(regular)\tverb  food\n"
        'g2\tBasic (and reversed card)\tSpanish::Verbs\t"vivir"\t"to ""live"""\t\n'
        "g3\tCloze\tSpanish::Verbs\t{{c1::Hablo::verb}} español<img src=a.jpg>\tExtra\t\n"
        "g4\tBasic (type in the answer)\tSpanish::Verbs\tyo ... (ser)\tsoy\t\n"
    )
    result = import_file(write(tmp_path / "verbs.txt", text))
    assert result.deck.deck.title == "Spanish / Verbs"
    assert result.media == ["a.jpg"]
    first, second, third, fourth = result.deck.cards
    assert first == BasicCard(
        id=first.id, front="comer", back="to eat\n(regular)", tags=["verb", "food"]
    )
    assert first.id is not None and first.id.startswith("anki-")
    assert second == BasicCard(id="g2", front="vivir", back='to "live"', reverse=True)
    assert third == ClozeCard(
        id="g3", cloze="{{c1::Hablo::verb}} español [image: a.jpg]", explanation="Extra"
    )
    assert fourth == TypedCard(id="g4", prompt="yo ... (ser)", answer="soy")


def test_notes_in_several_decks_keep_their_deck_as_a_tag(tmp_path: Path) -> None:
    text = "#separator:comma\n#deck column:3\nq1,a1,Main Deck\nq2,a2,Other\n"
    result = import_file(write(tmp_path / "mixed.csv", text))
    assert result.deck.deck.title == "mixed"
    assert [c.tags for c in result.deck.cards] == [["Main_Deck"], ["Other"]]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plain.csv", "What is 2+2?,4,math easy\nCapital of Peru?,Lima,\n"),
        ("header.csv", "Front,Back,Tags\nWhat is 2+2?,4,math easy\nCapital of Peru?,Lima,\n"),
        ("semi.csv", "What is 2+2?;4;math easy\nCapital of Peru?;Lima;\n"),
        ("tabs.tsv", "What is 2+2?\t4\tmath easy\nCapital of Peru?\tLima\n"),
        ("bom.csv", "\ufeffWhat is 2+2?,4,math easy\r\nCapital of Peru?,Lima\r\n"),
    ],
)
def test_plain_csv_and_tsv(tmp_path: Path, name: str, text: str) -> None:
    cards = import_file(write(tmp_path / name, text)).deck.cards
    assert [(c.kind, getattr(c, "front", ""), getattr(c, "back", ""), c.tags) for c in cards] == [
        ("basic", "What is 2+2?", "4", ["math", "easy"]),
        ("basic", "Capital of Peru?", "Lima", []),
    ]
    assert len({c.id for c in cards}) == 2 and all(c.id for c in cards)


def test_hash_lines_are_headers_or_comments_as_in_anki(tmp_path: Path) -> None:
    text = (
        "#separator:semicolon\n#tags:old\n#tags:new\n# exported by a script\n#unknown:x\n"
        "first;one\n# a comment between notes\nsecond;two\n"
    )
    result = import_file(write(tmp_path / "numbered.csv", text))
    assert [(getattr(c, "front", ""), c.tags) for c in result.deck.cards] == [
        ("first", ["new"]),
        ("second", ["new"]),
    ]
    assert result.skipped == []


def test_columns_are_mapped_by_name_and_every_field_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "#separator:tab\n#columns:Back\tFront\tNotes\tTags\n"
        "Lima\tCapital of Peru?\tOn the coast\tgeo\n"
    )
    source = write(tmp_path / "swapped.txt", text)
    (card,) = import_file(source).deck.cards
    assert card == BasicCard(
        id=card.id, front="Capital of Peru?", back="Lima\n\nOn the coast", tags=["geo"]
    )
    assert main(["import", str(source), "-o", str(tmp_path / "out.toml")]) == 0
    assert "1 note had more than two fields" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("notetype", "kind"),
    [
        ("Lückentext", "cloze"),
        ("Einfach (Antwort eintippen)", "typed"),
        ("Einfach (mit umgekehrter Karte)", "basic"),
        ("Texte à trous", "cloze"),
        ("Mein Typ", "cloze"),  # a name we cannot read: the cloze markers decide
    ],
)
def test_translated_note_type_names_keep_their_kind(
    tmp_path: Path, notetype: str, kind: str
) -> None:
    text = f"#separator:tab\n#notetype:{notetype}\n{{{{c1::Lima}}}} is a capital\tLima\n"
    (card,) = import_file(write(tmp_path / "de.txt", text)).deck.cards
    assert card.kind == kind
    if "umgekehrt" in notetype:
        assert isinstance(card, BasicCard) and card.reverse


def test_a_note_of_an_unknown_note_type_is_still_imported(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    export_deck(EVERY_KIND, path, NOW)
    with zipfile.ZipFile(path) as package:
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    typed_id = keyed(EVERY_KIND)[3].id
    with sqlite3.connect(tmp_path / "col") as db:
        db.execute("UPDATE notes SET mid = 42 WHERE guid = ?", (typed_id,))
    db.close()
    make_zip(path, {"collection.anki2": (tmp_path / "col").read_bytes()})
    cards = import_file(path).deck.cards
    assert cards[3] == BasicCard(id=typed_id, front="2 + 2?", back="4")
    assert cards[:3] + cards[4:] == keyed(EVERY_KIND)[:3] + keyed(EVERY_KIND)[4:]


def test_plain_csv_is_not_html_and_cloze_text_becomes_a_cloze_card(tmp_path: Path) -> None:
    text = 'x<b>y</b>,1 < 2\n"The {{c1::Nile}} is long",\n'
    cards = import_file(write(tmp_path / "mixed.csv", text)).deck.cards
    assert cards[0] == BasicCard(id=cards[0].id, front="x<b>y</b>", back="1 < 2")
    assert cards[1] == ClozeCard(id=cards[1].id, cloze="The {{c1::Nile}} is long")


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.txt", "\ufeffFrage\tAntwort\nÄpfel?\tja\n", "utf-16-le")
    cards = import_file(path).deck.cards
    assert [getattr(c, "front", "") for c in cards] == ["Frage", "Äpfel?"]


def test_unusable_notes_are_reported_not_dropped(tmp_path: Path) -> None:
    text = "#separator:tab\n#html:true\nGood\tYes\nEmpty?\t<br>\nPicture?\t<img src='cat.png'>\n"
    result = import_file(write(tmp_path / "some.txt", text))
    assert [getattr(c, "back", "") for c in result.deck.cards] == ["Yes", "[image: cat.png]"]
    assert result.media == ["cat.png"]
    assert result.skipped == ["note 2 ('Empty?'): back: must not be blank"]


# --- errors a user can cause ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.csv", lambda p: write(p, ""), r"empty\.csv is empty"),
        ("blank.txt", lambda p: write(p, " \n\n"), r"blank\.txt is empty"),
        (
            "latin.csv",
            lambda p: write(p, "a,b\nCaf\xe9,x\n", "latin-1"),
            r"latin\.csv:2: not UTF-8",
        ),
        ("bad.apkg", lambda p: write(p, "not a zip"), r"bad\.apkg is not an Anki package"),
        (
            "nocol.apkg",
            lambda p: make_zip(p, {"media": b"{}"}),
            r"nocol\.apkg: no Anki collection inside",
        ),
        (
            "junk.apkg",
            lambda p: make_zip(p, {"collection.anki2": b"x" * 200}),
            r"junk\.apkg: the collection inside cannot be read",
        ),
        (
            "junk21b.apkg",
            lambda p: make_zip(p, {"collection.anki21b": b"x" * 200}),
            r"junk21b\.apkg: the compressed collection is damaged",
        ),
        ("missing.csv", None, r"missing\.csv: no such file"),
        ("folder.csv", lambda p: p.mkdir(), r"folder\.csv is a folder, not a file to import"),
        ("onecolumn.csv", lambda p: write(p, "just a line\n"), r"none of its 1 notes"),
        (
            "collection.anki2",
            lambda p: sqlite3.connect(p).execute("CREATE TABLE col (id)").connection.commit(),
            r"collection\.anki2 is a database \(an Anki collection\?\), not a package",
        ),
        (
            "shared.apkg",
            lambda p: write(
                p, "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n"
            ),
            r"shared\.apkg is a Git LFS pointer",
        ),
    ],
)
def test_bad_files_raise_a_readable_error(
    tmp_path: Path, name: str, make: Any, message: str
) -> None:
    path = tmp_path / name
    if make:
        make(path)
    with pytest.raises(InteropError, match=message):
        import_file(path)


@pytest.mark.parametrize("member", ["collection.anki21b", "collection.anki2"])
def test_a_package_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, member: str
) -> None:
    import zstandard

    from quiz.interop import anki

    monkeypatch.setattr(anki, "MAX_COLLECTION", 1 << 20)  # the real limit is 1 GiB
    data = b"\0" * (3 << 20)
    if member.endswith("b"):
        data = zstandard.ZstdCompressor().compress(data)  # a few hundred bytes
    path = make_zip(tmp_path / "bomb.apkg", {member: data})
    with pytest.raises(InteropError, match=rf"bomb\.apkg: {member} (would )?unpacks? to"):
        import_file(path)
    assert not list(tmp_path.glob("tmp*"))


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE cards SET due = 'soon'", r"holds values Anki never writes"),
        ("UPDATE cards SET reps = 2.5, data = '[1]', odid = '7'", None),
        ("UPDATE col SET conf = '[]', models = '{\"1\": 3}'", r"note types cannot be read"),
    ],
)
def test_a_malformed_collection_gets_a_message_never_a_traceback(
    tmp_path: Path, sql: str, message: str | None
) -> None:
    path = tmp_path / "deck.apkg"
    export_deck(EVERY_KIND, path, NOW)
    with zipfile.ZipFile(path) as package:
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "col") as db:
        db.execute(sql)
    db.close()
    make_zip(path, {"collection.anki2": (tmp_path / "col").read_bytes()})
    if message is None:  # odd but readable: the cards still come through
        assert len(import_file(path).deck.cards) == len(EVERY_KIND.cards)
    else:
        with pytest.raises(InteropError, match=message):
            import_file(path)


def test_cli_reports_bad_files_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "broken.apkg", "PK\x03\x04 truncated")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quiz: ") and "not an Anki package" in err
    assert "Traceback" not in err
    assert not (tmp_path / "broken.toml").exists()


# --- the commands ---------------------------------------------------------------------------


def test_import_command_writes_a_deck_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "every.apkg"
    export_deck(EVERY_KIND, source, NOW)
    assert main(["import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "imported 10 cards (4 basic, 2 choice, 1 cloze, 1 order, 1 truefalse, 1 typed)" in out
    assert f"into {tmp_path / 'every.toml'}" in out
    loaded = load_deck(tmp_path / "every.toml")
    assert loaded.cards == keyed(EVERY_KIND)
    assert main(["check", str(tmp_path / "every.toml")]) == 0


def test_import_command_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "cards.csv", "q,a\n")
    target = write(tmp_path / "mine.toml", "# mine\n")
    assert main(["import", str(source), "-o", str(target)]) == 2
    assert "mine.toml exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# mine\n"


def test_import_command_prints_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "#html:true\nGood\tYes [sound:yes.mp3]\nPicture?\t<img src='cat\x1b]0;x\x07.png'>\nNo\t \n"
    )
    source = write(tmp_path / "some.txt", text)
    assert main(["import", str(source), "-o", str(tmp_path / "out.toml")]) == 0
    out = capsys.readouterr().out
    assert "2 media files not in the file (cards name them): yes.mp3, cat]0;x.png" in out
    assert "skipped 1 note:\n  note 3 ('No'): back: must not be blank" in out
    assert "\x1b" not in out


def test_export_command_by_path_and_by_deck_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.decks import save_deck

    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "home"))
    deck_file = tmp_path / "home" / "decks" / "every-kind.toml"
    deck_file.parent.mkdir(parents=True)
    save_deck(EVERY_KIND, deck_file)
    assert main(["export", str(deck_file), "-o", str(tmp_path / "a.apkg")]) == 0
    assert "exported 10 cards (12 to review)" in capsys.readouterr().out
    assert main(["export", "every-kind", "-o", str(tmp_path / "b.csv")]) == 0
    assert import_file(tmp_path / "b.csv").deck.cards == keyed(EVERY_KIND)
    assert main(["export", "no-such-deck", "-o", str(tmp_path / "c.csv")]) == 2
    assert "no deck file or deck id 'no-such-deck'" in capsys.readouterr().err


# --- against Anki itself --------------------------------------------------------------------

needs_anki = pytest.mark.skipif(
    importlib.util.find_spec("anki") is None,
    reason="the anki package (test extra) is not installed",
)


@dataclass
class AnkiPackages:
    legacy: Path
    modern: Path
    two_decks: Path


def new_collection(path: Path) -> Any:
    from anki.collection import Collection

    return Collection(str(path))


def add_note(col: Any, deck_id: int, notetype: str, fields: list[str], tags: list[str]) -> None:
    note = col.new_note(col.models.by_name(notetype))
    for index, value in enumerate(fields):
        note.fields[index] = value
    note.tags = tags
    col.add_note(note, deck_id)


@pytest.fixture(scope="module")
def anki_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnkiPackages]:
    """One deck of every stock note type, exported by Anki in both package formats."""
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki")
    col = new_collection(folder / "collection.anki2")
    col.media.write_data("map.png", b"\x89PNG fake")
    deck_id = col.decks.id("Geography")
    add_note(col, deck_id, "Basic", ["Capital of <b>Peru</b>?", "Lima<br>(since 1535)"], ["geo"])
    add_note(col, deck_id, "Basic (and reversed card)", ["Perú", "Peru"], ["es", "two words"])
    add_note(
        col,
        deck_id,
        "Cloze",
        ['{{c1::Lima::city}} is on the {{c2::coast}}<img src="map.png">', "Extra"],
        [],
    )
    add_note(col, deck_id, "Basic (type in the answer)", ["Largest lake of Peru?", "Titicaca"], [])
    add_note(col, deck_id, "Basic", ["Map of Peru?", '<img src="map.png">'], [])
    other = col.decks.id("History")
    add_note(col, other, "Basic", ["Inca capital?", "Cusco"], [])
    packages = AnkiPackages(folder / "legacy.apkg", folder / "modern.apkg", folder / "both.apkg")
    for path, legacy, limit in [
        (packages.legacy, True, DeckIdLimit(deck_id)),
        (packages.modern, False, DeckIdLimit(deck_id)),
        (packages.two_decks, False, None),
    ]:
        options = ExportAnkiPackageOptions(with_media=True, legacy=legacy)
        col.export_anki_package(out_path=str(path), options=options, limit=limit)
    col.close()
    yield packages


@needs_anki
@pytest.mark.parametrize("variant", ["legacy", "modern"])
def test_we_import_what_anki_exports(anki_packages: AnkiPackages, variant: str) -> None:
    path = getattr(anki_packages, variant)
    with zipfile.ZipFile(path) as package:
        expected_member = "collection.anki21" if variant == "legacy" else "collection.anki21b"
        assert expected_member in package.namelist()
    result = import_file(path)
    assert result.deck.deck.title == "Geography"
    basic, reversed_, cloze, typed, picture = result.deck.cards
    assert basic == BasicCard(
        id=basic.id, front="Capital of Peru?", back="Lima\n(since 1535)", tags=["geo"]
    )
    assert reversed_ == BasicCard(
        id=reversed_.id, front="Perú", back="Peru", reverse=True, tags=["es", "two", "words"]
    )
    assert cloze == ClozeCard(
        id=cloze.id,
        cloze="{{c1::Lima::city}} is on the {{c2::coast}} [image: map.png]",
        explanation="Extra",
    )
    assert typed == TypedCard(id=typed.id, prompt="Largest lake of Peru?", answer="Titicaca")
    assert picture == BasicCard(id=picture.id, front="Map of Peru?", back="[image: map.png]")
    assert result.media == ["map.png"]
    assert result.skipped == []
    assert len({c.id for c in result.deck.cards}) == 5


@needs_anki
@pytest.mark.parametrize("variant", ["legacy", "modern"])
def test_the_media_of_a_package_are_copied_beside_the_deck(
    anki_packages: AnkiPackages, variant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "peru.toml"
    assert main(["import", str(getattr(anki_packages, variant)), "-o", str(deck)]) == 0
    assert f"copied 1 media file into {tmp_path / 'peru.media'}" in capsys.readouterr().out
    assert (tmp_path / "peru.media" / "map.png").read_bytes() == b"\x89PNG fake"


@needs_anki
def test_an_exported_deck_takes_its_media_back_to_anki(
    anki_packages: AnkiPackages, tmp_path: Path, fresh_collection: Any
) -> None:
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    deck = tmp_path / "peru.toml"
    assert main(["import", str(anki_packages.modern), "-o", str(deck)]) == 0
    assert main(["export", str(deck), "-o", str(tmp_path / "back.apkg")]) == 0
    col = fresh_collection
    request = ImportAnkiPackageRequest(
        package_path=str(tmp_path / "back.apkg"), options=ImportAnkiPackageOptions()
    )
    col.import_anki_package(request)
    assert (Path(col.media.dir()) / "map.png").read_bytes() == b"\x89PNG fake"
    (map_note,) = (col.get_note(n) for n in col.find_notes('"Front:Map of Peru?"'))
    assert map_note.fields[1] == '<img src="map.png">'  # Anki's own note, as it was


@needs_anki
def test_both_package_formats_give_the_same_ids(anki_packages: AnkiPackages) -> None:
    legacy = import_file(anki_packages.legacy).deck.cards
    assert legacy == import_file(anki_packages.modern).deck.cards


@needs_anki
def test_a_package_of_several_decks_tags_each_card_with_its_deck(
    anki_packages: AnkiPackages,
) -> None:
    result = import_file(anki_packages.two_decks)
    assert result.deck.deck.title == "both"
    assert {c.tags[-1] for c in result.deck.cards} == {"Geography", "History"}


@pytest.fixture
def fresh_collection(tmp_path: Path) -> Iterator[Any]:
    """An empty Anki collection, as a new Anki profile has."""
    col = new_collection(tmp_path / "collection.anki2")
    yield col
    col.close()


@needs_anki
def test_anki_imports_our_apkg(tmp_path: Path, fresh_collection: Any) -> None:
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = fresh_collection
    path = tmp_path / "every.apkg"
    export_deck(EVERY_KIND, path, NOW)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    log = col.import_anki_package(request).log
    assert len(log.new) == col.note_count() == len(EVERY_KIND.cards)
    assert col.card_count() == len(expand("", EVERY_KIND.cards))
    assert "Every kind" in [d.name for d in col.decks.all_names_and_ids()]
    cloze = col.get_note(col.find_notes("note:Cloze*")[0])
    assert [c.ord for c in cloze.cards()] == [0, 2]
    assert "dog" in {col.get_note(nid).guid for nid in col.find_notes("")}


@needs_anki
def test_anki_imports_our_csv(tmp_path: Path, fresh_collection: Any) -> None:
    from anki.collection import ImportCsvRequest

    col = fresh_collection
    path = tmp_path / "every.csv"
    export_deck(EVERY_KIND, path, NOW)
    metadata = col.get_csv_metadata(str(path), None)
    log = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
    assert len(log.new) == col.note_count() == len(EVERY_KIND.cards)
    assert col.card_count() == len(expand("", EVERY_KIND.cards))
    note = col.get_note(col.find_notes("tag:geo")[0])
    assert note.note_type()["name"] == "Basic"
    assert note.fields == ["Capital of France?", "Paris<br><br>Why"]


def test_a_card_in_a_filtered_deck_belongs_to_its_home_deck(tmp_path: Path) -> None:
    import json

    path = tmp_path / "deck.apkg"
    export_deck(EVERY_KIND, path, NOW)
    with zipfile.ZipFile(path) as package:
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "col") as db:
        (decks_json,) = db.execute("SELECT decks FROM col").fetchone()
        decks = json.loads(decks_json)
        home = next(int(k) for k, d in decks.items() if d["name"] == "Every kind")
        decks["99"] = {**decks[str(home)], "id": 99, "name": "Cram", "dyn": 1}
        db.execute("UPDATE col SET decks = ?", (json.dumps(decks),))
        db.execute("UPDATE cards SET did = 99, odid = ?, odue = due WHERE id % 2 = 0", (home,))
    db.close()
    make_zip(path, {"collection.anki2": (tmp_path / "col").read_bytes()})
    result = import_file(path)
    assert result.deck.deck.title == "Every kind"
    assert all("Cram" not in card.tags for card in result.deck.cards)


def test_a_nested_cloze_in_a_text_export_becomes_one_card_per_group(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n"
        "n1\tCloze\t{{c1::Lima lies {{c2::on the coast::where}}}} of {{c3::Peru}}\tExtra\n"
    )
    result = import_file(write(tmp_path / "nested.txt", text))
    assert result.skipped == []
    assert [(c.id, c.cloze) for c in result.deck.cards if isinstance(c, ClozeCard)] == [
        ("n1", "{{c1::Lima lies on the coast}} of Peru"),  # the inner gap hidden with the outer
        ("n1-c2", "Lima lies {{c2::on the coast::where}} of Peru"),
        ("n1-c3", "Lima lies on the coast of {{c3::Peru}}"),
    ]
    assert {c.explanation for c in result.deck.cards} == {"Extra"}


@pytest.fixture
def unusual_package(tmp_path: Path) -> tuple[Path, Path]:
    """A collection with a nested cloze and a note type whose two templates ask different
    things (neither one the other's reverse), and its package."""
    from anki.collection import ExportAnkiPackageOptions

    path = tmp_path / "unusual.anki2"
    col = new_collection(path)
    add_vocab_type(col, ("Word", "Meaning", "Example", "Notes"))
    deck_id = col.decks.id("Words")
    add_note(col, deck_id, "Vocab", ["brisk", "quick", "a ___ walk", "private"], ["adj"])
    add_note(col, deck_id, "Cloze", ["{{c1::Lima lies {{c2::on the coast}}}} of Peru", ""], [])
    package = tmp_path / "unusual.apkg"
    col.export_anki_package(out_path=str(package), options=ExportAnkiPackageOptions(), limit=None)
    col.close()
    return path, package


@needs_anki
def test_each_card_of_a_custom_note_type_shows_only_its_own_templates_fields(
    unusual_package: tuple[Path, Path],
) -> None:
    result = import_file(unusual_package[1])
    meaning, usage, outer, inner = result.deck.cards
    assert meaning == BasicCard(id=meaning.id, front="brisk", back="quick", tags=["adj"])
    assert usage == BasicCard(id=f"{meaning.id}-t2", front="a ___ walk", back="brisk", tags=["adj"])
    assert isinstance(outer, ClozeCard) and isinstance(inner, ClozeCard)
    assert outer.cloze == "{{c1::Lima lies on the coast}} of Peru"
    assert (inner.id, inner.cloze) == (f"{outer.id}-c2", "Lima lies {{c2::on the coast}} of Peru")
    assert result.skipped == []


@needs_anki
def test_split_notes_go_back_to_their_collection_as_the_notes_they_were(
    unusual_package: tuple[Path, Path], tmp_path: Path
) -> None:
    """Unchanged, each goes back as it was; an edited template's card updates its own fields;
    an edited nested-cloze card, which cannot be put back into nested gaps, becomes a new
    note and leaves the original alone."""
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    original, package = unusual_package
    deck = tmp_path / "words.toml"
    home = tmp_path / "home"
    with sqlite3.connect(original) as db:
        (latest,) = db.execute("SELECT max(mod) FROM notes").fetchone()
    db.close()
    later = datetime.fromtimestamp(latest + 60, UTC)  # edits made after Anki's last change
    env = {"QUIZ_HOME": str(home), "QUIZ_NOW": later.isoformat()}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        assert main(["import", str(package), "-o", str(deck)]) == 0
        text = deck.read_text()
        text = text.replace('front = "a ___ walk"', 'front = "a ___ stroll"')
        deck.write_text(
            text.replace("Lima lies {{c2::on the coast}}", "Lima lies {{c2::by the sea}}")
        )
        assert main(["export", str(deck), "-o", str(tmp_path / "back.apkg")]) == 0
    col = Collection(str(original))
    try:
        before = {n: col.get_note(n).fields for n in col.find_notes("")}
        request = ImportAnkiPackageRequest(
            package_path=str(tmp_path / "back.apkg"), options=ImportAnkiPackageOptions()
        )
        log = col.import_anki_package(request).log
        after = {n: col.get_note(n).fields for n in col.find_notes("")}
    finally:
        col.close()
    assert (len(log.updated), len(log.new)) == (1, 1)
    vocab, cloze = sorted(before)
    assert after[vocab] == ["brisk", "quick", "a ___ stroll", "private"]
    assert after[cloze] == before[cloze]
    (new,) = set(after) - set(before)
    assert after[new][0] == "Lima lies {{c2::by the sea}} of Peru"


@needs_anki
def test_subdecks_can_become_one_deck_file_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from anki.collection import ExportAnkiPackageOptions

    col = new_collection(tmp_path / "languages.anki2")
    for deck, front in [
        ("Spanish", "hola"),
        ("Spanish::Verbs", "comer"),
        ("Spanish::Verbs", "vivir"),
        ("French::Verbs", "manger"),
        ("French::Verbs", "   "),  # no card can come of it
        ("Spanish::Empty", ""),
    ]:
        add_note(col, col.decks.id(deck), "Basic", [front, "answer"], [])
    col.decks.select(col.decks.id("French::Verbs"))
    queued = col.sched.get_queued_cards(fetch_limit=1).cards[0]
    card = col.get_card(queued.card.id)
    card.start_timer()
    col.sched.answerCard(card, 3)
    package = tmp_path / "languages.apkg"
    col.export_anki_package(
        out_path=str(package), options=ExportAnkiPackageOptions(with_scheduling=True), limit=None
    )
    col.close()
    library = tmp_path / "library"
    args = ["import", str(package), "--split-decks", "-o", str(library)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "kept 1 review of history and the state of 1 card (1 learning)" in out
    assert "skipped 2 notes:\n  French / Verbs, note 2" in out
    assert "  Spanish / Empty, note 1" in out
    files = sorted(str(p.relative_to(library)) for p in library.rglob("*.toml"))
    assert files == ["French/Verbs.toml", "Spanish.toml", "Spanish/Verbs.toml"]
    decks = {f: load_deck(library / f) for f in files}
    assert {f: (d.id, d.meta.title) for f, d in decks.items()} == {
        "French/Verbs.toml": ("French.Verbs", "French / Verbs"),
        "Spanish.toml": ("Spanish", "Spanish"),
        "Spanish/Verbs.toml": ("Spanish.Verbs", "Spanish / Verbs"),
    }
    fronts = {
        f: [(c.front, c.tags) for c in d.cards if isinstance(c, BasicCard)]
        for f, d in decks.items()
    }
    assert fronts["Spanish/Verbs.toml"] == [("comer", []), ("vivir", [])]  # no deck tags
    assert main(["check", str(library)]) == 0
    capsys.readouterr()
    assert main(args) == 2  # nothing overwritten without --force
    assert "exists; use --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert "no new history to keep" in capsys.readouterr().out


def test_deck_names_become_safe_distinct_file_names(tmp_path: Path) -> None:
    from quiz.interop import deck_files

    names = ["A::B", "a::b", "", "..::x/y:z", "\x1b]0;t\x07::C"]
    assert deck_files(tmp_path, names, "fallback") == [
        (tmp_path / "A" / "B.toml", "A.B"),
        (tmp_path / "a" / "b (2).toml", "a.b-2"),
        (tmp_path / "fallback.toml", "fallback"),
        (tmp_path / "deck" / "x-y-z.toml", "deck.x-y-z"),
        (tmp_path / "]0;t" / "C.toml", "0-t.C"),
    ]
