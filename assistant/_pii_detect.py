"""Detection of structured personal data (contact details, identifiers, addresses) in a text.

Private helper of :mod:`rai_assistant.privacy` and :mod:`rai_assistant.guards.pii_leak`. Two sources:

* presidio-analyzer in regex mode: an ``AnalyzerEngine`` over presidio's ``NoOpNlpEngine`` (no
  spaCy model, nothing downloaded) with the predefined pattern recognizers for e-mail, phone,
  payment card (Luhn), IBAN, IP address and national ids. Built on first use and cached.
* our own regexes for what presidio lacks, needs context for or does slowly: employee ids,
  bank account numbers and sort codes, street addresses, URLs with a path, and identifiers announced by a cue ("SSN:",
  "national id", "tax id ...").

Presidio's own context words do not work without an NLP model (no tokens), so the digit-only
checksum recognizers (a 9-digit number passes some country's checksum one time in ten) only count
when a cue word stands just before them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rai_assistant.errors import ConfigError

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

__all__ = [
    "ADDRESS",
    "BANK_ACCOUNT",
    "CARD",
    "EMAIL",
    "EMPLOYEE_ID",
    "Entity",
    "IP_ADDRESS",
    "NATIONAL_ID",
    "PHONE",
    "STRUCTURED_KINDS",
    "URL",
    "detect",
    "load_analyzer",
]

EMAIL = "EMAIL"
PHONE = "PHONE"
EMPLOYEE_ID = "EMPLOYEE_ID"
NATIONAL_ID = "NATIONAL_ID"
CARD = "CARD"
BANK_ACCOUNT = "BANK_ACCOUNT"
IP_ADDRESS = "IP_ADDRESS"
URL = "URL"
ADDRESS = "ADDRESS"

#: Every kind :func:`detect` can return, most specific first (used to break ties).
STRUCTURED_KINDS: tuple[str, ...] = (
    EMAIL,
    CARD,
    BANK_ACCOUNT,
    NATIONAL_ID,
    EMPLOYEE_ID,
    PHONE,
    IP_ADDRESS,
    ADDRESS,
    URL,
)

_INSTALL_HINT = (
    "personal data detection needs presidio-analyzer: `pip install presidio-analyzer` "
    "(regex mode only, no spaCy model is downloaded)"
)


class Entity(NamedTuple):
    """A detected value: ``text[start:end]`` is personal data of ``kind``."""

    start: int
    end: int
    kind: str


# presidio entity type -> (our kind, minimum score, needs a cue word before it)
_PRESIDIO_KINDS: dict[str, tuple[str, float, bool]] = {
    "EMAIL_ADDRESS": (EMAIL, 0.5, False),
    "PHONE_NUMBER": (PHONE, 0.4, False),
    "CREDIT_CARD": (CARD, 0.5, False),
    "IBAN_CODE": (BANK_ACCOUNT, 0.5, False),
    "IP_ADDRESS": (IP_ADDRESS, 0.5, False),
    # distinctive formats (letters and digits, or separators, or a checksum over a long code)
    "US_SSN": (NATIONAL_ID, 0.5, False),
    "UK_NINO": (NATIONAL_ID, 0.5, False),
    "IN_AADHAAR": (NATIONAL_ID, 0.5, False),
    "ES_NIF": (NATIONAL_ID, 0.5, False),
    "ES_NIE": (NATIONAL_ID, 0.5, False),
    "IT_FISCAL_CODE": (NATIONAL_ID, 0.5, False),
    "FI_PERSONAL_IDENTITY_CODE": (NATIONAL_ID, 0.5, False),
    "SG_NRIC_FIN": (NATIONAL_ID, 0.5, False),
    "KR_RRN": (NATIONAL_ID, 0.5, False),
    "ZA_ID_NUMBER": (NATIONAL_ID, 0.5, False),
    # plain digit strings that pass a checksum: only after a cue word
    "US_ITIN": (NATIONAL_ID, 0.3, True),
    "CA_SIN": (NATIONAL_ID, 0.05, True),
    "AU_TFN": (NATIONAL_ID, 0.5, True),
    "PL_PESEL": (NATIONAL_ID, 0.5, True),
    "SE_PERSONNUMMER": (NATIONAL_ID, 0.5, True),
    "TR_NATIONAL_ID": (NATIONAL_ID, 0.5, True),
    "NG_NIN": (NATIONAL_ID, 0.5, True),
    "DE_TAX_ID": (NATIONAL_ID, 0.5, True),
}

_NATIONAL_CUE = re.compile(
    r"(?i)\b(?:ssn|social\s+security|social\s+insurance|sin|tfn|tax\s+file|tax\s*id|"
    r"tax\s+(?:number|no)|tin|itin|pesel|personnummer|nin|aadhaar|steuer-?id|"
    r"national\s+(?:id|identity|insurance|number)|identity\s+(?:number|card|no)|ni\s+(?:number|no)|"
    r"id\s+(?:number|no)|citizen\s+(?:id|number)|passport)\b"
)

# "SSN: 1234", "national id number is AB-123456": the value after an explicit cue, any country
_NATIONAL_AFTER_CUE = re.compile(
    _NATIONAL_CUE.pattern
    + r"\.?(?:\s*(?:number|no\.?|num|#))?\s*(?:is|was|=|:|#|-)?\s*"
    + r"(?P<value>[A-Z0-9]+(?:[\-./][A-Z0-9]+|[ ]\d+)*)\b"
)

_EMPLOYEE_AFTER_CUE = re.compile(
    r"(?i)\b(?:employee|staff|personnel|payroll|worker|badge|emp|associate)\.?"
    r"\s*(?:id|number|no\.?|num|#|code|ref(?:erence)?)\.?\s*(?:is|was|=|:|#|-)?\s*"
    r"(?P<value>(?=[A-Z0-9\-]*\d)[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){2,15})\b"
)

_EMPLOYEE_CODE = re.compile(r"(?i)\b(?:EMP|EMPL|EID|STF|STAFF)[-_#]?\d{3,10}\b")

_BANK_AFTER_CUE = re.compile(
    r"(?i)\b(?:bank\s+account|account|acct|a/c)\.?\s*(?:number|no\.?|num|#)?\.?\s*"
    r"(?:is|was|=|:|#|-)?\s*(?P<value>\d(?:[\d]|[ \-](?=\d)){5,25})\b"
)

_SORT_OR_ROUTING = re.compile(
    r"(?i)\b(?:sort\s+code|routing\s+(?:number|no\.?)?|aba)\s*(?:is|:|#)?\s*"
    r"(?P<value>\d{2}[- ]?\d{2}[- ]?\d{2}(?:\d{3})?)\b"
)

_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews|"
    r"Circle|Cir|Trail|Walk|Strasse|Straße|Weg|Allee|Gasse)"
)
_CAP_WORD = r"[A-Z][\w'’\-]*\.?"
_POSTCODE = (
    r"(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"  # UK
    r"|[A-Z]{2}\s+\d{5}(?:-\d{4})?"  # US state + ZIP
    r"|\d{4,5}(?:-\d{4})?"  # ZIP, PLZ, ...
    r"|[A-Z]\d[A-Z]\s?\d[A-Z]\d)"  # Canada
)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:"
    + _CAP_WORD
    + r"\s+){1,4}"
    + _STREET_SUFFIX
    + r"\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Flat|Fl|Floor)\.?\s*#?\s*[\w\-]+)?"
    r"(?:,\s*[A-Z][a-z][\w'’\-]*(?:\s+[A-Z][a-z][\w'’\-]*){0,2}){0,2}"
    r"(?:,?\s+" + _POSTCODE + r")?(?![\w])"
)
_PO_BOX = re.compile(r"(?i)\bP\.?\s?O\.?\s+Box\s+\d{1,8}\b")

# cheap pre-filters so the costly recognizers only look where they can match
_PHONE_CANDIDATE = re.compile(r"\+?\(?\d[\d \t().\-/\u00a0]{4,24}\d")
_EMAIL_CANDIDATE = re.compile(r"[^\s<>()\[\]\"]*@[^\s<>()\[\]\"]+")
# Only a URL with a path can be personal (a profile, a personal page); "acme.com" names a company.
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    r"|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,24}/[^\s<>\"'()\[\]]*"
)
_TRAILING_PUNCT = ".,;:!?"


def _windowed(
    analyze: Callable[..., list[Any]],
    candidate: re.Pattern[str],
    text: str,
    entities: Sequence[str],
    nlp_artifacts: Any,
) -> list[Any]:
    """Run ``analyze`` only on ``candidate`` matches (one character of margin), offsets mapped back."""
    results: list[Any] = []
    for m in candidate.finditer(text):
        start, end = max(0, m.start() - 1), min(len(text), m.end() + 1)
        for r in analyze(text[start:end], entities, nlp_artifacts):
            r.start += start
            r.end += start
            results.append(r)
    return results


class _Span(NamedTuple):
    start: int
    end: int


def _is_valid_phone(candidate: str, regions: Sequence[str]) -> bool:
    """True if ``candidate`` as a whole is a valid phone number in one of ``regions``."""
    import phonenumbers

    for region in (None,) if candidate.startswith("+") else regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


# Dates, US social security numbers and dotted version numbers are not dialled.
_NOT_A_PHONE = re.compile(r"\d{1,4}([/.\-])\d{1,2}\1\d{1,4}|\d{3}-\d{2}-\d{4}|\d+(?:\.\d+){2,}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _phone_spans(run: str, regions: Sequence[str]) -> list[tuple[int, int]]:
    """Offsets in ``run`` (a run of digits and separators) of a phone number, if any.

    The whole run first. A run of several groups may carry a number with a stray group before or
    after it ("2024 020 7946 0958"), so up to two groups are dropped from either end; if what is
    left is a valid number, the whole run is reported, since a partial span would leave digits
    of the number (a country code) in the clear.
    """
    digits = "".join(ch for ch in run if ch.isdigit())
    if len(digits) < 7 or _NOT_A_PHONE.fullmatch(run):
        return []
    if 13 <= len(digits) <= 19 and _luhn(digits):
        return []  # a payment card (found by its own recognizer)
    if len(digits) <= 17 and _is_valid_phone(run, regions):
        return [(0, len(run))]
    groups = [(g.start(), g.end()) for g in re.finditer(r"\S+", run)]
    if len(groups) < 2:
        return []
    for drop_front, drop_back in ((1, 0), (0, 1), (2, 0), (0, 2), (1, 1)):
        kept = groups[drop_front : len(groups) - drop_back]
        if not kept:
            continue
        sub = run[kept[0][0] : kept[-1][1]]
        if sum(ch.isdigit() for ch in sub) >= 7 and _is_valid_phone(sub, regions):
            return [(0, len(run))]
    return []


@functools.cache
def load_analyzer() -> AnalyzerEngine:
    """Build presidio's analyzer once: regex recognizers over a no-op NLP engine, no network.

    Raises :class:`ConfigError` with an install hint when presidio is missing, so the road
    fails closed.
    """
    try:
        import tldextract
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer import predefined_recognizers as pr
        from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
        from presidio_analyzer.nlp_engine import NoOpNlpEngine
    except ImportError as exc:
        raise ConfigError(_INSTALL_HINT) from exc

    # The e-mail recognizer validates the domain with tldextract, whose default instance fetches
    # the public-suffix list over the network on first use. Our own instance reads only the
    # snapshot bundled with tldextract: no URL, no cache directory.
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(pr.EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return bool(extractor(pattern_text).fqdn)

        # presidio's e-mail pattern backtracks at every position (3 ms per 5,000 characters);
        # an address needs an "@", so only the words around one are searched.
        def analyze(
            self, text: str, entities: list[str], nlp_artifacts: Any = None, regex_flags: int | None = None
        ) -> list[Any]:
            return _windowed(super().analyze, _EMAIL_CANDIDATE, text, entities, nlp_artifacts)

    class WindowedPhoneRecognizer(pr.PhoneRecognizer):
        # presidio runs phonenumbers' matcher over the whole text once per region (about
        # 3 ms per 1,000 characters). Only runs of digits can be phone numbers, and a run that
        # parses as a valid number in one of the regions is one (a parse is ~50 us).
        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            results: list[Any] = []
            for m in _PHONE_CANDIDATE.finditer(text):
                for start, end in _phone_spans(m.group(), self.supported_regions):
                    span = _Span(m.start() + start, m.start() + end)
                    results.append(self._get_recognizer_result(span, text, None, nlp_artifacts))  # type: ignore[no-untyped-call]
            return results

    recognizers = [
        OfflineEmailRecognizer(),
        WindowedPhoneRecognizer(),
        pr.CreditCardRecognizer(),
        pr.IbanRecognizer(),
        pr.IpRecognizer(),
        pr.UsSsnRecognizer(),
        pr.UsItinRecognizer(),
        pr.UkNinoRecognizer(),
        pr.InAadhaarRecognizer(),
        pr.EsNifRecognizer(),
        pr.EsNieRecognizer(),
        pr.ItFiscalCodeRecognizer(),
        pr.FiPersonalIdentityCodeRecognizer(),
        pr.SgFinRecognizer(),
        pr.KrRrnRecognizer(),
        pr.ZaIdNumberRecognizer(),
        pr.CaSinRecognizer(),
        pr.AuTfnRecognizer(),
        pr.PlPeselRecognizer(),
        pr.SePersonnummerRecognizer(),
        pr.TrNationalIdRecognizer(),
        pr.NgNinRecognizer(),
        pr.DeTaxIdRecognizer(),
    ]

    class NoContext(ContextAwareEnhancer):
        # Context words need tokens and lemmas, which a no-op NLP engine has none of; the
        # default enhancer would only deep-copy every result (about 2 ms per 1,000 characters).
        # Cue words are checked by :func:`_has_cue_before` instead.
        def enhance_using_context(self, text: str, raw_results: list[Any], *_: Any, **__: Any) -> list[Any]:
            return raw_results

    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    engine.load()
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=NoContext(0, 0, 0, 0),
    )


def _has_cue_before(text: str, start: int) -> bool:
    return _NATIONAL_CUE.search(text, max(0, start - 40), start) is not None


def _presidio_entities(text: str) -> list[Entity]:
    found: list[Entity] = []
    for r in load_analyzer().analyze(text, language="en"):
        spec = _PRESIDIO_KINDS.get(r.entity_type)
        if spec is None:
            continue
        kind, min_score, needs_cue = spec
        if r.score < min_score or (needs_cue and not _has_cue_before(text, r.start)):
            continue
        start, end = r.start, r.end
        found.append(Entity(start, end, kind))
    return found


# fewer digits than this after a cue is a count or a year, not an identifier
_MIN_DIGITS = {EMPLOYEE_ID: 1, NATIONAL_ID: 4, BANK_ACCOUNT: 6}


def _regex_entities(text: str) -> list[Entity]:
    found: list[Entity] = []
    for pattern, kind in (
        (_EMPLOYEE_AFTER_CUE, EMPLOYEE_ID),
        (_NATIONAL_AFTER_CUE, NATIONAL_ID),
        (_BANK_AFTER_CUE, BANK_ACCOUNT),
        (_SORT_OR_ROUTING, BANK_ACCOUNT),
    ):
        for m in pattern.finditer(text):
            value = m.group("value")
            digits = sum(ch.isdigit() for ch in value)
            if digits >= _MIN_DIGITS[kind] and len(value) >= 3:
                found.append(Entity(m.start("value"), m.end("value"), kind))
    found.extend(Entity(m.start(), m.end(), EMPLOYEE_ID) for m in _EMPLOYEE_CODE.finditer(text))
    for pattern in (_ADDRESS, _PO_BOX):
        found.extend(Entity(m.start(), m.end(), ADDRESS) for m in pattern.finditer(text))
    for m in _URL.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        path = text[start:end].split("://", 1)[-1].partition("/")[2]
        if path.strip("/"):
            found.append(Entity(start, end, URL))
    return found


def detect(text: str) -> list[Entity]:
    """Every structured personal value in ``text``; spans may overlap (callers choose)."""
    if not text:
        return []
    return _presidio_entities(text) + _regex_entities(text)
