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
    "LOOSE_TRIGGERS",
    "PERSONALITY_NOUNS",
    "AMBIGUOUS_PERSONALITY_NOUNS",
    "AGE_TRAITS",
    "ORIGIN_TRAITS",
    "AGE_NOUNS",
    "SIZE_WORDS",
    "APPEARANCE_NOUNS",
    "APPEARANCE_JUDGEMENTS",
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
    w.replace("_", " ")
    for w in """abrasive bossy shrill strident aggressive emotional overemotional irrational hysterical
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
    whiny angry irate surly crabby cantankerous truculent brusque gruff stroppy bolshy bolshie
    gobby lippy narky ratty tetchy testy huffy grouchy uppity haughty snooty snobby stuck-up
    pompous self-important high-handed imperious uptight highly strung high strung
    tightly-wound neurotic fragile brittle thin-skinned precious prissy fussy pedantic nitpicky
    clingy vain flirty flirtatious manipulative sneaky two-faced devious vindictive spiteful
    nasty mean toxic passive-aggressive miserable sour dour gloomy resentful jealous envious
    attention-seeking theatrical over-the-top hyper scatty dozy dopey dim dense gormless idle
    slapdash spineless gutless wimpy odd weird strange oddball awkward
    socially-awkward quirky insufferable unbearable irritating draining difficult prickly
    explosive bad-tempered ill-tempered quick-tempered hot-tempered sharp-tongued foul-mouthed
    loud-mouthed loudmouthed big-headed bigheaded bull-headed mulish wilful willful contrary
    cagey shifty secretive cold-hearted heartless callous cut-throat cutthroat power-hungry
    self-centred self-centered self-obsessed narcissistic overconfident cocksure brazen brassy
    cheeky sarcastic snarky sardonic gossipy nosy nosey meddlesome interfering obsessive
    nervy jumpy twitchy skittish panicky overexcitable hyperactive frantic frazzled dippy ditsy
    empty-headed dull boring bland colourless colorless cowardly lily-livered submissive docile
    servile sycophantic obsequious smarmy slimy creepy sleazy lecherous pervy whingy whingey
    moany mopey glum morose humourless humorless joyless po-faced stony stern rigid inflexible
    uncompromising dogmatic preachy sanctimonious self-righteous holier-than-thou nitpicking picky
    finicky anal anal-retentive chaotic absent-minded scatter-brained slow-witted dim-witted
    dimwitted simple-minded gullible petulant bratty spoilt ungrateful diva-ish divaish grandiose
    bombastic crass crude vulgar uncouth boorish oafish loutish yobbish rowdy insolent impertinent
    bellicose pugnacious fiery spiky spikey thorny caustic acerbic scathing vitriolic venomous
    malicious mean-spirited vicious cruel unkind uncaring unsympathetic tactless gauche
    socially-inept eccentric peculiar deranged nutty loopy bonkers barmy batty doolally
    workshy work-shy shiftless indolent lethargic listless uninterested half-hearted complacent
    supercilious disdainful dismissive snide bumptious quarrelsome crotchety curmudgeonly choleric
    peevish mercurial changeable capricious fickle overdramatic histrionic over-emotional
    overwrought weepy teary tearful soppy distrustful small-minded narrow-minded closed-minded
    scheming conniving sly untrustworthy insincere phoney phony superficial shallow
    greedy antisocial anti-social unsociable withdrawn reclusive detached robotic wooden stiff
    prudish strait-laced stuffy snobbish terse undiplomatic full-on giddy frivolous goofy clownish
    flippant glib facetious defeatist scary menacing pathetic useless hopeless clueless
    incompetent-seeming unprofessional-seeming flaky unhinged lazy-minded slobby sloppy-minded
    ratty stroppy mardy arsey arsy gobby lippy mouthy sulky high_maintenance highly_strung
    hot_headed thin_skinned short_tempered self_centred self_absorbed pig_headed""".split()
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
    troublemaker trouble-maker drama_queen hot_mess flirt people-pleaser people_pleaser princess prima-donna
    pain pain_in_the_neck pain_in_the_backside moaner whinger grouch gossip busybody slacker
    loner lone_wolf oddball weirdo jobsworth shrinking_violet wallflower bleeding_heart
    soft_touch soft_touch pussycat teddy_bear wimp wuss coward pushover bull_in_a_china_shop
    liability basket_case mess wreck head_case nutcase nut_job live_wire firebrand jerk idiot
    moron clown muppet plonker prat twit numpty pillock arse ass asshole arsehole dick prick cow
    witch snake weasel brat crybaby madam know-all smart-arse smartass clever_clogs misery
    killjoy party_pooper scaredy-cat drip neat_freak sergeant_major drill_sergeant schoolmarm
    dragon dragon_lady bruiser thug brute oaf lout yob slob layabout dead_weight deadweight
    freeloader odd_fish odd_duck crank nutter dimwit halfwit dunce pedant nitpicker fusspot
    worrier worrywart headache nuisance tyrant control_freak ball_of_stress bag_of_nerves
    nervous_wreck hothead loudmouth big_mouth bigmouth gobshite windbag blowhard show-off
    glory_hunter credit_hog""".split()
)
# Nouns above that also name things ("the migration was a nightmare"): they count only when a
# person is the subject, not after any "a".
AMBIGUOUS_PERSONALITY_NOUNS: frozenset[str] = frozenset(
    w.replace("_", " ")
    for w in """nightmare handful pain liability mess wreck live_wire firebrand headache nuisance
    misery drip dragon snake cow crank dead_weight deadweight clown""".split()
)

# Possessed forms: "her bossiness", "his negativity".
TRAIT_NOUNS: tuple[str, ...] = tuple(
    """abrasiveness bossiness shrillness stridency aggressiveness aggression emotionality
    emotionalism hysteria hysterics dramatics moodiness grumpiness negativity arrogance
    cockiness defensiveness touchiness temper neediness pushiness stubbornness coldness
    aloofness rudeness attitude laziness volatility irrationality personality temperament
    demeanour demeanor manner attitude mood moods mood swings tantrums outbursts ego
    neediness clinginess vanity""".split()
)

# Phrases that are personality critique wherever they appear.
PERSONALITY_PHRASES: tuple[str, ...] = (
    r"takes? (?:feedback|criticism|things|it|comments|notes|everything) (?:too |very |so )?personally",
    r"took (?:feedback|criticism|things|it|comments|notes|everything) (?:too |very |so )?personally",
    r"(?:grow|develop|needs?|have|get) (?:a )?thicker skin",
    r"thin[- ]skinned",
    r"(?:difficult|hard|tough|unpleasant|exhausting|draining|impossible|intimidating|awkward|uncomfortable|a pain|a nightmare|a chore|a drain|tiring|tiresome) (?:just |even |to )?(?:to )?(?:be around|work with|deal with|get along with|like|be with|talk to|approach|manage)",
    r"(?:terrible|awful|horrible|lousy|shocking|crap|crappy|stinking|toxic|poor|bad|negative|nasty|rotten|difficult|arrogant) attitude",
    r"not (?:a|much of a|really a) team player",
    r"(?:needs?|needed) to (?:be|become|learn to be|try to be|work on being) (?:a (?:bit|little|lot|touch) )?(?:more|less) (?:warm|friendly|approachable|likeable|likable|pleasant|confident|assertive|humble|modest|patient|calm|relaxed|easy-going|outgoing|sociable|cheerful|positive|upbeat|smiley|feminine|ladylike|masculine|gentle|soft|nice|kind|agreeable|emotional|aggressive|abrasive|intense|serious|quiet|loud|sensitive|defensive|bossy|pushy|sharp|opinionated|forceful|dominant|polished|mature|grown-up)",
    r"(?:needs?|needed|should|could|must|ought) (?:to )?(?:be|become|try to be|learn to be) (?:a (?:bit|little|lot|touch) )?(?:warmer|friendlier|nicer|softer|calmer|tougher|gentler|humbler|quieter|happier|cheerier|bubblier|more likeable)",
    r"not (?:exactly |really |always )?the (?:\w+est|most \w+) (?:person|guy|man|woman|lady|colleague|character|soul|people person|team player|of people)",
    r"not (?:exactly|always|the most|very|particularly|really) (?:warm|friendly|approachable|easy(?:-going)?|patient|pleasant|likeable|likable|personable)",
    r"(?:emotionally |mentally )?all over the place",
    r"(?:very |a bit |quite |rather |so )up and down",
    r"not (?:a |very |a very |the most |particularly |exactly |especially |really |that )*(?:nice|pleasant|likeable|likable|friendly|warm|approachable|easy-going|easy|personable|people|kind|nice-natured) (?:person|guy|man|woman|lady|colleague|individual|character|soul|to (?:work with|be around|deal with|have around))",
    r"(?:a |an |has a |have a |with a |with an )(?:difficult|prickly|abrasive|volatile|fiery|explosive|strong|big|forceful|larger-than-life|challenging|dominant|domineering|overbearing|spiky|intense|loud|toxic) (?:personality|character|temperament|nature|manner|ego)",
    r"(?:flies|fly|flew|flying) off the handle",
    r"(?:gets|get|got|getting|becomes|became|goes|went) (?:very |so |really |quite |a bit |a little |easily |too |rather |all )?(?:flustered|rattled|upset|stressed|overwhelmed|heated|irritated|agitated|tearful|teary|shouty|snappy|narky|ratty|arsey|mardy|huffy|sulky|tetchy|hot under the collar|hot and bothered|on the defensive|defensive|personal|emotional|hysterical|angry|cross|aggressive|nasty|nervous|anxious|panicky)",
    r"(?:a bit|a little|rather|quite|just|far|way) (?:too )?much\b(?=\s*(?:[.,;!]|$|for|to handle|at times|sometimes))",
    r"(?:an acquired taste|not everyone['’]s cup of tea|(?:doesn['’]t|does not) suffer fools|rubs? (?:people|others|everyone|colleagues|some) up the wrong way|ruffles? (?:a few |some )?feathers|(?:a bit )?marmite|sharp elbows|(?:his|her|their) own worst enemy|a lot of work)",
    r"(?:lacks?|lacking|no|zero|low|little|limited) (?:emotional intelligence|EQ|social graces|people skills|self-awareness)",
    r"too much of an? [\w-]+",
    r"to a fault",
    r"(?:his|her|their) voice (?:is|can be|gets|sounds) (?:\w+ )?(?:shrill|grating|annoying|squeaky|high-pitched|whiny|nasal|irritating|too loud|booming|piercing)",
    r"(?:shrill|squeaky|high-pitched|whiny|nasal|grating|annoying|girly|booming|piercing) voice",
    r"(?:he|she|they|[A-Z][\w-]+) (?:just |completely |totally |sometimes |often |really )?(?:loses|lost) it\b",
    r"(?:completely|totally) (?:loses|lost|lose) it\b",
    r"(?:throws?|threw|throwing|has|had|having) (?:a |another )?(?:fit|wobbly|strop|hissy fit|tantrum|meltdown|paddy|sulk)",
    r"(?:gets|get|got|getting) (?:so |very |really |all )?(?:worked up|wound up|in a (?:huff|strop|state|mood|tizzy))",
    r"(?:short|quick) (?:fuse|temper)",
    r"(?:a |quite a |some |real )?temper on (?:him|her|them)",
    r"(?:has|have|had|got|with) (?:a |an |such a )?(?:attitude|ego|mouth on (?:him|her|them))",
    r"(?:eager|desperate|keen|anxious) to please",
    r"(?:needs|needed|craves|loves|wants) (?:the )?(?:attention|spotlight|limelight)",
    r"(?:too|so) full of (?:himself|herself|themselves)",
    r"(?:head|nose) in the (?:clouds|air)",
    r"not (?:assertive|confident|tough|aggressive|strong|forceful|outgoing) enough",
    r"(?:lacks|lacking|no|zero) (?:any )?(?:presence|gravitas|assertiveness|killer instinct|edge|drive|fire in (?:his|her|their) belly)",
    r"(?:(?:has|had|have|with|shows?|got) (?:no|zero|little)|lacks?(?: any| a)?|lacking(?: any| a)?|(?:n['’]t|not) (?:have|got|show) (?:any|a|much)) (?:backbone|spine|tact|filter|people skills|social skills|emotional control|self-control|charisma|gumption)",
    r"(?:learn|know|knows) (?:when|how) to (?:shut up|keep (?:his|her|their) mouth shut|pipe down|zip it)",
    r"needs? to (?:shut up|pipe down|calm down|chill out|get a grip|grow up)",
    r"(?:mood swings|temper tantrums|throws? tantrums|sulks?|sulking)",
    r"(?:can|could|can't|cannot|doesn't|does not|don't|never) (?:take|handle|cope with) (?:a joke|criticism|feedback|pressure|being challenged)",
    r"(?:chippy|on (?:his|her|their) high horse|too big for (?:his|her|their) britches)",
    r"(?:shows?|showed|shown|showing) (?:his|her|their) (?:true )?colou?rs",
    r"(?:emotionally|mentally) (?:fragile|unstable|volatile|immature|weak|brittle|exhausting|draining)",
    r"(?:so |just |very |that['’]s |how )?typical of (?:her|him|them)",
    r"(?:a|an) (?:stubborn|mean|nasty|cruel|vindictive|jealous|ruthless|wild|rebellious|contrary|lazy|vicious|spiteful|selfish|nervous|emotional|aggressive|childish|difficult) streak",
    r"(?:mothers|mothering|mothered|babysits|babysitting|babysat|nannies|nannying) (?:the |his |her |their )?(?:team|juniors|staff|interns|trainees|new starters|grads|graduates|apprentices|everyone|them|us)",
    r"(?:under the thumb|henpecked|wears the trousers)",
    r"(?:lazy|negative|difficult|aggressive|stubborn|moody|emotional|arrogant|selfish|shy|timid|anxious|nervous) by nature",
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
    # character cast as a habit: "always whining", "sulks when", "forever moaning"
    r"(?:always|constantly|forever|endlessly|perpetually|just|keeps?|kept|tends? to|does nothing but) (?:be )?(?:whin(?:e|es|ing)|whing(?:e|es|eing|ing)|moan(?:s|ing)?|nag(?:s|ging)?|sulk(?:s|ing)?|bitch(?:es|ing)?|grumbl(?:e|es|ing)|gossip(?:s|ing)?|pout(?:s|ing)?|throw(?:s|ing)? (?:a )?tantrums?)",
    r"(?:^|(?<=[.;:!?\n-]) ?|(?<=\b[Hh]e )|(?<=\b[Ss]he )|(?<=\b[Tt]hey ))(?:[Ss]ulks|[Ww]hines|[Ww]hinges|[Nn]ags|[Pp]outs|[Ss]ulking|[Ww]hining|[Nn]agging)\b",
    r"(?:has|have|had|with|got) (?:a |an |such a |a real |quite a |a bit of a )?(?:chip on (?:her|his|their) shoulder|attitude problem|short fuse|mean streak|nasty streak|temper)",
    r"(?:lets?|letting|allows?) (?:\w+ ){0,3}?walk all over (?:him|her|them)|(?:a |such a |bit of a )?(?:doormat|ball-?breaker|ballbuster|ball-buster)",
    r"(?:flies|fly|flew|flying) off the handle|(?:loses|lost|losing) (?:her|his|their) (?:temper|cool|rag|head)|(?:kicks|kicked|kicking) off (?:at|when|if|about|over)",
    r"(?:her|his|their) personality (?:grates|is (?:a|the) (?:problem|issue)|rubs (?:people|everyone) up the wrong way)|rubs (?:people|everyone|colleagues|the team) up the wrong way",
    r"(?:lacks?|lacking|no|zero|without) (?:any )?(?:gravitas|presence|backbone|spine|charisma|personality|warmth|people skills)",
)

# --------------------------------------------------------------- gender named outright
GENDER_WORDS = r"(?:woman|man|girl|guy|lady|gal|female|male|boy|chick|dude|mom|mum|mother|dad|father)"

GENDERED_PHRASES: tuple[str, ...] = (
    rf"\bfor an? (?:[\w]+ )?{GENDER_WORDS}\b(?!-)(?: (?:in|of|on|at) (?:the )?[a-z][\w-]*(?: [a-z][\w-]*)?)?",
    r"\b(?:little )?(?:mummy|mum|mom|mommy|mother|mama|dad|daddy|father|granny|grandma|nan|auntie|aunty|big sister|big brother|little sister) (?:figure )?of the (?:ward|team|office|group|department|floor|unit|class|shop|store|crew|family|desk|squad|site)\b",
    r"\b(?:mother figure|father figure|mumsy|mumsie)\b",
    r"\b(?:girls|women|ladies|lads|boys|guys|men|blokes) like (?:her|him)\b",
    r"\b(?:expect(?:s|ed)?|want(?:s|ed)?|look(?:s|ed)? for|need(?:s|ed)?) (?:[\w-]+ ){0,3}?(?:from|of|in) an? (?:woman|girl|lady|man|guy|female|male)\b",
    r"\b(?:an?|such an?|total|real|proper|little|bit of an?|right|spoilt|spoiled) (?:little |total |real |bit of a )?(?:princess|madam|bimbo|battle-?axe|fishwife|mother hen|girly girl|ice maiden)\b",
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
    r"\bthe (?:ladies|girls|gals|lads|boys)\b(?! (?:and girls|school))",
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
    r"\b(?:man['’]s man|lady['’]s man|ladies['’] man|girl['’]s girl|one of the lads|laddish banter)\b",
    r"\b(?:a woman['’]s touch|feminine touch|female touch|female intuition|women['’]s intuition|boys will be boys|testosterone)\b",
    r"\b(?:a real|such a|quite the|a proper|a true) (?:lady|gentleman)\b",
    r"\b(?:baby|mummy|mommy|mumsy|pregnancy|preggo) brain\b",
    r"\b(?:better|worse|tougher|softer|stronger|weaker|faster|slower|more|less|as \w+) (?:than|as) (?:most of |any of |all of |some of |half |the rest of |many of )?(?:the )?(?:guys|blokes|lads|men|boys|fellas|girls|ladies|women)\b",
    r"\b(?:like|as) (?:one of )?the (?:blokes|lads|boys|guys|men|girls|ladies)\b",
    r"\b(?:typical|such a|what a|a real) (?:woman|man|girl|bloke|female|male)\b",
    r"\b(?:sales|gym|tech|finance|frat|crypto|finance)[- ]?bros?\b|\blike an? (?:housewife|schoolmarm|schoolmistress|fishwife|little girl|little boy|nagging wife|old woman|old maid|girl|sissy)\b",
    r"\b(?:mummy['’]s|mommy['’]s|mama['’]s|mamma['’]s) boys?\b|\bdaddy['’]s girls?\b|\b(?:such a|total|proper|very much a|a real|bit of a) (?:dad|mum|mom|mother hen|mumsy)\b",
    r"\b(?:taking orders from|take orders from|answer(?:ing)? to|report(?:ing)? to|work(?:ing)? (?:for|under)|led by|managed by|bossed around by) an? (?:woman|girl|female|lady|younger woman|young girl)\b",
    r"\b(?:women|men|girls|guys|ladies|blokes|lads|mums|mothers|dads|females|males|woman|man)(?: (?:on|in|at|like|from|of) (?:the |a |our |this |that )?[\w-]+){0,2} (?:tend to|tends to|always|never|are (?:always|all|so|too|never|just|usually|typically|naturally|like that))\b",
    r"\b(?:in )?(?:that|the) way (?:women|men|girls|guys|ladies|mums|mothers) (?:\w+ ){0,2}?(?:can be|are|do|get|tend to)\b",
    r"\b(?:for )?(?:such a|this|that|a) (?:little|tiny|wee) (?:thing|lady|madam|missy)\b(?! (?:like|that|to|about|of)\b)",
    r"\b(?:because|since|as|coz|cos) (?:he|she|they)(?:['’]s| is| are|['’]re)? (?:an? )?(?:woman|man|girl|female|male|lady|guy)\b",
    r"\b(?:dragon lady|iron lady|ice maiden|tiger mum|tiger mom|soccer mom|helicopter mum)\b",
)

# Words that are themselves gendered when said of a person.
GENDERED_TRAITS: tuple[str, ...] = tuple(
    """motherly maternal fatherly paternal grandmotherly grandfatherly matronly girly girlish
    boyish manly unmanly womanly unwomanly ladylike unladylike effeminate feminine unfeminine
    masculine butch tomboyish tomboy sissy emasculated hormonal feisty sassy spunky bubbly perky
    ditzy ditsy bitchy bitch naggy shrewish shrew harpy cougar laddish blokey blokeish mumsy mumsie
    matronly dolly girlie macho""".split()
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
    r"\b(?:until|till|before|toward|towards|into) (?:his|her|their )?retirement\b(?!-|\s+(?:plans?|savings|accounts?|benefits|funds?|portfolios?|packages?|contributions?|handovers?|dates?|announcements?|send-off|celebrations?))",
    r"\b(?:his|her|their) (?:upcoming |impending |planned )?retirement\b(?!-|\s+(?:plans?|savings|accounts?|benefits|funds?|portfolios?|packages?|contributions?|party|handovers?|dates?|announcements?|send-off|celebrations?))",
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
    # career stage as a stand-in for age
    r"\b(?:at|by) (?:this|that|his|her|their|such a|a late|this late a|that late a) (?:late |advanced |final |later )?(?:stage|point|time|phase|juncture|age) (?:in|of) (?:his|her|their|one['’]s) (?:career|life|working life|careers)\b",
    r"\b(?:this|that|so|too|very|fairly|quite) late in (?:his|her|their) (?:career|life|working life)\b",
    r"\b(?:[Ll]ate|[Ee]arly) in (?:his|her|their) (?:career|working life)(?=\s*,)",
    r"\b(?:end|twilight|tail end|sunset|autumn|back end|final years|last years|home stretch) of (?:his|her|their) (?:career|working life|careers)\b",
    r"\b(?:getting on (?:a bit|in years|in age)|getting older|not getting any younger|no (?:longer )?spring chicken|not a spring chicken|showing (?:his|her|their) age)\b",
    r"\b(?:behind the times|stuck in the past|a dinosaur|from another era|of a certain age|past (?:his|her|their) sell-by date)\b",
    r"\b(?:should|could|might|may|must|ought to|needs? to|will|would)(?: really| probably| seriously)? (?:be )?(?:think(?:ing)? (?:about|of)|consider(?:ing)?|plan(?:ning)? (?:for|on)|look(?:ing)? (?:at|to|towards?)|start(?:ing)?|eye(?:ing)?|head(?:ing)? (?:for|into|towards?)) (?:his |her |their )?(?:retirement|retiring|pension|the pension)\b",
    r"\b(?:heading|headed|coasting|winding down|counting down|edging|drifting) (?:for|into|to|towards?) (?:his |her |their |the )?(?:retirement|pension|gold watch)\b",
    r"\b(?:his|her|their) pension\b(?!\s+(?:plans?|contributions?|statements?|fund|funds|transfers?|scheme|schemes|pot|pots|provider|forecast))",
    r"\bgenerational (?:thing|issue|gap|divide|differences?|problem|attitude)\b",
    r"\b(?:from|of) (?:a |an |the |that |his |her |their |another |different |older |younger |earlier |previous |other |bygone |certain )+generation\b",
    r"\b(?:the )?(?:oldest|youngest|eldest) (?:one |person |member |man |woman |guy |lady )?(?:in|on) the (?:room|team|office|department|group|floor|ward|crew|company|unit|shop|class)\b",
    r"\b(?:our|the|his|her) (?:oldest|youngest|eldest) (?:engineer|employee|member|colleague|worker|nurse|teacher|person|associate|analyst|developer|manager|lawyer|hire|recruit|one|staff member|team member)\b",
    r"\b(?:someone|somebody|people|a person|candidates?|hires?|blood|faces?) (?:younger|fresher|newer|with (?:more )?(?:youthful|young|fresh) (?:energy|ideas|legs))\b",
    r"\byears\b[^.;!?]{0,30}?\band it shows\b",
    r"\b(?:maturity|attention span|temper|emotional (?:age|maturity)|tantrums?|manners) of an? (?:teenager|teen|child|toddler|kid|schoolboy|schoolgirl|baby|\d+-year-old|five-year-old|ten-year-old)\b",
    r"\b(?:acts?|acting|acted|behaves?|behaving|behaved|sulks?|sulking|sulked|talks?|whines?|whining) like an? (?:child|kid|teenager|teen|toddler|baby|schoolboy|schoolgirl|spoilt child|spoiled child|grown-up|old (?:man|woman|lady))\b",
    r"\b(?:doesn['’]t|does not|didn['’]t|don['’]t|never|won['’]t) (?:take|handle|act|behave|respond)\b[^.;!?]{0,25}?\blike (?:a|an) (?:grown-up|adult)\b",
    r"\b(?:grumpy |cranky |grouchy |crabby |silly |dirty )?old (?:man|woman|lady|git|fart|biddy|codger|geezer|goat|timer|maid|duffer|boy)\b(?!['’]s network| network)",
    r"\bthe (?:older|elderly|aging|ageing) (?:ones?|lot|crowd|brigade|generation)\b",
    r"\b(?:his|her|their|someone['’]s|a person['’]s) age\b(?!\s+(?:group|range|bracket|band|profile|data|category))",
    r"\bpushing (?:[4-8]0|forty|fifty|sixty|seventy)\b",
    r"\b(?:been around the block|part of the furniture|empty nester|(?:his|her|their) kids are (?:all )?grown(?: up)?)\b",
    r"\bmature (?:woman|man|lady|gentleman|worker|employee|candidate|student|applicant|lady|person|colleague)\b",
    r"\bpast (?:his|her|their) (?:best|peak|sell-by)\b",
    r"\b(?:semi-retired|retiree|pensioners?|OAPs?)\b",
    r"\b(?:the )?baby of the (?:team|office|group|department|ward|firm|family)\b",
    r"\b(?:his|her|their) (?:grandkids|grandchildren|grandson|granddaughter|grandsons|granddaughters)\b",
    r"\bbaby-?faced\b",
    r"\blooks (?:about |like (?:she|he|they)(?:['’]s| is| are) |barely )?(?:1[0-9]|12|twelve|fifteen|sixteen|seventeen|eighteen)\b",
    r"\b(?:the )?wrong side of (?:[3-8]0|thirty|forty|fifty|sixty|seventy)\b",
    r"\b(?:he|she|they)(?:['’]s| is| are|['’]re) (?:really |definitely |clearly )?slowing down\b",
    r"\bnot as (?:quick|sharp|fast|energetic|nimble|agile|spry|young) as (?:he|she|they) (?:used to be|once was|once were|was|were)\b",
    r"\b(?:stuck|fixed|rigid) in (?:his|her|their) ways\b",
    r"\bold (?:dog|stager|warhorse|fogey|fogy|codger|bag|bat|crone|duck|dear|boy network)s?\b",
    r"\b(?:when|whether|if) (?:he|she|they)(?:['’]s| is| are|['’]re| will be| plans? to be| is planning)? (?:going to |planning to |likely to )?retir(?:e|ing)\b",
    r"\bgoing (?:grey|gray|bald)\b",
    r"\b(?:since|from) the (?:dark ages|stone age|ark|year dot|beginning of time)\b",
    r"\b(?:senior|advanced|getting on) in years\b|\b(?:getting|gets) on a bit\b|\bno spring chicken\b|\bover the hill\b|\blong in the tooth\b",
    r"\b(?:technophob(?:e|ic|ia)|tech-?phob(?:e|ic))\b",
    r"\b(?:typical|such a|like a|acts like a|behaves like a|proper|real) (?:teenager|teen|toddler|boomer|millennial|pensioner|old (?:man|woman|lady|git|codger))\b",
    r"\b(?:late|end-of|end of)[- ]career\b(?! (?:change|changers?|switch)\b)",
    r"\b(?:forty|fifty|sixty|seventy)-?something\b|\bin (?:his|her|their) (?:late |early |mid-?)?(?:forties|fifties|sixties|seventies|40s|50s|60s|70s)\b",
    r"\b(?:old|older|elderly) (?:guy|man|woman|lady|bloke|fella|chap|girl|geezer|git)\b",
    r"\b(?:is|['’]s|became|has become|now) an? (?:grand(?:mother|father|ma|pa|dad)|granny|gran|nan|pensioner)\b",
    r"\b(?:young|youthful|fresh|fresher|younger) (?:face|faces|crowd|vibe|image)\b",
    r"\byoung,? (?:dynamic|energetic|vibrant|fresh|hungry|ambitious) (?:team|crowd|hires?|people|staff|blood|talent)\b",
    r"\b(?:young|younger) (?:and (?:energetic|hungry|fresh|dynamic|eager|cheap|green|malleable)|blood|legs|gun|guns|buck|bucks|thing|things)\b",
)

# Adjectives that tie a person to an origin, a race or a religion ("a bit too foreign").
ORIGIN_TRAITS: tuple[str, ...] = tuple(
    """foreign exotic ethnic oriental swarthy coloured colored tribal foreign-sounding un-British
    un-English un-American""".split()
)

# Adjectives that judge a person by age; flagged, like the traits, when they describe a person.
AGE_TRAITS: tuple[str, ...] = tuple(
    w.replace("_", " ")
    for w in """old-fashioned old-school old_school elderly doddery doddering decrepit senile geriatric
    past-it ancient menopausal post-menopausal ageing aging wrinkly grey-haired gray-haired youthful
    juvenile childish immature babyish past_it""".split()
)

# Nouns that cast a person as old (or as a child), after "a", "an", "such a".
AGE_NOUNS: tuple[str, ...] = tuple(
    w.replace("_", " ")
    for w in """fuddy-duddy stick-in-the-mud old_fogey fogey fogy codger crone hag pensioner OAP
    granny grandma grandpa grandad granddad gramps old-timer dinosaur relic fossil boomer
    luddite oldie golden_oldie silver_surfer greybeard graybeard child kid
    teenager teen toddler schoolgirl schoolboy youngster whippersnapper""".split()
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
    well-groomed well-dressed stylish fashionable glamorous photogenic buff ripped immaculate
    dapper chic svelte slovenly unwashed bedraggled haggard gaunt pasty grubby shabby
    overdressed underdressed frumpish mannish well-built muscly muscular flabby paunchy
    pot-bellied balding bald leggy busty buxom hunky bombshell model-like well-endowed curvaceous
    voluptuous shapely statuesque glam glammed-up lanky gangly weedy puny portly rotund tubby""".split()
)
# After "looks" a wider set is about appearance ("she always looks polished").
APPEARANCE_ADJ_LOOKS: tuple[str, ...] = APPEARANCE_ADJ_IS + tuple(
    """polished put-together sharp professional sloppy tired old young older younger older-looking
    elegant classy nice great good fit heavy thin messy tidy neat smart presentable
    striking lovely rough rugged scary intimidating threatening tired-looking worn washed-out
    miserable grumpy angry unhappy unfriendly unapproachable stern severe bored fed-up
    drained pale ill unwell old-fashioned dated frumpy mumsy well put-together put-together
    a mess a state""".split()
)
# "her weight", "his hair": looks possessed by the person.
APPEARANCE_POSSESSED: tuple[str, ...] = tuple(
    w.replace("_", " ")
    for w in """weight looks appearance hair hairstyle haircut makeup make-up outfit outfits
    wardrobe clothes clothing attire skirt skirts heels jewelry jewellery tattoo tattoos
    piercing piercings beard body physique complexion teeth smile legs waistline
    belly size height figure earrings nose_ring tattoos nails""".split()
)
# Body size, an appearance comment when said of a person ("quite large", "a big lad").
SIZE_WORDS: tuple[str, ...] = tuple(
    """large big huge heavy heavyset hefty stocky burly portly tubby podgy pudgy chunky
    skinny scrawny lanky tiny short tall small petite""".split()
)
# Things about looks; with one of APPEARANCE_JUDGEMENTS in the sentence they are a comment on
# appearance ("the earrings are distracting"); alone ("wear the hairnet") they are a rule.
APPEARANCE_NOUNS: tuple[str, ...] = tuple(
    w.replace("_", " ")
    for w in """hair haircut hairstyle hairdo beard stubble tattoo tattoos piercing piercings
    nose_ring nose_stud earrings earring makeup make-up lipstick outfit outfits wardrobe clothes
    clothing attire skirt skirts heels trousers jewellery jewelry teeth complexion appearance
    grooming dreadlocks dreads braids cornrows afro""".split()
)
APPEARANCE_JUDGEMENTS: tuple[str, ...] = (
    r"distract(?:ing|s)?",
    r"unprofessional",
    r"inappropriate",
    r"off-?putting",
    r"puts? (?:people|clients|customers|patients|parents|them|some) off",
    r"(?:doesn['’]t|does not|won['’]t|wouldn['’]t|don['’]t) (?:give|send|project|create) (?:the|a) (?:right|good|professional|best)",
    r"(?:right|wrong|best) (?:image|impression|look)",
    r"not (?:sure|keen|happy|comfortable) (?:about|with)",
    r"scruffy",
    r"messy",
    r"untidy",
    r"sloppy",
    r"too (?:much|short|tight|revealing|casual|loud|bright|long|small|big|baggy|large)|sizes? too",
    r"(?:tone|cover|cut|shave|take|tidy|smarten) (?:it |them |that |those )?(?:down|up|off|out)",
    r"(?:make|makes|made|making) (?:\w+ ){0,3}uncomfortable",
    r"(?:not|isn['’]t) (?:a good|the right|a great) look",
    r"creased|crumpled|stained|dirty|shabby|tatty|tacky|trashy|garish|flashy|revealing|low-cut|provocative",
    r"(?:too|very|a bit|rather|quite) (?:casual|informal|dated|old-fashioned|frumpy|mumsy|loud|bright|wild|big|bushy|long|much)",
    r"rolled out of bed|dragged through a hedge|(?:look|looks|looked|looking) like (?:a mess|a slob|a tramp|a student|a bag lady|a dog['’]s dinner)",
    r"draws? (?:\w+ )?attention|(?:stands?|sticks?) out (?:too much|a mile|like a sore thumb)",
    r"unflattering|greasy|unkempt|smelly|over the top|OTT|attention-grabbing|a bit much|not (?:appropriate|suitable|professional|smart)",
    r"needs? (?:a |to )(?:trim|cut|shave|tidy|smarten|sort|iron|wash|clean)",
    r"(?:could|should|might) (?:lose|tone down|rethink|reconsider|cover|smarten|tidy|cut|trim|shave)",
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
    Western European Europeans Slavic Scandinavian Nordic Balkan Roma gypsy gypsies Aussie Aussies
    Kiwi Kiwis Brit Brits Yank Yanks Scot Scots Scottish Welsh English American Americans Canadian
    Spanish Spaniards Portuguese Dutch Swedish Norwegian Danish Finnish Romanian Romanians
    Bulgarian Albanian Albanians Serbian Croatian Hungarian Czech Slovak Lithuanian Latvian
    Estonian Afghan Afghans Nepali Nepalese Sri-Lankan Tamil Punjabi Gujarati Bengali Moroccan
    Algerian Tunisian Sudanese Eritrean Congolese Cameroonian Zimbabwean South-African Ugandan
    Tanzanian Peruvian Venezuelan Chilean Argentinian Argentine Ecuadorian Bolivian Guatemalan
    Salvadoran Honduran Nicaraguan Indonesian Malaysian Singaporean Taiwanese Cantonese""".split()
)

# Judgements that, in a sentence that also names a protected characteristic, complete it.
JUDGEMENT_PHRASES: tuple[str, ...] = (
    r"(?:seems?|seemed|is|was|looks?) (?:less|not as|not very|not fully|not) (?:committed|dedicated|reliable|available|focused|serious|invested|engaged|driven|ambitious|flexible|dependable)",
    r"less (?:committed|dedicated|reliable|available|focused|serious|invested|engaged|driven|flexible|dependable)",
    r"(?:can['’]t|cannot|can not|couldn['’]t|won['’]t be able to|wouldn['’]t be able to|unable to|not able to) (?:handle|manage|cope with|take on|commit to|keep up with|do) (?:the|a|this|that|all|much|more|extra|long)?\s*(?:travel|hours|pressure|workload|role|job|demands|schedule|shifts?|overtime|trips?)\b",
    r"(?:not|isn['’]t|is not|wasn['’]t) the right time",
    r"(?:makes?|made) (?:him|her|them) (?:hard|difficult) to (?:follow|understand|work with)",
    r"hard to (?:follow|understand)",
    r"(?:holds?|held) (?:him|her|them) back",
    r"(?:slows?|slowed) (?:down )?(?:the|us|our|everyone|the team|the line)",
    r"(?:naturally|inherently|instinctively|innately) (?:good|great|better|gifted|suited|talented|bad|worse)",
    r"deserves? (?:the|a) (?:raise|promotion|bonus|role) more",
    r"(?:a )?(?:liability|distraction|risk) for the (?:team|role|client)",
    # doubts about capacity, commitment or fit, which complete a protected characteristic
    r"(?:I['’]m|I am|we['’]re|we are|I['’]m just|I['’]m still) not (?:sure|convinced|certain)",
    r"not sure (?:whether|if|that|she|he|they|about)",
    r"(?:I|we) (?:do |really |honestly )?(?:doubt|wonder|question)\b",
    r"(?:I['’]d|I would|we['’]d|we would) (?:question|wonder|doubt)",
    r"(?:can['’]t|cannot|can not|couldn['’]t|don['’]t) (?:really )?see (?:him|her|them|[A-Z][\w-]+) (?:\w+ing|being|as|in|on|at)",
    r"(?:is|will|would|can|could|does) (?:he|she|they) (?:really |actually |honestly |even )?(?:going to |be able to |want to |have the )?(?:manage|cope|handle|keep up|commit|want|cover|stay|focus|be (?:able|up to|around|committed|available|focused|reliable))\b",
    r"really (?:going|want|able) to",
    r"(?:won['’]t|will not|wouldn['’]t|would not|can['’]t|cannot|couldn['’]t|unable to|not able to) (?:be able to |really |fully |properly )?(?:want|manage|cope|handle|keep up|commit|focus|concentrate|travel|cover|stay|give|put in|be (?:as |fully |very )?(?:sharp|focused|committed|available|reliable|around|up to|present|dedicated|on top))",
    r"(?:robust|stable|strong|sharp|fit|reliable|committed|focused|available|resilient|energetic|tough|dependable|present|flexible|healthy) enough",
    r"(?:other|different|competing) priorities",
    r"(?:mind|head|focus|heart) (?:will be |is |might be |may be )?(?:elsewhere|somewhere else|at home|not in it)",
    r"(?:too much|a lot|a stretch|too hard|too demanding|too tiring|too stressful|a big ask) for (?:him|her|them)",
    r"(?:make|makes|made|making) (?:\w+ ){0,5}?(?:uncomfortable|nervous|uneasy|wary|awkward)",
    r"(?:worr(?:y|ies|ied|ying)|unsettl(?:e|es|ed|ing)|scar(?:e|es|ed)|puts? off|alarm(?:s|ed)?|bother(?:s|ed)?) (?:some of |the |our |a few |many |some )*(?:clients?|customers?|patients?|parents?|families|the team|colleagues|people|students|residents|visitors|guests|stakeholders|partners|board|others)",
    r"(?:more|less) comfortable",
    r"(?:keep|kept|keeping|take|taking|move|moving|leave|leaving|pull|pulling) (?:him|her|them) (?:off|away from|out of)",
    r"as the face of",
    r"(?:not|n['’]t|never|hardly) (?:be |really |exactly )?(?:a |the )?(?:natural|best|right|good|great|obvious|ideal) fit",
    r"(?:won['’]t|wouldn['’]t|doesn['’]t|does not|don['’]t|not|never|hard to|struggles? to) (?:really )?fit in",
    r"(?:a certain|the right|the wrong) (?:type|sort|kind|look|image|face)",
    r"(?:adapt|adjust|integrate|assimilate|settle|fit) (?:to|into|in with) (?:our|the|how we)",
    r"(?:rather not|not|n['’]t|hold off|wait before) (?:\w+ ){0,2}?(?:put|putting|promote|promoting|invest|investing|give|giving|consider|considering|recommend|recommending|send|sending) (?:\w+ ){0,2}?(?:him|her|them)\b",
    r"(?:I['’]d|I would|we['’]d|we should|better to|best to|safer to) (?:rather |probably |just )?(?:keep|avoid|hold off|wait|move|pass over|leave)",
    r"struggl(?:e|es|ed|ing) (?:with|to)",
    r"(?:be|being|is|was|gets?|got) (?:a bit |quite |very )?(?:distracted|unreliable|absent|off sick)",
    r"(?:won['’]t|wouldn['’]t|don['’]t|doesn['’]t|can['’]t) (?:want|manage|cope)",
    r"(?:a )?local face",
    r"(?:not|isn['’]t|wasn['’]t|less|never) (?:really |quite |very |entirely |the )?(?:suitable|suited|right|ideal|appropriate|cut out) (?:for|to)",
    r"(?:better|best|more) suited (?:to|for)",
    r"(?:behind the scenes|back[- ]office|out of sight|away from (?:the )?(?:clients|customers|patients|front desk|public))",
    r"(?:keep|kept|put|move|moved) (?:him|her|them) (?:in|on|to) (?:the )?(?:back|back office|back-office|night shift|nights|phones|background)",
    r"(?:how|whether|if) (?:the |our |some )?(?:clients?|customers?|patients?|parents?|board|people|team|residents|families) (?:will|would|might|may) (?:react|respond|take it|feel|cope|accept|see)",
    r"(?:clients?|customers?|patients?|parents?|people|the board|the team|colleagues|residents|families) (?:might|may|will|would|won['’]t|wouldn['’]t|don['’]t|do not|can['’]t|could) (?:not |never )?(?:like|respect|accept|warm to|relate to|trust|take (?:him|her|them) seriously|feel comfortable|understand (?:him|her|them)|be comfortable)",
    r"(?:be |being )?taken (?:as |more )?seriously",
    r"(?:commitment|dedication|availability|reliability|focus|attendance) (?:will be |might be |may be |is |could be )?(?:an issue|a concern|a problem|questionable|limited|a worry)",
    r"(?:not|isn['’]t|won['’]t be|less|never) (?:as |fully |very |really |always )?(?:available|flexible|committed|dedicated|focused|reliable|present|mobile)",
    r"distract(?:ed|ion|ing)",
    r"(?:doesn['’]t|does not|won['’]t|wouldn['’]t|don['’]t) (?:really )?(?:fit|suit|belong)",
    r"(?:I|we)(?:['’]d| would)? (?:hate|prefer not|rather not)",
    r"(?:fit|suit|match|project) (?:the|our) (?:brand |company |firm['’]s |corporate |right )?image",
    # broader doubt, hedging and perception markers
    r"(?:I(?:['’]m| am)?|we(?:['’]re| are)?) (?:a (?:bit|little) |slightly |genuinely |honestly |really )?(?:not sure|unsure|worried|concerned|doubtful|sceptical|skeptical|hesitant|wary|nervous|uneasy|torn)",
    r"(?:worr(?:y|ies|ied)|concerns?|hesitation|reservations?|doubts?|question(?:s|ed)?) (?:whether|if|about|that|is|over|around)",
    r"(?:unlikely|not likely|not going|never going|hardly going) to",
    r"(?:might|may|could|would|will) (?:not|never|struggle|find it (?:hard|difficult|tough)|have (?:trouble|difficulty|a hard time)|be (?:too|less|a bit|stretched|distracted|overwhelmed))",
    r"(?:won['’]t|wouldn['’]t|can['’]t|couldn['’]t|shouldn['’]t) (?:really |fully |quite |realistically )?(?:be able|want|manage|cope|handle|keep up|fit|commit|focus|travel|lead|give|put in|stay|last|take on)",
    r"(?:is|will|would|can|could) (?:he|she|they) (?:really|actually|honestly|realistically|still)",
    r"(?:too much|too hard|too demanding|too tiring|a stretch|a big ask|a gamble|a burden|a worry)",
    r"(?:after|once|until|till|when) (?:the baby|the twins|she['’]s back|he['’]s back|she is back|things settle|she settles|the wedding|she returns|he returns|she['’]s had the baby)",
    r"(?:hold|holding) off|wait (?:until|till|and see)|(?:not|n['’]t) (?:the right|a good) time|bad timing|(?:the )?timing (?:isn['’]t|is not|is) (?:great|right|ideal)",
    r"(?:family|other|competing) (?:priorities|commitments|pressures)|on (?:her|his|their) mind|things on (?:her|his|their) plate",
    r"(?:bandwidth|stamina|energy levels|staying power)",
    r"(?:fit in|blend in|relate to|connect with|gel with|click with|warm to|take to) (?:the|our|a|him|her|them|clients|customers|patients|parents)",
    r"(?:comfortable|uncomfortable|awkward|offend(?:ed|s)?|put off|puts off|off-putting|optics|how it (?:looks|would look)|the look of it)",
    r"(?:cope|coping|handle|handling|manage|managing|deal with|dealing with|keep(?:ing)? up) with (?:the )?(?:pace|pressure|demands|workload|hours|travel|shifts|nights|role|job|change|new)",
    r"(?:hurt|hurts|hurting|damage|damages|affect|affects|affecting|limit|limits|limiting) (?:her|his|their) (?:chances|career|progression|promotion|prospects)",
    r"(?:a |the )?(?:right|wrong) (?:fit|profile|image|look)",
    r"(?:a|an|the) (?:problem|issue|nightmare|headache|pain|hassle|burden|drain|risk|liability|distraction) (?:for|with) (?:the|us|our|everyone|clients|customers|the team|rota|scheduling|cover)",
    r"(?:and )?there are (?:a lot|so many|loads|lots) of them",
    r"so (?:he|she|they)(?:['’]d| would| will|['’]ll| should) (?:be )?(?:great|good|perfect|ideal|suited|fine|better|a natural|naturally)",
    r"(?:used|accustomed) to (?:a|the) (?:more|less|different|very different)",
    r"lacks? (?:polish|refinement|class|sophistication|gravitas)",
    r"(?:[Gg]iven|[Bb]ecause of|[Dd]ue to|[Cc]onsidering) (?:that|this|her|his|their)",
    r"(?:prefer|prefers|want|wants|need|needs|expect|expects) (?:someone|somebody|a person|people) (?:more )?(?:local|British|English|American|German|French|Spanish|native|from here|like them|like us)",
    r"(?:a lot|too much|enough) on (?:his|her|their) plate",
    r"(?:not|n['’]t|don['’]t|rather not|wouldn['’]t|shouldn['’]t|let['’]s not) (?:\w+ ){0,2}?(?:load|burden|saddle|overload|stretch|lumber|pile) (?:him|her|them)",
    r"keep an eye on (?:him|her|them)|(?:watch|monitor) (?:him|her|them) (?:closely|carefully)",
    r"(?:not|isn['’]t|wouldn['’]t be|won['’]t be|never) (?:really |quite |exactly |probably )?(?:for (?:him|her|them)|(?:his|her|their) (?:thing|scene|forte|world))\b",
    r"(?:puts?|putting) (?:\w+ ){1,4}?off\b",
    r"(?:might|may|would|will|won['’]t|wouldn['’]t|doesn['’]t|didn['’]t|not) (?:not )?(?:land|go down|sit|play) (?:well|badly|right|great)",
    r"(?:won['’]t|wouldn['’]t|don['’]t|doesn['’]t|didn['’]t|might not|may not|never) (?:really |quite )?(?:take to|warm to|accept|trust|respect|open up to|get used to)",
    r"(?:find|finds|found|finding) (?:it |that |this |him |her |them )?(?:a bit |quite |very |really )?(?:odd|strange|weird|off-putting|uncomfortable|awkward|unsettling|distracting|alienating|intimidating|jarring)",
    r"(?:not|isn['’]t|hasn['’]t been|never been|wasn['’]t) (?:quite |really |exactly )?the same\b",
    r"can['’]t come soon enough|(?:limits|limited|limiting) (?:him|her|them)\b",
    r"(?:head|mind|heart)(?:['’]s| is| isn['’]t| is not| won['’]t be| wouldn['’]t be)? (?:not |really |fully |totally |completely )?(?:in the game|in it|on the job|on work|elsewhere)",
    r"(?:not|isn['’]t|wasn['’]t) (?:really |fully |100% )?(?:thinking about|focused on|interested in|committed to) (?:work|the job|the role|her career|his career|the team)",
)

# Wording that names a protected characteristic without judging it ("the baby comes in June",
# "with Ramadan coming up", "the accent"): not a finding alone, but a doubt about the person in
# the same sentence (or the next) makes it one. Category -> regex fragments (case-insensitive).
LOOSE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "protected_characteristic": (
        # family, pregnancy, caring
        r"(?:the |a |her |his |their |new |two |three |young |small |little )?(?:babies|baby|twins|triplets|newborn|toddlers?|little ones?|young ones|kids|children)",
        r"nursery|daycare|childcare|child care|school (?:run|pick-?ups?|holidays|gates)|half-term|pick-?ups",
        r"maternity|paternity|parental leave|pregnan\w*|expecting|IVF|fertility|due date|morning sickness|the bump",
        r"wedding|honeymoon|(?:newly |just |recently )?(?:engaged|married)|newlyweds?|(?:her|his|their) (?:new )?(?:husband|wife|fianc[eé]e?)",
        r"(?:his|her|their) (?:mum|mother|dad|father|parents?|husband|wife|son|daughter|child|kid|partner|gran|nan)['’]s (?:illness|health|cancer|dementia|condition|care|treatment|surgery|death|funeral|stroke)",
        r"(?:his|her|their) (?:foreign|ethnic|unusual|exotic|difficult|[a-z]+(?:ic|ian|ese|ish|i)) (?:name|surname)",
        r"divorc\w*|separation|bereave\w*|widow\w*|(?:his|her|their) (?:ex|ex-husband|ex-wife)|(?:a lot|so much|too much|plenty) going on at home|(?:her|his|their) (?:family|home|domestic|personal) (?:situation|circumstances|life|commitments|issues)|at home with the kids|(?:the|her|his) (?:school|nursery) run",
        r"carer|caring for|looks? after (?:his|her|their) (?:mum|mother|dad|father|parents|gran)|(?:elderly|ageing|aging|sick|ill) (?:mum|mother|dad|father|parents?)",
        # health and disability
        r"chemo(?:therapy)?|cancer|tumou?r|long covid|therapy|therapist|counsell?ing|antidepressants|medication|meds",
        r"burn-?out|breakdown|stress leave|anxiety|panic attacks?|depress\w*|bipolar|epilep\w*|seizures?|autis\w*|ADHD|dyslex\w*|(?:on )?the spectrum|neurodiverg\w*|neurodivers\w*",
        r"hearing aids?|deaf(?:ness)?|blind(?:ness)?|wheelchair|crutches|walking stick|(?:a|his|her|their) cane|(?:a |his |her )limp|stammer\w*|stutter\w*",
        r"diabet\w*|Crohn['’]s|arthritis|migraines?|(?:ill|poor) health|health (?:issues|problems|scare|condition)|off sick|sickness|sick (?:leave|days)|disabilit\w*|disabled|miscarriages?|menopaus\w*",
        # religion
        r"hijabis?|Ramadan|Eid|Diwali|Passover|Sabbath|Shabbat|(?-i:Lent)|Yom Kippur|Rosh Hashanah|Hanukkah|Friday prayers|prayers?|praying|prays",
        r"mosque|church|synagogue|temple|gurdwara|hijab|headscarf|veil|turban|kippah|yarmulke|burqa|niqab|kosher|halal|fasting|religio\w*|devout|(?:his|her|their) faith",
        r"Muslims?|Christians?|Jewish|Jews?|Hindus?|Sikhs?|Buddhists?|Catholics?|Mormons?|Evangelicals?",
        # origin, ethnicity, language
        r"accent(?:ed)?|foreign(?:ers?)?|immigrants?|migrants?|refugees?|(?:work )?visa|work permit|sponsorship",
        r"(?:his|her|their) (?:culture|background|heritage|roots|origins?|people|community|country)|cultural(?:ly)?|ethnic\w*|racial(?:ly)?",
        r"where (?:he|she|they)(?:['’]s| is| are|['’]re)? (?:originally )?from|(?:is|['’]s|are|comes|came|moved|arrived|immigrated) (?:here |over )?(?:originally )?from (?-i:[A-Z])[\w-]+",
        r"first language|native speaker|(?:his|her|their) English|(?:second|third|another|other) language|working[- ]class|(?:coming|comes|came|being) from (?-i:[A-Z])[\w-]+",
        r"(?-i:Black|Asian|African|Arab|Latina|Latino|Hispanic|Indian|Chinese|Filipin[ao]|Nigerian|Polish|Romanian|Eastern European|Pakistani|Bangladeshi|Somali|Jamaican|Caribbean|Mexican|Brazilian|Middle Eastern|Turkish|Kurdish|Roma|Traveller|Gypsy)",
        # orientation, gender identity
        r"gay|lesbian|bisexual|queer|trans|transgender|transitioning|non-?binary|(?:his|her|their) pronouns|same-sex|(?:his|her) (?:boyfriend|girlfriend|partner)",
    ),
    "age_coded": (
        r"(?:his|her|their) age|\bage\b|older|elderly|retir(?:e|ing|ement)|pension|generation\w*|grey-haired|grey hair|gray hair",
        r"(?:[4-7]\d|fifty|sixty|seventy)(?:-year-old| years old)|in (?:his|her|their) (?:fifties|sixties|seventies|50s|60s|70s)",
    ),
    "gendered_language": (
        r"(?:as |being )?an? (?:woman|girl|lady|female)|women|girls|ladies|(?:a )?man['’]s world|female",
    ),
    "appearance": (
        r"tattoos?|tatts|piercings?|nose ring|dreadlocks|dreads|(?:his|her|their) (?:hair|beard|weight|size|figure|teeth|skin|clothes|outfits?|look)",
    ),
}

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
    "anxiety attacks|anxiety issues|anxiety problems|social anxiety|panic attacks|panic disorder|bipolar|bipolar disorder|schizophrenia|"
    "schizophrenic|PTSD|OCD|eating disorder|anorexia|anorexic|bulimia|bulimic|HIV|HIV-positive|"
    "AIDS|multiple sclerosis|MS diagnosis|parkinson's|alzheimer's|dementia|arthritis|asthma|"
    "heart condition|heart attack|heart surgery|stroke|surgery|illness|chronic illness|"
    "chronic pain|chronic fatigue|fibromyalgia|lupus|crohn's|IBS|celiac disease|long covid|"
    "mental health|mental illness|mental-health issues|mental breakdown|nervous breakdown|"
    "breakdown|therapy|therapist|psychiatrist|counseling|counselling|rehab|addiction|"
    "alcoholism|alcoholic|recovering alcoholic|addict|recovering addict|former addict|ex-addict|sobriety|sober|medical condition|health condition|"
    "health issues|health problems|health scare|diagnosis|diagnosed|medical leave|sick leave|"
    "disability leave|stress leave|sick days|insomnia|sleep apnea|obesity|infertility|"
    "miscarriage|cancer treatment|treatment|condition|neurodivergent|neurodiverse|tourette's|"
    "tourettes|stutter|stuttering|stammer|stammering|lisp|health|MS",
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
    "head scarf|hijabi|turban|yarmulke|kippah|niqab|burqa|muslim|christian|catholic|jewish|jew|hindu|"
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
    "health",
    "ms",
}
