"""The bias guard generalises by the shape of a sentence, not by a list of known sentences.

Every sentence here was written for these tests from the behaviours the guard must catch (elided
subjects, descriptors spread over a sentence, coded wording, Spanish/French/German) and the work
talk it must leave alone; none comes from an evaluation set.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rai_assistant.guards import _bias_lang
from rai_assistant.guards._bias_lang import LANGUAGES, BiasDataError, inflect, load_language, parse_language
from rai_assistant.guards._bias_scan import Scanner
from rai_assistant.guards.bias import check_bias
from rai_assistant.guards.sensitive_facts import check_sensitive_facts
from rai_assistant.types import Finding, GuardContext, Stage

CTX = GuardContext(feature="feedback", stage=Stage.DRAFT)


def _found(text: str) -> list[Finding]:
    return [*check_bias(text, CTX), *check_sensitive_facts(text, CTX)]


def _assert_flags(text: str, words: str, category: str | None = None) -> None:
    start = text.index(words)
    end = start + len(words)
    hits = [f for f in _found(text) if f.span is not None and f.span.start < end and start < f.span.end]
    assert hits, f"nothing flagged over {words!r} in {text!r}: {_found(text)}"
    for f in hits:
        assert f.span is not None and text[f.span.start : f.span.end] == f.span.text
        assert f.suggestion
    if category is not None:
        assert category in {f.category for f in hits}, (category, hits)


# --------------------------------------------------------------------- elided subjects


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Rewrote the rota tool and is abrasive with the night team.", "abrasive"),
        ("Closed the audit early; pushy with suppliers.", "pushy"),
        ("- Bossy in planning meetings", "Bossy"),
        ("* condescending to the help desk, otherwise solid", "condescending"),
        ("Owns the loading bay. Gets defensive whenever a delivery is late.", "defensive"),
        ("Great with customers. Very moody some weeks.", "moody"),
        ("Seems hysterical when the till does not balance.", "hysterical"),
        ("Handled the escalation, and is frankly quite arrogant about it.", "arrogant"),
        ("Punctual, tidy, a bit weird around the customers.", "weird"),
        ("Marco: first in every morning, stock counts right. Stroppy.", "Stroppy"),
        ("[PERSON_1] is shrill when the schedule slips.", "shrill"),
    ],
)
def test_a_note_without_a_subject_is_about_the_person(text: str, words: str) -> None:
    _assert_flags(text, words, "personality_critique")


# ---------------------------------------------------------------- descriptors spread out


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Ilse is, frankly, a bit too emotional for a lead role.", "emotional"),
        ("He gets defensive and, honestly, kind of hysterical in reviews.", "hysterical"),
        ("Tomasz is, in my view, rather abrasive with new starters.", "abrasive"),
        ("She is, and I say this kindly, quite shrill on calls.", "shrill"),
        ("Jonah can, at times, be somewhat bossy.", "bossy"),
        ("Peers describe her as 'difficult'.", "difficult"),
        ("He's become increasingly negative and cynical.", "negative"),
        ("Kofi is smart, if somewhat condescending.", "condescending"),
        ("Maya is a careful planner but very neurotic.", "neurotic"),
        ("She's very high maintenance.", "high maintenance"),
    ],
)
def test_words_between_the_person_and_the_judgement_do_not_hide_it(text: str, words: str) -> None:
    _assert_flags(text, words, "personality_critique")


# ------------------------------------------------------------------------ coded wording


@pytest.mark.parametrize(
    ("text", "words", "category"),
    [
        ("Being a digital native, Leon picked up the scanner fast.", "digital native", "age_coded"),
        ("Ruth is overqualified for the coordinator post.", "overqualified", "age_coded"),
        ("Bill is near retirement, so the course would be wasted.", "near retirement", "age_coded"),
        (
            "At this stage of his career, Paul won't learn the new stack.",
            "At this stage of his career",
            "age_coded",
        ),
        ("Dennis is a bit of a dinosaur about tooling.", "dinosaur", "age_coded"),
        ("He's 61, so I wouldn't put him on the programme.", "He's 61", "age_coded"),
        (
            "With two kids at home, she can't do the travel.",
            "With two kids at home",
            "protected_characteristic",
        ),
        ("As a new mum she may not want the promotion.", "As a new mum", "protected_characteristic"),
        ("His accent makes the calls hard.", "His accent", "protected_characteristic"),
        ("Frankly, Omar is not a culture fit.", "culture fit", "protected_characteristic"),
        ("Lina is not a natural fit for client-facing work.", "natural fit", "protected_characteristic"),
        ("Deniz is fasting for Ramadan and I doubt she'll keep up on the line.", "Ramadan", None),
        ("She always looks immaculate, which clients like.", "immaculate", "appearance"),
        ("He's let himself go lately.", "let himself go", "appearance"),
        ("She's like the team mum, always baking.", "team mum", "gendered_language"),
    ],
)
def test_coded_wording_is_flagged(text: str, words: str, category: str | None) -> None:
    _assert_flags(text, words, category)


# ----------------------------------------------------------------------- other languages


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Cerró el trimestre con buenas cifras, pero es muy mandona con los becarios.", "mandona"),
        ("Carlos se pone histérico cuando cambian los plazos.", "histérico"),
        ("Lucía es, la verdad, un poco demasiado emocional.", "emocional"),
        ("Gestionó las incidencias; borde con los clientes.", "borde"),
        ("Con los clientes es demasiado brusca.", "brusca"),
        ("Juan es demasiado mayor para aprender la herramienta.", "demasiado mayor"),
        ("Por ser madre, no podrá viajar tanto.", "Por ser madre"),
        ("Elle est autoritaire avec les stagiaires.", "autoritaire"),
        ("Il devient hystérique dès qu'on change le planning.", "hystérique"),
        ("Claire est trop âgée pour ce poste.", "trop âgée"),
        ("Son accent gêne les clients.", "Son accent"),
        ("Elle est, franchement, un peu trop émotive.", "émotive"),
        ("C'est quelqu'un de très susceptible.", "susceptible"),
        ("Sie ist oft zickig im Team.", "zickig"),
        ("Er wird hysterisch, wenn sich Pläne ändern.", "hysterisch"),
        ("Für eine Frau verhandelt sie gut.", "Für eine Frau"),
        ("Herr Weber ist zu alt für die Umstellung.", "zu alt"),
        ("Als Mutter kann sie nicht so viel reisen.", "Als Mutter"),
        ("Eine zickige Kollegin.", "zickige"),
        ("Im Team ist sie oft launisch.", "launisch"),
    ],
)
def test_spanish_french_and_german_wording_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words)


# ----------------------------------------------------------------- work talk must pass


@pytest.mark.parametrize(
    "text",
    [
        "Speaks Portuguese with clients in Lisbon.",
        "Agreed an aggressive timeline with the vendor and met it.",
        "Ran the emotional intelligence workshop for forty managers.",
        "Launched the accent-reduction programme for call agents.",
        "Brings 10 years of SAP experience.",
        "Retired the legacy billing system in June.",
        "Wrote the parental leave coverage plan for the team.",
        "Promoted to senior engineer last year.",
        "Pricing is aggressive this year, and she hedged early.",
        "Timeline aggressive but doable.",
        "The client is demanding; Ravi kept every weekly call on schedule.",
        "Tom said 'that's a stupid idea' to a junior on Monday; we discussed it.",
        "Our team is large, so onboarding took longer.",
        "He is big on documentation.",
        "The team took a 10% haircut on the budget.",
        "It was a bit of a slog, but the migration finished.",
        "Ramadan starts next week; the team agreed a later lunch rota.",
        "She raised concerns about the wheelchair ramp at the depot, and facilities fixed it.",
        "Habla portugués con los clientes de Brasil.",
        "Cumplió un calendario agresivo con el proveedor.",
        "Es difícil que el proveedor cumpla el plazo.",
        "A tenu un calendrier agressif avec le fournisseur.",
        "Il est difficile de tenir ce planning.",
        "Hat einen aggressiven Zeitplan mit dem Lieferanten eingehalten.",
        "Der Zeitplan ist aggressiv, aber sie hat ihn gehalten.",
        "Hat den Vertretungsplan für die Elternzeit erstellt.",
    ],
)
def test_job_relevant_facts_and_behaviour_pass(text: str) -> None:
    assert _found(text) == []


# ---------------------------------------------------------------- the language files


def test_every_language_file_loads_and_inflects_its_words() -> None:
    for code in LANGUAGES:
        lang = load_language(code)
        assert lang.code == code and lang.copulas and lang.person_nouns and lang.phrases
    assert set(inflect("es", "mandón")) == {"mandón", "mandona", "mandones", "mandonas"}
    assert set(inflect("es", "histérico")) == {"histérico", "histérica", "histéricos", "histéricas"}
    assert set(inflect("fr", "agressif")) == {"agressif", "agressive", "agressifs", "agressives"}
    assert "zickige" in inflect("de", "zickig")
    assert inflect("fr", "vieux|vieille") == ("vieux", "vieille")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace("[grammar]", "[grammer]"), "unknown tables"),
        (lambda s: re.sub(r"copulas = \[.*?\]", "copulas = 3", s, count=1, flags=re.S), "'copulas' must be"),
        (lambda s: s.replace("[phrases]\n", "[phrases]\nunknown_category = ['x']\n"), "[phrases] keys"),
        (lambda s: s.replace("'para (?:ser", "'para (?:ser("), "bad pattern"),
        (lambda s: s.replace('code = "es"', 'code = "xx"'), "code"),
    ],
)
def test_a_malformed_language_file_is_refused_with_the_key_to_fix(
    tmp_path: Path, change: object, message: str
) -> None:
    text = (_bias_lang.DATA_DIR / "es.toml").read_text(encoding="utf-8")
    broken = tmp_path / "es.toml"
    broken.write_text(change(text), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(BiasDataError, match=re.escape(message)):
        parse_language(broken)


def test_the_scanner_finds_what_each_pattern_finds_alone() -> None:
    patterns = {
        "phrase": (r"\bset in (?:his|her) ways\b|\b(?:a )?bit of an? \w+", re.IGNORECASE),
        "word": (r"(?<![\w-])(?:abrasive|bossy|shrill)(?![\w-])", re.IGNORECASE),
        "name": (r"\b[A-Z][\w-]*['’]s (?:hair|weight)\b", 0),
        "digits": (r"\b[2-9]\d-year-old\b", 0),
    }
    text = (
        "Set in her ways, Dana is a bit of a diva and bossy; Lee's hair, the 58-year-old said, "
        "was shrill. Abrasive? A bit of an odd one, set in his ways."
    )
    found = Scanner(patterns).scan(text)
    for name, (pattern, flags) in patterns.items():
        expected = [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]
        assert [(m.start(), m.end()) for m in found[name]] == expected, name
