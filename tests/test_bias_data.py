"""The fairness guards' grammar, sensitive-fact cues, phrase patterns and shared es/fr/de lists are
data files.

``guards/data/bias/text_en.toml``, ``sensitive_en.toml`` and ``lang_shared.toml`` load with every
key of its type and every pattern compiled; ``bias_en.toml`` loads checked and its patterns compile
on first use (every one is compiled here). A broken copy is refused with the file and every
problem named. The broken copies are made here from the shipped files by replacing a line; no
text comes from an evaluation set.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rai_assistant.guards import _bias_lang, _bias_lexicon, _bias_sensitive, _bias_text, bias
from rai_assistant.guards._bias_lang import BiasDataError, SharedData, load_shared
from rai_assistant.guards._bias_lexicon import LazyPattern, check_data, compile_all, read_toml
from rai_assistant.guards._bias_sensitive import load_sensitive_data
from rai_assistant.guards._bias_text import TextData, load_text_data

# Lists that are matched as written (acronyms); every other word list is matched in lower case.
_AS_WRITTEN = {"CASE_SENSITIVE"}


def _loaders() -> list[tuple[Path, Callable[[Path], Any]]]:
    return [
        (_bias_text.TEXT_FILE, load_text_data),
        (_bias_sensitive.SENSITIVE_FILE, load_sensitive_data),
        (_bias_lang.SHARED_FILE, load_shared),
        (bias.BIAS_FILE, bias.load_bias_data),
    ]


def _broken(tmp_path: Path, source: Path, *changes: tuple[str, str]) -> Path:
    """A copy of ``source`` in ``tmp_path`` with each (old, new) replaced once (old must occur)."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(err: pytest.ExceptionInfo[ValueError], path: Path) -> list[str]:
    message = str(err.value)
    assert message.startswith(f"{path}: "), message
    return message.removeprefix(f"{path}: ").split("; ")


# ----------------------------------------------------------------------------- shipped


@pytest.mark.parametrize("index", range(4))
def test_each_shipped_file_loads_with_every_key_of_its_type(index: int) -> None:
    path, load = _loaders()[index]
    data = load(path)
    assert data and all(v for v in data.values())
    for name, value in data.items():
        if isinstance(value, frozenset | tuple) and all(isinstance(w, str) for w in value):
            assert all(w == w.strip() for w in value), name
            if name not in _AS_WRITTEN:
                assert all(w == w.lower() for w in value), f"{name} is matched in lower case"


def test_the_modules_read_their_lists_from_the_files() -> None:
    text = load_text_data()
    assert _bias_text.PERSON_NOUNS == text["PERSON_NOUNS"] and "colleague" in _bias_text.PERSON_NOUNS
    assert isinstance(text["SENTENCE_END"], re.Pattern) and text["SENTENCE_END"].flags == re.UNICODE
    assert ("in", "my", "view") in _bias_text._HEDGES
    assert _bias_text.sentences("One. Two; three") == [(0, 4), (5, 8), (10, 15)]

    sensitive = load_sensitive_data()
    assert sensitive["ETHNIC"]["Latina"] == "ethnicity"
    always = sensitive["ALWAYS"]
    assert always and all(rx.flags & re.IGNORECASE and kind for rx, kind in always)
    assert {kind for _, kind in always} >= {"pregnancy", "disability"}
    assert sensitive["OTHERS_BEFORE"].flags & re.IGNORECASE

    shared = load_shared()
    assert shared["FR_ENDINGS"][0] == ("if", ("if", "ive", "ifs", "ives"))
    assert _bias_lang.inflect("fr", "agressif") == ("agressif", "agressive", "agressifs", "agressives")
    assert _bias_lang.inflect("de", "zickig")[1:] == tuple("zickig" + e for e in shared["DE_ENDINGS"])


def test_every_pattern_of_every_bias_data_file_compiles() -> None:
    # compiled on load: the grammar, the sensitive-fact cues, the shared and per-language lists
    for path, load in _loaders()[:3]:
        assert any(isinstance(v, re.Pattern) for v in load(path).values()), path
    for code in _bias_lang.LANGUAGES:
        assert _bias_lang.load_language(code)
    # compiled on first use: bias_en.toml, as the guard fills it in, and every pattern the guard
    # searches (the file's and those built from the lexicon's phrase lists)
    data = bias.load_bias_data()
    patterns = bias.filled_patterns(data)
    assert compile_all(patterns) == len(patterns) == sum(isinstance(v, LazyPattern) for v in data.values())
    assert not any(p.placeholders() for p in patterns.values())
    rx = bias._rx()
    assert compile_all(rx) == len(rx)
    # built from the lexicon's phrase lists alone, with no pattern text of their own
    from_lexicon = {"GENDERED", "PERSONALITY_PHRASE", "AGE", "JUDGEMENT", "APP_JUDGE"}
    assert {k.upper() for k in rx} - set(patterns) == from_lexicon


def test_the_guard_reads_its_words_and_patterns_from_the_file() -> None:
    data = bias.load_bias_data()
    assert bias._BODY_NOUNS == data["BODY_NOUNS"] and "lad" in bias._BODY_NOUNS
    assert bias._INTENSIFIERS == data["INTENSIFIERS"] and "too" in bias._TOO
    rx = bias._rx()
    assert rx["clothes"].pattern == data["CLOTHES"].pattern and rx["clothes"].flags == re.IGNORECASE
    assert "{GROUPS}" in data["GROUP"].pattern and "{GROUPS}" not in rx["group"].pattern
    assert data["POSSESSOR"].pattern in rx["trait_noun"].pattern and rx["trait_noun"].flags == 0
    assert bias._PERSON_WORD.search("not sure she can") and not bias._PERSON_WORD.search("not sure it can")
    hits = bias.find_bias("She should wear more make-up. He is a bit abrasive.")
    assert [h.category for h in hits] == ["appearance", "gendered_language", "personality_critique"]


def test_importing_the_guard_compiles_none_of_its_patterns() -> None:
    code = (
        "from rai_assistant.guards import bias; from rai_assistant.guards._bias_lexicon import LazyPattern\n"
        "lazy = [v for v in bias._DATA.values() if isinstance(v, LazyPattern)]\n"
        "print(len(lazy), sum(v._compiled is not None for v in lazy), bias._rx.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["58", "0", "0"]


def test_the_lexicon_and_the_new_files_share_one_checker(tmp_path: Path) -> None:
    # the lexicon's own messages are unchanged; its unknown keys are still called lists
    path = _broken(tmp_path, _bias_lexicon.LEXICON_FILE, ("\nTRAITS = [", "\nTRAITZ = ["))
    with pytest.raises(ValueError, match=r"unknown list\(s\) TRAITZ") as err:
        _bias_lexicon.load_lexicon(path)
    assert _problems(err, path) == ["TRAITS is missing", "unknown list(s) TRAITZ"]


# ------------------------------------------------------------------------------ broken


def test_a_grammar_file_with_an_unknown_missing_mistyped_or_empty_key_is_refused(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        _bias_text.TEXT_FILE,
        ("ED_NOT_PAST = [", "ED_NOT_PASTS = ["),  # misspelt: ED_NOT_PAST missing, ED_NOT_PASTS unknown
        ("BARE_BE = [", 'BARE_BE = "be"\nBARE_BE_OLD = ['),  # a string where a list belongs
        ('"someone", "somebody"', '"someone", ""'),  # an empty entry (in PRONOUN_SUBJECTS)
        ("[PLACEHOLDER]\n", "[PLACEHOLDER]\nignore_case = true\n"),  # a key a pattern table lacks
    )
    with pytest.raises(ValueError, match=re.escape(str(path))) as err:
        load_text_data(path)
    assert _problems(err, path) == [
        "PRONOUN_SUBJECTS must be a list of non-empty strings",
        "BARE_BE must be a list of non-empty strings",
        "ED_NOT_PAST is missing",
        "[PLACEHOLDER]: unknown key(s) ignore_case",
        "unknown key(s) BARE_BE_OLD, ED_NOT_PASTS",
    ]


def test_a_pattern_that_does_not_compile_is_refused_with_the_regex_error(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        _bias_sensitive.SENSITIVE_FILE,
        ("pattern = '\\b(?:has|have|had|having)", "pattern = '\\b(?:has|have|had|having"),  # HAD: a "(" unclosed
        ("[CONTRACTED_SUBJECT]\n", "[CONTRACTED_SUBJECT]\nflags = ['IGNORECASE', 'LOUD']\n"),  # no such flag
    )
    with pytest.raises(ValueError, match=r"HAD\.pattern does not compile: missing \), unterminated subpattern") as err:
        load_sensitive_data(path)
    assert _problems(err, path) == [
        "HAD.pattern does not compile: missing ), unterminated subpattern at position 2",
        "CONTRACTED_SUBJECT.flags must be a list of flag names among IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII",
    ]


def test_a_broken_pattern_list_entry_is_refused_naming_the_entry(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        _bias_sensitive.SENSITIVE_FILE,
        ('[[ALWAYS]]\nkind = "orientation_identity"\n', "[[ALWAYS]]\n"),  # the third entry loses its kind
        ("[[ALWAYS]]\nkind = \"health\"\npattern = '''", "[[ALWAYS]]\nkind = \"health\"\npattern = '''(?<"),
        ('"Black" = "ethnicity"', '"Black" = ""'),
    )
    with pytest.raises(ValueError, match=re.escape(str(path))) as err:
        load_sensitive_data(path)
    problems = _problems(err, path)
    assert problems[0] == "ETHNIC: every term needs a kind"
    assert problems[1] == "[[ALWAYS]] #3 lacks kind"
    assert problems[2].startswith("[[ALWAYS]] #4.pattern does not compile: ")
    assert len(problems) == 3


def test_a_broken_shared_file_raises_the_language_data_error(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        _bias_lang.SHARED_FILE,
        ('{ ending = "eux", forms', '{ suffix = "eux", forms'),
        ("GROUP_PLURALS = [", "GROUP_PLURALS = 3\nPLURALS = ["),
        ("[TOKEN]\n", "[TOKEN]\npatern = 'x'\n"),
    )
    with pytest.raises(BiasDataError, match=re.escape(str(path))) as err:
        load_shared(path)
    assert _problems(err, path) == [
        "GROUP_PLURALS must be a list of non-empty strings",
        "FR_ENDINGS #2 lacks ending",
        "FR_ENDINGS #2: unknown key(s) suffix",
        "[TOKEN]: unknown key(s) patern",
        "unknown key(s) PLURALS",
    ]


def test_a_bias_pattern_that_does_not_compile_is_named_when_compiled(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        bias.BIAS_FILE,
        ("[KID_COMPOUND]\npattern = '\\bkid (?:", "[KID_COMPOUND]\npattern = '\\bkid ((?:"),  # a "(" unclosed
        ("|\\bthe (?:wrong|right) image\\b", "|\\bthe (?:wrong|right) image\\b[z-a]"),  # IMAGE: a bad range
    )
    data = bias.load_bias_data(path)  # the shape is right: loading compiles nothing
    with pytest.raises(ValueError, match=re.escape(f"{path}: KID_COMPOUND.pattern does not compile")) as err:
        compile_all(bias.filled_patterns(data))
    assert str(err.value).split("; ") == [
        f"{path}: IMAGE.pattern does not compile: bad character range z-a at position 117",
        f"{path}: KID_COMPOUND.pattern does not compile: missing ), unterminated subpattern at position 6",
    ]
    with pytest.raises(ValueError, match=re.escape(f"{path}: KID_COMPOUND.pattern does not compile")):
        data["KID_COMPOUND"].search("kid gloves")


def test_a_broken_bias_file_is_refused_on_load_naming_every_problem(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        bias.BIAS_FILE,
        ("TOO = [", "TOO_WORDS = ["),  # misspelt: TOO missing, TOO_WORDS unknown
        ("[JOINER]\n", "[JOINER]\nflags = ['IGNORECASE', 'LOUD']\n"),
        ('"mess", ', '"", '),  # an empty entry (in BARE_TOPIC_NOUNS)
    )
    with pytest.raises(ValueError, match=re.escape(str(path))) as err:
        bias.load_bias_data(path)
    assert _problems(err, path) == [
        "TOO is missing",
        "BARE_TOPIC_NOUNS must be a list of non-empty strings",
        "JOINER.flags must be a list of flag names among IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII",
        "unknown key(s) TOO_WORDS",
    ]
    # a placeholder naming no list the guard knows (checked once the keys are right)
    path = _broken(tmp_path, bias.BIAS_FILE, ("(?:{TRAIT_NOUNS})", "(?:{TRAIT_NOUN})"))
    with pytest.raises(ValueError, match="unknown placeholder") as err:
        bias.load_bias_data(path)
    assert _problems(err, path) == ["TRAIT_NOUN.pattern: unknown placeholder(s) TRAIT_NOUN"]


def test_a_file_that_is_not_toml_is_refused_naming_it(tmp_path: Path) -> None:
    path = _broken(tmp_path, _bias_lang.SHARED_FILE, ("QUOTES = [", "QUOTES = [[[["))
    with pytest.raises(BiasDataError, match=re.escape(f"{path}: not valid TOML")):
        load_shared(path)


def test_the_checker_takes_any_typed_dict(tmp_path: Path) -> None:
    data = read_toml(_bias_text.TEXT_FILE)
    assert check_data(tmp_path / "x.toml", data, TextData)["BARE_BE"] == frozenset({"be", "being", "been"})
    with pytest.raises(ValueError, match=r"x\.toml: .*unknown key\(s\) "):
        check_data(tmp_path / "x.toml", data, SharedData)
