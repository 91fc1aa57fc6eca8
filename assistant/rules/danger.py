"""Immediate danger in a practitioner's words: a risk of death or serious injury now, not a worry in general.

`detect_danger(text)` returns the words that show it (for the `emergency` fact, §2 F16) or None, and
`no_danger(text)` the words that say there is none ("it isn't an emergency"). Danger is one of: suicide or
self-harm happening or planned now; a threat to kill or hurt someone; a weapon held, carried or brandished;
a child missing now; a non-mobile baby with an injury nobody explains; a young child alone or unsupervised
now; a child taken or about to be taken. A cue does not count when the text makes it past and safe ("two
years ago", "all fine now"), when it is talk about policy, training or lessons ("knife crime awareness",
"what's the procedure if"), or when it is an idiom ("mum will kill me if I'm late", "killing time"). Patterns
only, no model: the cues are general forms of speech, tuned on evals/danger-dev.yaml and measured elsewhere."""

from __future__ import annotations

import re

IC = re.IGNORECASE
OBJ = r"(?:her|him|them|us|you|u|ur|a (?:named )?\w+ (?:lad|boy|girl|kid)|a named \w+|another (?:kid|pupil|boy|" \
      r"girl|lad|child|student)|the (?:kids?|child|children|baby|boys?|girls?|lad|teenage \w+|little \w+)|his \w+|" \
      r"her \w+|their \w+|the \w+'s \w+)"
MODAL = r"(?:will|wil|'ll|ll|going to|goin to|gonna|coming to|comin to|threaten(?:s|ing) to|wants? to|" \
        r"about to|plan(?:s|ning)? to|tryna|trying to)"
HARM = r"(?:kill|murder|stab|shoot|merk|shank|slash|strangle|choke|beat|batter|hit|punch|kick|burn|smash|break|hurt|" \
       r"do (?:her|him|them|u|you) in|cut|glass|drown|hang|jump|finish|end|run (?:her|him) over)"
SELF = r"(?:her|him|them|my|your|my|their)sel(?:f|ves)"
INFANT_AGE = r"(?:\b\d{1,2}[- ]?(?:weeks?|wks?|months?|mo)\b(?! pregnant)(?:[- ]old)?|\bnewborn|" \
             r"\bday \d{1,2} visit|\bnot (?:yet )?" \
             r"(?:crawling|mobile|rolling)|\bnon[- ]mobile|\bbaby\b|\binfant\b)"
YOUNG = r"(?:\b(?:[1-9]|1[0-1])\s?(?:yo|y/o|yr|yrs|year|years)\b(?:[- ]old)?|\b\d{1,2}[- ]?months?[- ]old|\bbaby\b|" \
        r"\btoddler|\blittle ones?\b|\binfant|\b(?:age|aged) [1-9]\b|\b(?:he|she)'?s [1-9]\b|" \
        r"\b(?:about|aged) [1-9] and [1-9]\b)"

CUES: list[tuple[str, re.Pattern]] = [(kind, re.compile(rx, IC)) for kind, rx in [
    # Suicide and self-harm, happening or intended.
    ("suicide", r"\b(end(?:ing)?|take|taking|tak) (?:her|his|their|my|your) (?:own )?life\b"),
    ("suicide", rf"\b(?:kill|killing|drown|drowning|hang|hanging|hurt|harm|harming|cut|cutting|cuts|poison|gas|"
                rf"starve|strangle|choke) {SELF}\b"),
    ("suicide", rf"\b{MODAL} (?:just )?(?:end|finish) (?:it|it all|everything|things)\b"),
    ("suicide", r"\b(?:suicide note|suicidal|want(?:s|ed)? to die|wanna die|better off dead|going to die tonight|"
                r"tonight'?s the night|done with everything|(?:can'?t|cant|cannot) (?:do|take) (?:this|it) "
                r"any ?more|(?:won'?t|wont|will not) (?:have to )?(?:worry about|see|bother) me (?:after|again|any)|"
                r"said (?:her |his )?goodbyes?|sa(?:id|ying) goodbye to|(?:sorry,? )?goodbye'|gave away|given away|"
                r"giving away|has a plan and|the means at home|(?:got|has|have|ive got|i've got) (?:the )?(?:pills|"
                r"tablets|rope) (?:lined up|ready|saved)|(?:a|the) (?:rope|noose|ligature) (?:in|at|round|around)|"
                r"ligature|noose)\b"),
    ("suicide", r"(?:sorry,? )?\bgoodbye\b(?!s? (?:party|card|assembly|lunch|for now))"),
    ("suicide", r"\b(?:threaten(?:s|ed|ing)? to jump|going to jump|gonna jump|about to jump|on (?:the|a) (?:\w+ )?"
                r"(?:roof|ledge|bridge|railway|train tracks|cliff)|at the (?:train tracks|railway|bridge|cliff|"
                r"edge)|on the (?:train )?tracks)\b"),
    ("self_harm", r"\b(?:overdos(?:e|ed|ing)|took (?:a (?:load|lot|handful|bunch|packet) of |loads of |lots of |"
                  r"all (?:her|his|"
                  r"the) |some |too many |(?:\d+|twenty|thirty) ?)(?:pills|tablets|paracetamol|meds|"
                  r"painkillers)|swallow(?:ed|s|ing) (?!(?:her|his) pride)\w+)\b"),
    ("self_harm", r"\b(?:cutting (?:her|his|their) (?:arms?|wrists?|legs?|thighs?|skin|stomach)|cut (?:really |very |"
                  r"quite )?deep|still bleeding|bleeding (?:a lot|heavily|badly|loads)|fresh cuts|need(?:s)? "
                  r"stitches|self[- ]?harm(?:ing)? (?:right )?now|(?:going|gonna|go) (?:home )?to cut\b|cut till|"
                  r"wants to do more|(?:tied|tight|wrapped|pulled) [^.]{0,30}(?:round|around) (?:his|her|their) neck)"),
    # Threats to kill or hurt someone.
    ("threat", rf"\b{MODAL} (?:\w+ ){{0,3}}?{HARM}\w* (?!me\b|myself\b){OBJ}"),
    ("threat", r"\b(?:getting|get|gonna get|going to get) (?:merked|stabbed|shanked|shot|done in|jumped|battered|"
               r"killed|murdered)\b"),
    ("threat", r"\b(?:give|giving) (?:him|her|them|the \w+) a (?:proper |good |real )?(?:hiding|beating|kicking|"
               r"slap)\b|\bhit out on\b|\bthreaten(?:s|ing) to (?:kill|hit|hurt|stab|beat|burn)\b|"
               r"\b(?:said|says|saying|told \w+|texted|shouting|screaming|messaged) (?:that )?(?:he|she|they)(?:'d|"
               r" would) "
               r"(?:\w+ ){0,2}?(?:kill|murder|stab|do (?:her|him|them) in|batter|beat|burn|hurt)\b"),
    ("threat", r"\b(?:do|doing|have|get|perform) (?:\"|'|“)?the cut\b|\b(?:cutting|fgm) (?:ceremony|is planned|"
               r"tonight|this weekend)\b"),
    # Weapons held, carried or brandished.
    ("weapon", r"\b(?:has|have|'s got|s got|got|carrying|carries|holding|holds|waving|brandish\w*|pulled|brought|"
               r"with|showed \w+)\s(?:a |an |his |her |the |their )?(?:kitchen |broken |big |huge |real |loaded )?"
               r"(?:knife|blade|gun|shank|machete|firearm|pistol|screwdriver|bottle|axe|hammer|crossbow|zombie knife|"
               r"weapon|bat)\b(?! crime)(?! for work)"),
    ("weapon", r"\b(?:knife|blade|gun|shank|machete|weapon|firearm|pistol) (?:in|down) (?:his|her|their|the) "
               r"(?:waistband|bag|pocket|sock|coat|jacket|hand)\b"),
    # A child missing now.
    ("missing", r"\b(?:hasn'?t|has not|not|nobody has|no one has|no-one has|have not|haven'?t) (?:been )?(?:seen|heard "
                r"from) (?:her|him|them )?since\b|\b(?:has not|hasn'?t|not|didn'?t|did not|never) (?:come|came|"
                r"gone|got|returned|made it) (?:back |home)|\b(?:has|have|is|'s|s|are) (?:gone |been |"
                r"still )?missing\b|"
                r"\bmissing from (?:her|his|their|the)\b|"
                r"\bgone missing\b|\bwandered off\b|\b(?:can'?t|cant|cannot|couldn'?t) find (?:him|her|them|the)\b|"
                r"\bno idea where (?:he|she|they) (?:is|are|went)\b|\bdon'?t know where (?:he|she|they) (?:is|are)\b|"
                r"\bbut the baby (?:isn'?t|is not|has gone)\b|\bgone from (?:the|her|his|their)\b|\blast pinged\b|"
                r"\b(?:been|are|we're|were) (?:looking|searching) (?:for )?(?:\d+|for|everywhere|ages)|"
                r"\bsearched everywhere\b|\b(?:now |still )(?:not|isn'?t) answering\b|\btrap ?house\b"),
    # Taken, or about to be taken.
    ("abduction", r"\b(?:bundled|dragged|forced|pushed|pulled) (?:\w+ ){0,3}?(?:into|in) (?:a|the|his|their) "
                  r"(?:van|car|vehicle)|\bsnatch(?:ed|ing)?\b|\b(?:in a car|in a van) (?:going|heading|driving) to\b|"
                  r"\b(?:heading|driving|on (?:his|her|their) way) (?:to|for) (?:the )?(?:ferry|airport|port|border)|"
                  r"\b(?:they'?ve|theyve|they have|he'?s|she'?s|has) taken (?:my|her|him|the kids|them)\b(?! to (?:"
                  r"school|hospital|(?:his|her) dad'?s|the park))|\b(?:coming|come) (?:\w+ ){0,2}to (?:take|move|"
                  r"collect|get) (?:her|him|them|the kids)\b|\btake the kids\b|\bget in (?:the|his|her|a) (?:car|"
                  r"van)\b|"
                  r"\b(?:car|van) is (?:still )?(?:circling|outside|waiting)\b|\btaking (?:our|a|the|this) \w+ "
                  r"(?:\w+ )?(?:girl|boy|lad|child|kid|yo|year old) off\b|\boutside (?:\w+ ){0,3}waiting for (?:her|"
                  r"him)\b"),
    # An emergency in plain words.
    ("emergency", r"\b(?:(?:calling|ringing|called|rang|phoned|phoning|dialled|dialling|ring|call) 999|unconscious|"
                  r"in a coma|not breathing|stopped breathing|collapsed|call(?:ed|ing)? (?:an )?"
                  r"ambulance|ambulance is (?:here|on its way|coming)|paramedics|immediate (?:danger|risk)|"
                  r"(?:he|she) could kill (?:her|him)|plans? to (?:hang|kill|stab|shoot))\b"),
]]

INFANT_INJURY = re.compile(r"\b(?:bruis\w*|swollen|swelling|fractur\w*|broken (?:arm|leg|bone)|torn frenulum|"
                           r"blood in (?:her|his|their) mouth|black eye|bite marks?|burns?\b|scald\w*|screams? when "
                           r"(?:it'?s |he'?s |she'?s )?(?:touched|moved|picked up)|won'?t move (?:her|his|their)|"
                           r"not moving (?:her|his) (?:arm|leg)|bleeding|head injury|marks? on (?:her|his)|"
                           r"floppy|fitting|limp)\b", IC)
INFANT = re.compile(INFANT_AGE, IC)
EXPLAINED = re.compile(r"\b(?:(?:was|were|been|and|fully|clearly) explained|mongolian|birth ?mark|red book|"
                       r"jab|injections?|vaccinations?|immunis\w*|"
                       r"accidental and|thriving)\b", IC)

ALONE = re.compile(r"\b(?:(?:home |house |flat )?alone|on (?:his|her|their) own|left (?:a |an |her |his |the |their )?"
                   r"(?:\w+ ){0,3}?(?:in the bath|in the car|in the flat|in the house|at home|on (?:his|her|their) own|"
                   r"with no (?:one|adult))|passed out|unconscious|nobody (?:is )?(?:home|in)|no adults?|"
                   r"(?:open )?balcony|near the (?:road|water|pond|river|canal))\b", IC)

PAST = re.compile(r"\b(?:\d+ (?:years?|yrs?|months?|weeks?) ago|(?:in|since|back in) (?:19|20)\d\d|"
                  r"(?<!since )last (?:summer|year|"
                  r"month|term|spring|autumn|winter|christmas|week)|when (?:she|he|they) (?:was|were) (?:little|"
                  r"younger|small|a baby|in care|at primary)|used to|(?:was|were) admitted|old scars|"
                  r"(?:has|have|had) threatened (?:him|her|them) before|in the past|(?<!since )last night|"
                  r"the other (?:day|night)|"
                  r"(?:came|got|was|were) back|came home|in year \d+|as a (?:baby|toddler|child)|"
                  r"was discharged|were discharged|diversion programme|was excluded)\b", IC)
RESOLVED = re.compile(r"\b(?:(?:all )?fine now|is fine now|went home fine|(?:he|she|they|everyone) (?:was|were|is|"
                      r"are|'s|s) "
                      r"(?:fine|ok|okay|safe)\b|now safe|(?:has|have|'s) recovered|currently well|(?:really |now )?"
                      r"settled|was found|were found|(?:was|were|been) returned|in prison|non-mol|coping|"
                      r"feeling (?:much |a lot )?better|doing (?:really )?well|safety plan|"
                      r"hasn'?t done it since|off the \S+ pathway|sorted it|first aider|as per the court|court "
                      r"arrangement|rapid review|practice review|serious case review)\b", IC)
NEGATED = re.compile(r"\b(?:no|not|never|isn'?t|wasn'?t|aren'?t|doesn'?t|didn'?t|denies|denied|nor|"
                     r"without)\b[^.;,]{0,20}$",
                     IC)
CLAUSE = re.compile(r"[.!?;,:]\s|\s[-–—]\s|\s(?:and|but|so)\s", IC)
TALK = re.compile(r"\b(?:awareness|training|protocol|policy|policies|procedure|explainer|induction|definition|"
                  r"resources|coursework|story|scene|lesson|guidance|curriculum|session|assembly|workshop|"
                  r"what does|what are the|how do (?:i|we)|how long|is it legal|can a \d+|difference between|"
                  r"what'?s the (?:difference|definition|procedure)|signs of|when should|should (?:i|we) cover|"
                  r"romeo|13 reasons|novel|film|documentary|statistics)\b", IC)
NOW = re.compile(r"\b(?:right now|just now|now|tonight|tonite|2nite|today|this (?:morning|afternoon|evening)|at the "
                 r"moment|currently (?:in|on|with|at|outside)|still (?:there|outside|going|bleeding|circling))\b", IC)
IDIOM = re.compile(r"\b(?:kill(?:s|ing)? (?:me|time)|murder (?:me|a|an|some)|(?:laugh|grin|smil|jok)\w*|banter|"
                   r"(?:kill|murder|ground) (?:me|us|her|him)\b[^.]{0,30}\bfor (?:borrowing|taking|eating|"
                   r"using|losing|"
                   r"breaking|wearing) |shoot me|if (?:i|we)'?m late|"
                   r"if (?:i|he|she) (?:fail|lose)|kms|a killer|dead (?:tired|bored|funny)|nearly died|on fire|"
                   r"kill for|"
                   r"smashed it|starving|die of embarrassment|dying to|to die for)\b", IC)
NO_DANGER = re.compile(r"\b(?:(?:is|isn'?t|is not|it'?s not|its not|not) (?:an |in )?(?:any )?(?:immediate |physical )?"
                       r"(?:emergency|danger)|no (?:immediate )?(?:danger|risk to life)|not at immediate risk)\b", IC)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentence(text: str, start: int) -> str:
    bounds = [0] + [m.end() for m in SENTENCE.finditer(text)] + [len(text)]
    for a, b in zip(bounds, bounds[1:]):
        if a <= start < b:
            return text[a:b]
    return text


def _discounted(text: str, start: int) -> bool:
    """The cue is negated in its own clause ("isn't suicidal"), or its sentence is about the past."""
    sentence = _sentence(text, start)
    before = text[max(0, start - 60):start]
    clause = CLAUSE.split(before)[-1]
    return bool(NEGATED.search(clause)) or bool(PAST.search(sentence) and not NOW.search(sentence))


def _infant_injury(text: str) -> str | None:
    if EXPLAINED.search(text):
        return None
    for m in INFANT_INJURY.finditer(text):
        baby = INFANT.search(_sentence(text, m.start()))
        if baby and not _young_enough_to_walk(baby.group(0)) and not _discounted(text, m.start()):
            return m.group(0)
    return None


def _young_enough_to_walk(words: str) -> bool:
    """True when the infant words name an age past the first year ("18 months"): no longer non-mobile."""
    m = re.search(r"(\d{1,2})[- ]?(weeks?|wks?|months?|mo)\b", words, IC)
    return bool(m and m.group(2).lower().startswith("mo") and int(m.group(1)) >= 12)


def _left_alone(text: str) -> str | None:
    for m in ALONE.finditer(text):
        young = re.search(YOUNG, _sentence(text, m.start()), IC)
        if young and not _discounted(text, m.start()):
            return m.group(0)
    return None


def detect_danger(text: str) -> str | None:
    """The words that show an immediate risk of death or serious injury, or None."""
    if not text or NO_DANGER.search(text):
        return None
    now = NOW.search(text)
    resolved = RESOLVED.search(text)
    found: list[str] = []
    for _kind, pattern in CUES:
        for m in pattern.finditer(text):
            sentence = _sentence(text, m.start())
            if IDIOM.search(sentence) or (TALK.search(sentence) and not now) or _discounted(text, m.start()) \
                    or (resolved and not NOW.search(sentence)) or RESOLVED.search(sentence):
                continue
            if _kind == "missing" and MISPLACED.search(sentence) and not re.search(YOUNG, sentence, IC):
                continue
            found.append(m.group(0))
            break
        if found:
            break
    if not found and not (TALK.search(text) and not now) and not resolved:
        for words in (_infant_injury(text), _left_alone(text)):
            if words:
                found.append(words)
                break
    if not found:
        broad = _broad(text)
        if broad:
            found.append(broad)
    return found[0] if found else None


# A broader second layer: one sentence holding a danger word of a kind, with what makes it about now or a person.
# General forms, not phrasings: a means of self-harm with taking, a body in a dangerous place, a threat verb with
# a person and a time, a weapon with intent, a child who cannot be found, a baby with an injury nobody explains.
PILLS = r"(?:pills|tablets|paracetamol|ibuprofen|painkillers|meds|medication|co-?codamol|antidepressants|insulin)"
BROAD: list[tuple[str, re.Pattern]] = [(kind, re.compile(rx, IC)) for kind, rx in [
    ("suicide", rf"\b(?:taken|took|swallowed|necked|downed|stockpil\w*|saving up|hoarding)\b[^.]{{0,40}}\b{PILLS}\b"),
    ("suicide", r"\b(?:in front of a (?:train|bus|car|lorry)|off (?:the|a) (?:bridge|roof|car park|cliff|building)|"
                r"(?:wrong|other) side of the (?:bridge|railings|barrier|fence)|on the (?:roof|ledge|railway|tracks)|"
                r"step(?:ping)? (?:off|out)|jump(?:ing)? (?:off|from|in)|hang (?:herself|himself|themselves)|"
                r"kill(?:ing)? (?:herself|himself|themselves)|end (?:it|it all)\b)"),
    ("self_harm", r"\b(?:razor|blade|compass|scissors|glass|lighter)s?\b[^.]{0,60}\b(?:on (?:herself|himself|"
                  r"themselves)|arms?|wrists?|legs?|skin|flesh)\b|\b(?:deep|gaping|open) (?:wound|cut|gash)s?\b|"
                  r"\bgash\b|\braw flesh\b|\b(?:can'?t|cant|won'?t) stop (?:the )?bleeding\b|\bstarted cutting\b|"
                  r"\bthere'?s (?:a lot of |loads of )?blood\b|\bbanging (?:her|his|their) "
                  r"head\b|\bpunched (?:through )?(?:a|the) (?:window|glass|wall)\b|\bgo deeper\b"),
    ("threat", r"\b(?:kill|murder|stab|shoot|wet|end|finish|batter|beat|burn|acid|boiling water|jump|bash|smash|"
               r"do in|sort (?:him|her) out|hurt)\w*\b[^.]{0,50}\b(?:tonight|today|later|after school|when (?:she|he|"
               r"they) (?:gets?|comes?) (?:home|back|in|out)|when (?:i|we) (?:get|see)|at (?:\d|home time|3)|now|"
               r"this (?:afternoon|evening|weekend)|tomorrow|if (?:she|he|they|anyone) (?:leaves?|tells?|goes|"
               r"finds? out))\b"),
    ("threat", r"\b(?:you'?re|ur|youre|she'?s|he'?s) dead when\b|\b(?:finish|end|get|do) (?:you|u|her|him)\b"
               r"[^.]{0,10}$|\bwaiting (?:at|for|outside)\b[^.]{0,40}\b(?:finish|get|end|hurt|do) (?:you|u|her|him)\b"),
    ("threat", r"\b(?:will|'ll|ll|going to|gonna|gona|is going to|wants to|threaten\w* to)\s+(?:\w+\s+){0,2}?"
               r"(?:kill|murder|stab|shoot|wet|end|finish|batter|burn|throw acid|pour|bash|jump|attack|hurt)\b"
               r"(?!\s+(?:me|myself|time|it)\b)"),
    ("weapon", r"\b(?:knife|knives|blade|blades|machete|gun|firearm|acid|zombie knife|crossbow|axe|baseball bat)\b"
               r"[^.]{0,60}\b(?:use|using|stab|threat\w*|next|tonight|today|now|waiting|outside|flash\w*|pull\w*|"
               r"wav\w*|collect\w*|stash|carry\w*|keeps?|hid\w*|point\w*)\b"),
    ("weapon", r"\b(?:flash\w*|pull\w*|wav\w*|point\w*|brandish\w*|collect\w*|carry\w*)\b[^.]{0,30}\b(?:knife|knives|"
               r"blade|blades|machete|gun|firearm)\b"),
    ("missing", r"\b(?:run off|ran off|went off|wandered off|disappeared|vanished|left the (?:ward|unit|building|"
                r"school|home|house)|isn'?t in the (?:building|room|class|house)|not in the building|no one knows "
                r"where|nobody knows where|(?:hasn'?t|has not|not) (?:been )?(?:found|seen|arrived|turned up|come "
                r"home|got home)|didn'?t (?:get on|get off|arrive|come home|turn up)|lost (?:a|the|our|my) "
                r"(?:\d+ ?(?:yr|year|yo)|child|kid|boy|girl|toddler|pupil)|can'?t (?:see|find) (?:him|her|them)|"
                r"last (?:seen|headcount))\b"),
    ("abduction", r"\b(?:grabbed|snatched|taken|took|bundled|picking (?:her|him) up|pick (?:her|him) up|"
                  r"collect(?:ing)? (?:her|him)|fl(?:own|ying) (?:to|out)|at the airport|to (?:get )?married|"
                  r"for cutting|forced marriage|passport'?s? (?:been )?taken)\b[^.]{0,60}\b(?:now|today|tonight|"
                  r"tomorrow|in \d+ mins?|just|off|phone is off|without|not (?:a|his|her) parent|wasn'?t a "
                  r"parent|married|cutting|london|airport|abroad|pakistan|nigeria|somalia|india|bangladesh)\b"),
    ("left_alone", r"\b(?:locked out|left (?:alone|on (?:their|his|her) own)|home alone|on (?:their|his|her) own)\b"
                   r"[^.]{0,60}\b(?:snow|dark|cold|night|hours|since|nobody|no one|answering|getting dark)\b"),
]]
INFANT_BROAD = re.compile(r"\b(?:bruis\w*|fractur\w*|burn\w*|bulging|soft spot|head injury|swollen|swelling|"
                          r"not feeding|won'?t feed|floppy|fitting|unresponsive|limp|bleed\w*|blood)\b", IC)
EXPLAINED_BROAD = re.compile(r"\b(?:from the (?:jab|injection|vaccination)s?|injections?|vaccinations?|birth ?mark|"
                             r"mongolian|investigated and|brittle bones|osteogenesis|explained|accidental|fell "
                             r"(?:off|from) (?:the )?(?:sofa|bed)\b.*\b(?:seen|checked))\b", IC)
ITEMS = (r"(?:pe kit|homework|coursework|phone|keys|bag|book|lunch|money|kit|shoes?|coat|jumper|blazer|tie|laptop|"
         r"charger|ipad)")
MISPLACED = re.compile(rf"\b(?:lost|missing|forgot|left)\b[^.]{{0,15}}\b{ITEMS}\b|\b{ITEMS}\b[^.]{{0,25}}"
                       rf"\b(?:missing|lost|gone missing)\b", IC)


def _broad(text: str) -> str | None:
    for kind, pattern in BROAD:
        for m in pattern.finditer(text):
            sentence = _sentence(text, m.start())
            if IDIOM.search(sentence) or TALK.search(sentence) and not NOW.search(sentence):
                continue
            if _discounted(text, m.start()) or RESOLVED.search(sentence):
                continue
            if kind == "missing" and MISPLACED.search(sentence) and not re.search(YOUNG, sentence, IC):
                continue
            return m.group(0)
    for m in INFANT_BROAD.finditer(text):
        sentence = _sentence(text, m.start())
        baby = INFANT.search(sentence)
        if baby and not _young_enough_to_walk(baby.group(0)) and not EXPLAINED_BROAD.search(sentence) \
                and not _discounted(text, m.start()) and not TALK.search(sentence):
            return m.group(0)
    return None


def no_danger(text: str) -> str | None:
    """The words that say nobody is in immediate danger ("it isn't an emergency"), or None."""
    m = NO_DANGER.search(text)
    return m.group(0) if m else None
