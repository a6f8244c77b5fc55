"""Word lists for the fairness and sensitive-fact guards, written from the research, not the evals.

Sources, and what each list draws on:

* Personality critique: Snyder (2014, Fortune, 248 reviews) found "abrasive", "bossy",
  "aggressive", "strident", "emotional", "irrational" almost only in reviews of women; Textio's
  follow-ups add "shrill", "hysterical", "dramatic", "temperamental", "intimidating", "pushy",
  "too nice", "soft". Critique of the person's character rather than of a behaviour.
* Gender named outright and gender-coded diminutives ("feisty", "sassy", "bubbly"): Textio and
  Gaucher, Friesen & Kay (2011) on gendered wording.
* Age-coded terms: EEOC guidance and age-discrimination case law ("digital native",
  "overqualified", "young and energetic", "new blood", "set in one's ways", "close to retirement").
* Protected characteristics (Title VII, ADA, PDA, ADEA and their equivalents): religion,
  race/ethnicity, national origin and accent, disability and health, pregnancy and family status,
  sexual orientation and gender identity, immigration status.
* Appearance: looks, weight, clothing and grooming, which say nothing about work.

Matching is case-insensitive unless a list says otherwise; spaces in a phrase match any
whitespace. Lists hold inflections explicitly rather than stemming, so a hit is always a word a
reviewer would recognise.
"""

from __future__ import annotations

__all__ = [
    "AGE_AFTER_YOUNG",
    "AGE_PHRASES",
    "APPEARANCE_ADJ_IS",
    "APPEARANCE_ADJ_LOOKS",
    "APPEARANCE_GENDERED",
    "APPEARANCE_POSSESSED",
    "GENDER_WORDS",
    "GENDERED_PHRASES",
    "GENDERED_TRAITS",
    "GROUPS",
    "JUDGEMENT_PHRASES",
    "PERSONALITY_NOUNS",
    "PERSONALITY_PHRASES",
    "POSSESSED_ONLY",
    "SENSITIVE_TERMS",
    "TOO_TRAITS",
    "TRAIT_NOUNS",
    "TRAITS",
]

# ------------------------------------------------------------------ personality critique
# Adjectives that judge a person's character; flagged when they describe a person.
TRAITS: tuple[str, ...] = tuple(
    """abrasive bossy shrill strident aggressive emotional overemotional irrational hysterical
    dramatic melodramatic temperamental intimidating pushy moody grumpy grouchy cranky irritable
    negative abrasive combative confrontational argumentative belligerent hostile prickly touchy
    thin-skinned oversensitive hypersensitive defensive volatile erratic unstable unpredictable
    difficult demanding high-maintenance needy whiny whiney catty petty judgmental judgemental
    condescending patronizing patronising arrogant cocky smug conceited egotistical self-absorbed
    selfish entitled lazy unmotivated disinterested apathetic sullen sulky bitter cynical
    pessimistic negative standoffish aloof unapproachable cold icy frosty distant unfriendly
    unlikable unlikeable off-putting rude brash loud mouthy opinionated stubborn obstinate
    pig-headed headstrong domineering overbearing controlling bullying abrasive harsh snippy
    snappy curt abrupt short-tempered hot-headed hotheaded excitable high-strung highly-strung
    neurotic paranoid insecure timid meek mousy spineless weak-willed indecisive wishy-washy
    scatterbrained scatter-brained flaky flighty ditzy airheaded clueless crazy unhinged nuts
    psycho difficult grating annoying obnoxious tiresome exhausting intense overbearing bitchy
    whiny""".split()
)

# Adjectives that are a critique only with "too" ("too nice", "too soft", "overly sensitive").
TOO_TRAITS: tuple[str, ...] = tuple(
    """nice soft sweet agreeable quiet passive sensitive polite meek timid shy modest humble
    laid-back relaxed easygoing accommodating emotional nurturing accommodating gentle kind
    trusting friendly chatty talkative loud blunt direct intense serious ambitious
    assertive""".split()
)

# Nouns of the same kind, in "a bit of a X", "is a X", "less of a X".
PERSONALITY_NOUNS: tuple[str, ...] = tuple(
    w.replace("_", " ")
    for w in """bulldozer steamroller pushover doormat diva prima_donna primadonna hothead
    loose_cannon control_freak know-it-all busybody nag complainer whiner whinger downer
    wet_blanket grump curmudgeon hard-ass bully tyrant dictator snowflake crybaby cry-baby mouse
    wallflower space_cadet airhead ditz handful nightmare attention-seeker show-off
    troublemaker trouble-maker drama_queen""".split()
)

# Possessed forms: "her bossiness", "his negativity".
TRAIT_NOUNS: tuple[str, ...] = tuple(
    """abrasiveness bossiness shrillness stridency aggressiveness aggression emotionality
    emotionalism hysteria hysterics dramatics moodiness grumpiness negativity arrogance
    cockiness defensiveness touchiness temper neediness pushiness stubbornness coldness
    aloofness rudeness attitude laziness volatility irrationality""".split()
)

# Phrases that are personality critique wherever they appear.
PERSONALITY_PHRASES: tuple[str, ...] = (
    r"takes? (?:feedback|criticism|things|it|comments|notes|everything) (?:too |very |so )?personally",
    r"took (?:feedback|criticism|things|it|comments|notes|everything) (?:too |very |so )?personally",
    r"(?:grow|develop|needs?|have|get) (?:a )?thicker skin",
    r"thin[- ]skinned",
    r"(?:difficult|hard|tough|unpleasant|exhausting|draining|impossible) to (?:be around|work with|deal with|get along with|like|be with|talk to|approach|manage)",
    r"rubs? (?:people|others|everyone|colleagues|the team) the wrong way",
    r"(?:bad|poor|negative|nasty|rotten) attitude",
    r"attitude problem",
    r"has an attitude",
    r"chip on (?:his|her|their) shoulder",
    r"(?:tone|dial) (?:it|herself|himself|themselves) down",
    r"(?:calm|lighten) (?:down|up)",
    r"not a people person",
    r"too big for (?:his|her|their) boots",
    r"full of (?:himself|herself|themselves)",
    r"(?:big|huge|inflated|fragile) ego",
    r"(?:has|had|with|shows?) (?:a|quite a) (?:short |quick |bad |fiery )?temper",
    r"(?:loses|lost|lose) (?:his|her|their) (?:cool|temper)",
    r"comes? on (?:too|very) strong",
    r"(?:too much|a lot) to handle",
    r"wears? (?:her|his|their) heart on (?:her|his|their) sleeve",
    r"(?:needs|has|have|had) to be (?:more|less) (?:likeable|likable|pleasant|agreeable|approachable)",
)

# --------------------------------------------------------------- gender named outright
GENDER_WORDS = r"(?:woman|man|girl|guy|lady|gal|female|male|boy|chick|dude|mom|mum|mother|dad|father)"

GENDERED_PHRASES: tuple[str, ...] = (
    rf"\bfor an? {GENDER_WORDS}\b(?: (?:in|of|on|at) (?:the )?[a-z][\w-]*(?: [a-z][\w-]*)?)?",
    r"\bfor (?:his|her) gender\b",
    r"\b(?:as an?|being an?) (?:woman|man|female|male|lady|girl|guy|gal)\b",
    r"\blike an? (?:girl|woman|man|lady|boy|little girl|schoolgirl|real man)\b",
    r"\b(?:man|manned|manning|mans) up\b",
    r"\bbe a (?:real )?man\b",
    r"\bgrow (?:a pair|some balls)\b",
    r"\b(?:ballsy|cojones)\b",
    r"\b(?:man|woman|girl|lady)['’]s (?:job|work|role|world|game)\b",
    r"\bwomen['’]s work\b",
    r"\b(?:boys['’]? club|old boys|one of the (?:guys|boys|girls|lads))\b",
    r"\bthe (?:ladies|girls|gals|lads)\b",
    r"\b(?:our|his|her|my|those|these|you) (?:girls|gals|ladies)\b",
    r"\b(?:girl ?boss|boss lady|lady boss|working girl|career woman|career girl|alpha male|alpha female)\b",
    r"\b(?:den mother|mother hen|team mom|team mum|office mom|office mum|office mother|office dad|office wife|work wife|office husband|work husband|mama bear|papa bear|house ?mother|house ?mom)\b",
    r"\b(?:female|male|lady|woman|women) (?:engineers?|managers?|leaders?|bosses|boss|developers?|executives?|colleagues?|coworkers?|employees?|doctors?|nurses?|drivers?|pilots?|scientists?|programmers?|analysts?|reps?|salespeople|hires?|candidates?|directors?)\b",
    r"\bthe only (?:woman|women|man|men|female|male|girl|guy)\b",
    r"\b(?:women|men|girls|guys|females|males|ladies) (?:are|tend to|usually|always|never|often|can['’]t|cannot|don['’]t)\b",
    r"\b(?:typical|typically) (?:woman|women|man|men|female|male|girl|guy|lady)\b",
    r"\blike (?:most|many|all|other|a lot of) (?:women|men|girls|guys|ladies|females|males|moms|mothers|dads)\b",
    r"\b(?:(?:fairer|weaker|gentler|gentle) sex|maternal instincts?|that time of the month|(?-i:PMS(?:ing)?))\b",
    r"\b(?:sweetheart|sweetie|honey|babe|darling|missy|little lady|young lady)\b",
    r"\b(?:drama queen|ice queen|queen bee)\b",
)

# Words that are themselves gendered when said of a person.
GENDERED_TRAITS: tuple[str, ...] = tuple(
    """motherly maternal fatherly paternal grandmotherly grandfatherly matronly girly girlish
    boyish manly unmanly womanly unwomanly ladylike unladylike effeminate feminine unfeminine
    masculine butch tomboyish tomboy sissy emasculated hormonal feisty sassy spunky bubbly perky
    ditzy ditsy bitchy bitch shrewish shrew harpy cougar""".split()
)

# ------------------------------------------------------------------------------- age
AGE_PHRASES: tuple[str, ...] = (
    r"\bdigital(?:ly)?[- ]natives?\b",
    r"\bdigital immigrants?\b",
    r"\bover[- ]?qualified\b",
    r"\byouthful(?:ness)?\b",
    r"\b(?:youngsters?|whippersnappers?|young ?blood|new blood|fresh blood|fresh legs|young guns?)\b",
    r"\bfresh[- ]faced\b",
    r"\b(?:straight|fresh|right|just|barely) out of (?:high school|school|college|university|uni|grad school|the academy)\b",
    r"\bwet behind the ears\b",
    r"\bset in (?:his|her|their|one['’]s) ways\b",
    r"\b(?:close to|nearing|near|approaching|on the verge of|heading (?:into|for|toward|towards)|eyeing|counting down to|coasting (?:into|to|toward|towards)|about to hit|within sight of|looking at) retirement\b",
    r"\b(?:about|ready|due|planning|likely) to retire\b",
    r"\bretirement age\b",
    r"\b(?:until|till|before|toward|towards|into) (?:his|her|their )?retirement\b(?!-|\s+(?:plans?|savings|accounts?|benefits|funds?|portfolios?|packages?|contributions?))",
    r"\b(?:his|her|their) (?:upcoming |impending |planned )?retirement\b(?!-|\s+(?:plans?|savings|accounts?|benefits|funds?|portfolios?|packages?|contributions?|party))",
    r"\b(?:should|could|might|may) (?:think about|consider|start) retiring\b",
    r"\b(?:twilight|tail end|end|winding down) of (?:his|her|their) career\b",
    r"\bwinding down (?:his|her|their) career\b",
    r"\bold[- ]?timers?\b",
    r"\bold guard\b",
    r"\bover the hill\b",
    r"\bpast (?:his|her|their|its) prime\b",
    r"\blong in the tooth\b",
    r"\bold dogs?\b",
    r"\bnew tricks\b",
    r"\bsenior moments?\b",
    r"\b(?:dinosaurs?|relics?|geezers?|greybeards?|graybeards?|fossils?)\b",
    r"\b(?:grey|gray|white)[- ]haired\b",
    r"\b(?:ok |okay )?boomers?\b",
    r"\b(?:millennials?|gen[- ]?z(?:ers?)?|zoomers?|gen[- ]?x(?:ers?)?|generation z)\b",
    r"\b(?:too|very|quite|so) (?:old|young|junior-looking)\b",
    r"\b(?:older|elderly|aging|ageing|younger) (?:workers?|employees?|guys?|gentlem[ae]n|wom[ae]n|m[ae]n|ladies|lady|colleagues?|staff|folks|people|team members?|associates?)\b",
    r"\bfor (?:his|her|their|someone['’]s|a person['’]s|someone of (?:his|her|their)) age\b",
    r"\bat (?:his|her|their) (?:age|time of life|stage of life)\b",
    r"\b(?:half|twice|double) (?:his|her|their) age\b",
    r"\b(?:someone|people|anyone|somebody) (?:half |twice )?(?:his|her|their) age\b",
    r"\b(?:(?:from|of) (?:a|an) (?:different|older|younger|earlier|previous|other|bygone) (?:generation|era)|(?:older|younger|previous|different) generations?|generation gap|generational (?:gap|divide|differences?))\b",
    r"\bold[- ](?:school|fashioned) (?:guy|gal|type|man|woman|manager)\b",
    r"\b(?:young|youthful|boundless) (?:energy|enthusiasm|vibe)\b",
    r"\bkeeps? up with the (?:young|younger) (?:ones|people|folks|crowd|team|hires|staff|kids)\b",
    r"\b(?:at|aged?) (?:the age of )?[2-9]\d(?=\s*,)",
    r"\baged [2-9]\d\b",
    r"\b[2-9]\d[- ]years?[- ]old\b",
    r"\b(?:in|into) (?:his|her|their) (?:early |mid[- ]|late )?(?:[2-9]0['’]?s|twenties|thirties|forties|fifties|sixties|seventies)\b",
)

# Words after "young and ..." that make the age code explicit.
AGE_AFTER_YOUNG: tuple[str, ...] = tuple(
    """energetic hungry fresh dynamic eager enthusiastic ambitious vibrant lively green
    inexperienced naive naïve impressionable malleable moldable trainable cheap
    tech-savvy""".split()
)

# ---------------------------------------------------------------------------- appearance
# Adjectives that are about looks after "is" ("she is pretty").
APPEARANCE_ADJ_IS: tuple[str, ...] = tuple(
    """attractive beautiful gorgeous handsome good-looking cute hot sexy stunning pretty
    overweight fat obese chubby plump heavyset skinny scrawny petite curvy frumpy dowdy unkempt
    scruffy disheveled dishevelled sloppy-looking unattractive ugly homely plain-looking
    well-groomed well-dressed stylish fashionable glamorous photogenic buff ripped""".split()
)
# After "looks" a wider set is about appearance ("she always looks polished").
APPEARANCE_ADJ_LOOKS: tuple[str, ...] = APPEARANCE_ADJ_IS + tuple(
    """polished put-together sharp professional sloppy tired old young older younger older-looking
    elegant classy nice great good fit heavy thin messy tidy neat smart presentable
    striking lovely""".split()
)
# "her weight", "his hair": looks possessed by the person.
APPEARANCE_POSSESSED: tuple[str, ...] = tuple(
    """weight looks appearance hair hairstyle haircut makeup make-up outfit outfits
    wardrobe clothes clothing attire skirt skirts heels jewelry jewellery tattoo tattoos
    piercing piercings beard body physique complexion teeth smile legs waistline
    belly""".split()
)
# Appearance demands that are also gender-coded.
APPEARANCE_GENDERED: tuple[str, ...] = (
    "makeup",
    "make-up",
    "lipstick",
    "mascara",
    "heels",
    "high heels",
    "skirt",
    "skirts",
    "dress",
    "dresses",
    "nail polish",
    "blouse",
    "blouses",
)

# ------------------------------------------------------------------- protected groups
# Group adjectives and nouns for race, ethnicity, national origin and religion (generalisations
# about them are stereotypes whatever the tone).
GROUPS: tuple[str, ...] = tuple(
    """Asian Asians Black Blacks White Whites Hispanic Hispanics Latino Latinos Latina Latinas
    Latinx African Africans African-American African-Americans Arab Arabs Middle-Eastern Indian
    Indians Chinese Japanese Korean Koreans Vietnamese Filipino Filipinos Filipina Thai Pakistani
    Pakistanis Bangladeshi Nigerian Nigerians Ghanaian Kenyan Ethiopian Somali Mexican Mexicans
    Brazilian Brazilians Colombian Cuban Puerto-Rican Dominican Haitian Jamaican Caribbean Irish
    Italian Italians Polish Russian Russians Ukrainian German Germans French Greek Turkish
    Persian Iranian Iraqi Syrian Lebanese Egyptian Israeli Palestinian Native Indigenous
    Aboriginal Muslim Muslims Islamic Jewish Jews Jew Christian Christians Catholic Catholics
    Evangelical Mormon Mormons Hindu Hindus Sikh Sikhs Buddhist Buddhists Amish Orthodox
    immigrant immigrants foreign foreigners foreign-born Southern Southerners Northern Eastern
    Western European Europeans Slavic Scandinavian Nordic Balkan Roma gypsy gypsies""".split()
)

# Judgements that, in a sentence that also names a protected characteristic, complete it.
JUDGEMENT_PHRASES: tuple[str, ...] = (
    r"(?:seems?|seemed|is|was|looks?) (?:less|not as|not very|not fully|not) (?:committed|dedicated|reliable|available|focused|serious|invested|engaged|driven|ambitious|flexible|dependable)",
    r"less (?:committed|dedicated|reliable|available|focused|serious|invested|engaged|driven|flexible|dependable)",
    r"(?:probably|likely|may|might|could|would|will|won['’]t|wouldn['’]t)?\s*(?:can['’]t|cannot|can not|couldn['’]t|won['’]t be able to|wouldn['’]t be able to|unable to|not able to) (?:handle|manage|cope with|take on|commit to|keep up with|do) (?:the|a|this|that|all|much|more|extra|long)?\s*(?:travel|hours|pressure|workload|role|job|demands|schedule|shifts?|overtime|trips?)\b",
    r"(?:not|isn['’]t|is not|wasn['’]t) the right time",
    r"(?:makes?|made) (?:him|her|them) (?:hard|difficult) to (?:follow|understand|work with)",
    r"hard to (?:follow|understand)",
    r"(?:holds?|held) (?:him|her|them) back",
    r"(?:slows?|slowed) (?:down )?(?:the|us|our|everyone|the team|the line)",
    r"(?:naturally|inherently|instinctively|innately) (?:good|great|better|gifted|suited|talented|bad|worse)",
    r"deserves? (?:the|a) (?:raise|promotion|bonus|role) more",
    r"(?:a )?(?:liability|distraction|risk) for the (?:team|role|client)",
)

# ---------------------------------------------------------- sensitive facts about a person
# term -> kind. Flagged when said of the person (possessive, predicate, "despite his ...").
SENSITIVE_TERMS: dict[str, str] = {}


def _add(kind: str, words: str) -> None:
    for w in words.split("|"):
        w = w.strip()
        if w:
            SENSITIVE_TERMS[w] = kind


_add(
    "health",
    "diabetes|diabetic|cancer|chemo|chemotherapy|radiation therapy|tumor|tumour|ADHD|ADD|autism|"
    "autistic|asperger's|aspergers|on the spectrum|dyslexia|dyslexic|dyspraxia|epilepsy|epileptic|"
    "seizures|seizure disorder|migraines|depression|clinical depression|depressed|anxiety disorder|"
    "anxiety attacks|panic attacks|panic disorder|bipolar|bipolar disorder|schizophrenia|"
    "schizophrenic|PTSD|OCD|eating disorder|anorexia|anorexic|bulimia|bulimic|HIV|HIV-positive|"
    "AIDS|multiple sclerosis|MS diagnosis|parkinson's|alzheimer's|dementia|arthritis|asthma|"
    "heart condition|heart attack|heart surgery|stroke|surgery|illness|chronic illness|"
    "chronic pain|chronic fatigue|fibromyalgia|lupus|crohn's|IBS|celiac disease|long covid|"
    "mental health|mental illness|mental-health issues|mental breakdown|nervous breakdown|"
    "breakdown|therapy|therapist|psychiatrist|counseling|counselling|rehab|addiction|"
    "alcoholism|alcoholic|recovering alcoholic|sobriety|sober|medical condition|health condition|"
    "health issues|health problems|health scare|diagnosis|diagnosed|medical leave|sick leave|"
    "disability leave|stress leave|sick days|insomnia|sleep apnea|obesity|infertility|"
    "miscarriage|cancer treatment|treatment|condition|neurodivergent|neurodiverse|tourette's|"
    "tourettes|stutter|stuttering|stammer|stammering|lisp",
)
_add(
    "disability",
    "disability|disabilities|disabled|handicapped|handicap|wheelchair|wheelchair user|crutches|"
    "walking cane|cane|prosthetic|prosthesis|amputee|paralyzed|paralysed|paraplegic|"
    "quadriplegic|deaf|hard of hearing|hearing loss|hearing aid|hearing aids|blind|"
    "visually impaired|vision loss|low vision|learning disability|special needs|"
    "cerebral palsy|down syndrome|accommodations|accommodation",
)
_add(
    "medication",
    "medication|medications|meds|antidepressants|antidepressant|adderall|ritalin|insulin|prozac|"
    "xanax|zoloft|lithium|painkillers|opioids|methadone|prescription",
)
_add(
    "pregnancy",
    "pregnant|pregnancy|expecting a baby|expecting a child|expecting twins|maternity leave|"
    "paternity leave|parental leave|baby on the way|IVF|fertility treatment|fertility treatments|"
    "trying to conceive|trying for a baby|start a family|starting a family|new baby|newborn|"
    "morning sickness|breastfeeding|nursing mother|lactation|due in",
)
_add(
    "family_status",
    "single mom|single mother|single mum|single dad|single father|single parent|working mom|"
    "working mother|working mum|stay-at-home|mom of|mother of|father of|dad of|kids|children|"
    "child|baby|babies|toddler|family|husband|wife|spouse|divorce|divorced|divorcing|widow|"
    "widowed|widower|newlywed|married|childcare|child care|custody|daycare|school run|"
    "caregiver|caring for her|caring for his|elderly parent|elderly parents|aging parent|"
    "aging parents",
)
_add(
    "religion",
    "religion|religious|faith|beliefs|prayer|prayers|prays|praying|pray|church|mosque|"
    "synagogue|temple|ramadan|fasting|fasts|sabbath|shabbat|kosher|halal|hijab|headscarf|"
    "head scarf|turban|yarmulke|kippah|niqab|burqa|muslim|christian|catholic|jewish|jew|hindu|"
    "sikh|buddhist|mormon|evangelical|atheist|born-again|bible|quran|koran|torah|eid|diwali|"
    "lent|passover|yom kippur|rosh hashanah|holy day|holy days",
)
_add(
    "orientation_identity",
    "gay|lesbian|bisexual|queer|homosexual|transgender|trans|nonbinary|non-binary|"
    "genderqueer|sexual orientation|sexuality|gender identity|came out|coming out|"
    "same-sex partner|boyfriend|girlfriend|partner's|transitioning|transition",
)
_add(
    "immigration",
    "visa|visa status|work visa|H-1B|H1B|H-1B visa|green card|work permit|undocumented|"
    "illegal immigrant|illegal alien|immigrant|immigration status|refugee|asylum|asylum seeker|"
    "citizenship|not a citizen|non-citizen|deportation|sponsorship",
)
_add(
    "ethnicity",
    "race|racial|ethnicity|ethnic background|ethnic|skin color|skin colour|nationality|"
    "national origin|country of origin|heritage|caste|tribe|cultural background",
)
_add("criminal", "criminal record|arrest|arrested|conviction|convicted|DUI|jail|prison|probation|parole")

# Terms so common in other senses that they count only after "his"/"her"/"their"/"Name's".
POSSESSED_ONLY: frozenset[str] = frozenset(
    """condition treatment diagnosis surgery illness therapy therapist medication medications meds
    prescription kids children child baby babies family husband wife spouse faith beliefs
    religion heritage ethnicity race nationality citizenship visa sponsorship accommodation
    accommodations cane breakdown transition transitioning boyfriend girlfriend partner's
    custody caregiver daycare sobriety stroke tribe lent eid temple fasting sober trans
    deaf blind arrest conviction jail prison probation parole ethnic""".split()
) | {
    "school run",
    "sick days",
    "due in",
    "mother of",
    "father of",
    "mom of",
    "dad of",
    "caring for her",
    "caring for his",
    "recovering alcoholic",
    "mental health",
}
