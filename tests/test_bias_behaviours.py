"""The bias guard catches behaviours, not listed sentences: one test per behaviour, in several voices.

Every sentence here was invented for these tests (terse notes, chatty messages, formal HR prose,
non-native English, Spanish, French and German); none comes from an evaluation or held-out set.
Each behaviour has work talk next to it that uses the same words about facts and must pass.
"""

from __future__ import annotations

import pytest
from rai_assistant.guards.bias import check_bias, find_bias
from rai_assistant.guards.sensitive_facts import check_sensitive_facts
from rai_assistant.types import Finding, GuardContext, Stage

CTX = GuardContext(feature="feedback", stage=Stage.DRAFT)


def _found(text: str) -> list[Finding]:
    return [*check_bias(text, CTX), *check_sensitive_facts(text, CTX)]


def _over(text: str, words: str) -> list[Finding]:
    """The findings whose span overlaps ``words`` in ``text``, after checking every span's offsets."""
    start = text.index(words)
    end = start + len(words)
    found = _found(text)
    for f in found:
        assert f.span is not None and text[f.span.start : f.span.end] == f.span.text
        assert f.suggestion
    return [f for f in found if f.span is not None and f.span.start < end and start < f.span.end]


def _assert_flags(text: str, words: str, category: str | None = None) -> None:
    hits = _over(text, words)
    assert hits, f"nothing flagged over {words!r} in {text!r}: {_found(text)}"
    if category is not None:
        assert category in {f.category for f in hits}, (category, [(f.category, f.span) for f in hits])


# ------------------------------------------------- gender as a yardstick or a generalisation


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Honestly she handles the board better than most of the guys would.",
            "better than most of the guys",
        ),
        ("Lovely lass, just needs to toughen up like the blokes.", "like the blokes"),
        ("Some of the drivers aren't comfortable taking orders from a woman.", "taking orders from a woman"),
        ("The women on the team tend to gang up on him.", "The women on the team tend to"),
        ("She's bossy in that way women in charge can be.", "women in charge can be"),
        ("In my opinion she is not so strong for lead because she is woman.", "because she is woman"),
        ("He's a mummy's boy, rings home before every decision.", "mummy's boy"),
        ("She's a tough cookie for such a little thing.", "such a little thing"),
    ],
)
def test_gender_used_as_a_yardstick_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words, "gendered_language")


# --------------------------------------------- character cast as a habit, and bare notes


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Always whining about the workload.", "whining"),
        ("Sulks when his ideas are not picked.", "Sulks"),
        ("She's got a real chip on her shoulder about the reorg.", "chip on her shoulder"),
        ("Lets the suppliers walk all over him.", "walk all over him"),
        ("Honestly? Total airhead.", "airhead"),
        ("- Pushover with vendors", "Pushover"),
        ("Maybe it's the new system, but she's been snappy.", "snappy"),
        ("He lacks gravitas in the client room.", "lacks gravitas"),
    ],
)
def test_character_judged_as_a_habit_or_in_a_bare_note_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words, "personality_critique")


# ----------------------------------------------------------------------------- coded age


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("He's a bit long in the tooth for a start-up.", "long in the tooth"),
        ("She's been here since the dark ages and it shows.", "since the dark ages"),
        ("Fiftysomething and stuck in the 90s on process.", "Fiftysomething"),
        ("Moaned about the new rota all week. Typical teenager.", "Typical teenager"),
        ("She's a grandmother now, I think she's winding down.", "grandmother"),
        ("guy is ancient, still prints every email", "ancient"),
        ("He's old-fashioned and technophobic.", "technophobic"),
    ],
)
def test_coded_age_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words, "age_coded")


# ---------------------------------- a protected characteristic and a doubt: one biased phrase


@pytest.mark.parametrize(
    ("text", "words", "phrase"),
    [
        (
            "Reliable. With three little ones at home I doubt he'll want the regional role, it's a lot of travel.",
            "little ones",
            "I doubt he'll want the regional role",
        ),
        (
            "Good tech. With Diwali coming up, is she really going to cover the late shifts?",
            "Diwali",
            "is she really going to cover the late shifts",
        ),
        (
            "At 61, Rui is unlikely to adapt to the new tills.",
            "At 61",
            "unlikely to adapt to the new tills",
        ),
    ],
)
def test_the_characteristic_and_the_doubt_are_one_span(text: str, words: str, phrase: str) -> None:
    hits = _over(text, words)
    assert hits, _found(text)
    assert any(phrase in f.span.text for f in hits if f.span is not None), [f.span for f in hits]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("He walks with a cane so the warehouse tours are probably not for him.", "a cane"),
        (
            "Some clients might not take to someone with so many tattoos; she has a sleeve on each arm.",
            "tattoos",
        ),
        ("Our clients are traditional; a woman leading the account might not land well.", "a woman"),
        (
            "She has a lot going on at home with the kids, so let's not load her up with the launch.",
            "a lot going on at home",
        ),
        ("He's from Lagos and the team finds his manner a bit much.", "from Lagos"),
        ("She's been a bit all over the place since the divorce.", "divorce"),
    ],
)
def test_a_characteristic_next_to_a_judgement_of_the_person_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words)


# ----------------------------------------- a person labelled by a protected characteristic


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The deaf guy on the line is fine but you have to shout.", "deaf guy"),
        ("She's a hijab-wearing rep, which might be tricky for some clients.", "hijab-wearing"),
        ("Very churchy, keeps inviting people to things.", "churchy"),
        ("Very Catholic and a bit judgmental with it.", "Very Catholic"),
        ("Sharp mind, shame about the wheelchair for the site audits.", "shame about the wheelchair"),
        ("Good worker but you know how those people are with timekeeping.", "how those people are"),
        ("Asian, so naturally great with the spreadsheets.", "naturally"),
        ("A solid hire but English is his second language and it shows.", "second language"),
        ("Her English is not great, which the clients notice.", "Her English is not great"),
        ("He still has a bit of a Glasgow twang that some clients struggle with.", "Glasgow twang"),
        ("Not our usual type of hire, if you know what I mean.", "Not our usual type"),
        ("Maybe it's the menopause, but she's been short with everyone.", "the menopause"),
        ("Dmitri knows his stuff but can be blunt in a way that feels very Russian.", "very Russian"),
        ("Her Arabic name may be off-putting for some of our more conservative clients.", "Arabic name"),
    ],
)
def test_a_person_labelled_by_a_protected_characteristic_is_flagged(text: str, words: str) -> None:
    _assert_flags(text, words, "protected_characteristic")


# ------------------------------------------------------------------------------ appearance


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Always turns up looking like she just rolled out of bed.", "rolled out of bed"),
        ("The beard makes him look scruffy.", "look scruffy"),
        ("Rocks up in tracksuit bottoms half the time.", "tracksuit bottoms"),
        ("He should shave before the investor day.", "should shave"),
        ("He's built like a wardrobe, intimidating at reception.", "built like a wardrobe"),
        ("She's on the heavier side and it affects how clients see her.", "heavier side"),
        ("She's a knockout, the clients always ask for her.", "knockout"),
        ("Needs to lose the attitude and the nose stud before client week.", "nose stud"),
        ("She's very well-endowed and the clients get distracted.", "well-endowed"),
    ],
)
def test_comments_on_looks_are_flagged(text: str, words: str) -> None:
    _assert_flags(text, words, "appearance")


# --------------------------------------------------------------------- Spanish, French, German


@pytest.mark.parametrize(
    ("text", "words", "category"),
    [
        (
            "Tiene un acento muy marcado y los clientes no le entienden.",
            "acento muy marcado",
            "protected_characteristic",
        ),
        ("Desde que se quedó embarazada no rinde igual.", "se quedó embarazada", "protected_characteristic"),
        (
            "Con su sordera, las reuniones por teléfono son un problema.",
            "Con su sordera",
            "protected_characteristic",
        ),
        (
            "Como buen andaluz, se toma las cosas con mucha calma.",
            "Como buen andaluz",
            "protected_characteristic",
        ),
        ("Viste con faldas muy cortas para la recepción.", "faldas muy cortas", "appearance"),
        ("Claire est beaucoup trop émotive pour ce poste.", "trop émotive", "personality_critique"),
        ("C'est une vraie diva en réunion.", "diva", "gendered_language"),
        ("Comme tous les hommes, il ne sait pas écouter.", "Comme tous les hommes", "gendered_language"),
        (
            "Pas vraiment le profil, il est d'origine étrangère.",
            "origine étrangère",
            "protected_characteristic",
        ),
        (
            "Avec son fauteuil roulant, les visites clients seront difficiles.",
            "fauteuil roulant",
            "protected_characteristic",
        ),
        ("Il est un peu lent, c'est l'âge sans doute.", "c'est l'âge", "protected_characteristic"),
        ("Er ist mit 58 nicht mehr flexibel genug.", "mit 58", "age_coded"),
        ("Als Muslimin passt sie nicht ins Team.", "Als Muslimin", "protected_characteristic"),
        ("Er ist ein Dinosaurier, was Technik angeht.", "Dinosaurier", "age_coded"),
        (
            "Mit ihrer Behinderung wird der Außendienst schwierig.",
            "Mit ihrer Behinderung",
            "protected_characteristic",
        ),
        (
            "Sie hat Depressionen, ich würde ihr die Teamleitung nicht geben.",
            "Depressionen",
            "protected_characteristic",
        ),
        ("Er ist ein typischer Südländer, immer zu spät.", "typischer Südländer", "protected_characteristic"),
        ("Sie ist Mitte fünfzig und tut sich mit dem neuen System schwer.", "Mitte fünfzig", "age_coded"),
        ("Con tres críos en casa, no va a poder viajar.", "tres críos", "protected_characteristic"),
        ("Lleva rastas y no da buena imagen al cliente.", "rastas", "appearance"),
        (
            "Il fait le ramadan, il sera fatigué pendant le salon.",
            "fait le ramadan",
            "protected_characteristic",
        ),
        (
            "Er spricht mit starkem polnischem Akzent, das wirkt unprofessionell.",
            "polnischem Akzent",
            "protected_characteristic",
        ),
        ("Er ist sehr introvertiert, vermutlich Autist.", "vermutlich Autist", "protected_characteristic"),
    ],
)
def test_the_same_behaviours_in_spanish_french_and_german(text: str, words: str, category: str) -> None:
    _assert_flags(text, words, category)


# ----------------------------------------------------- job-relevant facts pass, in every language


@pytest.mark.parametrize(
    "text",
    [
        "She keeps an eye on the stock levels and flagged two shortages early.",
        "He reports to a woman in the finance team and they closed the audit together.",
        "The school run traffic delays deliveries; he rerouted the vans.",
        "He led the men's health awareness week and 200 staff attended.",
        "The guys in the warehouse can be reached on channel 2 during the night shift.",
        "Let's not overload the servers during the migration window.",
        "She coordinated the hair and makeup vendors for the product shoot on budget.",
        "He ran the Southern region's sales and grew it 14%.",
        "His weight-loss app project shipped on time with 4.6 stars.",
        "Gossip about the merger spread fast; she briefed the team the same day.",
        "He audited all site ramps for wheelchair access and logged 14 fixes.",
        "She set up the prayer room booking on the intranet at staff request.",
        "He led the Irish market launch and signed five distributors.",
        "Lovely with the kids at the library event, and the stall sold out.",
        "Solicitó reducción de jornada por cuidado de hijos, aprobada según la política.",
        "Marta ha reducido los errores de facturación un 30 % este año.",
        "Il a formé trois nouveaux collègues sur le logiciel de caisse.",
        "Elle parle arabe et a géré les clients du Maroc.",
        "Sie war in Elternzeit und hat die Übergabe gut vorbereitet.",
        "Er hat die Barrierefreiheit der Filiale geprüft und drei Mängel behoben.",
        "Elle a mis en place un standard pour les personnes sourdes et malentendantes.",
        "Sie hat die Schulung für Alleinerziehende im Betriebsrat organisiert.",
        "Tiene 12 años de experiencia en logística y certificación PMP.",
        "Dmitri translated the Russian supplier contracts, saving two weeks of legal time.",
    ],
)
def test_job_relevant_facts_pass(text: str) -> None:
    assert _found(text) == []


# ------------------------------------------------- a dated incident or an agreed date is no judgement
@pytest.mark.parametrize(
    "text",
    [
        "Kevin was dismissive of the auditor's questions in the 14 March review and left before the end.",
        "On Tuesday she was short with two callers who asked for a refund; we went through the script again.",
        "Lost his temper in the stand-up on 2 October and slammed the laptop shut. Apologised the next day.",
        "Maternity leave for Joanne from 2 September; Priya takes the key accounts in the meantime.",
        "Sam turns 60 on 4 June and has asked to drop Fridays from July; approved.",
        "Départ à la retraite de Michel prévu le 30 juin ; passation avec Inès en mai.",
        "Frau Yilmaz ist ab 1.4. in Elternzeit, die Vertretung übernimmt Herr Braun.",
        "Su baja por maternidad empieza el 5 de mayo; Luis cubre la tienda.",
    ],
)
def test_a_dated_incident_or_an_agreed_date_is_not_a_judgement(text: str) -> None:
    assert find_bias(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Kevin is dismissive and arrogant, always has been.", "arrogant"),
        ("He's arrogant. On 3 May he also missed the deadline for the audit pack.", "arrogant"),
        ("She goes on maternity leave on 3 March, and I doubt she'll be as committed after.", "I doubt"),
        ("Elle part en congé maternité le 3 mars et je doute qu'elle revienne motivée.", "je doute qu"),
        ("Sie ist ab 1.4. in Elternzeit und wird danach sicher weniger belastbar sein.", "Elternzeit"),
    ],
)
def test_a_date_does_not_excuse_a_judgement_beside_it(text: str, words: str) -> None:
    start = text.index(words)
    assert any(h.start < start + len(words) and start < h.end for h in find_bias(text)), find_bias(text)
