"""The "bias" guard: wording in a draft that judges a person by who they are, not what they did.

Clause 3.fairness. Five kinds of finding, each pointing at the exact words and suggesting a
behaviour-based rewording:

* ``gendered_language``: gender named as a yardstick ("for a woman", "man up", "the ladies",
  "den mother") or gender-coded diminutives ("feisty", "bubbly");
* ``personality_critique``: character judged instead of behaviour ("abrasive", "bossy",
  "shrill", "too nice", "a pushover"), the pattern Snyder (2014) found in reviews of women;
* ``age_coded``: wording the EEOC treats as evidence of age bias ("digital native",
  "overqualified", "set in his ways", "close to retirement", "at 58, ...");
* ``protected_characteristic``: religion, ethnicity, national origin, accent, disability,
  pregnancy or family status, orientation used as a judgement ("despite his stutter", "as many
  X engineers are", "diversity hire");
* ``appearance``: looks, weight, clothing.

Words are judged by the shape of the sentence around them, not by a list of sentences:

* a judgement word counts when a person is its subject, whatever sits between ("she is,
  frankly, a bit too emotional"; hedges, asides between commas, "kind of", "can be", "comes
  across as"), when the note has no subject at all ("Fixed the build and is abrasive", "- bossy
  in stand-ups"), or next to a noun for a person ("an abrasive manager");
* a protected characteristic that is only mentioned ("Ramadan", "the twins", "the accent")
  counts when a doubt about the person sits in the same or a neighbouring sentence ("is he
  really going to manage the early opens?");
* a judgement of character in the same sentence completes a characteristic too ("he's from
  Lagos and the team finds his manner a bit much"); in one sentence the characteristic and the
  doubt are one biased phrase, and the span covers both ("with Ramadan coming up, is he really
  going to manage the early opens");
* a person labelled or graded by a characteristic ("the deaf guy", "very Catholic",
  "hijab-wearing"), gender used as a yardstick or a generalisation ("better than most of the
  guys", "the women on the team tend to"), and a bare note with no article or subject
  ("Total airhead.") count as well;
* Spanish, French and German work the same way, from ``guards/data/bias/*.toml``
  (``rai_assistant.guards._bias_lang``): copulas, gender agreement and declension, prepositional phrases.

"aggressive timeline", "emotional intelligence training", "her comments were abrupt" and words
quoted as what someone said describe things or behaviour, and pass. The phrase lists are searched
in one pass over the words (``rai_assistant.guards._bias_scan``). The guard also judges a person's own text
(``rai check``): it needs only the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.guards import _bias_lexicon as lex
from rai_assistant.guards._bias_lang import CATEGORIES as _BIAS_CATEGORIES
from rai_assistant.guards._bias_lang import find_bias_lang
from rai_assistant.guards._bias_scan import Scanner
from rai_assistant.guards._bias_sensitive import find_sensitive, is_topic_or_others, loose_sensitive_terms
from rai_assistant.guards._bias_text import (
    FUNCTION_WORDS,
    PERSON_NOUNS,
    Word,
    alternation,
    clause_end,
    is_person_subject,
    looks_like_verb,
    next_word,
    person_predicate_before,
    sentence_of,
    sentences,
    words_before,
)
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = ["CATEGORIES", "CLAUSES", "GUARD", "BiasHit", "check_bias", "find_bias", "register_guards"]

GUARD = "bias"
CLAUSES = ("3.fairness",)
CATEGORIES = _BIAS_CATEGORIES  # one list, shared with the es/fr/de data loader

_MESSAGES = {
    "gendered_language": "Names or codes gender as part of the judgement ('{}').",
    "personality_critique": "Judges the person's personality ('{}') rather than a behaviour.",
    "age_coded": "Age-coded wording ('{}') can read as a judgement based on age.",
    "protected_characteristic": "Ties the judgement to a protected characteristic ('{}').",
    "appearance": "Comments on appearance ('{}'), which is not job performance.",
}
_SUGGESTIONS = {
    "gendered_language": (
        "Leave gender out and describe what the person did and its effect: "
        "'presented the forecast to the CFO and answered every question with data'."
    ),
    "personality_critique": (
        "Describe the specific behaviour and its effect, then the change you want: "
        "'interrupted two colleagues in Tuesday's review; next time, let presenters finish first'."
    ),
    "age_coded": (
        "Describe skills and results, not age or career stage: 'learned the new system in a week' "
        "or 'needs hands-on practice with the cloud tools by the end of Q2'."
    ),
    "protected_characteristic": (
        "Remove the reference and judge the work against the role's requirements: "
        "'two of five reports needed rework; use the checklist before submitting'."
    ),
    "appearance": (
        "Remove the comment on looks; describe what the person does with clients: "
        "'prepared a tailored agenda for each client meeting'."
    ),
}


@dataclass(frozen=True, slots=True)
class BiasHit:
    """One biased phrase: its category and offsets in the text."""

    category: str
    start: int
    end: int


_INTENSIFIERS = frozenset(
    {"too", "overly", "so", "very", "less", "more", "really", "quite", "extremely", "excessively"}
)
_TOO = frozenset({"too", "overly", "excessively", "so"})
_THING_AFTER_PRETTY = frozenset(
    {"and", "or", "but", ",", ".", ";", "!", "face", "girl", "woman", "lady", "smile", "young"}
)


# Patterns that are not searched over the whole text (they look behind a given position).
_NOT_SCANNED = frozenset({"article_tail"})


@cache
def _scanner() -> Scanner:
    """All whole-text patterns, searched in one pass (see ``rai_assistant.guards._bias_scan``)."""
    return Scanner({k: (v.pattern, v.flags) for k, v in _rx().items() if k not in _NOT_SCANNED})


class _Lazy:
    """A regular expression compiled on first search."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled.search(text, pos, endpos)


def _any(patterns: Sequence[str], *, tail: bool = True) -> _Lazy:
    """One case-insensitive regex for many phrases, each starting at a word boundary.

    Each phrase stays a branch of its own, so that the scanner (``rai_assistant.guards._bias_scan``) files it
    under the letters it can start with and tries it only where such a word starts.
    """
    end = r"\b" if tail else ""
    return _Lazy("|".join(rf"\b(?:{p.removeprefix(chr(92) + 'b')}){end}" for p in patterns), re.IGNORECASE)


@cache
def _rx() -> dict[str, _Lazy]:
    """The patterns, built once on first use (importing the guard costs nothing) and compiled
    only where searched whole; the scanner compiles the branches it needs."""
    groups = alternation(lex.GROUPS)
    sens = alternation(t for t in lex.SENSITIVE_TERMS if t not in lex.POSSESSED_ONLY)
    sens_all = alternation(lex.SENSITIVE_TERMS)
    poss = r"(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w-]*['’]s)"
    return {
        "gendered": _any(lex.GENDERED_PHRASES, tail=False),
        "gendered_trait": _Lazy(rf"(?<![\w-])(?:{alternation(lex.GENDERED_TRAITS)})(?![\w-])", re.IGNORECASE),
        "family_gender": _Lazy(r"\bfamily (?:man|woman|guy|girl|gal)\b", re.IGNORECASE),
        "personality_phrase": _any(lex.PERSONALITY_PHRASES),
        "trait": _Lazy(rf"(?<![\w-])(?:{alternation(lex.TRAITS)})(?![\w-])", re.IGNORECASE),
        "too_trait": _Lazy(rf"(?<![\w-])(?:{alternation(lex.TOO_TRAITS)})(?![\w-])", re.IGNORECASE),
        "pers_noun": _Lazy(rf"\b(?:{alternation(lex.PERSONALITY_NOUNS)})\b", re.IGNORECASE),
        "trait_ness": _Lazy(
            rf"\b(?:{alternation(t[:-1] + 'i' if t.endswith('y') else t for t in lex.TRAITS if ' ' not in t)})ness\b(?!\s+of\b)",
            re.IGNORECASE,
        ),
        "clothes": _Lazy(
            r"\b(?:low-cut|revealing|tight|skimpy|see-through|short|sheer|clingy|provocative|flashy|loud|garish|heavy|too much|inappropriate|unprofessional|scruffy|tatty)\s+"
            r"(?:tops?|skirts?|dress(?:es)?|clothes|outfits?|blouses?|shirts?|trousers|jeans|make-?up|perfume|aftershave|jewell?e?ry|heels|shorts)\b",
            re.IGNORECASE,
        ),
        "age_noun": _Lazy(rf"\b(?:{alternation(lex.AGE_NOUNS)})\b(?!-)", re.IGNORECASE),
        "article_tail": _Lazy(
            r"\b(?:an?|such an?|quite an?)\s+(?:(?:bit|real|total|complete|absolute|little|regular|classic|big|huge|kind|sort|of|right|proper|such|bit of|massive|utter|bloody|bit of an?)\s+)*$",
            re.IGNORECASE,
        ),
        "trait_noun": _Lazy(rf"\b{poss}\s+(?:[a-z]+\s+)?(?:{alternation(lex.TRAIT_NOUNS)})\b"),
        "age": _any(lex.AGE_PHRASES, tail=False),
        "young": _Lazy(rf"\byoung\b(?:\s+and\s+(?:{alternation(lex.AGE_AFTER_YOUNG)})\b)?", re.IGNORECASE),
        "kid": _Lazy(r"\b(?:a|the|this|that|our|some|new)\s+(?:[\w-]+\s+){0,2}?kid\b", re.IGNORECASE),
        "looks": _Lazy(
            r"\b(?:looks?|looked|looking)\s+(?:(?:so|very|really|always|quite|pretty|rather|extremely|incredibly|more|less|a bit|a little|too|super)\s+)*"
            rf"(?:{alternation(lex.APPEARANCE_ADJ_LOOKS)})(?:\s+and\s+(?:{alternation(lex.APPEARANCE_ADJ_LOOKS)}))?\b",
            re.IGNORECASE,
        ),
        "looks_adj": _Lazy(rf"(?<![\w-])(?:{alternation(lex.APPEARANCE_ADJ_IS)})(?![\w-])", re.IGNORECASE),
        "looks_poss": _Lazy(
            rf"\b{poss}\s+(?:[a-z]+\s+)?(?:{alternation(w for w in lex.APPEARANCE_POSSESSED if w != 'looks')})\b(?!\s+of\b)(?!-)"
            rf"|\b{poss}\s+looks\b(?!\s+(?:at|into|like|for|over|after|to|as)\b)"
        ),
        "weight": _Lazy(
            r"\b(?:lose|lost|losing|loses|shed|drop|gain|gained|gaining|put on|puts on|putting on|watch|watching)\s+(?:(?:some|a little|a bit of|a few|the|his|her|their|extra|a lot of|lots of|loads of|a fair bit of|so much|a bit|a lot)\s+)*(?:weight|pounds|lbs|kilos|inches)\b"
            r"(?!\s+(?:on|off|of|from|in)\s+(?:the|our|its|this|that|each)\b)",
            re.IGNORECASE,
        ),
        "dress": _Lazy(
            r"\bdress(?:es|ed|ing)?\s+(?:up|down|better|sharper|nicer|the part|to impress|for success|well|badly|nicely|smartly|sharply|beautifully|elegantly|stylishly|fashionably|immaculately|more (?:professionally|appropriately|conservatively|femininely|modestly|stylishly))\b"
            r"|\b(?:well|immaculately|nicely|smartly|beautifully|badly|poorly|scruffily) turned out\b|\b(?:snappy|sharp|smart|natty|sloppy|scruffy|flashy|good|bad|stylish) dresser\b"
            r"|\b(?:professional|smart|neat|tidy|scruffy|unprofessional|sloppy|polished) appearance\b",
            re.IGNORECASE,
        ),
        "wear": _Lazy(
            r"\b(?:wear|wears|wearing|wore)\s+(?:(?:more|less|some|a little|nicer|better|proper|a|any|too much|so much|such|that|those|the|her|his|shorter|longer|tighter|smarter|short|tight|low-cut|revealing|loud|heavy|bright)\s+){0,3}"
            rf"(?P<item>{alternation(lex.APPEARANCE_GENDERED)}|suits?|ties?|jeans|jewelry|jewellery|perfume|tops?|clothes|outfits?|shorts|trainers|hoodies?|earrings?|piercings?)\b",
            re.IGNORECASE,
        ),
        "appearance_phrase": _Lazy(
            r"\b(?:easy on the eyes?|eye candy|pretty face|nice to look at|looks the part|(?:should|needs? to|could|try to|must) smile more"
            r"|let (?:himself|herself|themselves) go|a face for radio|body odou?r|(?:hit|go to) the gym|beer belly|muffin top"
            r"|look(?:s|ed)? the part|(?:carrying|carries) (?:a few |some |a bit of )?(?:extra )?(?:weight|pounds|kilos|timber)"
            r"|on the (?:heavy|heavier|large|larger|big|bigger|chunky|chunkier|plump|plumper|curvy|curvier|round|rounder|short|shorter|small|smaller|skinny|skinnier|thin|thinner|stocky|portly) side|big-boned|vertically challenged"
            r"|built like an? (?:[\w-]+ ){0,2}?(?:house|tank|truck|wardrobe|barn|bear|ox|rake|stick|twig|whippet|brick \w+|fridge|linebacker|rugby player|supermodel)"
            r"|(?:big|frizzy|wild|crazy|messy|greasy|unwashed|bright (?:pink|blue|green|purple|red)|pink|blue|green|purple) hair|(?:is|['’]s|looks?) (?:absolutely |totally |properly )?(?:ripped|jacked|buff|hench|shredded)"
            r"|scowls?|scowling|well[- ]presented|poorly[- ]presented|presents (?:herself |himself |themselves )?(?:well|badly|poorly|nicely|professionally|scruffily)"
            r"|(?:his|her|their) (?:look|fashion sense|dress sense|grooming|personal hygiene|hygiene|complexion|skin)"
            r"|looks? like an? (?:[\w-]+ )?(?:manager|leader|director|partner|lawyer|doctor|engineer|boss|executive|professional|teacher|nurse|student|teenager|kid|child|schoolgirl|schoolboy|model|granny|grandma)"
            r"|(?:should|needs? to|could|must|ought to|might want to|has to) (?:shave|get a haircut|cut (?:his|her|their) hair|dye (?:his|her|their) hair|grow (?:his|her|their) hair|wear (?:some |more |less )?(?:make-?up|heels|a skirt|a bra))"
            r"|(?:turns?|turned|turning|rocks?|rocked|rocking|shows?|showed|showing|comes?|came|coming) (?:up|in) (?:to (?:work|the office|meetings|site) )?(?:in|wearing) (?:\w+ ){0,2}?(?:tracksuits?|trackies|track pants|joggers|sweatpants|flip-flops|trainers|sneakers|hoodies?|shorts|leggings|pyjamas|pajamas|slippers|crocs|vests?|crop tops?)"
            r"|(?:dolled|tarted|glammed|done|dressed) up(?: to the nines)?|dressed to (?:the nines|kill)"
            r"|(?:always|usually|often|constantly|forever) (?:in|wearing) (?:heels|stilettos|a skirt|skirts|a dress|dresses|miniskirts?|tracksuits?|trainers|hoodies?|shorts|leggings|low-cut \w+)"
            r"|rolled out of bed|dragged through a hedge(?: backwards)?|(?:makes?|made|making) (?:him|her|them) look (?:\w+ )?(?:scruffy|old|older|young|younger|tired|messy|sloppy|unprofessional|fat|heavy|big|frumpy|dated|unkempt|like \w+)"
            r"|(?:a |real |bit of a )looker|(?:cover|hide|remove|take out|lose|ditch)(?: [\w ]{0,25}? and)? (?:up )?(?:his|her|their|those|the|that) (?:tattoos?|piercings?|nose (?:ring|stud)|septum(?: ring| piercing)?|lip ring|eyebrow ring|studs?|earrings?|beard|dreadlocks|dreads|blue hair|pink hair))\b",
            re.IGNORECASE,
        ),
        "diversity_hire": _Lazy(
            r"\b(?:diversity|token|quota|affirmative[- ]action|DEI|EEO)\s+(?:hire|pick|candidate|appointment|promotion|box)\b"
            r"|\b(?:ticks?|checks?|ticked|checked) (?:a|the|our) (?:diversity )?box(?:es)?\b"
            r"|\b(?:only|just) (?:got|landed|was given) (?:the|this|that|her|his) (?:job|role|position|promotion) because\b"
            r"|\bbox[- ]ticking\b|\btick(?:s|ed|ing)? (?:a|the|some|all the|our) (?:diversity )?boxe?s?\b",
            re.IGNORECASE,
        ),
        "accent": _Lazy(
            rf"\b(?:{poss}\s+(?:(?:thick|heavy|strong|foreign|noticeable|pronounced|[A-Z][a-z]+)\s+)?accent\b|(?:thick|heavy|strong|foreign|noticeable) accent\b|accented English\b)"
            r"(?:\s+(?:makes?|made|is|was)\s+(?:him|her|them|it)?\s*(?:hard|difficult|tough|tricky)\s+to\s+\w+)?"
        ),
        "native": _Lazy(
            r"\b(?:non-?native|native)\s+(?:English\s+)?speakers?\b"
            r"|\bEnglish\s+(?:is|being)\s+(?:his|her|their)\s+(?:second|third|fourth|other)\s+language\b"
            r"|\bEnglish\s+(?:is\s+not|isn['’]t|is\s+not\s+(?:his|her|their))\s+(?:(?:his|her|their)\s+)?(?:first\s+language|native(?:\s+language|\s+tongue)?|mother\s+tongue)"
            r"|\b(?:broken|heavily accented|limited) English\b|\bnot a native\b|\bforeign[- ]sounding\b|\bwhere (?:he|she|they)(?:['’]s| is| are| comes?) from\b",
            re.IGNORECASE,
        ),
        "group": _Lazy(
            rf"\b(?i:as|like)\s+(?:so\s+|a lot of\s+|lots of\s+)?(?:many|most|all|other|every|typical|the other|many other|most other)\s+(?:{groups})(?:\s+(?!(?:are|do|and|but|so|who|which|that)\b)[a-z][\w-]*)?(?:\s+(?:are|do|tend to be|seem to be|usually are|often are|typically are))?\b"
            rf"|\b(?i:typical(?:ly)?)\s+(?:{groups})\b"
            rf"|\b(?:{groups})\s+(?:people|folks|men|women|guys|girls|workers|employees|engineers|staff|culture|families|parents)\s+(?:are|tend|always|usually|often|never|typically|can['’]t|don['’]t)\b"
            rf"|\b(?:{groups})\s+(?:are|tend to be|tend to|always|usually|typically|generally)\b"
            rf"|\bfor an?\s+(?:{groups})\b(?:\s+(?:woman|man|person|guy|girl|employee|engineer|worker))?"
            rf"|\b(?:his|her|their)\s+(?:{groups})\s+(?:background|heritage|roots|culture|upbringing|side|blood|temper|temperament|genes|work ethic|mentality)\b"
            rf"|\b(?:[Bb]eing|[Aa]s an?)\s+(?:{groups})\b"
            rf"|\b(?:because|since)\s+(?:he|she|they)(?:['’]s| is| are)\s+(?:{groups})\b"
            rf"|\b(?:{groups})\s+(?:work ethic|mentality|temper|temperament|time)\b"
            rf"|\b(?:{groups})\b,? (?:so|and so|which means|hence|therefore) (?:naturally|obviously|of course|automatically|inevitably)\b"
            r"|\b(?:his|her|their) (?:race|ethnicity|ethnic background|cultural background|national origin|nationality|religion|caste|skin colou?r)\b"
        ),
        "frame": _Lazy(
            rf"\b(?:despite|in spite of|even with|regardless of|notwithstanding)\s+(?:{poss}\s+)?(?:[\w-]+\s+){{0,2}}?(?P<t1>{sens_all})\b"
            rf"|\b(?:even though|although|though|even if)\s+(?:he|she|they|[A-Z][\w-]*)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<t2>{sens})\b"
            rf"|\b(?:[Bb]eing|[Aa]s an?)\s+(?:[\w-]+\s+){{0,2}}?(?P<t3>{sens})\b"
            rf"|\bfor (?:someone|a person|somebody|an employee|a man|a woman) (?:with|in|of|on)\s+(?:[\w-]+\s+){{0,2}}?(?P<t4>{sens_all})\b"
            rf"|\b(?:because of|due to|given|with)\s+{poss}\s+(?:[\w-]+\s+)?(?P<t5>{sens_all})\b",
            re.IGNORECASE,
        ),
        "judgement": _any(lex.JUDGEMENT_PHRASES),
        # -- broader, structural patterns
        "age_trait": _Lazy(rf"(?<![\w-])(?:{alternation(lex.AGE_TRAITS)})(?![\w-])", re.IGNORECASE),
        "age_number": _Lazy(
            r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[A-Z][a-z][\w-]*)(?:['’]s|['’]re| is| are| was| were| turns| turned| will be| just turned)"
            r"\s+(?:nearly |almost |over |about |around |only |just |already |now |pushing |well over |past )?[2-8]\d\b"
            r"(?!\s*(?:%|percent|per|points?|pts|hours?|days?|weeks?|months?|minutes|mins|units|tickets|calls|cases|items|[kKmM]\b|[.,]\d))"
            r"|\b(?:[Aa]t|[Aa]ged) [2-8]\d\b(?=\s*(?:,|I\b|[Hh]e\b|[Ss]he\b|[Tt]hey\b|[A-Z][a-z]+\b|and\b|it\b|there\b))"
        ),
        "size": _Lazy(rf"(?<![\w-])(?:{alternation(lex.SIZE_WORDS)})(?![\w-])", re.IGNORECASE),
        "looking": _Lazy(
            r"(?<![\w-])(?!(?:forward|backward|outward|inward|future|good)-)[A-Za-z]+-looking\b",
            re.IGNORECASE,
        ),
        "wise": _Lazy(
            r"\b(?:looks|weight|appearance|image|style|size|dress|clothes|fashion|grooming|hair|face)[- ]wise\b",
            re.IGNORECASE,
        ),
        "dress_like": _Lazy(
            r"\b(?:dress(?:es|ed|ing)?|look(?:s|ed|ing)?) (?:[\w-]+ ){0,3}?like an? [\w-]+"
            r"|\b(?:the way|how) (?:he|she|they) (?:dresses|dress|looks)\b"
            r"|\bdress(?:es|ed)? (?:a bit |a little |much |far )?(?:more|less) (?:like|smartly|professionally|appropriately|conservatively|casually|maturely)\b"
            r"|\bdressed (?:too|so|very|quite|rather|a bit|inappropriately|unprofessionally|provocatively|scruffily|sloppily|like)\b"
            r"|\b(?:dress|dresses|dressed|dressing) (?:[\w-]+ ){0,3}?(?:like|as if|as though)\b"
            r"|\b(?:dress|dresses|dressed|dressing) (?:too |very |quite |rather |a bit |so )?(?:provocatively|inappropriately|unprofessionally|scruffily|sloppily|casually|young|old|flashily|loudly|sexily|sexy|conservatively|frumpily|down)\b",
            re.IGNORECASE,
        ),
        "smile": _Lazy(
            r"\b(?:doesn['’]t|does not|didn['’]t|never|rarely|should|needs? to|could|must|try to|might) smile (?:more|enough|much|often)\b"
            r"|\b(?:grumpy|sour|miserable|angry|stern|scowling|sulky|resting \w+|resting) face\b"
            r"|\b(?:a |such a |real |total |bit of a )(?:knockout|stunner|babe|bombshell|hottie|dish|eyeful)\b|\bas blondes go\b|\b(?:dumb|typical) blonde\b|\bblonde moments?\b",
            re.IGNORECASE,
        ),
        "skin": _Lazy(
            r"\b(?:dark|darker|light|lighter|fair|pale|brown|black|olive)[- ]skinned\b"
            r"|\b(?:very |quite |so )?dark (?:man|woman|guy|girl|lad|fellow|bloke|complexion|skin)\b",
            re.IGNORECASE,
        ),
        "app_noun": _Lazy(
            rf"\b(?:(?:the|his|her|their|that|those|a|this|these)\s+)?(?:{alternation(lex.APPEARANCE_NOUNS)})\b(?!-)",
            re.IGNORECASE,
        ),
        "app_judge": _any(lex.APPEARANCE_JUDGEMENTS),
        "haircut": _Lazy(
            r"(?<!take )(?<!took )(?<!taking )(?<!takes )\b(?:a|get a|needs? a|maybe a|new) haircut\b",
            re.IGNORECASE,
        ),
        "image": _Lazy(
            r"\b(?:not|isn['’]t|wasn['’]t|hardly) (?:exactly |really |quite )?the (?:right )?image\b"
            r"|\bthe (?:wrong|right) image\b",
            re.IGNORECASE,
        ),
        "parent_frame": _Lazy(
            r"\b(?:[Aa]s|[Bb]eing|[Ff]or|[Nn]ow that (?:she|he|they)(?:['’]s| is| are|['’]re)) an? (?:new |single |young |working |busy |first-time |recent |full-time |stay-at-home |expectant |soon-to-be |pregnant |mother and )?"
            r"(?:mum|mom|mother|mummy|mama|dad|father|daddy|parent|mum-to-be|mom-to-be|mother-to-be|father-to-be|carer|caregiver)\b(?!-)"
            r"|\b(?:new|first-time|young|expectant|single|busy|working) (?:mum|mom|mother|dad|father|parent)s?\b(?=[^.;!?]{0,60}\b(?:she|he|they|her|his|their)\b)"
            r"|(?<!families )(?<!parents )(?<!people )(?<!customers )(?<!clients )(?<!students )(?<!households )(?<!staff )(?<!those )(?<!anyone )(?<!everyone )"
            r"\b[Ww]ith (?:(?:two|three|four|five|\d|young|small|little|the|her|his|their|a|new|twin|baby)\s+){0,2}(?:kids|children|little ones|young ones|toddlers?|babies|baby|newborn|twins|family|young family|child|kid)"
            r"(?: at home| to (?:look after|care for|pick up|feed|raise)| arriving| on the way| coming| due| in (?:daycare|nursery|school))\b"
            r"|\b(?:the|a|her|his|their|another) (?:new )?(?:baby|twins|little one|newborn)(?:'s)? (?:comes|arrives|arriving|is born|are born|is due|are due|on the way|coming|due)\b"
            r"|\b(?:he|she|they)(?:['’]ll| will| might| may| could|['’]s| is|['’]re| are|['’]d| would) (?:probably |soon |surely |definitely |no doubt )?(?:be )?(?:thinking (?:about|of)|planning(?: on)?|wanting|want|trying for|keen on) (?:having |to have |starting |a |another )?(?:kids|a baby|babies|children|a family|another (?:baby|child|one))\b"
            r"|\b(?:starting|start|to start|planning) a family\b|\b(?:family|childcare|caring) (?:commitments|responsibilities|obligations|duties)\b"
        ),
        "culture_fit": _Lazy(
            r"\b(?:culture|cultural)[- ]fit\b"
            r"|\b(?:doesn['’]t|does not|won['’]t|wouldn['’]t|didn['’]t|not|never) (?:really |quite )?(?:fit|fit in with|match|suit|gel with|mesh with) (?:our|the|this) (?:team |company |office |firm['’]s |house )?(?:culture|vibe|ethos|way of doing things)\b"
            r"|\b(?:not|n['’]t|never|hardly|doubt)\b[^.;!?]{0,30}?\b(?:natural|cultural|culture) fit\b"
            r"|\b(?:won['’]t|wouldn['’]t|doesn['’]t|does not|didn['’]t|don['’]t|never|not|hard to|struggles? to) (?:really |quite )?fit in\b(?! (?:the|a|an|our|his|her|their|\d)\b)",
            re.IGNORECASE,
        ),
        "origin": _Lazy(
            r"\b(?:culture|country|place|part of the world|background|family|people|community|region|world) (?:that )?(?:he|she|they)(?:['’]s| is| are|['’]re| was| were)? (?:originally )?(?:from|comes from|come from|came from|grew up in)\b"
            r"|\b(?:where|what country) (?:he|she|they)(?:['’]s| is| are|['’]re)? (?:originally )?(?:from|comes from|come from|came from)\b"
            r"|\b(?:[Hh]is|[Hh]er|[Tt]heir) (?:cultural |ethnic |family |religious |working[- ]class |class |immigrant |migrant |foreign |rural |humble |council[- ]estate |poor |modest |Muslim |Jewish |Catholic |Hindu |Sikh )?(?:background|roots|origins?|upbringing|culture|accent)\b(?!\s+(?:in|as|on|with|of|at|from|is in|was in)\b)(?!-)"
            r"|\b(?:it['’]s |a |just |probably )?(?:a )?cultur(?:e|al) thing\b|\bnot (?:really |quite )?one of us\b"
            r"|\b(?:[Hh]is|[Hh]er|[Tt]heir) English (?:is|was|isn['’]t) (?:a bit |quite |very |pretty |still |really )?(?:broken|poor|bad|weak|limited|patchy|heavily accented|hard to follow|shaky|ropey|ropy|not (?:great|good|very good|the best|up to scratch|there))\b"
        ),
        "coded": _Lazy(
            r"\b(?:surprisingly|remarkably|unexpectedly|refreshingly|incredibly) (?:articulate|well-spoken|well spoken|eloquent|polished|bright|clean-cut)\b"
            r"|\b(?:articulate|well-spoken|well spoken|eloquent)\b[^.;!?]{0,40}?(?:for (?:someone|a|an|his|her|their)|than (?:I|we) expected|than expected)"
            r"|\bcredit to (?:his|her|their) (?:race|people|community|kind)\b|\bmodel minority\b|\bfresh off the boat\b"
            r"|\bgo back (?:to )?where (?:he|she|they) came from\b"
            r"|\b(?:sounds?|talks?|acts?) (?:so |very |quite )?(?:white|black|foreign|ethnic|posh|common|street)\b"
            r"|\b(?:his|her|their) (?:name|surname) (?:is|was) (?:hard|difficult|impossible|tricky) to (?:pronounce|say|spell|remember)\b"
            r"|\bcan['’]t (?:pronounce|say|spell) (?:his|her|their) name\b"
            r"|\b(?:urban|ghetto|thuggish|street) (?:style|vibe|attitude|manner|look|way of (?:talking|speaking)|English)\b|\bghetto\b"
            r"|\bangry black (?:woman|man)\b|\bfiery (?:Latina|Latino|Latin|Irish|Italian|redhead)\b"
            r"|\b(?:his|her|their) (?:natural )?hair (?:isn['’]t|is not|doesn['’]t look|does not look|looks|is) (?:very |quite |a bit |really )?(?:professional|unprofessional|appropriate|corporate|neat|tidy|wild|messy)\b"
            r"|\b(?:lifestyle choices?|alternative lifestyle|(?:his|her|their) lifestyle)\b"
            r"|\b(?:retarded|spastic|spaz|mong|cripple|crippled|lame-brained|mental case)\b"
            r"|\b(?:OCD|bipolar|schizo|autistic|psycho|ADHD) (?:about|with|when)\b"
            r"|\b(?:chav|chavvy|council estate|Essex girl|common as muck|from the estate|rough background|trailer trash|redneck)\b"
            r"|\bfor (?:someone|somebody|a person|a guy|a girl|a woman|a man|an? [\w-]+) (?:from (?:there|abroad|overseas|that part|that background|(?-i:[A-Z])\w+)|of (?:his|her|their) (?:background|culture|origin|religion|faith)|who (?:only |just |recently )?(?:arrived|came over|moved here|grew up (?:in|abroad)|immigrated|was born (?:in|abroad)|is from|comes from))"
            r"|\b(?:quiet|shy|reserved|good with numbers|good at maths|hard-?working|loud|lazy|emotional|aggressive|passionate|fiery|polite|obedient|submissive|punctual|disciplined|cheap|tight with money),? (?:as you(?:['’]d| would) expect|as expected|like (?:all|most) of them|like the rest of them|as they all are|as they tend to be|as they usually are|typical of (?:his|her|their) (?:people|kind|culture|background))"
            r"|\b(?:every|all the|all|each|another) (?:Jewish|Muslim|Hindu|Christian|religious|Sikh|Orthodox|Islamic|Catholic) (?:holiday|festival|holy day|feast|observance)s?\b"
            r"|\b(?:are|aren['’]t|is|isn['’]t|won['’]t be|wouldn['’]t be|not be|feel|felt|be) (?:\w+ )?comfortable (?:with|around) (?:her|him|them|someone like)\b"
            r"|\bthe way (?:he|she|they) (?:speaks?|talks?|sounds?|pronounces)\b"
            r"|\b(?:deaf|blind|disabled|autistic|dyslexic|gay|lesbian|trans|Muslim|Jewish|Hindu|Sikh|Black|Asian|foreign|immigrant|wheelchair|pregnant) (?:guy|girl|woman|man|lad|bloke|lady|one|fella|chap|kid)\b"
            rf"|\b(?:very|quite|really|so|too|a bit|super|extremely|rather|terribly) (?:religious|devout|churchy|pious|gay|ethnic|(?-i:{groups}))\b(?![\w-])"
            r"|\b(?:hijab|headscarf|turban|burqa|niqab|veil|kippah|yarmulke|skullcap)-wearing\b"
            r"|\b(?:shame|pity|too bad|a pity|a shame) about (?:the|his|her|their) (?:\w+ )?(?:wheelchair|accent|stammer|stutter|age|weight|kids|baby|religion|hijab|headscarf|health|condition|disability|limp|hearing|eyesight|looks|face|English|background)\b"
            r"|\b(?:churchy|God-botherer|god-bothering|Bible-?basher|Bible-?bashing|holy roller|happy-clappy)\b"
            r"|\bnot (?:really |quite |exactly )?(?:our|the) (?:usual|normal|typical|regular) (?:type|sort|kind|profile|demographic)\b|\b(?:his|her|their) sort (?:don['’]t|doesn['’]t|never|always|are|tend)\b"
            r"|\b(?:did|has done|had done|done|doing|served|serving) (?:some |hard )?time\b(?! (?:on|at|in|with|for|to|management|off)\b)|\bex-?cons?\b|\bjailbird\b|\bbeen inside\b"
            r"|\b(?:you know )?(?:how|what) (?:those|these|them|that lot) (?:people |lot |guys |types )?(?:are|are like|can be|get)\b|\bthose people\b"
            r"|\b(?:autistic|disabled|deaf|blind|gay|lesbian|trans|neurodivergent|dyslexic|bipolar|depressed|foreign|religious|Muslim|Jewish|immigrant) (?:people|folk|folks|types|ones|guys|women|men|lot) (?:have|are|tend|always|never|can['’]t|don['’]t|get|do|like|all)\b"
            r"|\b(?:maybe|probably|must be|perhaps|might be|could be|I bet) (?:it['’]s |its )?(?:the|her|his|their) (?:menopause|hormones|time of the month|meds|medication|condition|pregnancy|religion|culture|upbringing)\b",
            re.IGNORECASE,
        ),
        "token": _Lazy(
            rf"\b(?i:token)\s+(?:{groups}|(?i:woman|women|female|minority|black|brown|gay|disabled|foreigner|immigrant))\b"
        ),
        "accent_det": _Lazy(
            r"\b(?:[Tt]he|[Tt]hat|[Tt]his|[Aa]n?|[Hh]er|[Hh]is|[Tt]heir)\s+(?:(?:strong|thick|heavy|foreign|noticeable|pronounced|broad|regional|funny|odd|[A-Z][a-z]+)\s+)?(?:accent(?:ed)?|twang|brogue|drawl|lilt)\b(?![\w-])(?!\s+(?:colou?r|colou?rs|line|wall|lighting|mark|marks|piece|chair|font|key|tone))",
        ),
        "bit_of": _Lazy(
            r"\b(?:(?:a|quite a|a bit|bit|a little|little|a tad|tad|a touch|touch|something|kind|sort|more|less|much)\s+)?(?i:bit|tad|touch|something|kind|sort|more|less|much) of an?\s+(?P<noun>[\w-]+(?:\s+[\w-]+)?)",
            re.IGNORECASE,
        ),
        "speculation": _Lazy(
            r"\b(?:probably|maybe|possibly|perhaps|must be|might be|could be|definitely|clearly|obviously|borderline|a bit|bit|slightly|somewhat|a little|mildly|totally|completely)\s+"
            r"(?:on the spectrum|autistic|aspergers?|asperger['’]s|bipolar|OCD|ADHD|dyslexic|depressed|schizo|psycho|psychotic|mental|neurotic|manic|a sociopath|a psychopath|sociopathic|psychopathic|menopausal|hormonal|pregnant|gay|camp)\b"
            r"(?:\s+or something)?",
            re.IGNORECASE,
        ),
        "origin_trait": _Lazy(rf"(?<![\w-])(?:{alternation(lex.ORIGIN_TRAITS)})(?![\w-])", re.IGNORECASE),
        "orientation_coded": _Lazy(
            r"(?<![\w-])(?:camp|flamboyant|limp-wristed|butch|effeminate)(?![\w-])", re.IGNORECASE
        ),
        "a_lot": _Lazy(
            r"\b(?:(?<=['’])s|is|can be|gets)\s+(?:just\s+|very\s*…?\s*|so\s+|a\s+bit\s+)*(?:a lot|too much|way too much|hard work)(?=\s*[.!;,…]|\s*$|\s+(?:to|sometimes|at times)\b)",
            re.IGNORECASE,
        ),
    }


# What may open a note before a bare noun: "Total ", "- ", "Honestly, real " (no article, no subject).
_NOTE_OPENS = re.compile(
    r"[\s\-*•–—]*(?:(?:honestly|frankly|basically|just|total|complete|absolute|utter|real|proper|massive|bloody|right|such)[,\s]+)*",
    re.IGNORECASE,
)

# Personality nouns that, bare at the start of a note, name a thing as often as a person.
_BARE_TOPIC_NOUNS = frozenset(
    """gossip pain mess wreck liability handful nightmare bully tyrant dictator mouse cow ass
    idiot clown""".split()
)

# Nouns that carry a person's character ("her emotional side", "a stubborn nature").
_TRAIT_CARRIERS = frozenset(
    """side streak nature temperament disposition tendencies mood moods outbursts outburst
    tantrums tantrum demeanour demeanor manner persona vibe vibes energy style""".split()
)

# Words after an adjective that show it is no attribute of a noun ("moody some weeks").
_NOT_A_NOUN = frozenset(
    """sometimes often lately recently again at around toward towards now today some every most
    all any no though tho though, either too as well enough anyway honestly frankly basically
    really overall generally at times these days this that""".split()
)


def _next_is_thing(text: str, end: int, limit: int) -> tuple[bool, bool]:
    """(followed by a non-person noun, followed by a person noun) for an adjective ending at ``end``."""
    nw = next_word(text, end, limit)
    if nw is None:
        return False, False
    low = nw.lower
    if low in PERSON_NOUNS or low in _TRAIT_CARRIERS:
        return False, True
    if not low.isalpha() or low in FUNCTION_WORDS or nw.text[:1].isupper():
        return False, False
    if low in _NOT_A_NOUN or (low.endswith("ly") and len(low) > 4):
        return False, False
    return True, False


_TOPIC_AFTER_GENDERED = frozenset(
    """health care leave ward wards benefits benefit product products hygiene line brand mortality
    nutrition clinic unit units fashion clothing apparel fragrance fragrances wellness medicine
    screening screenings program programs""".split()
)


def _topic_after(text: str, end: int) -> bool:
    """A gender-coded word modifying a topic ("maternal health program"), not a person."""
    nw = next_word(text, end, len(text))
    return nw is not None and nw.lower in _TOPIC_AFTER_GENDERED


def _trait_about_person(
    text: str, start: int, end: int, sent: tuple[int, int], people: frozenset[str]
) -> bool:
    """The adjective at [start, end) describes a person: "she is bossy", "an abrasive manager"."""
    thing, person_noun = _next_is_thing(text, end, sent[1])
    if person_noun:
        return True
    if thing:
        return False
    ws = words_before(text, sent[0], start)
    return person_predicate_before(ws, people)


def _extend_left(text: str, start: int, words: frozenset[str]) -> int:
    """Move ``start`` left over one intensifier ("too nice", "less emotional")."""
    m = re.search(r"(\w+)\s+$", text[max(0, start - 20) : start])
    if m and m.group(1).lower() in words:
        return start - (len(m.group(0)))
    return start


def find_bias(text: str, people: frozenset[str] = frozenset()) -> list[BiasHit]:
    """Every biased phrase in ``text``, merged and in order of position."""
    rx = _rx()
    found = _scanner().scan(text)
    bounds = sentences(text)
    hits: list[BiasHit] = []
    add = hits.append

    def each(name: str, category: str, keep: Callable[[re.Match[str]], bool] | None = None) -> None:
        for m in found[name]:
            if m.end() > m.start() and (keep is None or keep(m)):
                add(BiasHit(category, m.start(), m.end()))

    # -- gender named outright
    each("gendered", "gendered_language")
    each("gendered_trait", "gendered_language", lambda m: not _topic_after(text, m.end()))
    each("family_gender", "gendered_language")
    each("family_gender", "protected_characteristic")

    # -- personality critique
    each("personality_phrase", "personality_critique")
    for m in found["trait"]:
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("personality_critique", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["too_trait"]:
        start = _extend_left(text, m.start(), _TOO)
        if start == m.start():
            continue  # "nice" alone is no critique; "too nice" is
        sent = sentence_of(bounds, m.start())
        if _trait_about_person(text, start, m.end(), sent, people):
            add(BiasHit("personality_critique", start, m.end()))
    for m in found["pers_noun"]:
        art = rx["article_tail"].search(text, max(0, m.start() - 40), m.start())
        ambiguous = re.sub(r"\s+", " ", m.group().lower()) in lex.AMBIGUOUS_PERSONALITY_NOUNS
        if art is None:
            # "a diva", "bit of a hothead", "such a pushover"; not "chronic pain". A note may drop
            # the article and the subject: "Total airhead.", "- Pushover with vendors".
            sent = sentence_of(bounds, m.start())
            if (
                ambiguous
                or m.group().lower() in _BARE_TOPIC_NOUNS
                or not _NOTE_OPENS.fullmatch(text, sent[0], m.start())
                or re.match(r"\s+(?:about|of|over|from|around|on|spread|is|was|has|had)\b", text[m.end() :])
                or _next_is_thing(text, m.end(), sent[1])[0]
            ):
                continue
            add(BiasHit("personality_critique", m.start(), m.end()))
            continue
        if ambiguous:
            sent = sentence_of(bounds, m.start())
            if not person_predicate_before(words_before(text, sent[0], art.start()), people):
                continue  # "the migration was a nightmare"
        add(BiasHit("personality_critique", m.start(), m.end()))
    each("trait_noun", "personality_critique")
    for m in found["age_noun"]:
        # "a bit of a dinosaur", "such a fuddy-duddy", "like a child": said of a person
        art = rx["article_tail"].search(text, max(0, m.start() - 40), m.start())
        if art is None:
            continue
        sent = sentence_of(bounds, m.start())
        before = words_before(text, sent[0], art.start())
        if (before and before[-1].lower in {"like", "than"}) or person_predicate_before(before, people):
            add(BiasHit("age_coded", m.start(), m.end()))

    # -- age
    each("age", "age_coded")
    for m in found["young"]:
        sent = sentence_of(bounds, m.start())
        nw = next_word(text, m.end(), sent[1])
        if (
            m.end() - m.start() == 5
            and nw is not None
            and nw.lower in PERSON_NOUNS
            and nw.lower.endswith("s")
        ):
            continue  # "mentored two young analysts" describes other people, not the reviewee
        if m.end() - m.start() > 5 or _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("age_coded", m.start(), m.end()))
    each(
        "kid",
        "age_coded",
        lambda m: not re.search(r"\bkid (?:gloves|brother|sister)\b", text[m.end() - 3 : m.end() + 10]),
    )

    # -- appearance
    for m in found["looks"]:
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.start())
        while ws and ws[-1].lower in {
            "always",
            "often",
            "really",
            "also",
            "usually",
            "still",
            "never",
            "sometimes",
        }:
            ws.pop()
        if ws and (is_person_subject(ws[-1], people) or re.match(r"^(he|she|they)'s$", ws[-1].lower)):
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["looks_adj"]:
        word = m.group().lower()
        sent = sentence_of(bounds, m.start())
        if word == "pretty":
            nw = next_word(text, m.end(), sent[1])
            prev = text[max(0, m.start() - 6) : m.start()].lower().split()
            if (
                nw is not None
                and nw.lower not in _THING_AFTER_PRETTY
                and not (prev and prev[-1] in {"too", "so", "very", "really", "quite"})
            ):
                continue  # "pretty good" is an adverb
        if _trait_about_person(text, m.start(), m.end(), sent, people):
            add(BiasHit("appearance", m.start(), m.end()))
    each("looks_poss", "appearance")
    each("weight", "appearance")
    each("dress", "appearance")
    each("appearance_phrase", "appearance")
    for m in found["wear"]:
        add(BiasHit("appearance", m.start(), m.end()))
        if m.group("item").lower() in lex.APPEARANCE_GENDERED:
            add(BiasHit("gendered_language", m.start(), m.end()))

    _structural(text, bounds, people, rx, found, hits)

    # -- protected characteristics used as a judgement
    each("diversity_hire", "protected_characteristic")
    each("accent", "protected_characteristic")
    each("native", "protected_characteristic")
    each("group", "protected_characteristic")
    for m in found["frame"]:
        term = next(g for g in (m.groupdict().get(k) for k in ("t1", "t2", "t3", "t4", "t5")) if g)
        key = re.sub(r"\s+", " ", term).lower()
        if key in lex.POSSESSED_ONLY and not re.search(
            r"\b(?:his|her|their)\b|['’]s\b", m.group(), re.IGNORECASE
        ):
            continue
        if m.end() < len(text) and text[m.end()] == "-":
            continue  # "despite the disability-inclusion ..." is a topic
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    _protected_judgements(text, bounds, people, found, hits)
    hits.extend(BiasHit(h.category, h.start, h.end) for h in find_bias_lang(text))
    quoted = _quoted(text)
    if quoted:
        # words someone said, quoted as the behaviour ("told him 'you're useless'"), are evidence
        hits = [h for h in hits if not any(qs <= h.start and h.end <= qe for qs, qe in quoted)]
    return _merge(text, hits)


_QUOTE = re.compile(
    r"\"[^\"\n]{1,200}\"|“[^”\n]{1,200}”|‘[^’\n]{1,200}’|(?<!\w)'(?:[^'\n]|'(?=\w)){1,200}'(?!\w)"
)


_SAID = re.compile(
    r"(?:\b(?:said|says|say|saying|told|tells|tell|telling|asked|asks|wrote|writes|written|posted|posts|replied|replies|"
    r"commented|shouted|yelled|messaged|emailed|remarked|snapped|muttered|added)\b[^.!?:]{0,25})$",
    re.IGNORECASE,
)


def _quoted(text: str) -> list[tuple[int, int]]:
    """Offsets of words quoted as what someone said ("told him 'you're useless'"), not of
    scare quotes ("a bit 'emotional'"), which stay judged."""
    if not any(q in text for q in "\"“‘'"):
        return []
    return [
        (m.start(), m.end())
        for m in _QUOTE.finditer(text)
        if _SAID.search(text, max(0, m.start() - 40), m.start())
    ]


def _protected_judgements(
    text: str,
    bounds: list[tuple[int, int]],
    people: frozenset[str],
    found: dict[str, list[re.Match[str]]],
    hits: list[BiasHit],
) -> None:
    """A doubt about capacity, commitment or fit next to a protected characteristic completes it.

    "with the twins arriving, is he really going to want the partnership track?", "the accent
    worries some patients. Maybe not the best fit for the desk.": the characteristic may sit in
    the same sentence as the doubt or in the one before, and need not be possessed ("Ramadan").
    Either alone passes: "swapped shifts for Ramadan", "I doubt the vendor will deliver".
    A judgement of character in the same sentence completes it too ("he's from Lagos and the team
    finds his manner a bit much"): the characteristic is then part of the judgement.
    """
    doubts = found["judgement"]
    traits = [h for h in hits if h.category == "personality_critique"]
    if not doubts and not traits:
        return
    index = {b: i for i, b in enumerate(bounds)}
    wanted: set[int] = set()
    for m in doubts:
        i = index.get(sentence_of(bounds, m.start()))
        if i is not None:
            wanted.update((i - 1, i, i + 1))
    trait_sents = {index.get(sentence_of(bounds, h.start)) for h in traits} - {None}
    wanted |= {i for i in trait_sents if i is not None}
    wanted -= {-1, len(bounds)}
    triggers: dict[int, list[tuple[int, int, str]]] = {}

    def trigger(start: int, end: int, category: str) -> None:
        i = index.get(sentence_of(bounds, start))
        if i in wanted:
            triggers.setdefault(i, []).append((start, end, category))

    for h in hits:
        if h.category in {"protected_characteristic", "age_coded", "gendered_language"}:
            trigger(h.start, h.end, h.category)
    for sh in find_sensitive(text, people):
        trigger(sh.start, sh.end, "protected_characteristic")
    for st, en in loose_sensitive_terms(text, bounds):
        trigger(st, en, "protected_characteristic")
    for i in sorted(wanted):
        s_start, s_end = bounds[i]
        for category, pattern in _loose_triggers():
            for m in pattern.finditer(text, s_start, s_end):
                if not is_topic_or_others(text, m.start(), m.end(), s_end):
                    trigger(m.start(), m.end(), category)
    if not triggers:
        return
    for i in trait_sents:
        if i is not None and _mentions_person(text, bounds[i], people):
            hits.extend(
                BiasHit(c, a, b)
                for a, b, c in triggers.get(i, [])
                if c == "protected_characteristic" and not _OTHERS_CHILDREN.fullmatch(text[a:b])
            )
    for m in doubts:
        sent = sentence_of(bounds, m.start())
        i = index.get(sent)
        if i is None:
            continue
        near = triggers.get(i, []) + triggers.get(i - 1, []) + triggers.get(i + 1, [])
        if not near:
            continue
        if not _mentions_person(text, sent, people):
            continue  # "I'm not sure the visa will come through": a doubt about a thing
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        cats = {c for _, _, c in near}
        category = next(
            c
            for c in ("protected_characteristic", "age_coded", "gendered_language", "appearance")
            if c in cats
        )
        hits.append(BiasHit(category, start, m.end()))
        for t_start, t_end, t_cat in near:
            hits.append(BiasHit(t_cat, t_start, t_end))
            # in one sentence, the characteristic and the doubt are one biased phrase ("with
            # Ramadan coming up, is he really going to manage"): point at all of it
            if t_cat == category and sent[0] <= t_start < sent[1]:
                a, b = min(start, t_start), clause_end(text, max(m.end(), t_end), sent[1])
                if b - a <= _PHRASE_MAX:
                    hits.append(BiasHit(category, a, b))


# The longest span a characteristic and its doubt are joined into, in characters.
_PHRASE_MAX = 160

# Children not said to be the person's own ("lovely with the kids"): pupils, customers.
_OTHERS_CHILDREN = re.compile(
    r"(?i)(?:(?:the|a|some|those|these|new|young|small|little|two|three)\s+)?(?:kids?|children|child|bab(?:y|ies)|little ones?|young ones|toddlers?)"
)


# A person in or next to a doubt: "not sure she can", "keep him off", "someone like her".
_PERSON_WORD = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Hh]im|[Hh]er|[Tt]hem|[Hh]is|[Tt]heir|[Hh]ers|[Hh]imself|[Hh]erself)\b|[Hh]e['’]s|[Ss]he['’]s"
    r"|\b[Aa]n? (?:woman|man|girl|lady|mother|mum|mom|father|dad|person|guy) (?:\w+ing|who|with|in charge|at the helm)\b"
    r"|\b(?:[Ss]omeone|[Ss]omebody) (?:like|with|who|in)\b"
)


def _mentions_person(text: str, sent: tuple[int, int], people: frozenset[str]) -> bool:
    """The sentence names or points at a person: a pronoun, a name, a title."""
    if _PERSON_WORD.search(text, sent[0], sent[1]):
        return True
    return any(
        w.text in people
        or (
            w.text[:1].isupper()
            and w.text.isalpha()
            and is_person_subject(w, people)
            and not looks_like_verb(w)
            and w.text not in _GROUP_WORDS
        )
        for w in words_before(text, sent[0], sent[1])
    )


_GROUP_WORDS = frozenset(lex.GROUPS)


@cache
def _loose_triggers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (category, re.compile(rf"(?<![\w-])(?:{'|'.join(frags)})(?![\w-])", re.IGNORECASE))
        for category, frags in lex.LOOSE_TRIGGERS.items()
    )


def _structural(
    text: str,
    bounds: list[tuple[int, int]],
    people: frozenset[str],
    rx: dict[str, _Lazy],
    found: dict[str, list[re.Match[str]]],
    hits: list[BiasHit],
) -> None:
    """Judgements found by their shape around a person, beyond the fixed phrases."""
    add = hits.append

    def about_person(start: int, end: int) -> bool:
        return _trait_about_person(text, start, end, sentence_of(bounds, start), people)

    # age words said of a person ("old-school", "menopausal"), a person's age ("she is 58")
    for m in found["age_trait"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("age_coded", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["age_number"]:
        add(BiasHit("age_coded", m.start(), m.end()))

    # body size and "-looking" said of a person ("quite large", "a big lad", "polished-looking")
    for m in found["size"]:
        sent = sentence_of(bounds, m.start())
        nw = next_word(text, m.end(), sent[1])
        if nw is not None and nw.lower in _BODY_NOUNS:
            add(BiasHit("appearance", _extend_left(text, m.start(), _INTENSIFIERS), nw.end))
            continue
        if nw is not None and nw.lower in _NOT_BODY_AFTER:
            continue
        ws = words_before(text, sent[0], m.start())
        if any(w.lower in _COLLECTIVE for w in ws):
            continue  # "our team is large"
        thing, _ = _next_is_thing(text, m.end(), sent[1])
        if not thing and person_predicate_before(ws, people):
            add(BiasHit("appearance", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["looking"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["trait_ness"]:
        add(BiasHit("personality_critique", m.start(), m.end()))
    for name in ("wise", "dress_like", "smile", "haircut", "image", "clothes"):
        for m in found[name]:
            add(BiasHit("appearance", m.start(), m.end()))
    for m in found["skin"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
        add(BiasHit("appearance", m.start(), m.end()))
    # a thing about looks with a judgement in the same sentence ("the earrings are distracting")
    judged = {sentence_of(bounds, m.start()) for m in found["app_judge"]}
    if judged:
        for m in found["app_noun"]:
            if sentence_of(bounds, m.start()) in judged:
                add(BiasHit("appearance", m.start(), m.end()))

    # family status and parenthood as a frame ("as a new mum", "with two kids at home")
    for m in found["parent_frame"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))

    # origin, culture and accent ("not a culture fit", "the culture he's from", "the accent")
    for name in ("culture_fit", "origin", "token", "coded"):
        for m in found[name]:
            add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["accent_det"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["speculation"]:
        add(BiasHit("protected_characteristic", m.start(), m.end()))
    for m in found["origin_trait"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("protected_characteristic", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))
    for m in found["orientation_coded"]:
        if about_person(m.start(), m.end()):
            add(BiasHit("protected_characteristic", _extend_left(text, m.start(), _INTENSIFIERS), m.end()))

    # "a bit of a [anything]" said of a person ("bit of an old woman", "a bit of a lone wolf")
    for m in found["bit_of"]:
        noun = m.group("noun").lower().split()
        if noun[0] in _BIT_OF_THINGS or noun[0] in FUNCTION_WORDS:
            continue
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.start())
        if person_predicate_before(ws, people):
            end = (
                m.end()
                if len(noun) == 1 or noun[1] not in FUNCTION_WORDS
                else m.start("noun") + len(m.group("noun").split()[0])
            )
            add(BiasHit("personality_critique", m.start(), end))
    for m in found["a_lot"]:
        sent = sentence_of(bounds, m.start())
        ws = words_before(text, sent[0], m.end())
        if ws and person_predicate_before(ws[:-2], people) or _starts_with_person(ws, people):
            add(BiasHit("personality_critique", m.start(), m.end()))


def _starts_with_person(ws: list[Word], people: frozenset[str]) -> bool:
    """The clause opens with a person ("He is a lot")."""
    return bool(ws) and is_person_subject(ws[0], people) and ws[0].text[:1].isupper()


_BODY_NOUNS = frozenset(
    """man woman guy lad bloke girl lady fellow fella boy chap person individual gentleman
    build frame figure unit lump specimen""".split()
)
_NOT_BODY_AFTER = frozenset(
    """on fan fans believer advocate supporter proponent picture deal help thanks part win step
    name hitter spender asset influence impact contributor presence personality character
    team crew staff talent one ones type member self soul blood role job account client
    clients customer customers deals wins projects project improvement improvements difference
    changes change amount number numbers volume volumes margin margins""".split()
)
_COLLECTIVE = frozenset(
    """team teams crew crews staff group groups department departments company unit units
    workforce headcount class classes cohort organisation organization budget office""".split()
)
# "a bit of a ..." about the work, not the person ("a bit of a slog", "a bit of a learning curve").
_BIT_OF_THINGS = frozenset(
    """mess stretch slog challenge learning curve rush gap problem struggle surprise shock worry
    concern risk issue delay backlog scramble journey wait walk grind hassle shame pity blow
    setback departure change shift hit dip drop lull jump leap step win boost bonus relief
    puzzle mystery wake-up reach long gamble balancing juggling team trend pattern habit
    tendency lag crunch squeeze push ask commute drive""".split()
)


def _merge(text: str, hits: list[BiasHit]) -> list[BiasHit]:
    """Merge same-category hits that overlap or are joined by "and" / a comma."""
    hits.sort(key=lambda h: (h.category, h.start, -h.end))
    out: list[BiasHit] = []
    for h in hits:
        if out and out[-1].category == h.category:
            prev = out[-1]
            gap = text[prev.end : h.start]
            if h.start <= prev.end or re.fullmatch(r"\s*(?:,|and|or|, and)\s*", gap):
                out[-1] = BiasHit(h.category, prev.start, max(prev.end, h.end))
                continue
        out.append(h)
    out.sort(key=lambda h: (h.start, h.category))
    return out


def check_bias(text: str, ctx: GuardContext) -> Sequence[Finding]:
    """Findings for biased wording in ``text`` (a draft, or a person's own text)."""
    people = frozenset(ctx.people)
    findings = []
    for h in find_bias(text, people):
        words = text[h.start : h.end]
        findings.append(
            Finding(
                guard=GUARD,
                clauses=CLAUSES,
                verdict=Verdict.FLAG,
                message=_MESSAGES[h.category].format(words),
                category=h.category,
                span=Span(h.start, h.end, words),
                suggestion=_SUGGESTIONS[h.category],
            )
        )
    return findings


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(
        GuardSpec(
            name=GUARD,
            clauses=CLAUSES,
            stages=(Stage.DRAFT,),
            check=check_bias,
            description="Flags gendered, age-coded, appearance and personality judgements and protected characteristics used as judgements.",
        )
    )
