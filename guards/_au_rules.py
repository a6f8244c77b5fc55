"""High-precision patterns for requests whose intent has a clear shape, in en/es/fr/de.

All patterns run on normalized text (lower case, accents dropped, obfuscation undone; see
:mod:`rai_assistant.guards.normalize`). A rule names a category and a strength: ``strong`` blocks on its own,
``weak`` only adds evidence to the classifier. A rule fires only when no ``unless`` pattern (the
legitimate framing of the same words: "anti-bribery training", "without any health details")
occurs near it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The pattern parser of the standard library, used only to compute each rule's possible first
# characters (see _starts); if it is unavailable or a construct is unknown, the rule simply runs
# on every text (slower, never less accurate).
try:
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only on interpreters without re._parser
    _sre = None

__all__ = ["Hit", "RULES", "Rule", "find_injections", "is_policy_question", "match_rules", "text_level_hits"]

_F = re.IGNORECASE | re.DOTALL


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    strong: bool
    unless: re.Pattern[str] | None = None
    # Strings of up to _K characters one of which must start a word for the rule to match;
    # None: the rule may start anywhere and always runs.
    starts: frozenset[str] | None = field(default=None)
    # A weak rule whose shape settles the category (not the verdict) when it fires with others.
    decisive: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    start: int
    end: int
    strong: bool
    decisive: bool = False


def _r(
    category: str, pattern: str, strong: bool = True, unless: str | None = None, decisive: bool = False
) -> Rule:
    # Rules start at a word start: the look-behind fails fast inside words, which makes the
    # big alternations several times cheaper than trying every branch at every character.
    compiled = re.compile(rf"(?<![a-z0-9])(?:{pattern})", _F)
    return Rule(
        category,
        compiled,
        strong,
        re.compile(unless, _F) if unless else None,
        _rule_starts(pattern),
        decisive,
    )


_K = 4  # length of the word-start prefixes used to skip rules that cannot match


def _chars(op: object, av: object) -> set[str] | None:
    """The characters one pattern item can match, or None when too many to list."""
    if _sre is None:
        return None
    if op is _sre.LITERAL:
        return {chr(av).lower()}  # type: ignore[arg-type]
    if op is _sre.IN:
        out: set[str] = set()
        for sub_op, sub_av in av:  # type: ignore[attr-defined]
            if sub_op is _sre.LITERAL:
                out.add(chr(sub_av).lower())
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] <= 40:
                out.update(chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1))
            elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_DIGIT:
                out.update("0123456789")
            elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_SPACE:
                out.update(" \t\n\r\f\v")
            else:
                return None
        return out
    return None


def _starts(seq: object, prefixes: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """Extend ``(prefix, closed)`` pairs through a parsed pattern; closed prefixes stop growing."""
    for op, av in seq:  # type: ignore[attr-defined]
        if all(closed or len(p) >= _K for p, closed in prefixes):
            break
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width
        if op is _sre.SUBPATTERN:
            prefixes = _starts(av[-1], prefixes)
        elif op is _sre.BRANCH:
            prefixes = set().union(*(_starts(b, prefixes) for b in av[1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            lo, hi, sub = av
            out = set(prefixes) if lo == 0 else set()
            cur = prefixes
            for i in range(min(hi, _K)):
                cur = _starts(sub, cur)
                if i + 1 >= lo:
                    out |= cur
            if hi > _K and lo > _K:
                out = cur
            prefixes = out
        else:
            chars = _chars(op, av)
            nxt: set[tuple[str, bool]] = set()
            for p, closed in prefixes:
                if closed or len(p) >= _K:
                    nxt.add((p, closed))
                elif chars is None:
                    nxt.add((p, True))  # an unlisted character: the prefix so far must do
                else:
                    nxt.update((p + c, False) for c in chars)
            prefixes = nxt
        if len(prefixes) > 20000:
            return {("", True)}
    return prefixes


def _rule_starts(pattern: str) -> frozenset[str] | None:
    if _sre is None:
        return None
    try:
        found = _starts(_sre.parse(pattern, _F), {("", False)})
    except (TypeError, ValueError, AttributeError, IndexError, re.error):
        return None
    words = frozenset(p for p, _ in found)
    return None if "" in words else words


_NOT_WORD = re.compile(r"[^a-z0-9]")


def _word_starts(text: str) -> set[str]:
    """Every string of 1 to _K characters that starts where no letter or digit precedes it."""
    out: set[str] = set()
    for i in [0, *(m.end() for m in _NOT_WORD.finditer(text))]:
        out.update(text[i : i + k] for k in range(1, _K + 1))
    return out


# Pieces reused across rules. "{0,N}" gaps keep a rule inside one clause of a sentence.
_G = r"[^.!?\n]{0,60}?"  # a short gap inside a sentence
_G2 = r"[^.!?\n]{0,120}?"
_AI = r"(?:ai|a\.i\.|artificial intelligence|assistant|machine|chatbot|gpt|llm|software|tool|ia|ki|bot)"
_LABEL = (
    r"\b(?:label|disclosure|notice|watermark|footer|tag|disclaimer|provenance|credentials|mention|"
    r"hinweis|kennzeichnung|etiqueta|aviso|nota|etiquette|avertissement)\b"
)
_REMOVE = (
    r"\b(?:remove|strip|delete|drop|hide|erase|omit|scrub|take off|take out|leave off|leave out|get rid of|"
    r"turn off|disable|skip|without|no|quita|elimina|borra|oculta|sin|supprime|retire|enleve|efface|cache|sans|"
    r"entferne|losche|lass|ohne|verstecke)\b"
)
_PEOPLE = (
    r"(?:employees?|staff|workers?|users?|people|persons?|managers?|colleagues?|coworkers?|team members?|"
    r"reports|empleados|trabajadores|gerentes|companeros|salaries|employes|collaborateurs|collegues|"
    r"mitarbeiter(?:innen|nden)?|kollegen|beschaftigten|angestellten)"
)
_RECORDS = (
    r"(?:reviews?|feedback|ratings?|scores?|salar(?:y|ies)|bonus(?:es)?|notes|records?|files?|goals|"
    r"self-?reviews?|self-?assessments?|evaluations?|appraisals?|comments|data|drafts|emails?|phone numbers?|"
    r"addresses|histor(?:y|ies)|evaluaciones|comentarios|calificaciones|notes|bewertungen|beurteilungen|"
    r"selbstbeurteilungen|daten|noten)"
)
_GROUP = (
    r"(?:immigrants?|foreigners?|migrants?|muslims?|jews?|jewish people|christians?|hindus?|sikhs?|"
    r"blacks?|black people|asians?|arabs?|mexicans?|latinos?|africans?|chinese people|indians|roma|gypsies|"
    r"gays?|gay (?:men|people|employees)|lesbians?|trans(?:gender)? (?:people|employees|women|men)|"
    r"women|men|females|old people|older workers|the elderly|disabled people|the disabled|"
    r"indigenous (?:people|employees)|refugees|auslander|muslime|juden|frauen|behinderte|"
    r"extranjeros|inmigrantes|gitanos|mujeres|homosexuales|musulmanes|etrangers|immigres|arabes|"
    r"femmes|juifs|musulmans|handicapes)"
)
_SENSITIVE = (
    r"(?:pregnan\w*|expecting a baby|diagnos\w*|hiv|aids|cancer|chemo\w*|tumou?r|depress\w*|bipolar|"
    r"schizophren\w*|adhd|autis\w*|ptsd|epilep\w*|diabet\w*|rehab|addiction|alcoholi\w*|therapy|"
    r"therapist|psychiatr\w*|antidepress\w*|medications?|miscarriage|ivf|fertility|disabilit\w*|"
    r"visa status|work visa|visa (?:expir\w*|runs out)|on a visa|(?:his|her|their) visa|immigration status|green card|undocumented|citizenship|asylum|residence permit|"
    r"sexual orientation|religio\w*|union membership|criminal record|social security|ssn|passport|"
    r"home address|bank details|medical (?:leave|history|records?|condition)|health condition|"
    r"embarazada|depresion|diagnostico|enceinte|seropositi\w*|titre de sejour|schwanger|depression|"
    r"therapie|aufenthaltstitel)"
)
_INTO_RECORD = (
    r"\b(?:add|adds|added|adding|put|puts|putting|include|includes|including|mention|mentions|mentioning|"
    r"note that|note down|record that|insert|append|share|sharing|flag|post|log that|"
    r"anade|incluye|menciona|pon|ajoute|mentionne|inclus|indique|fuge|schreib|erwahne|trag)\b"
)
_REC_PLACE = (
    r"(?:review|appraisal|evaluation|feedback|file|record|notes|summary|packet|newsletter|tracker|"
    r"profile|report|goals|introduction|kickoff|calibration|promotion|self-review|team update|channel|"
    r"email|evaluacion|expediente|bilan|dossier|evaluation|beurteilung|akte|bewertung)"
)
_DECIDE = (
    r"(?:raises?|pay|salar\w*|bonus\w*|commissions?|fire|firing|fired|terminat\w*|lay ?off|laid off|"
    r"layoffs?|dismiss\w*|loans?|credit|mortgage|promot\w*|evict\w*|reject\w*|deny|denied|hire|hiring|"
    r"pay cuts?|despid\w*|subidas salariales|licenci\w*|primes|kundig\w*|gehalts\w*)"
)


_PII_UNLESS = (
    r"leave out|without (?:writing|any|mentioning|including|sharing)|don't (?:include|mention|add)|"
    r"keep (?:it |this )?confidential|stored separately|exclude|never (?:mention|include)|"
    r"not (?:mention|include)|filed \d+ visa|visa petitions|aids? (?:the|our)|hearing aids?"
)
_MED_THING = (
    r"(?:doses?|dosage|dosing|medications?|medicines?|meds|pills?|tablets?|drugs?|antibiotic\w*|painkillers?|"
    r"prescriptions?|supplements?|treatments?|therapy|insulin|inhaler|antidepressants?|statins?|"
    r"blood (?:thinners?|pressure (?:pills|meds|medication))|sleeping (?:pills|tablets|aids?)|melatonin|"
    r"ibuprofen|paracetamol|aspirin|codeine|opioids?|steroids?|prednisone|milligrams|mg\b|"
    r"dosis|medicament\w*|medicacion|antidepresiv\w*|pastillas|tratamiento|dose|traitement|"
    r"anxiolytique|antidepresseurs?|medikament\w*|tabletten|dosis|antidepressiv\w*|behandlung)"
)
# The shape of advice about what one person should take or do for their health: "tell her which
# dose", "should he switch his pills", "whether she can stop her medication".
_HEALTH_ADVICE = (
    r"(?:tell|advise|recommend|suggest|decide|pick|choose|work out|figure out|say|dile|dis|sag|rate|conseill\w*|recomienda)\w*"
    r"(?:\W+\w+){0,3}?\W+(?:which|what|how much|how many|whether|if|que|cual|quel\w*|welche\w*|wie viel|ob|si)\b[^.!?\n]{0,60}?"
    + _MED_THING
    + r"|(?:which|what|how many|how much) (?:of )?(?:my|his|her|their) "
    + _MED_THING
    + r"[^.!?\n]{0,30}?(?:should|can|could|do) (?:i|he|she|they) (?:take|stop|skip|double|up|increase|lower|drop|cut|quit)"
    + r"|(?:should|can|could|must|ought to|debe|deberia|doit|devrait|soll|sollte|kann) (?:he|she|they|i|\w+) "
    r"(?:take|stop|start|switch|swap|double|halve|skip|up|lower|increase|reduce|cut|taper|come off|quit|tomar|dejar|prendre|arreter|nehmen|absetzen)\b[^.!?\n]{0,40}?"
    + _MED_THING
)


RULES: tuple[Rule, ...] = (
    # 4.1 hiding AI authorship
    _r(
        "deceptive_provenance",
        rf"{_REMOVE}{_G}(?:{_AI}[- ]?(?:generated|assisted|written|made|generiert|genere|generad[oa])?{_G}{_LABEL}|{_LABEL}{_G}(?:{_AI}|generated|generad[oa]|genere|generiert))",
        unless=r"keep (?:the|my|its|this)? ?(?:ai )?(?:label|disclosure)|label (?:it|them) as ai|have to stay",
    ),
    _r(
        "deceptive_provenance",
        rf"(?:undetectable|bypass|evade|slip past|fool|beat|get past|pass)\w*{_G}(?:{_AI}|content|plagiarism)[- ]?(?:detectors?|checkers?|detection|filters?)",
    ),
    _r("deceptive_provenance", rf"(?:detector|detecteur|detektor)\w*{_G}(?:{_AI}|d'ia)"),
    _r(
        "deceptive_provenance",
        rf"(?:no|without(?: any)?|zero|not use\w*|never used)(?: any)? (?:help from (?:an? |any )?)?{_AI}(?: tools?| assistance| help)?(?: (?:was|were))? (?:used|involved|help\w*|assistance)",
    ),
    _r(
        "deceptive_provenance",
        r"(?:pass|present|submit|sign|claim|passes?)\w*(?: it| this| the \w+)? (?:off )?as (?:my|his|her|their|our) (?:own|personal)|(?:looks?|appears?|seems?|reads?|sounds?) (?:like )?(?:it was )?(?:hand-?written|written by hand|human[- ](?:written|made|generated|authored))|(?:hand-?written|by hand|human[- ](?:authored|written|generated)|own (?:unaided|original) work|personally wrote every|wrote (?:it|this|every word) (?:myself|himself|herself|by hand)|typed (?:it|this)(?: up)? myself)",
        strong=False,
        unless=r"keep the (?:ai )?(?:label|disclosure)|label it as ai",
    ),
    _r(
        "deceptive_provenance",
        r"(?:a mano|ninguna herramienta de (?:ia|inteligencia artificial)|de ma main|ecrit\w* (?:moi-meme|a la main)|von hand|ohne (?:ki|hilfsmittel)|selbst (?:geschrieben|verfasst))",
        strong=False,
    ),
    # 4.5 prompt and guard extraction
    _r(
        "reverse_engineering",
        rf"(?:system|hidden|initial|original|developer|secret|internal|setup|base|pre-?)[- ]?(?:prompt|instructions?|message|directives?|rules)(?!\w)(?!{_G}(?:polic|handbook|employee))",
        unless=r"(?:employee|company|hr|onboarding|policy|safety|office|our|team) (?:system )?(?:instructions|rules)",
    ),
    _r(
        "reverse_engineering",
        r"(?:your|tus|tu|tes|ton|deine|dein|vos|sus|ihre) (?:own |safety |moderation |content |policy |hidden |internal )?(?:instructions|prompt|guard ?rails?|guard rules|rules|configuration|config|thresholds?|temperature|weights|filters?|classifiers?|setup|instrucciones|reglas|filtro|clasificador|consignes|regles|filtre|classificateur|anweisungen|regeln|seuils|schwellenwerte|sperre)\b(?! of thumb)"
        r"|(?:guard|filter|classifier|moderation|safety|policy|block\w*)(?:'s)? (?:rules|thresholds?|scores?|keywords|patterns|regex\w*|logic|logits|weights|configuration|config|probabilit\w*)"
        r"|(?:which|what) (?:underlying )?(?:model|llm|language model) (?:are you|do you (?:run|use)|you are|powers you)|temperature (?:setting|and top)|top-?p"
        r"|developer mode|dan mode|jailbreak|(?:repeat|print|output|recite) (?:everything|all) (?:above|before)|first (?:\d+ |line|lines|words)\w*(?: \w+)? of your"
        r"|reverse[- ]engineer\w* (?:the |your |this |its )?(?:\w+ )?(?:model|algorithm|system|scoring|rating|assistant|filter|guard|classifier|prompt|tool|you)\b|prompt (?:del|de) sistema|prompt systeme|system-?prompt|instrucciones (?:ocultas|internas)|instructions (?:cachees|internes)|versteckten anweisungen",
        unless=r"(?:what|explain)\w* (?:does )?(?:the )?polic\w*|means? by reverse|follow(?:ed)? your instructions|thanks? for your|your rules? of thumb|by your rules",
    ),
    _r(
        "reverse_engineering",
        r"(?:ignore|disregard|forget|override|bypass)\w* (?:all |any |the |your |my )?(?:previous|prior|above|earlier|original|preceding|initial|system)? ?(?:instructions|rules|prompts?|guidelines|request|directions|restrictions)",
    ),
    # 4.6 generating training data for a competing or own model
    _r(
        "model_training",
        r"(?:train|fine-?tun|pre-?train|distil|entren|afinar|entrain|trainier|fine-tuning)\w*"
        + _G2
        + r"(?:model|llm|gpt|classifier|assistant|modelo|modele|modell|sprachmodell|corpus)"
        r"|(?:model|llm|modelo|modele|modell)\w*" + _G + r"(?:train|fine-?tun|entren|entrain|trainier)\w*"
        r"|training (?:data|set|dataset|corpus|pipeline|mix)|pretraining|corpus d'entrainement|trainingsdaten",
        strong=False,
        unless=r"our own (?:anonymi[sz]ed|licensed)|approved by legal|licensed data|improved our|accuracy",
    ),
    _r(
        "model_training",
        r"(?:competing|competitor|rival|replace (?:this|you)|konkurrenz\w*|concurrent|competidor)\w*"
        + _G
        + r"(?:model|llm|assistant|ai|modell|modele|modelo)|copy of you|distil\w*"
        + _G
        + r"(?:your|you)",
    ),
    # 4.7 bulk access to other people's records
    _r(
        "data_extraction",
        rf"(?:export|dump|download|pull|list|show|give|print|retrieve|extract|compile|copy|paste|output|send|fetch|get|table of|spreadsheet of|csv of|exporta|extrae|muestrame|dame|descarga|extrais|exporte|donne|affiche|exportiere|zeig|gib|liste)\w*{_G2}"
        rf"(?:(?:every|each|all(?: the| of the)?|all \d[\d,.]*|entire|whole|todos los|todas las|tous les|toutes les|alle|aller) {_PEOPLE}|everyone|everybody|company-?wide|across (?:all|every|the (?:whole|entire)) \w+|(?:entire|whole|complete|full) (?:company|org\w*|workforce|database|directory|hr dataset|dataset|feedback database|audit log)|other (?:managers|users|people|teams)|de la empresa|de l'entreprise|des unternehmens)",
        strong=False,
        unless=r"aggregate|anonymi[sz]ed|without names|for each of my|my (?:own )?team's|to everyone on (?:my|the) team",
    ),
    _r(
        "data_extraction",
        r"(?:scrape|scraping|crawl\w*|harvest\w*)"
        + _G
        + r"(?:directory|portal|profiles?|database|site|employees|reviews|records|data|linkedin)|(?:user|employee|staff) (?:ids?|numbers?) \d+ (?:to|through|-|until) \d+|bypass\w* the api|(?:numero|nummer)s? \d+ (?:a|bis) \d+",
    ),
    # 4.2 malware, phishing, bulk unsolicited messages
    _r(
        "malware_spam",
        r"(?:keylogger|ransomware|trojan\w*|backdoor|rootkit|spyware|botnet|credential[- ]?(?:harvest|stuff|steal)\w*|virus|worm (?:that|which)|malware|trojaner)",
        unless=r"(?:blocked|stopped|prevent\w*|reverse-engineered|studies|research\w*|sample|lab\b|analysis|analy[sz]ed|authori[sz]ed|simulat\w*|awareness|defen\w*|protect\w*|detect\w*|recogni[sz]e|report|risk|exercise|attack last|recover\w*)",
    ),
    _r(
        "malware_spam",
        r"(?:write|create|draft|build|generate|make|craft|design|send|code|escribe|redacta|crea|ecris|redige|schreib|erstelle)\w*"
        + _G
        + r"(?:phishing|spear-?phishing|hameconnage|spoofed|fake (?:it|login|package|delivery)|correo de suplantacion)",
        unless=r"simulat\w*|awareness|training|authori[sz]ed|approv\w*|recogni[sz]e|blocked|stopped|caught|reported|investigat\w*|shut (?:it )?down",
    ),
    _r(
        "malware_spam",
        r"(?:steal|captures?|harvest|grab|logs?|collects?|abgreif|robar|voler)\w*"
        + _G
        + r"(?:passwords?|credentials|session cookies|logins?|card numbers|contrasenas|mots de passe|passworter|identifiants)"
        r"|(?:disables?|turn off|kill)\w* (?:the )?(?:antivirus|edr|endpoint protection)|spam ?filters?|(?:\d{1,3}[,. ]?\d{3}|thousands of|hundreds of thousands|millions of|mass|bulk|massen)[- ]?(?:unsolicited |promotional |junk |cold )?(?:emails?|e-mails?|mails?|messages|texts|sms)|unsolicited|no solicitados|non sollicites",
        unless=r"opted[- ]in|subscribers|cut junk|upgrade|recogni[sz]e|awareness|training",
    ),
    _r(
        "malware_spam",
        r"<\s*script\b|document\.cookie|javascript:|\bon(?:error|load|mouseover)\s*=|\beval\s*\(|fromcharcode|powershell\s+-(?:e|enc)\b|invoke-expression|\biex\s*\(|curl [^|\n]{0,80}\|\s*(?:ba)?sh\b|auto_?open\s*\(",
        unless=r"sanitiz\w*|escap\w*|awareness|training|explain\w*|detect\w*|blocked|stopped|report\w*|secure coding",
    ),
    # 4.2 personal data put where it does not belong
    _r(
        "pii_misuse",
        rf"{_INTO_RECORD}{_G2}\b{_SENSITIVE}",
        unless=_PII_UNLESS,
    ),
    # A health word followed by a record word ("... diagnosis ... in her review") is pii_misuse
    # only when nothing asks what the person should take or do: "which dose she should switch to
    # before her appraisal" is medical advice that merely names a date.
    _r(
        "pii_misuse",
        rf"{_SENSITIVE}{_G2}(?:in|into|dans|en|in die)(?: the| his| her| their| my| our)? ?{_G}{_REC_PLACE}",
        unless=_PII_UNLESS + "|" + _HEALTH_ADVICE,
    ),
    _r(
        "pii_misuse",
        r"(?:find out|figure out|flag|identify|predict|infer|guess|cross-?referenc\w*)"
        + _G
        + r"(?:which|who)"
        + _G
        + r"(?:pregnan\w*|sick|psychiatr\w*|therapy|gay|religio\w*|disabilit\w*|union|mental health)",
    ),
    # 4.3 decisions about pay, jobs or credit with no person reviewing them; predatory sales
    _r(
        "economic_harm",
        rf"{_DECIDE}{_G2}(?:no|without|skip\w*|bypass\w*|sin|sans|ohne|aucune|ninguna) (?:any )?(?:human|manager|person|hr|anyone|one|recruiter|people|jefe|validation humaine|prufung|freigabe|revision)\w*(?: \w+)?(?: review|sign-?off|approval|check|oversight|looking|in the loop|revise\w*)?"
        rf"|(?:automatic\w*|directly|straight|directement|directamente|direkt)\w*{_G}{_DECIDE}|{_DECIDE}{_G2}(?:automatic\w*|nobody will|no one will|won't (?:look|see|check|review)|your decision is final|personne ne verifi\w*|sin que (?:ningun|nadie))"
        rf"|(?:decide|determine|set|choose|pick|elige|decide|decide toi-meme|entscheide|lege)\w*{_G}{_DECIDE}{_G2}(?:yourself|toi-meme|selbst|final)",
        unless=r"(?:hr|legal|manager|committee|human)s? (?:and \w+ )?(?:will )?(?:review|approve)\w*(?: it| them)? (?:first|before)|escalat\w*|making every final|review raise proposals|only as input|before (?:approv|sending)",
    ),
    _r(
        "economic_harm",
        r"payday loans?|predatory|hidden fees|(?:pressure|trick|guilt-?trip)\w*"
        + _G
        + r"(?:elderly|low-income|struggling|vulnerable|gig workers|new hires|customers|employees)",
    ),
    # 4.3 adult content and dating
    _r(
        "adult_dating",
        r"dating (?:profile|app|site|platform)|hook-?up app|tinder|bumble|hinge|escorts?|strip ?club|gentlemen's club|onlyfans|cam ?(?:model|girl|site)|webcam studio|sugar (?:daddy|baby)|adult (?:video|content|entertainment|site|toy|industry|webcam|film)|ask (?:her|him|my (?:coworker|colleague)) out|profil de rencontre|agence d'escort\w*|perfil de citas|dating-profil|erotik",
    ),
    # 4.3 tailored investment advice
    _r(
        "financial_advice",
        r"(?:which|what|specific|exact|particular|concrete|bestimmt\w*|concret\w*|precis\w*)\w*(?: \w+)? (?:stocks?|shares|funds?|etfs?|crypto\w*|coins?|tickers?|annuit\w*|bonds?|options|acciones|actions|aktien|fonds|fondos)\b(?!"
        + _G
        + r"(?:vesting|plan|program)s? (?:rules|explained))"
        r"|(?:invest|put|move|roll|allocate|place|park|meta|invierta|placer|investieren|stecken)\w*"
        + _G
        + r"(?:401\(?k\)?|pension|savings|bonus|severance|inheritance|retirement|payout|lump[- ]sum|ahorros|finiquito|prime|indemnite|abfindung|altersvorsorge)\w*"
        + _G
        + r"(?:in|into|en|dans)\b",
        strong=False,
        unless=r"without recommending|not recommend|no specific|explain\w* (?:the )?(?:401|matching|plan)|under supervision",
    ),
    # 4.3 medical or health advice about a person
    _r(
        "medical_advice",
        r"(?:what|which|how much|how many|quelle|welche|que|cuant\w*|qu[eé])\w*(?: \w+)? (?:dose|dosage|dosis|medication|medicine|pills?|drugs?|antibiotics?|painkillers?|sleeping pills|prescription|tablets|ansiolitico|medicamento|somnifere|beruhigungsmittel|tabletten)\b(?!"
        + _G
        + r"(?:inventory|counts?|log|vault))"
        r"|diagnos(?:e|is) (?:what|my|his|her|their|this)|(?:stop|quit|taper)\w* (?:taking )?(?:off )?(?:his|her|their|my) (?:meds|medication|antidepressants|blood pressure)|(?:is|are) (?:his|her|their) \w+ (?:serious|cancerous|dangerous)",
        strong=False,
    ),
    _r(
        "medical_advice",
        _HEALTH_ADVICE,
        strong=False,
        decisive=True,
        unless=r"pharmacist|nurs\w*|physician|doctors? (?:who|whose)|prescriber|clinic(?:al|ian)|patients|protocol|guideline|"
        r"doctor's (?:orders|plan)|under (?:the|a) doctor|training|policy|polic(?:y|ies) (?:says?|allows?)|label|leaflet",
    ),
    # 4.3 political campaigning and lobbying
    _r(
        "political_campaigning",
        r"(?:vote|votes|voting|donat\w*|campaign\w*|canvass\w*|rally|petition|endorse\w*|reelect\w*|re-elect\w*|fundrais\w*|wahlen|votar|voter)\w*"
        + _G
        + r"(?:candidate|senator|mayor|governor|council\w*|congress\w*|president|party|partido|parti|partei|proposition|referendum|ballot|measure \d|alcalde|municipales|landtagswahl|bundestagswahl|elecciones|elections)"
        r"|(?:lobby\w*)"
        + _G
        + r"(?:legislat\w*|senators?|council|congress|lawmakers|mps|deputes|abgeordnet\w*|bill|act|ordinance|law)|(?:letter|email|talking points|argumentaire|lobby-argumente)\w*"
        + _G
        + r"(?:legislators|senators|lawmakers|deputes|abgeordneten)",
        unless=r"nonpartisan|voter registration|best costume|team name|track new|brief leadership|summari[sz]ed the",
    ),
    # 4.4 copying protected works
    _r(
        "infringement",
        r"(?:copy|reproduce|paste|transcribe|recreate|replicate|rewrite|copia|reproduce|recopie|reprends|kopiere|ubernimm)\w*"
        + _G2
        + r"(?:verbatim|word for word|in full|entire (?:text|book|chapter|article)|complete (?:text|lyrics|chapter)|full text|exactly|palabra por palabra|textualmente|mot pour mot|l'integralite|wortlich|komplette kapitel|capitulo entero)"
        r"|without (?:a |paying (?:for )?(?:the )?|buying (?:the )?)?licen[cs]e|sin (?:pagar la )?licencia|ohne lizenz|pirated|remove (?:the )?copyright|leaked source code|(?:competitor|rival)'?s? (?:proprietary|confidential)|paywalled|payant|kostenpflichtig\w*",
        unless=r"takedown|license compliance|protected our trademarks",
    ),
    # 4.2 insults and humiliation aimed at a person
    _r(
        "harassment",
        r"(?:call\w*|calling|label\w*|describ\w*|brand\w*|that (?:he|she|they)(?:'s| is| are)|(?:he|she|they)(?:'s| is| are)|as an?|is an?|like an?)\s+(?:an? |the |such an? )?(?:\w+ ){0,2}(?:idiot|moron|loser|clown|slob|failure|joke|pig|cow|imbecile|halfwit|dimwit|airhead|bimbo|retard\w*|dumb|stupid|pathetic|worthless|useless|ugly|fat|disgusting|brainless|braindead|waste of (?:space|payroll|oxygen|air)|charity case|incapable|minable|inutil|fracasad\w*|versager|dumm\w*)"
        r"|(?:mock(?:s|ed|ing|ery)?|ridicul(?:e|es|ed|ing)|humiliat(?:e|es|ed|ing|ion)|make fun of|makes fun of|belittl(?:e|es|ed|ing)|roast(?:s|ed|ing)?|laugh at|tear (?:him|her|them) apart|bully(?:ing)?|bullied|gang up on|shame (?:him|her|them)|publicly shame|humill\w*|se moque|moqu\w*|lacherlich|lustig mach\w*|verspott\w*|burlarse|burla)",
        unless=r"rewrite|kinder|less (?:harsh|aggressive)|constructive|without (?:gendered|personal|any personal)|complaint|investigat\w*|prevent\w*|stop (?:the|him|her)|substantiated|uncomfortable|document|focus(?:es)? on behavio|was (?:dismissive|called)|anti-",
    ),
    # 4.2 threats and violence
    _r(
        "violence",
        r"(?:i'll|i will|we'll|we will|gonna|going to|i'm going to|i am going to|someone will|they'll)\s+(?:\w+\s+){0,2}(?:(?:hurt|kill|beat|hit|smack|punch|stab|shoot|slap|burn)\w* (?:you|him|her|them|anyone|someone|somebody|whoever|people|his|her|their|your|the (?:\w+ )?(?:guy|woman|man|kid|worker|employee|manager|organizer|whistleblower))\b|break (?:his|her|your|their)|make (?:him|her|you|them) (?:bleed|suffer)|come (?:to|after) (?:your|his|her))"
        r"|know where (?:you|he|she|they) lives?|watch (?:your|his|her|their) back|(?:end|ends|wind|winds) up in (?:the )?hospital|accidents? (?:can |could |might )?happen|(?:gets?|getting) (?:hit|beaten|hurt|slapped|punched|stabbed)|physically (?:punish\w*|hurt|harm)|(?:pipe|car) bomb|poison\w* (?:the|his|her|their|my)|(?:threat\w*|intimidat\w*) (?:him|her|them|what will happen)|(?:will|won't) be safe|make (?:\w+ )?disappear|waiting for (?:her|him|them)|break (?:his|her|their) legs|rough up|hacerle dano|golpear\w*|frapper|verprugel\w*|schlage\w*|faire du mal|le regretter physiquement|auflauer\w*",
        unless=r"prevention|report\w*|complaint|investigat\w*|de-escalat\w*|drill|moderat\w*|escalated|document\w*|calm\w*|survived|without anyone getting hurt|told him he'd",
    ),
    # 4.2 sexual content
    _r(
        "sexual",
        r"(?:explicit|erotic|sexual|sexy|steamy|seductive|dirty|x-rated|racy)\s+(?:\w+\s+)?(?:sex )?(?:scene|story|stories|fantas\w*|content|talk|jokes?|innuendo|message|roleplay|role-play|photos?|pictures?|details?|encounter|poem|limerick|description|way)"
        r"|nudes?\b|naked|lingerie|striptease|porn\w*|sext\w*|in bed\b|sleep(?:ing)? with|bedroom scene|sex scene|escena sexual|sexszene|histoire erotique|nacktbild\w*|desnud\w*",
        unless=r"harassment (?:prevention|training|hotline|reporting)|sex(?:ual)? education|complaint|investigat\w*|report\w*",
    ),
    # 4.2 demeaning or excluding a protected group
    _r(
        "hate",
        rf"{_GROUP}\s+(?:are|aren't|can't|cannot|don't|do not|shouldn't|should not|never|always|make|belong|deserve|lack|have no|are too|nichts|no (?:sirven|valen|merecen)|ne (?:sont|peuvent))\b"
        rf"|(?:no|not hire|never hire|avoid hiring|screen(?:ing)? out|keep\w*|refus\w*|exclud\w*|ban\w*|reject\w*|lower|fewer|get rid of|unerwunscht|no contratar|ne pas embaucher)\s+(?:\w+\s+){{0,5}}?{_GROUP}"
        rf"|because (?:of )?(?:his|her|their) (?:religion|race|ethnicity|accent|nationality|skin|sexuality|gender|faith|turban|hijab|origin)|(?:people|employees|those|men|women) (?:of|from) (?:his|her|their) (?:race|religion|country|background|ethnicity)",
        unless=r"diversity|inclusion|discriminat\w* (?:complaint|training)|investigat\w*|anti-|bias training|demeaning comment|complaint|report\w*",
    ),
    # 4.2 harm to children
    _r(
        "child_harm",
        r"(?:child\w*|kids?|minors?|toddlers?|students?|campers?|\d{1,2}[- ]year[- ]olds?|boys|girls|teens?|teenagers?|underage|pupils|enfants?|ninos|ninas?|menores|kinder\w*|minderjahrig\w*)"
        + _G
        + r"(?:alone|secret\w*|without (?:their |the )?parents|not to tell|private (?:photos|pictures|messages|chats|rooms)|groom\w*|touch\w*|sleepover|unsupervised|drug\w*|isolat\w*|nude|sexual\w*|a solas|sin que (?:lo sepan )?los padres|seul\w*|sans les parents|heimlich|allein)"
        r"|(?:groom(?:s|ed|ing)?|isolat(?:e|es|ed|ing)|sexual\w*)\b"
        + _G
        + r"(?:child\w*|kids?|minors?|boys|girls|teens?|\d{1,2}[- ]year[- ]old)",
        strong=False,
        unless=r"two-adult|background checks?|safeguard\w*|report\w*|protect\w*|warning signs|abuse prevention|spot\w*|recogni\w*|curriculum|caseworker|nurse educator|choir|age-appropriate",
    ),
    # 4.2 false or fabricated claims
    _r(
        "misinformation",
        r"(?:fake|fabricat\w*|made-?up|invent\w*|false|bogus|phony|erfind\w*|inventad\w*|faux|fausse?s?)\s+(?:\w+\s+)?(?:testimonials?|reviews?|statistics|stats|numbers|figures|data|press release|study|studies|quotes?|certifications?|awards?|references?|rankings?|incident report|kennzahlen|cifras|temoignag\w*|chiffres)"
        r"|make up (?:some )?(?:statistics|numbers|figures|data|quotes|results)|invent (?:a few |some )?(?:numbers|figures|statistics|data|results)|never happened|(?:that|which) (?:is|was)n't true|not true|doesn't exist|does not exist|it was never|we were never|(?:is|are) a hoax|obwohl es nie|alors que ce n'est pas vrai|aunque no es verdad",
        strong=False,
        unless=r"debunk\w*|correct\w*|fact-check\w*|rumou?r (?:circulating|about)",
    ),
    # 4.2 clearly illegal acts
    _r(
        "illegal",
        r"off the books|under the table|kickbacks?|brib\w*|launder\w*|forg(?:e|ed|ing) (?:\w+ )?(?:signature|document|certificate|note|papers)|falsif\w*|backdat\w*|(?:evade|dodge|avoid paying|skip) (?:\w+ )?(?:payroll )?(?:tax\w*|duties|customs)|insider (?:trading|information)|price[- ]fixing|embezzl\w*|(?:shred|destroy|delete|wipe) (?:\w+ ){0,4}(?:records|evidence|documents|messages|logs|files) before|fake (?:invoices?|doctor's note|degree|diploma|certificate)|without (?:work )?permits|hold (?:their|the) passports|two sets of books|fudg\w*|secretly record|schwarzgeld|evadir impuestos|pots-de-vin|sin registrarlas|sans (?:les )?declarer|manipulier\w*",
        unless=r"anti-|uncover\w*|detect\w*|report\w*|investigat\w*|prevent\w*|compliance|flagged|traced|caught|recovered|training on|spot\w*|allegation\w*|substantiated|confirmed the|audit (?:found|confirmed)|whistleblow\w*",
    ),
    # 4.2 self-harm intent
    _r(
        "self_harm",
        r"(?:kill|hurt|harm|cut|starve|end|burn)\w* (?:myself|herself|himself|themselves)|end (?:my life|it all)|take my (?:own )?life|suicid\w*|overdos\w*|(?:don't|not|never) wake up|least painful way|want to die|(?:don't|do not) want to live|disappear for good|ways? to die|ended my life|not be (?:around|here|alive)|won't be around|last day alive|en finir|nicht mehr leben|quitarme la vida|mettre fin a mes jours|me faire du mal|mich umbringen|nicht mehr aufwach\w*",
        unless=r"prevention|hotline|crisis line|trainer|awareness|counsel\w*|support\w* (?:a|the|her|him)|connected",
    ),
)

# Weak cues: broad signs of each category. Alone they never block; with the classifier leaning
# towards blocking (see rai_assistant.guards.acceptable_use) they decide both the verdict and the category.
_PERSON = r"(?:him|her|them|his|her|their|he|she|they|my (?:coworker|colleague|employee|report|assistant|boss|manager|intern)|the (?:new hire|intern|employee|team))"
RULES = RULES + (
    _r(
        "deceptive_provenance",
        r"(?:don't|do not|never|no need to|without) (?:mention\w*|say\w*|tell\w*|disclos\w*|reveal\w*|admit\w*|flag\w*)(?: \w+){0,5} (?:ai|a\.i\.|assistant|chatbot|tool|software|generated|gpt)\b"
        r"|(?:human|person|myself|himself|herself|by me|my own words)"
        + _G
        + r"(?:not (?:ai|a machine|generated)|no (?:ai|assistant|software|tool))|(?:ai|machine)[- ](?:free|proof)|sound(?:s)? (?:less |more )?human\b(?!"
        + _G
        + r"label)",
        strong=False,
        unless=r"keep (?:the|my|its|this)? ?(?:ai )?(?:label|disclosure)|label (?:it|them) as ai|ai-assisted",
    ),
    _r(
        "hate",
        rf"{_GROUP}"
        + _G
        + r"(?:lazy|unreliable|inferior|dirty|criminals?|stupid|aggressive|too emotional|weak|unfit|untrustworthy|can't be trusted|don't belong|steal|violent|primitive|dangerous|parasites|vermin|animals|less capable|not cut out|ruin\w*|burden|dead weight|taug\w*|faul\w*|unzuverlassig\w*|kriminell\w*|gehoren nicht|unerwunscht|vagos|perezos\w*|ladron\w*|no sirven|inferior\w*|paresseu\w*|voleurs?|ne valent rien|incapables?|moins competent\w*)"
        r"|(?:religion|race|ethnicity|nationality|accent|skin|sexual orientation|gender|faith|being (?:gay|trans|muslim|jewish|black|foreign|disabled|old|a woman))"
        + _G
        + r"(?:unfit|not fit|can't|cannot|shouldn't|lower|deny|reject|disqualif\w*|no promotion|not (?:be )?promot\w*|too old|untrustworthy|problem)",
        strong=False,
        unless=r"diversity|inclusion|underrepresent\w*|discriminat\w* (?:complaint|training)|investigat\w*|anti-|bias training|complaint|report\w*",
    ),
    _r(
        "harassment",
        r"(?:insult\w*|put-?downs?|nasty|cruel|degrad\w*|demean\w*|tear (?:him|her|them) down|embarrass\w*|make (?:him|her|them) cry|feel (?:small|stupid|worthless|useless)|pick on|trash[- ]talk\w*|name-?call\w*|ugly|loser|idiot|stupid|useless|pathetic|worthless)",
        strong=False,
        unless=r"rewrite|kinder|less (?:harsh|aggressive)|constructive|complaint|investigat\w*|prevent\w*|without|uncomfortable|not (?:be|sound)",
    ),
    _r(
        "violence",
        r"(?:threat\w*|scare\w*|intimidat\w*|hurt\w*|harm\w*|beat (?:up|him|her|them)|punch\w*|weapon\w*|gun\b|guns\b|knife|bomb\w*|attack (?:him|her|them|the (?:manager|supervisor|boss|coworker))|assault\w*|physically|bleed|regret it|dead\b|amenaz\w*|menac\w*|droh\w*|(?:le|les|te) va a pasar algo|algo malo (?:a|le)|se va a arrepentir|va a pagar(?:lo)? caro|va (?:le|la) regretter|(?:lui|leur) arriver quelque chose|es wird (?:ihm|ihr|dir) leid|wird es bereuen|passiert (?:ihm|ihr|dir) was)",
        strong=False,
        unless=r"prevention|report\w*|complaint|investigat\w*|de-escalat\w*|drill|moderat\w*|escalated|document\w*|calm\w*|safety|without anyone getting hurt|training",
    ),
    _r(
        "sexual",
        r"(?:(?:her|his) (?:body|legs|chest|breasts|curves|figure|butt|lips)|\bhot\b|sexy|flirt\w*|kiss\w*|touch (?:her|him)|seduc\w*|intimate|affair|bedroom|hotel room|undress\w*|horny|aroused|sensual)",
        strong=False,
        unless=r"harassment|complaint|investigat\w*|report\w*|education",
    ),
    _r(
        "child_harm",
        r"(?:child\w*|kids?|minors?|students?|teens?|boys?|girls?|pupils|toddlers?|bab(?:y|ies)|infants?|\d{1,2}[- ]year[- ]olds?|underage)"
        + _G
        + r"(?:photos?|pictures?|(?:their|his|her) body|romantic|relationship|date|hit\w*|slap\w*|spank\w*|smack\w*|shak(?:e|ing)|punish\w*|secrets?|gifts?|private|meet (?:up|alone))"
        r"|(?:physical(?:ly)? punish\w*|corporal punishment|spank\w*|smack\w*|slap\w*|hit\w*|shak(?:e|ing)|lock\w* (?:up|in))"
        + _G
        + r"(?:child\w*|kids?|toddlers?|bab(?:y|ies)|infants?|pupils|\d{1,2}[- ]year[- ]olds?)",
        strong=False,
        unless=r"safeguard\w*|protect\w*|report\w*|warning signs|background checks?|two-adult|permission|consent form|field trip|curriculum|award|science fair|never|ban\w*|no (?:adult|one|staff)|shaken baby|abuse prevention",
    ),
    _r(
        "self_harm",
        r"(?:\bi\b|\bme\b|\bmy\b|myself)"
        + _G
        + r"(?:pills|overdose|jump off|bridge|rope|hang\w*|razor|cut(?:ting)? myself|die\b|dying|end it|goodbye forever|not wake|purg\w*|starv\w*|stop eating)",
        strong=False,
        unless=r"prevention|hotline|trainer|awareness|counsel\w*|support\w*|colleague|coworker",
    ),
    _r(
        "illegal",
        r"(?:illegal\w*|unlawful\w*|evade|evasion|fraud\w*|cheat\w*|cover (?:it )?up|hide\w*"
        + _G
        + r"from (?:the )?(?:auditors?|regulators?|inspectors?|irs|tax\w*|authorities|police|osha)|without (?:paying|declaring|reporting|registering)|get around (?:the )?(?:law|rules|regulations?)|loophole to avoid|steal\w*|smuggl\w*|counterfeit\w*)",
        strong=False,
        unless=r"anti-|uncover\w*|detect\w*|report\w*|investigat\w*|prevent\w*|compliance|flagged|traced|caught|recovered|training|protected",
    ),
    _r(
        "misinformation",
        r"(?:claim\w*|say\w*|stat\w*|announc\w*|tell\w*|present\w*|write\w*|post\w*)"
        + _G2
        + r"(?:even though|although|when in fact|but actually|though|despite|whereas)\b"
        r"|hoax|(?:cures?|causes?) (?:autism|infertility|cancer|covid|the flu)|rumou?r (?:that|saying)|make it (?:look|sound) (?:official|real|true|verified)|as (?:if|though) it (?:were|was) (?:true|real|verified)",
        strong=False,
        unless=r"debunk\w*|correct\w*|fact-check\w*|wrote it|written by|ai\b|assistant",
    ),
    _r(
        "pii_misuse",
        rf"\b{_SENSITIVE}",
        strong=False,
        unless=r"leave out|without (?:writing|any|mentioning|including|sharing)|don't (?:include|mention|add)|confidential\w*|separately|exclude|never (?:mention|include)|not (?:mention|include)|petitions|renewals|permits|clinic|nurse|patients?|pharmac\w*|charity|nonprofit|benefit|wellness|program",
    ),
    _r(
        "malware_spam",
        r"(?:passwords?|credentials|logins?|hack\w*|exploit\w*|payload|spoof\w*|spam\w*|blast\w*|mass[- ]?(?:mail|email|text|message)\w*|bulk (?:email|message|text|sms)\w*|fake accounts|botnet|inbox\w* (?:with|of) (?:thousands|hundreds))",
        strong=False,
        unless=r"awareness|training|simulat\w*|authori[sz]ed|approv\w*|reset|mfa|multi-factor|policy|opted[- ]in|subscribers|blocked|stopped|prevent\w*|protect\w*|filter upgrade",
    ),
    _r(
        "economic_harm",
        r"(?:decide|determine|choose|pick|rank|score)\w*"
        + _G
        + r"(?:who|which (?:employees|people|staff|workers|applicants|tenants|agents))"
        + _G
        + r"(?:fired|let go|laid off|cut|denied|rejected|evicted|get(?:s)? (?:a )?(?:raise|bonus|loan|promot\w*)|lose)"
        r"|(?:sign\w* up|sell\w*|push\w*|steer\w*|move|switch\w*|enrol\w*)(?: \S+){0,6} (?:into |onto |on )?(?:our |the |these )?(?:high-fee|high-interest|high-commission|expensive|unsuitable|costly|variable)"
        r"|even (?:when|if|though) (?:it's|it is|they're|they are|it isn't|it's not) (?:bad|wrong|unsuitable|not (?:right|suitable|good|in their (?:best )?interest))"
        r"|(?:elderly|low-income|struggling|vulnerable|desperate|broke|retirees|pensioners|seniors|widows?)"
        + _G
        + r"(?:customers|employees|workers|borrowers)"
        + _G
        + r"(?:sell|sign|buy|loan|fee|pressure|push)",
        strong=False,
        unless=r"review\w*|approv\w*|sign-?off|committee|hr will|managers? (?:make|decide)",
    ),
    _r(
        "adult_dating",
        r"(?:dating|date (?:her|him|me)|romantic partner|girlfriend|boyfriend|hook ?up|flirt\w*|matchmak\w*|love letter|adult (?:site|shop|store|star)|camgirl|cam show|erotic|sugar)",
        strong=False,
        unless=r"up to date|to date|date of|deadline|due date|target date|start date",
    ),
    _r(
        "financial_advice",
        r"(?:should|tell|recommend\w*|advis\w*|which|what|best|pick|put|move|buy|sell|invest\w*|allocat\w*|stecken|anlegen|kaufen|empfiehl\w*|sag|welche\w*|recomienda\w*|dile|invertir|invierta|meta|compr\w*|conseille\w*|dis-lui|dis a|placer|achet\w*|quel\w*)"
        + _G
        + r"(?:stocks?|shares|etfs?|crypto\w*|krypto\w*|bitcoin|gold|index funds?|mutual funds?|fonds?|fondos?|annuit\w*|401\(?k\)?|pension|ira\b|bonds?|portfolio|penny stocks|rsus?|options? (?:trading|contracts)|savings|inheritance|severance|lump[- ]sum|mortgage|refinanc\w*|bankruptcy|acciones|bolsa|ahorros|finiquito|aktien|abfindung|erspartes|altersvorsorge|bourse|epargne|indemnite|assurance-vie)|(?:stocks?|shares|etfs?|crypto\w*|krypto\w*|bitcoin|gold|index funds?|mutual funds?|fonds?|fondos?|annuit\w*|401\(?k\)?|pension|ira\b|bonds?|portfolio|penny stocks|rsus?|options? (?:trading|contracts)|savings|inheritance|severance|lump[- ]sum|mortgage|refinanc\w*|bankruptcy|acciones|bolsa|ahorros|finiquito|aktien|abfindung|erspartes|altersvorsorge|bourse|epargne|indemnite|assurance-vie)"
        + _G
        + r"(?:stecken|anlegen|investieren|invertir|placer|buy|invest)",
        strong=False,
        unless=r"without recommending|not recommend|no specific|explain\w* (?:the )?(?:401|matching|plan|options)|under supervision|reviewed by|licensed supervisor|benefits team",
    ),
    _r(
        "medical_advice",
        r"(?:should|tell|recommend\w*|advis\w*|which|what|how much|how many|give|take|stop|taper|try|treat|cure|diagnos\w*)"
        + _G
        + r"(?:dose|dosage|medication|medicine|meds|pills?|drugs?|antibiotic\w*|painkillers?|prescription|supplements?|treatment|surgery|insulin|antidepressants?|xanax|adderall|ibuprofen|melatonin|opioids?|symptoms?|rash|lump|fever|chest pain|migraine|infection|blood pressure|medicament\w*|medikament\w*)",
        strong=False,
        unless=r"pharmacist|nurse|clinic\w*|inventory|counts?|log|vault|under the doctor|doctor's orders|documentation|reconciliation|flu shot|vaccin\w*|workflow|safety",
    ),
    _r(
        "political_campaigning",
        r"(?:vote|voting|election|candidate|senator|congress\w*|mayor|governor|party|campaign (?:for|donation|fund|rally)|ballot|lobby\w*|petition|referendum|legislat\w*|partido|parti|partei|wahl\w*|elecciones|elections)\b",
        strong=False,
        unless=r"nonpartisan|voter registration|best costume|team name|poll worker|track new|brief leadership|summari[sz]ed|law for managers|time off to vote|hours? (?:off )?to vote|election[- ]day (?:leave|pto|time off|hours)|voting leave|polling (?:station|place)s? (?:hours|location)|hiring|interview\w*|recruit\w*|shortlist\w*|applicants?|job candidates?|candidates? for the (?:role|job|position)",
    ),
    _r(
        "infringement",
        r"(?:copyright\w*|licen[cs]e|verbatim|word for word|pirat\w*|proprietary|trademark\w*|lyrics|full text|entire (?:book|chapter|article|script|course)|paywall\w*|watermark)",
        strong=False,
        unless=r"takedown|compliance|negotiated|protected|respect\w*|citing|open-source",
    ),
    _r(
        "reverse_engineering",
        r"(?:instructions|prompt|rules|filter|classifier|thresholds?|guards?|configuration|weights|scores?|settings)"
        + _G
        + r"(?:you (?:were )?(?:given|use|follow|apply|run)|you're (?:using|running)|behind you|inside you)"
        r"|(?:what|which) (?:words|keywords|phrases) (?:get|gets|are|trigger)\w*|how (?:do|does) (?:you|your (?:filter|guard|classifier)) (?:decide|block|score)",
        strong=False,
        unless=r"polic\w*|published",
    ),
    _r(
        "data_extraction",
        r"(?:i'm not (?:her|his|their) manager|not (?:my|her|his) (?:team|report)|other (?:people|employees|colleagues|managers)'s?|everyone else's|all (?:the )?(?:records|files|reviews|ratings)|whole (?:list|database|table)|(?:each|every) (?:user|employee|person)(?: id)?)",
        strong=False,
        unless=r"my (?:own )?team|aggregate|anonymi[sz]ed|without names|survey",
    ),
    _r(
        "model_training",
        r"(?:\d{1,3}[,.]?\d{3}|thousands|millions|hundreds of|as many as (?:you|possible)|batches of)"
        + _G
        + r"(?:examples|samples|pairs|reviews|dialogues|conversations|outputs|responses|variations|ejemplos|exemples|beispiele)",
        strong=False,
        unless=r"leads|customers|employees|tickets|calls|returns",
    ),
)


# Added: general shapes of hiding AI authorship, probing the guards, illegal concealment, and
# claims contradicted by the request itself.
RULES = RULES + (
    _r(
        "deceptive_provenance",
        rf"(?:hide|conceal|mask|disguise|remove|erase|scrub)\w* (?:the |any )?(?:fact|hint|sign|trace|origin|evidence)\w*(?: \w+){{0,6}} (?:{_AI}|generated|you (?:wrote|generated|drafted))"
        rf"|(?:author|byline)\w*(?: field)? (?:as|to) human|{_AI}[- ](?:detector|detektor|detecteur)\w*|{_AI}(?:[- ]generated)? {_LABEL}{_G}(?:take (?:it|them) off|remove|delete|strip|drop|skip\w*|hide)|leave out that you|(?:without|no) (?:any )?(?:hint|sign|trace) (?:of|that) (?:{_AI}|you)|no sign of {_AI}",
    ),
    _r(
        "deceptive_provenance",
        r"(?:believe|think|assume)\w*(?: \w+){0,4} (?:i|he|she|they|his manager|her manager|the manager|the ceo) (?:wrote|typed|composed|drafted|authored|handwrote)\b"
        r"|(?:original|own) (?:unaided )?work|unaided|(?:composed|written|drafted|authored) (?:entirely|solely|completely|fully) (?:by|on) (?:me|myself|him|her|hand)|(?:100%|fully|entirely|completely) (?:human|mine|my own)|appear\w* (?:fully |entirely )?mine|handwr\w*|hand-?crafted|personally written|ghostwrit\w*",
        strong=False,
        unless=r"keep (?:the|my|its|this)? ?(?:ai )?(?:label|disclosure)|label (?:it|them) as ai|ai-assisted",
    ),
    _r(
        "reverse_engineering",
        r"(?:score|scores|confidence|probabilit\w*|logits|weights?|cutoffs?|thresholds?)(?: \w+){0,3} (?:you|your (?:model|filter|classifier|system))\s+(?:gave|assign\w*|give|use|compare|apply)"
        r"|(?:architecture|training data)(?: \w+){0,3} (?:of )?(?:your|the) (?:moderation|model|filter|classifier|guard)|prompt injection"
        r"|(?:recite|repeat|echo|print|show|output|reveal)\w*(?: back)? (?:me )?(?:the |all )?(?:exact )?(?:text|instructions|words|message)\w*(?: \w+){0,4} (?:before my message|you were given|your developers|above this)"
        r"|(?:so|to make|that) (?:your|the) (?:checks?|filters?|guards?|classifier|moderation)\w* (?:don't|do not|won't|doesn't|will not|can't) (?:flag|block|catch|notice|stop)"
        r"|(?:slip past|get past|bypass|evade|get around|trick)\w* (?:your|the) (?:checks?|filters?|guards?|classifier|moderation|safety)",
    ),
    _r(
        "reverse_engineering",
        r"(?:keywords|words|phrases|terms)(?: \w+){0,4} (?:trigger\w*|flagged|blocked|get (?:flagged|blocked))|schlusselworter|palabras clave|mots-cles",
        strong=False,
        unless=r"bias\w*|gendered|draft",
    ),
    _r(
        "illegal",
        r"(?:hid(?:e|es|ing)|conceal\w*|cover\w* up|keep\w* quiet|destroy\w*|delet\w*|shred\w*)(?: \S+){0,5} (?:from )?(?:the )?(?:inspectors?|regulators?|auditors?|authorities|police|osha|irs|tax office|fisc|behorde|inspeccion|discovery|lawsuit|investigators)"
        r"|fake revenue|cook\w* the books|inside information|insider|discourag\w* (?:\w+ )?(?:workers|employees|staff) from unioni[sz]\w*|dump\w*(?: \w+){0,4} (?:waste|chemicals|solvent|oil)|bill\w* (?:\w+ )?for (?:visits|hours|services|work)(?: \w+){0,3} (?:that )?(?:never|didn't|did not)"
        r"|get into (?:\S+ ){0,2}(?:email|account|inbox)|forg(?:e|ed|ing) \S+ (?:signature|documents?)|skim\w*|(?:copy|steal)\w* (?:\S+ ){0,2}card numbers|refill\w* (?:\w+ ){0,2}without",
        unless=r"anti-|uncover\w*|detect\w*|report\w*|investigat\w*|prevent\w*|compliance|flagged|traced|caught|recovered|training on|spot\w*",
    ),
    _r(
        "illegal",
        r"without (?:their |customer |employee )?(?:consent|a valid|permission|a licen[cs]e|declaring|anyone (?:noticing|knowing))|(?:inspectors?|auditors?|regulators?|nobody|no one) (?:won't|will never|won't ever) (?:know|notice|find out)|mislabel\w*|retaliat\w*|(?:names|identit\w*) of (?:the )?(?:employees|workers|staff) who voted|get around (?:the )?\w* ?(?:law|rules)|make it look (?:performance-related|like an accident|legal)|sin que (?:lo )?(?:detecte|sepa)|dissimul\w*|falsch\w*|steuern? (?:sparen|hinterzieh\w*)",
        strong=False,
        unless=r"anti-|uncover\w*|detect\w*|report\w*|investigat\w*|prevent\w*|compliance|training",
    ),
    _r(
        "misinformation",
        r"(?:hasn't|has not|never|didn't|did not) (?:happened|been (?:tested|submitted|certified|approved|ranked)|tested|submitted|certified|ranked)|(?:vaccin\w*|impf\w*|vacun\w*|5g|masks?)(?: \w+){0,4} (?:cause\w*|causan|verursach\w*|make\w*(?: \w+){0,3} (?:sick|worse))|(?:we|it|they) (?:weren't|wasn't|aren't|isn't) (?:ranked|certified|approved|true|safe)|ce qui est faux|es falso|ist falsch|in reality|neither\b",
        strong=False,
        unless=r"debunk\w*|correct\w*|fact-check\w*|rumou?r",
    ),
)

# Weak cues for behaviour classes that the classifier sees less often: a payment or favour offered
# to an official for a decision, goods routed round export controls, a cover reason recorded for a
# decision, children hired for work, and health benefits claimed for a product.
_OFFICIAL = (
    r"(?:officials?|inspectors?|officers?|ministers?|judges?|clerks?|auditors?|regulators?|councillors?|"
    r"mayor|customs|buyers?|purchasing managers?|procurement (?:manager|officer)s?|funcionari\w*|inspector\w*|"
    r"fonctionnaires?|inspecteurs?|douan\w*|beamt\w*|prufer\w*|bauamt)"
)
RULES = RULES + (
    _r(
        "illegal",
        rf"(?:offer\w*|give|giving|send\w*|promis\w*|slip|pay|paying|gift\w*|ofrec\w*|propos\w*|anbiet\w*|schenk\w*)"
        rf"{_G}{_OFFICIAL}{_G2}(?:if (?:he|she|they)|so (?:that )?(?:he|she|they)|in exchange|in return|for (?:a |the |his |her |their )?(?:approval|signature|permit|licen[cs]e|contract|tender|score|stamp|pass)|to (?:approve|sign|pass|overlook|ignore|speed|look the other way)|si (?:aprueba|approuve)|damit (?:er|sie))"
        rf"|{_OFFICIAL}{_G}(?:envelope|cash|free (?:trip|holiday|renovation|kitchen|car|flights?)|paid (?:trip|holiday)|sobre|enveloppe|umschlag)",
        strong=False,
        unless=r"declin\w*|refus\w*|report\w*|gifts? (?:policy|register)|anti-|complian\w*|training|declar\w*",
    ),
    _r(
        "illegal",
        r"embargo\w*|sanctioned (?:country|buyer|entit\w*|customer)|(?:without|no|skip\w*|avoid\w*|sin|sans|ohne) (?:the |an? |la |une )?(?:export|import)\w* (?:licen[cs]e|permit|paperwork|controls?|declaration)"
        r"|(?:list|label|declar|describ|class\w*|mark)\w*(?: \w+){0,4} as (?:spare parts|toys|samples|camera parts|gifts|personal items|juguetes|jouets|ersatzteile)",
        strong=False,
        unless=r"screen\w*|complian\w*|training|check\w* (?:every|each|all)|licen[cs]es? in place|renew\w*",
    ),
    _r(
        "illegal",
        r"(?:record|log|write|note|put|give|cite|list|enter|mark|state)\w*(?: \S+){0,4} (?:as the reason|a different reason|another reason|as (?:a )?['\"]?(?:not a (?:culture )?fit|experience|overqualified))"
        r"|(?:otro|autre|anderen?) (?:motivo|motif|grund)",
        strong=False,
        unless=r"honest\w*|real reason|true reason|document\w* the actual",
    ),
    _r(
        "illegal",
        r"(?:sign\w*|stamp\w*|certif\w*|approv\w*|pass\w*|tick\w*|clear\w*)(?: \S+){0,5} without (?:testing|inspecting|checking|running|doing|going|examining|any (?:tests?|inspections?|checks?)|the (?:tests?|inspections?|checks?))",
        strong=False,
        unless=r"never|don't|do not|must not|no one may|stop(?:ped)?|prevent\w*|caught|found|report\w*",
    ),
    _r(
        "child_harm",
        r"(?:hir\w*|employ\w*|recruit\w*|put|using|use|work\w*|contrat\w*|embauch\w*|einstell\w*|beschaftig\w*)"
        + _G
        + r"(?:\d{1,2}[- ]year[- ]olds?|children|kids|minors|(?:his|her|the owner's) \d{1,2}[- ]year[- ]old|ninos|enfants|kinder)"
        + _G2
        + r"(?:night|after dark|midnight|school hours|school nights?|cash|no questions|dangerous|pesticides?|scrap|machines?|hours a day|en negro|au noir|schwarz|bar auf die hand)",
        strong=False,
        unless=r"work experience programme with|safeguard\w*|curriculum|science fair|permission slip",
    ),
    _r(
        "misinformation",
        r"(?:cures?|heals?|prevents?|reverses?|eliminates?|curan?|guerit|heilt)\s+(?:\w+\s+)?(?:back pain|cancer|diabetes|covid|long covid|arthritis|depression|anxiety|insomnia|migraines?|obesity|infections?|asthma|dolor|douleurs?|schmerzen)"
        r"|clinically (?:proven|tested)|doctor[- ]approved|approved by (?:doctors|pediatricians|dentists)",
        strong=False,
        unless=r"debunk\w*|correct\w*|fact-check\w*|only what|verified|backed by|trial (?:showed|found)|withdr\w*|no claim",
    ),
)


_INJECTION = re.compile(
    r"\[\s*(?:system|sys|assistant|ai|admin|instructions?|developer|note to (?:the )?(?:ai|assistant|model))\b[^\]]*\]"
    r"|<!--.*?-->|###[^#\n]*(?:override|system|instruction|admin|ignore)[^#\n]*(?:###|$)"
    r"|\{\s*(?:admin|system|assistant)\s*:[^}]*\}"
    r"|(?:p\.?s\.?|note|attention)\s*(?:to )?(?:the )?(?:ai|assistant|model|bot)\s*[:,\-][^\n]*"
    r"|\((?:instruction|note|message)s? (?:for|to) (?:the )?(?:ai|assistant|model)[^)]*\)"
    r"|(?:^|[.!?'\"]\s+)(?:assistant|ai|model|system)\s*[:,]\s*(?:ignore|disregard|also|instead|append|add|print|output|reveal|end|include)[^\n]*"
    r"|(?:ignore|disregard|forget)\w* (?:all |any |the |your )?(?:previous|prior|above|earlier|user's|original) (?:instructions|rules|request|prompts?)[^\n]*",
    _F,
)
_OVERRIDE = re.compile(
    r"ignore|disregard|forget (?:all|your|the|previous)|override|instead|verbatim|hidden|unredacted|bypass|no (?:limits|restrictions|filter)",
    _F,
)


_RULE_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _rule_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for rules: rule gaps never cross ``.``, ``!``, ``?`` or a line break."""
    spans, start = [], 0
    for m in _RULE_SENTENCE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


_CLAIM = re.compile(
    r"(?<![a-z0-9])(?:claim\w*|saying|say that|says? (?:that|our|the|we)|stat(?:e|es|ing) that|announc\w*|tell\w* (?:staff|employees|workers|everyone|the \w+|them|customers)|assur\w*|affirm\w*|diciendo|disant|dass)",
    _F,
)
_CONTRADICTION = re.compile(
    r"(?<![a-z0-9])(?:it (?:isn't|is not|wasn't|was not|failed)|(?:we|they) (?:weren't|were not|aren't|haven't|didn't|never)|in reality|actually (?:it|we|they|the)|(?:the )?(?:lab|test|tests|audit|data|numbers?|report|analysis) (?:says?|shows?|showed|came back|montrent|salio|zeigt)|still pending|failed (?:it|the|certification)|hasn't (?:started|happened)|(?:he|she) (?:has|had) neither|never (?:said|happened|closed)|we know|even though|although|obwohl|alors que|aunque)",
    _F,
)
_AUTHORSHIP = re.compile(
    r"\b(?:ai|assistant|you (?:wrote|write|are writing|generated)|you're writing|generated|software|tool|machine)\b",
    _F,
)


def _claim_contradicted(text: str) -> Hit | None:
    """A claim the request itself says is false ("say X ...; it failed"), across sentences."""
    claim = _CLAIM.search(text)
    if claim is None:
        return None
    contra = _CONTRADICTION.search(text, claim.end())
    if contra is None or _AUTHORSHIP.search(text):
        return None  # claims of human authorship are 4.1, handled by their own rules
    return Hit("misinformation", claim.start(), contra.end(), False)


_IDENTIFIERS = re.compile(
    r"(?<![a-z0-9])(?:ssns?\b|social security (?:numbers?|nos?)|home addresses|home address|bank (?:details|account numbers?)|"
    r"passport numbers?|dates? of birth|birth ?dates|personal (?:phone|mobile) numbers?|medical records|"
    r"direcciones particulares|numeros de la seguridad social|adresses personnelles|numeros de securite sociale|"
    r"privatadressen|sozialversicherungsnummern)",
    _F,
)
_AUDIENCE = re.compile(
    r"(?<![a-z0-9])(?:post|share|send|circulate|publish|put|pin|forward|email|paste|drop)\w*(?: \S+){0,8}? "
    r"(?:in|on|to|into|with|for)\b(?: \S+){0,3}? (?:slack|channel|chat|newsletter|intranet|notice ?board|team site|"
    r"whatsapp|group|all-staff|everyone|whole (?:team|company|office)|all staff|mailing list|canal|grupo|tablon|"
    r"kanal|gruppe|aushang|groupe|panneau)",
    _F,
)
_IDENTIFIERS_SAFE = re.compile(
    r"(?<![a-z0-9])(?:redact\w*|mask\w*|without (?:the |their |any )?(?:ssn|address|personal)|remove (?:the |their )?(?:ssn|address|personal)|aggregate|anonymi[sz]\w*|only (?:first )?names)",
    _F,
)


def _shared_identifiers(text: str) -> Hit | None:
    """People's identifiers (SSNs, home addresses, bank details) to be shown to an audience.

    Whoever fetched the data, handing it to a channel or a crowd is misuse of personal data; the
    two parts are often in different sentences ("Here's the export ... Post it in the team chat").
    """
    ident = _IDENTIFIERS.search(text)
    if ident is None or _IDENTIFIERS_SAFE.search(text):
        return None
    aud = _AUDIENCE.search(text)
    if aud is None:
        return None
    return Hit("pii_misuse", min(ident.start(), aud.start()), max(ident.end(), aud.end()), False, True)


def text_level_hits(text: str) -> list[Hit]:
    """Hits of the checks that look at the whole text, across sentences (not single patterns)."""
    return [h for h in (_claim_contradicted(text), _shared_identifiers(text)) if h is not None]


def match_rules(text: str) -> list[Hit]:
    """Every rule that fires in ``text`` and is not cancelled by its ``unless`` context.

    Each rule runs only on the sentences where some word begins the way the rule must begin,
    which keeps the cost of some thirty large patterns low on long, harmless notes.
    """
    hits: list[Hit] = []
    spans = [(a, b, _word_starts(text[a:b])) for a, b in _rule_sentences(text)]
    for rule in RULES:
        found = None
        for a, b, starts in spans:
            if rule.starts is not None and rule.starts.isdisjoint(starts):
                continue  # no word in this sentence begins the way this rule must begin
            for m in rule.pattern.finditer(text, a, b):
                if rule.unless is not None and rule.unless.search(
                    text, max(0, m.start() - 80), min(len(text), m.end() + 80)
                ):
                    continue
                found = Hit(rule.category, m.start(), m.end(), rule.strong, rule.decisive)
                break
            if found is not None:
                break
        if found is not None:
            hits.append(found)
    for pair in text_level_hits(text):
        if pair.decisive or not any(h.category == pair.category for h in hits):
            hits.append(pair)
    return hits


def find_injections(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, overrides)`` of parts addressed to the assistant inside pasted text.

    ``overrides`` says whether the part tries to override the assistant's instructions
    ("ignore the request above", "print ... verbatim"), which is reverse engineering on its own.
    """
    out = []
    for m in _INJECTION.finditer(text):
        body = m.group(0)
        if len(body.strip()) < 8:
            continue
        out.append((m.start(), m.end(), _OVERRIDE.search(body) is not None))
    return out


_POLICY_Q = re.compile(
    r"(?:^|[.?!]\s+)(?:is it|am i|are we|are (?:managers|employees|users|staff)|can i|can we|may i|may we|could i|do i|does|do|what|which|why|how|where|when|explain|est-ce|la politique|erlaubt|darf|puedo|se puede|la politica|que dice)\b[^.!]{0,160}?"
    r"(?:polic\w*|allowed|permitted|prohibited|clause|label\w*|blocked|acceptable use|richtlinie|politique|politica|autorise|permite|erlaubt|zulassig)[^.!]{0,160}\?",
    _F,
)
_IMPERATIVE = re.compile(
    r"(?:^|[.?!:;]\s+|\b(?:then|and then|now|so|if so,?|if yes,?)\s+)(?:write|draft|generate|create|make|give|list|send|tell|show|print|add|put|export|rewrite|produce|compose|escribe|redacta|ecris|redige|schreib|formuliere)\b",
    _F,
)


def is_policy_question(text: str) -> bool:
    """Whether ``text`` only asks what the published policy allows (allowed), with no task attached."""
    return _POLICY_Q.search(text) is not None and _IMPERATIVE.search(text) is None
