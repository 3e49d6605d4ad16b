//! Named entities: the statistical tagger of [`crate::ner`] (an averaged perceptron
//! trained on CoNLL-2003) finds the mentions and their kinds; this module turns body
//! text into its tokens, maps the tags back to byte spans, and makes the mentions of
//! one article agree with each other.
//!
//! 1. **Mentions** come from the model, tagging the whole article as one document
//!    (it uses document-level evidence). Tokens follow the CoNLL conventions
//!    ([`crate::ner::tokenize`]): "U.S." one token, "'s" split off (so "Okafor's" gives
//!    "Okafor"), quotes and commas apart. Titles are not part of names, as in CoNLL.
//!    Should the embedded model fail to load (a broken build), the older rule-based
//!    tagger below takes over, so analysis degrades instead of failing.
//! 2. **Within the article** ([`resolve`]): a mention whose words are a suffix or
//!    subset of a longer person name ("Okafor" after "Maria Okafor") gets that name as
//!    canonical and kind Person; an acronym given in parentheses after its expansion
//!    ("Harbour Transit Authority (HTA)") maps to the expansion; then every canonical
//!    name takes the kind most of its mentions have, since one article uses one name
//!    for one thing.
//! 3. **Nominal mentions** ("the Valdorian leader", "the president") become Person
//!    mentions of a named person only where the text makes it clear: the person was
//!    introduced with that role ("Valdorian President Maria Okafor", "President Maria
//!    Okafor"), and no other person in the article was introduced with it.
//!
//! The rule-based fallback: mentions are maximal runs of capitalised tokens, with
//! connectors ("Bank of Valdoria", "Procter & Gamble"), titles cut from the front;
//! kind by the first cue that applies (title → Person, organisation head word or
//! outlet → Org, place gazetteer or shape → Loc, nationality → Misc, …).
use std::collections::HashMap;

use parallax_core::{Entity, EntityKind, Sentence, Span};

use crate::credits::CreditFinder;

/// Words that start sentences but are not names on their own.
const COMMON: &[&str] = &[
    "The",
    "A",
    "An",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "On",
    "In",
    "At",
    "For",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Some",
    "Many",
    "Most",
    "No",
    "Not",
    "Meanwhile",
    "However",
    "Still",
    "Then",
    "Now",
    "Earlier",
    "Later",
    "According",
    "Last",
    "Next",
    "One",
    "Two",
    "Three",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Both",
    "All",
    "Each",
    "Other",
    "Such",
    "With",
    "Without",
    "Under",
    "Since",
    "Until",
    "During",
    "Although",
    "Though",
    "Because",
    "By",
    "From",
    "To",
    "Of",
    "Asked",
    "Officials",
    "Police",
    "Also",
    "Here",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Tonight",
    "Read",
    "More",
    "Even",
    "Just",
    "Only",
    "Every",
    "Any",
    "Over",
    "About",
    "Despite",
    "Amid",
    "Among",
    "Instead",
    "Whether",
    "Thus",
    "Do",
    "Does",
    "Did",
    "Is",
    "Are",
    "Was",
    "Were",
    "Has",
    "Have",
    "Had",
    "Will",
    "Would",
    "Could",
    "Should",
    "May",
    "Might",
    "Can",
    "Let",
    "Please",
    "Yes",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Several",
    "Few",
    "Much",
    "Another",
    "Like",
    "Unlike",
    "Nor",
    "Whose",
    "Which",
    "Whom",
];

const MONTHS_DAYS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Tues",
    "Wed",
    "Thu",
    "Thurs",
    "Fri",
    "Sat",
    "Sun",
];

/// Lower-case words inside personal names ("Ludwig van Beethoven", "Ana de Souza").
pub const PARTICLES: &[&str] = &[
    "de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den", "ter",
    "bin", "ibn", "al", "el", "la", "le", "y",
];

/// Whether text reads as a person's or organisation's name: one to five words, each
/// capitalised (or a particle, and at least one capitalised), of letters, hyphens,
/// periods and inner apostrophes ("O'Neill", "St. John"), with no contraction or
/// possessive ("HE'S", "Let's", "GOP's") and no digits. "Few people", "46 percent",
/// `True.">Sanders` and "jonas@harbour-times.example" are not names. Used wherever a
/// capitalised string might be taken for someone: a quote's source without an entity,
/// a byline's pieces.
pub fn looks_like_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    !words.is_empty()
        && words.len() <= 5
        && words.iter().any(|w| capitalised(w))
        && words.iter().all(|w| {
            let lower = w.to_lowercase();
            let contraction = ["'s", "\u{2019}s", "'re", "'ll", "'ve", "n't"]
                .iter()
                .any(|end| lower.ends_with(end));
            let shaped = w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\'' | '\u{2019}'));
            shaped && !contraction && (capitalised(w) || PARTICLES.contains(&lower.as_str()))
        })
}

/// Titles and roles that put a person's name right after them.
const TITLES: &[&str] = &[
    "President",
    "Minister",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Prof",
    "Professor",
    "Commander",
    "Councillor",
    "Councilor",
    "Mayor",
    "Inspector",
    "Sen",
    "Senator",
    "Rep",
    "Representative",
    "Gov",
    "Governor",
    "Gen",
    "General",
    "Lt",
    "Col",
    "Colonel",
    "Capt",
    "Captain",
    "Sgt",
    "Sergeant",
    "Judge",
    "Justice",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Chancellor",
    "Premier",
    "Secretary",
    "Ambassador",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "Coach",
    "Officer",
    "Detective",
    "Constable",
    "Superintendent",
    "Admiral",
    "Major",
    "Lord",
    "Lady",
    "Sir",
    "Dame",
    "Rabbi",
    "Imam",
    "Father",
    "Bishop",
    "Archbishop",
    "Sheikh",
    "Vice",
    "Deputy",
    "Prime",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
    "Finance",
    "Health",
    "Chief",
    "Executive",
    "Attorney",
    "Speaker",
    "Leader",
    "Rev",
    "Hon",
    "Pres",
    "Supt",
    "Det",
    "Cllr",
    "Adm",
    "Maj",
    "Sheriff",
    "Lieutenant",
    "Corporal",
    "Private",
    "Dean",
    "Chef",
    "Auditor",
    "Treasurer",
    "Commissioner",
    "Magistrate",
];

/// Lower-case role words that cue a person name after them ("chief executive Ada
/// Brook", "spokesperson Tom Vell").
const LOWER_ROLES: &[&str] = &[
    "executive",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "minister",
    "president",
    "mayor",
    "councillor",
    "inspector",
    "commander",
    "director",
    "chairman",
    "chairwoman",
    "secretary",
    "senator",
    "governor",
    "judge",
    "lawyer",
    "attorney",
    "coach",
    "captain",
    "officer",
    "founder",
    "ceo",
    "analyst",
    "economist",
    "professor",
    "manager",
    "leader",
    "resident",
    "witness",
    "singer",
    "actor",
    "actress",
    "author",
    "writer",
    "reporter",
    "correspondent",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "player",
];

/// Last words that make a name an organisation.
const ORG_HEADS: &[&str] = &[
    "Authority",
    "Ministry",
    "Council",
    "Agency",
    "Ferries",
    "Railways",
    "Railway",
    "Freight",
    "Press",
    "News",
    "Times",
    "Post",
    "Courier",
    "Daily",
    "Inc",
    "Corp",
    "Corporation",
    "Ltd",
    "Co",
    "Company",
    "Party",
    "University",
    "College",
    "Bank",
    "Committee",
    "Police",
    "Guard",
    "Group",
    "Association",
    "Union",
    "Institute",
    "Foundation",
    "Commission",
    "Department",
    "Office",
    "Service",
    "Services",
    "Board",
    "Court",
    "Army",
    "Navy",
    "Force",
    "Forces",
    "Airlines",
    "Airways",
    "Motors",
    "Holdings",
    "Partners",
    "Club",
    "FC",
    "United",
    "Federation",
    "League",
    "Organization",
    "Organisation",
    "Society",
    "Trust",
    "Fund",
    "Bureau",
    "Assembly",
    "Parliament",
    "Senate",
    "Congress",
    "Cabinet",
    "Government",
    "Administration",
    "Church",
    "School",
    "Hospital",
    "Network",
    "Herald",
    "Tribune",
    "Journal",
    "Gazette",
    "Telegraph",
    "Chronicle",
    "Radio",
    "Television",
    "Broadcasting",
    "Magazine",
    "Review",
    "Observer",
    "Monitor",
    "Systems",
    "Technologies",
    "Industries",
    "Energy",
    "Pharmaceuticals",
    "Airport",
    "Port",
    "Exchange",
    "Reserve",
    "Alliance",
    "Coalition",
    "Front",
    "Movement",
    "Brigade",
    "Battalion",
    "Regiment",
    "Command",
    "Ltd.",
    "Inc.",
    "Corp.",
    "LLC",
    "plc",
    "PLC",
    "AG",
    "SA",
    "GmbH",
    "Labs",
    "Media",
    "Studios",
    "Records",
    "Team",
    "Squad",
];

/// Head words of place names ("Lake Orra", "Elsby River", "Kestrel County").
const LOC_FIRST: &[&str] = &[
    "Port", "Mount", "Mt", "Lake", "Cape", "Fort", "Saint", "St", "San", "Santa", "New",
];
const LOC_LAST: &[&str] = &[
    "City",
    "River",
    "Island",
    "Islands",
    "County",
    "Province",
    "Street",
    "Avenue",
    "Road",
    "Square",
    "Bay",
    "Valley",
    "Mountains",
    "Mountain",
    "Sea",
    "Ocean",
    "Gulf",
    "Strait",
    "Peninsula",
    "Coast",
    "Harbour",
    "Harbor",
    "District",
    "Region",
    "State",
    "Town",
    "Village",
    "Park",
    "Bridge",
    "Desert",
    "Lake",
    "Hills",
    "Heights",
    "Plateau",
];

/// A small gazetteer of countries, regions and major cities. Deliberately small: the
/// statistical model will replace it; this catches the most frequent names in news.
const PLACES: &[&str] = &[
    "Afghanistan",
    "Albania",
    "Algeria",
    "Angola",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Bolivia",
    "Bosnia",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chad",
    "Chile",
    "China",
    "Colombia",
    "Congo",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czech Republic",
    "Denmark",
    "Ecuador",
    "Egypt",
    "England",
    "Estonia",
    "Ethiopia",
    "Europe",
    "Africa",
    "Asia",
    "Finland",
    "France",
    "Gaza",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Guatemala",
    "Haiti",
    "Honduras",
    "Hong Kong",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Jamaica",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Korea",
    "North Korea",
    "South Korea",
    "Kosovo",
    "Kuwait",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Luxembourg",
    "Malaysia",
    "Mali",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Nepal",
    "Netherlands",
    "New Zealand",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "Norway",
    "Oman",
    "Pakistan",
    "Palestine",
    "Panama",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Rwanda",
    "Saudi Arabia",
    "Scotland",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Somalia",
    "South Africa",
    "Spain",
    "Sri Lanka",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tanzania",
    "Thailand",
    "Tunisia",
    "Turkey",
    "Uganda",
    "Ukraine",
    "United States",
    "United Kingdom",
    "Britain",
    "Great Britain",
    "America",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Wales",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "U.S.",
    "U.K.",
    "US",
    "UK",
    "USA",
    "Washington",
    "New York",
    "London",
    "Paris",
    "Berlin",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Kyiv",
    "Kiev",
    "Brussels",
    "Rome",
    "Madrid",
    "Geneva",
    "Vienna",
    "Warsaw",
    "Istanbul",
    "Ankara",
    "Tehran",
    "Baghdad",
    "Damascus",
    "Beirut",
    "Jerusalem",
    "Tel Aviv",
    "Cairo",
    "Riyadh",
    "Dubai",
    "Delhi",
    "New Delhi",
    "Mumbai",
    "Karachi",
    "Islamabad",
    "Kabul",
    "Seoul",
    "Pyongyang",
    "Shanghai",
    "Sydney",
    "Melbourne",
    "Toronto",
    "Ottawa",
    "Chicago",
    "Los Angeles",
    "San Francisco",
    "Boston",
    "Texas",
    "California",
    "Florida",
    "Ohio",
    "Michigan",
    "Pennsylvania",
    "Iowa",
    "Virginia",
    "Lagos",
    "Nairobi",
    "Johannesburg",
    "Havana",
    "Caracas",
    "Lima",
    "Bogota",
    "Santiago",
    "Buenos Aires",
    "Sao Paulo",
    "Rio de Janeiro",
    "Mexico City",
    "Hanoi",
    "Bangkok",
    "Jakarta",
    "Manila",
    "Taipei",
    "Minsk",
    "Tbilisi",
    "Baku",
    "Yerevan",
    "Amsterdam",
    "Stockholm",
    "Oslo",
    "Copenhagen",
    "Helsinki",
    "Dublin",
    "Lisbon",
    "Athens",
    "Prague",
    "Budapest",
    "Bucharest",
    "Sofia",
    "Belgrade",
    "Zagreb",
    "Middle East",
    "Europe",
    "Crimea",
    "Donbas",
    "West Bank",
    "Kashmir",
    "Balkans",
];

/// Nationality and demonym adjectives (CoNLL MISC).
const NATIONALITIES: &[&str] = &[
    "American",
    "British",
    "English",
    "French",
    "German",
    "Russian",
    "Chinese",
    "Japanese",
    "Korean",
    "Indian",
    "Pakistani",
    "Iranian",
    "Iraqi",
    "Syrian",
    "Israeli",
    "Palestinian",
    "Egyptian",
    "Turkish",
    "Ukrainian",
    "Polish",
    "Italian",
    "Spanish",
    "Portuguese",
    "Dutch",
    "Belgian",
    "Swiss",
    "Austrian",
    "Swedish",
    "Norwegian",
    "Danish",
    "Finnish",
    "Greek",
    "Irish",
    "Scottish",
    "Welsh",
    "Canadian",
    "Mexican",
    "Brazilian",
    "Argentine",
    "Australian",
    "African",
    "European",
    "Asian",
    "Arab",
    "Muslim",
    "Christian",
    "Jewish",
    "Catholic",
    "Islamic",
    "Western",
    "Soviet",
    "Saudi",
    "Lebanese",
    "Afghan",
    "Nigerian",
    "Kenyan",
    "Cuban",
    "Venezuelan",
    "Colombian",
    "Chilean",
    "Peruvian",
    "Hungarian",
    "Czech",
    "Romanian",
    "Serbian",
    "Croatian",
    "Bosnian",
    "Albanian",
    "Georgian",
    "Armenian",
    "Belarusian",
    "Kurdish",
    "Taiwanese",
    "Vietnamese",
    "Thai",
    "Indonesian",
    "Filipino",
    "Malaysian",
    "Democrat",
    "Democrats",
    "Republican",
    "Republicans",
    "Democratic",
    "Olympic",
];

/// Acronyms that are organisations in news use.
const ORG_ACRONYMS: &[&str] = &["EU", "UN", "NATO", "FBI", "CIA", "WHO", "IMF", "OPEC"];

/// Words after a name that make it a speaker ("Okafor said").
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asked",
    "wrote",
    "argued",
    "insisted",
    "explained",
];

/// Lower-case words that may stand inside a name. "and" is not one: "Ada Brook and Tom
/// Vell" are two people far more often than "X and Y" is one name.
const CONNECT: &[&str] = &[
    "of", "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "ibn", "&",
];

/// Words that keep an "of" inside the name ("Bank of Valdoria", "City of Orra"); after
/// any other word "of" separates two names ("Tomas Vell of Elsby Ferries").
const OF_KEEP: &[&str] = &[
    "Republic",
    "Kingdom",
    "Duke",
    "Duchess",
    "Prince",
    "Princess",
    "Queen",
    "King",
    "Secretary",
    "Minister",
    "House",
    "Chamber",
    "Isle",
    "Museum",
    "Sultanate",
    "Emirate",
    "States",
    "Federation",
    "Commonwealth",
    "Order",
    "Church",
    "Gulf",
    "Bay",
    "Sea",
    "Strait",
    "Cape",
    "Lake",
    "Mount",
    "Bishop",
    "Archbishop",
    "Governor",
    "Mayor",
    "Chancellor",
    "Speaker",
    "Archdiocese",
    "Diocese",
    "Province",
    "State",
    "Principality",
];

#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
}

pub struct EntityTagger {
    places: HashMap<&'static str, ()>,
    model: Option<&'static crate::ner::Model>,
}

fn outlets() -> &'static CreditFinder {
    CreditFinder::shared()
}

impl EntityTagger {
    pub fn new() -> Self {
        EntityTagger {
            places: PLACES.iter().map(|p| (*p, ())).collect(),
            model: crate::ner::shared(),
        }
    }

    /// Entity mentions in `body`, each with its canonical name within the article.
    pub fn tag(&self, body: &str, sentences: &[Sentence]) -> Vec<Entity> {
        let mut out = match self.model {
            Some(m) => self.split_of_the(body, tag_model(m, body, sentences)),
            None => self.tag_rules(body, sentences),
        };
        resolve(&mut out);
        nominals(body, sentences, &mut out);
        out
    }

    /// "Bashir al-Rahim of the Bank of Valdoria" read as one organisation is a person
    /// and an organisation: split at "of the" unless the word before "of" heads a
    /// name that takes "of" ("Bank of the West", "Gulf of the Moon").
    fn split_of_the(&self, body: &str, ents: Vec<Entity>) -> Vec<Entity> {
        let mut out = Vec::with_capacity(ents.len());
        for e in ents {
            let Some(k) = e.text.find(" of the ") else {
                out.push(e);
                continue;
            };
            let head = &e.text[..k];
            let words: Vec<&str> = head.split_whitespace().collect();
            let last = words.last().copied().unwrap_or("");
            let keeps_of =
                OF_KEEP.contains(&last) || ORG_HEADS.contains(&last) || LOC_LAST.contains(&last);
            let rest_start = k + " of the ".len();
            if keeps_of || words.is_empty() || rest_start >= e.text.len() {
                out.push(e);
                continue;
            }
            let kind = self.kind(head, &words, None, None, Some("of"), false);
            let s = e.span.start;
            out.push(Entity {
                span: Span::new(s, s + k),
                text: head.to_string(),
                canonical: head.to_string(),
                kind,
            });
            let rest = Span::new(s + rest_start, e.span.end);
            let text = body
                .get(rest.start..rest.end)
                .unwrap_or_default()
                .to_string();
            out.push(Entity {
                span: rest,
                canonical: text.clone(),
                text,
                kind: e.kind,
            });
        }
        out
    }

    fn tag_rules(&self, body: &str, sentences: &[Sentence]) -> Vec<Entity> {
        let mut out = Vec::new();
        for s in sentences {
            if !s.span.fits(body) {
                continue;
            }
            self.tag_sentence(body, s.span, &mut out);
        }
        out
    }

    fn tag_sentence(&self, body: &str, span: Span, out: &mut Vec<Entity>) {
        let text = &body[span.start..span.end];
        let toks = tokenize(text);
        let w = |t: &Tok| &text[t.s..t.e];
        let letters: Vec<&Tok> = toks
            .iter()
            .filter(|t| w(t).chars().any(|c| c.is_alphabetic()))
            .collect();
        let caps = letters
            .iter()
            .filter(|t| !w(t).chars().any(|c| c.is_lowercase()))
            .count();
        let shouting = letters.len() >= 3 && caps * 10 >= letters.len() * 7;
        let first_word = toks.iter().position(|t| is_wordy(w(t)));
        let mut i = 0;
        while i < toks.len() {
            if !self.is_cap(w(&toks[i]), shouting) {
                i += 1;
                continue;
            }
            // Extend the run.
            let mut j = i + 1;
            loop {
                if j < toks.len()
                    && self.is_cap(w(&toks[j]), shouting)
                    && !is_break(text, &toks[j - 1], &toks[j])
                {
                    j += 1;
                } else if j + 1 < toks.len()
                    && CONNECT.contains(&w(&toks[j]))
                    && self.is_cap(w(&toks[j + 1]), shouting)
                    && !is_break(text, &toks[j - 1], &toks[j])
                    && !is_break(text, &toks[j], &toks[j + 1])
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let run: Vec<Tok> = toks[i..j].to_vec();
            let before = if i > 0 { Some(w(&toks[i - 1])) } else { None };
            let before2 = if i > 1 { Some(w(&toks[i - 2])) } else { None };
            let after = toks.get(j).map(&w);
            let initial = Some(i) == first_word;
            self.emit(text, span.start, &run, before, before2, after, initial, out);
            i = j;
        }
    }

    fn is_cap(&self, w: &str, shouting: bool) -> bool {
        let Some(c) = w.chars().next() else {
            return false;
        };
        let lower = w.to_lowercase();
        let lead_ok = c.is_uppercase()
            || ((lower.starts_with("al-") || lower.starts_with("el-"))
                && w.get(3..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(|c| c.is_uppercase()));
        if !lead_ok {
            return false;
        }
        if shouting {
            let title = title_case(w);
            return self.places.contains_key(title.as_str())
                || self.places.contains_key(w)
                || NATIONALITIES.contains(&title.as_str());
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        text: &str,
        base: usize,
        run: &[Tok],
        before: Option<&str>,
        before2: Option<&str>,
        after: Option<&str>,
        initial: bool,
        out: &mut Vec<Entity>,
    ) {
        let w = |t: &Tok| &text[t.s..t.e];
        let mut run: Vec<Tok> = run.to_vec();
        let mut person_cue = before
            .is_some_and(|b| TITLES.contains(&b.trim_end_matches('.')) || LOWER_ROLES.contains(&b));
        // Sentence-initial common word, months and weekdays, and titles at the front.
        if initial && run.first().is_some_and(|t| COMMON.contains(&w(t))) {
            run.remove(0);
        }
        while run.first().is_some_and(|t| {
            let x = w(t).trim_end_matches('.');
            TITLES.contains(&x)
                || CONNECT.contains(&w(t))
                || COMMON.contains(&x) && run.len() > 1 && x != "Mr"
        }) {
            let t = run.remove(0);
            if TITLES.contains(&w(&t).trim_end_matches('.')) {
                person_cue = true;
            }
        }
        // Split at month/weekday names: they are never part of an entity.
        let mut pieces: Vec<Vec<Tok>> = vec![Vec::new()];
        for t in run {
            if MONTHS_DAYS.contains(&w(&t).trim_end_matches('.')) {
                pieces.push(Vec::new());
            } else {
                pieces.last_mut().expect("non-empty").push(t);
            }
        }
        // Split at an "of" that joins two names.
        let mut split: Vec<Vec<Tok>> = Vec::new();
        for p in pieces {
            let mut cur: Vec<Tok> = Vec::new();
            for t in p {
                let x = w(&t);
                if x == "of" {
                    if let Some(prev) = cur.last() {
                        let pw = w(prev);
                        if !(OF_KEEP.contains(&pw)
                            || ORG_HEADS.contains(&pw)
                            || LOC_LAST.contains(&pw)
                            || cur.len() == 1)
                        {
                            split.push(std::mem::take(&mut cur));
                            continue;
                        }
                    }
                }
                cur.push(t);
            }
            split.push(cur);
        }
        for (pi, mut p) in split.into_iter().enumerate() {
            while p.last().is_some_and(|t| CONNECT.contains(&w(t))) {
                p.pop();
            }
            if p.is_empty() {
                continue;
            }
            let s = p[0].s;
            let e = p[p.len() - 1].e;
            let name = &text[s..e];
            if name.len() == 1 && name == "I" {
                continue;
            }
            let words: Vec<&str> = p.iter().map(&w).collect();
            let kind = self.kind(
                name,
                &words,
                if pi == 0 { before } else { None },
                if pi == 0 { before2 } else { None },
                after,
                person_cue && pi == 0,
            );
            out.push(Entity {
                span: Span::new(base + s, base + e),
                text: name.to_string(),
                kind,
                canonical: name.to_string(),
            });
        }
    }

    fn kind(
        &self,
        name: &str,
        words: &[&str],
        before: Option<&str>,
        before2: Option<&str>,
        after: Option<&str>,
        person_cue: bool,
    ) -> EntityKind {
        let last = words[words.len() - 1].trim_end_matches('.');
        let first = words[0];
        if person_cue {
            return EntityKind::Person;
        }
        // "Bank of Valdoria", "City of Orra": the word before "of" is the head.
        if let Some(k) = words.iter().position(|x| *x == "of") {
            if k > 0 && ORG_HEADS.contains(&words[k - 1]) {
                return EntityKind::Org;
            }
            if k > 0 && LOC_LAST.contains(&words[k - 1]) {
                return EntityKind::Loc;
            }
        }
        if ORG_HEADS.contains(&last) || outlets().outlet(name).is_some() && words.len() > 1 {
            return EntityKind::Org;
        }
        if self.places.contains_key(name)
            || LOC_LAST.contains(&last)
            || words.len() > 1 && LOC_FIRST.contains(&first)
        {
            return EntityKind::Loc;
        }
        if NATIONALITIES.contains(&name) {
            return EntityKind::Misc;
        }
        if outlets().outlet(name).is_some() || ORG_ACRONYMS.contains(&name) {
            return EntityKind::Org;
        }
        let place_prep = |b: &str| {
            matches!(
                b,
                "in" | "near" | "from" | "to" | "In" | "Near" | "outside" | "across" | "into"
            )
        };
        if before.is_some_and(place_prep) && !after.is_some_and(|a| SPEECH.contains(&a)) {
            // "in Valdoria" but not "in Ada Brook's" — names of 3+ words after "in"
            // are more often organisations or titles than places.
            if words.len() <= 2 {
                return EntityKind::Loc;
            }
        }
        let _ = before2;
        let acronym = name.len() >= 2
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '.' || c == '&')
            && name.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2;
        if acronym {
            return EntityKind::Org;
        }
        let title_case = words.iter().all(|x| {
            let x = x
                .strip_prefix("al-")
                .or_else(|| x.strip_prefix("el-"))
                .unwrap_or(x);
            x.chars().next().is_some_and(|c| c.is_uppercase())
                && x.chars().skip(1).any(|c| c.is_lowercase())
                || CONNECT.contains(&x)
        });
        if (2..=3).contains(&words.len()) && title_case {
            return EntityKind::Person;
        }
        if words.len() == 1 && after.is_some_and(|a| SPEECH.contains(&a)) {
            return EntityKind::Person;
        }
        if words.len() > 3 {
            return EntityKind::Org;
        }
        EntityKind::Misc
    }
}

impl Default for EntityTagger {
    fn default() -> Self {
        Self::new()
    }
}

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(|x| x.to_lowercase()))
            .collect(),
        None => String::new(),
    }
}

fn is_wordy(w: &str) -> bool {
    w.chars().any(|c| c.is_alphanumeric())
}

/// Punctuation between two tokens (a comma, a dash, a quote) ends a name.
fn is_break(text: &str, a: &Tok, b: &Tok) -> bool {
    let between = &text[a.e..b.s];
    !between.chars().all(|c| c == ' ')
}

/// Word tokens: letters, digits and inner `-`, `'`, `’`, `.`, `&`; a trailing
/// possessive "'s" and a sentence-final period are left out.
fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let inner = |c: char| matches!(c, '-' | '\'' | '’' | '.' | '&');
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|x| x.1);
        let part = c.is_alphanumeric()
            || (start.is_some() && inner(c) && next.is_some_and(|n| n.is_alphanumeric()))
            // "U.S." keeps its final period when the token is a dotted acronym.
            || (start.is_some() && c == '.' && {
                let st = start.unwrap_or(i);
                text[st..i].contains('.') && text[st..i].len() <= 6
            });
        if part {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push(Tok { s, e: i });
        }
    }
    if let Some(s) = start {
        out.push(Tok { s, e: text.len() });
    }
    // Possessives: "Okafor's" → "Okafor".
    for t in &mut out {
        let w = &text[t.s..t.e];
        for suf in ["'s", "’s", "'", "’"] {
            if w.len() > suf.len() + 1 && w.ends_with(suf) {
                t.e -= suf.len();
                break;
            }
        }
    }
    out
}

/// Mentions from the statistical model, the whole article tagged as one document.
fn tag_model(model: &crate::ner::Model, body: &str, sentences: &[Sentence]) -> Vec<Entity> {
    let mut spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        if !s.span.fits(body) {
            continue;
        }
        let base = s.span.start;
        spans.push(
            crate::ner::tokenize(&body[s.span.start..s.span.end])
                .into_iter()
                .map(|(a, b)| (base + a, base + b))
                .collect(),
        );
    }
    let doc: Vec<Vec<&str>> = spans
        .iter()
        .map(|v| v.iter().map(|&(a, b)| &body[a..b]).collect())
        .collect();
    let tags = model.tag_document(&doc);
    let mut out = Vec::new();
    for (toks, ts) in spans.iter().zip(&tags) {
        let names: Vec<&str> = ts.iter().map(|&t| crate::ner::TAGS[t]).collect();
        for (mut a, b, ty) in crate::ner::chunks(&names) {
            // A title the model took into a name ("Mayor Oskar Lind" at a sentence's
            // start) is not part of it, as in CoNLL's own annotation: the person is
            // "Oskar Lind", so every outlet's mention of them gets one canonical name.
            while ty == "PER"
                && b > a + 1
                && toks
                    .get(a)
                    .is_some_and(|&(x, y)| TITLES.contains(&body[x..y].trim_end_matches('.')))
            {
                a += 1;
            }
            let (Some(first), Some(last)) = (toks.get(a), toks.get(b.wrapping_sub(1))) else {
                continue;
            };
            let kind = match ty.as_str() {
                "PER" => EntityKind::Person,
                "ORG" => EntityKind::Org,
                "LOC" => EntityKind::Loc,
                _ => EntityKind::Misc,
            };
            let span = Span::new(first.0, last.1);
            let text = body[span.start..span.end].to_string();
            out.push(Entity {
                span,
                canonical: text.clone(),
                text,
                kind,
            });
        }
    }
    out
}

/// Roles a nominal mention can name ("the president", "the Valdorian leader"); each
/// with the title words that introduce a person in that role. "leader" stands for
/// whoever heads a government.
const NOMINAL_ROLES: &[(&str, &[&str])] = &[
    (
        "leader",
        &[
            "president",
            "prime minister",
            "premier",
            "chancellor",
            "king",
            "queen",
            "leader",
        ],
    ),
    ("president", &["president"]),
    ("prime minister", &["prime minister"]),
    ("premier", &["premier", "prime minister"]),
    ("chancellor", &["chancellor"]),
    ("king", &["king"]),
    ("queen", &["queen"]),
    ("governor", &["governor"]),
    ("mayor", &["mayor"]),
    ("senator", &["senator"]),
    ("foreign minister", &["foreign minister"]),
    ("finance minister", &["finance minister"]),
    ("defence minister", &["defence minister"]),
    ("defense minister", &["defense minister"]),
    ("prime minister", &["prime minister"]),
    ("chief executive", &["chief executive"]),
    ("pope", &["pope"]),
];

/// "the [Nationality] role" → the one person the article introduced with that role
/// (and nationality, when the nominal names one). Ambiguous or unintroduced roles are
/// left alone: a wrong link is worse than none.
fn nominals(body: &str, sentences: &[Sentence], out: &mut Vec<Entity>) {
    // Each person's introduction: the few words before its first mention, and the
    // country it names when it does ("Valdoria's President Maria Okafor", "President
    // Maria Okafor of Valdoria").
    struct Intro {
        canonical: String,
        at: usize,
        before: String,
        country: Option<String>,
    }
    let mut intros: Vec<Intro> = Vec::new();
    for e in out.iter().filter(|e| e.kind == EntityKind::Person) {
        if intros.iter().any(|i| i.canonical == e.canonical) {
            continue;
        }
        let sent_start = sentences
            .iter()
            .find(|s| s.span.start <= e.span.start && e.span.start <= s.span.end)
            .map_or(0, |s| s.span.start);
        let from = e.span.start.saturating_sub(48).max(sent_start);
        let mut from = from.min(e.span.start);
        while !body.is_char_boundary(from) {
            from += 1;
        }
        let Some(window) = body.get(from..e.span.start) else {
            continue;
        };
        // Only the words right before the name: stop at punctuation.
        let tail = window
            .rsplit([',', ';', ':', '(', ')', '"', '“', '”'])
            .next()
            .unwrap_or("");
        let country = possessive_country(tail).or_else(|| country_after(body, e.span.end));
        intros.push(Intro {
            canonical: e.canonical.clone(),
            at: e.span.start,
            before: format!(
                " {} ",
                tail.to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            country,
        });
    }
    if intros.is_empty() {
        return;
    }
    let mut found: Vec<Entity> = Vec::new();
    let lower = body.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; then offsets would not match.
    if lower.len() != body.len() {
        return;
    }
    let mut pos = 0;
    while let Some(k) = lower[pos..].find("the ") {
        let start = pos + k;
        pos = start + 4;
        if start > 0
            && lower[..start]
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let rest = &body[start + 4..];
        let rest_lower = &lower[start + 4..];
        // Optional nationality, then the role.
        let mut nat: Option<&str> = None;
        let mut off = 0;
        if let Some(w) = rest.split(|c: char| !c.is_alphabetic()).next() {
            // A demonym: a known one, or a word the tagger called Misc right here.
            let at = start + 4;
            let misc_here = || {
                out.iter()
                    .any(|e| e.kind == EntityKind::Misc && e.span.start == at && e.text == w)
            };
            if !w.is_empty() && (NATIONALITIES.contains(&w) || misc_here()) {
                nat = Some(w);
                off = w.len() + 1;
            }
        }
        let Some(after) = rest_lower.get(off..) else {
            continue;
        };
        let Some(&(role, titles)) = NOMINAL_ROLES.iter().find(|(r, _)| {
            after.starts_with(r)
                && !after[r.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        }) else {
            continue;
        };
        let end = start + 4 + off + role.len();
        let nat_l = nat.map(str::to_lowercase);
        // The intro says this nationality: the demonym itself, or a country it belongs to.
        let says = |i: &Intro, n: &str| {
            i.before.contains(&format!(" {n} "))
                || i.country.as_deref().is_some_and(|c| demonym_of(c, n))
        };
        // The intro says some nationality, this one or another.
        let says_any = |i: &Intro| {
            i.country.is_some()
                || NATIONALITIES
                    .iter()
                    .any(|d| i.before.contains(&format!(" {} ", d.to_lowercase())))
        };
        let cands: Vec<&Intro> = intros
            .iter()
            .filter(|i| i.at < start)
            .filter(|i| titles.iter().any(|t| i.before.contains(&format!(" {t} "))))
            .filter(|i| nat_l.as_ref().is_none_or(|n| says(i, n)))
            .collect();
        let mut names: Vec<&str> = cands.iter().map(|i| i.canonical.as_str()).collect();
        names.dedup();
        if names.len() != 1 {
            continue;
        }
        // Every person introduced with the role must be this one, not just the ones
        // before: "the president" is unclear once two presidents are in the article.
        // A nominal with a nationality ("the Valdorian leader") is clear of the people
        // introduced with another one ("Orranian Prime Minister Tomas Vell").
        let all_with_role = intros
            .iter()
            .filter(|i| titles.iter().any(|t| i.before.contains(&format!(" {t} "))))
            .filter(|i| i.canonical != names[0])
            .filter(|i| nat_l.as_ref().is_none_or(|n| says(i, n) || !says_any(i)))
            .count();
        if all_with_role > 0 {
            continue;
        }
        let span = Span::new(start, end);
        if out.iter().any(|e| {
            e.kind == EntityKind::Person && e.span.start < span.end && span.start < e.span.end
        }) {
            continue;
        }
        found.push(Entity {
            span,
            text: body[start..end].to_string(),
            kind: EntityKind::Person,
            canonical: names[0].to_string(),
        });
    }
    if found.is_empty() {
        return;
    }
    out.extend(found);
    out.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
}

/// The country of a possessive right before a title: "Valdoria's President" →
/// "valdoria" (lower case).
fn possessive_country(tail: &str) -> Option<String> {
    tail.split_whitespace().find_map(|w| {
        let name = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s"))?;
        let cap = name.chars().next().is_some_and(char::is_uppercase);
        (cap && name.chars().all(|c| c.is_alphabetic() || c == '.')).then(|| name.to_lowercase())
    })
}

/// The country in "of Valdoria" right after a name, when the clause ends there or goes
/// on ("President Maria Okafor of Valdoria said"): "valdoria" (lower case). One or two
/// capitalised words ("of South Orrania").
fn country_after(body: &str, end: usize) -> Option<String> {
    let rest = body.get(end..)?.strip_prefix(" of ")?;
    let words: Vec<&str> = rest
        .split_whitespace()
        .take(2)
        .map(|w| w.trim_end_matches([',', '.', ';', ':']))
        .take_while(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
        .collect();
    if words.is_empty() || words[0] == "the" || words[0] == "The" {
        return None;
    }
    Some(words.join(" ").to_lowercase())
}

/// Whether `demonym` (lower case, "valdorian") is the adjective of `country` (lower
/// case, "valdoria"): the irregular ones of the NATIONALITIES list by name, the rest by
/// the regular English endings (Russia → Russian, Iran → Iranian, Ukraine →
/// Ukrainian, Iraq → Iraqi, Japan → Japanese, Italy → Italian), so invented and
/// unlisted countries work too.
fn demonym_of(country: &str, demonym: &str) -> bool {
    const IRREGULAR: &[(&str, &str)] = &[
        ("britain", "british"),
        ("great britain", "british"),
        ("united kingdom", "british"),
        ("u.k.", "british"),
        ("england", "english"),
        ("france", "french"),
        ("germany", "german"),
        ("china", "chinese"),
        ("netherlands", "dutch"),
        ("holland", "dutch"),
        ("spain", "spanish"),
        ("turkey", "turkish"),
        ("greece", "greek"),
        ("switzerland", "swiss"),
        ("sweden", "swedish"),
        ("denmark", "danish"),
        ("poland", "polish"),
        ("finland", "finnish"),
        ("ireland", "irish"),
        ("scotland", "scottish"),
        ("wales", "welsh"),
        ("united states", "american"),
        ("u.s.", "american"),
        ("america", "american"),
        ("vietnam", "vietnamese"),
        ("lebanon", "lebanese"),
        ("thailand", "thai"),
        ("philippines", "filipino"),
        ("portugal", "portuguese"),
        ("norway", "norwegian"),
        ("peru", "peruvian"),
        ("chile", "chilean"),
        ("afghanistan", "afghan"),
        ("iceland", "icelandic"),
        ("saudi arabia", "saudi"),
        ("new zealand", "new zealand"),
    ];
    if IRREGULAR.iter().any(|&(c, d)| c == country && d == demonym) {
        return true;
    }
    let c = country;
    let stem_y = c.strip_suffix('y');
    let stem_e = c.strip_suffix('e');
    [
        format!("{c}n"),
        format!("{c}ian"),
        format!("{c}i"),
        format!("{c}ese"),
        stem_y.map(|s| format!("{s}ian")).unwrap_or_default(),
        stem_e.map(|s| format!("{s}ian")).unwrap_or_default(),
        stem_e.map(|s| format!("{s}ean")).unwrap_or_default(),
    ]
    .iter()
    .any(|d| !d.is_empty() && d == demonym)
}

/// Within-article consistency: person-name suffixes and subsets, acronyms from their
/// parenthesised expansion, and the majority kind per canonical name.
fn resolve(ents: &mut [Entity]) {
    // Acronyms: "Harbour Transit Authority (HTA)".
    let mut acronyms: HashMap<String, (String, EntityKind)> = HashMap::new();
    for k in 1..ents.len() {
        let (a, b) = (&ents[k - 1], &ents[k]);
        let is_acr = b.text.len() >= 2 && b.text.chars().all(|c| c.is_uppercase() || c == '.');
        if is_acr && a.span.end + 2 >= b.span.start.saturating_sub(1) && b.span.start > a.span.end {
            let initials: String = a
                .text
                .split_whitespace()
                .filter(|w| !CONNECT.contains(w))
                .filter_map(|w| w.chars().next())
                .collect();
            let acr: String = b.text.chars().filter(|c| *c != '.').collect();
            if initials.to_uppercase() == acr {
                acronyms.insert(b.text.clone(), (a.text.clone(), a.kind));
            }
        }
    }
    for e in ents.iter_mut() {
        if let Some((exp, kind)) = acronyms.get(&e.text) {
            e.canonical = exp.clone();
            e.kind = *kind;
        }
    }
    // Person names: the longest multi-word person name containing this mention's words.
    let persons: Vec<Vec<String>> = ents
        .iter()
        .filter(|e| e.kind == EntityKind::Person && e.text.split_whitespace().count() > 1)
        .map(|e| e.text.split_whitespace().map(str::to_string).collect())
        .collect();
    for e in ents.iter_mut() {
        if acronyms.contains_key(&e.text) {
            continue;
        }
        let words: Vec<&str> = e.text.split_whitespace().collect();
        let best = persons
            .iter()
            .filter(|p| p.len() > words.len())
            .filter(|p| {
                // Suffix ("Okafor"), or every word present in order ("Maria Okafor" in
                // "Maria L. Okafor").
                let suffix = p[p.len() - words.len()..]
                    .iter()
                    .map(String::as_str)
                    .eq(words.iter().copied());
                let mut it = p.iter();
                let subset = words.len() > 1 && words.iter().all(|w| it.any(|x| x == w));
                suffix || subset
            })
            .max_by_key(|p| p.len());
        if let Some(p) = best {
            // A lone first name is ambiguous across a family; surnames are the norm.
            e.canonical = p.join(" ");
            e.kind = EntityKind::Person;
        }
    }
    // Majority kind per canonical name (ties: the first mention's kind).
    let mut votes: HashMap<String, Vec<(EntityKind, usize)>> = HashMap::new();
    for e in ents.iter() {
        let v = votes.entry(e.canonical.clone()).or_default();
        match v.iter_mut().find(|(k, _)| *k == e.kind) {
            Some(x) => x.1 += 1,
            None => v.push((e.kind, 1)),
        }
    }
    for e in ents.iter_mut() {
        if let Some(v) = votes.get(&e.canonical) {
            let mut best = v[0];
            for &x in v.iter() {
                if x.1 > best.1 {
                    best = x;
                }
            }
            e.kind = best.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences;

    fn tag(body: &str) -> Vec<(String, EntityKind, String)> {
        let t = EntityTagger::new();
        t.tag(body, &sentences::split(body))
            .into_iter()
            .map(|e| {
                assert_eq!(e.span.text(body), e.text);
                (e.text, e.kind, e.canonical)
            })
            .collect()
    }

    fn has(
        got: &[(String, EntityKind, String)],
        text: &str,
        kind: EntityKind,
        canon: &str,
    ) -> bool {
        got.iter()
            .any(|(t, k, c)| t == text && *k == kind && c == canon)
    }

    #[test]
    fn name_shapes() {
        for name in [
            "Bill de Blasio",
            "O'Neill",
            "St. John Rivers",
            "Ana Cruz y Ruiz",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
        for not in [
            "HE'S BEEN",
            "46 percent",
            "Few people",
            "True.\">Sanders",
            "de la",
            "",
        ] {
            assert!(!looks_like_name(not), "{not}");
        }
    }

    #[test]
    fn a_title_the_model_takes_in_is_not_part_of_the_name() {
        let body = "Mayor Oskar Lind said the dam was safe. Later, Lind said more.";
        let got = tag(body);
        assert!(
            has(&got, "Oskar Lind", EntityKind::Person, "Oskar Lind"),
            "{got:?}"
        );
        assert!(
            has(&got, "Lind", EntityKind::Person, "Oskar Lind"),
            "{got:?}"
        );
    }

    #[test]
    fn people_orgs_places_and_canonical_names() {
        let body = "President Maria Okafor met the Harbour Authority in Port Elsby on Saturday. \
                    The Valdorian ferries were late, Okafor said. But chief executive Tomas \
                    Vell of Elsby Ferries disagreed.";
        let got = tag(body);
        assert!(
            has(&got, "Maria Okafor", EntityKind::Person, "Maria Okafor"),
            "{got:?}"
        );
        assert!(
            has(
                &got,
                "Harbour Authority",
                EntityKind::Org,
                "Harbour Authority"
            ),
            "{got:?}"
        );
        assert!(
            has(&got, "Port Elsby", EntityKind::Loc, "Port Elsby"),
            "{got:?}"
        );
        assert!(
            has(&got, "Okafor", EntityKind::Person, "Maria Okafor"),
            "{got:?}"
        );
        assert!(
            has(&got, "Tomas Vell", EntityKind::Person, "Tomas Vell"),
            "{got:?}"
        );
        assert!(
            has(&got, "Elsby Ferries", EntityKind::Org, "Elsby Ferries"),
            "{got:?}"
        );
        for (t, _, _) in &got {
            assert!(
                !["The", "But", "Saturday", "President"].contains(&t.as_str()),
                "{got:?}"
            );
        }
    }

    #[test]
    fn acronyms_possessives_and_nationalities() {
        let body = "The Kestrel Transit Authority (KTA) cut fares. KTA's board met in Berlin \
                    with French officials and Bashir al-Rahim of the Bank of Valdoria.";
        let got = tag(body);
        assert!(
            has(
                &got,
                "Kestrel Transit Authority",
                EntityKind::Org,
                "Kestrel Transit Authority"
            ),
            "{got:?}"
        );
        assert!(
            has(&got, "KTA", EntityKind::Org, "Kestrel Transit Authority"),
            "{got:?}"
        );
        assert!(has(&got, "Berlin", EntityKind::Loc, "Berlin"), "{got:?}");
        assert!(has(&got, "French", EntityKind::Misc, "French"), "{got:?}");
        assert!(
            has(
                &got,
                "Bashir al-Rahim",
                EntityKind::Person,
                "Bashir al-Rahim"
            ),
            "{got:?}"
        );
        assert!(
            has(
                &got,
                "Bank of Valdoria",
                EntityKind::Org,
                "Bank of Valdoria"
            ),
            "{got:?}"
        );
    }

    #[test]
    fn majority_kind_within_article() {
        // "Orra" after "in" looks like a place twice, and once bare before a verb.
        let body = "Storms hit Orra. Ships stayed in Orra overnight. Crews returned to Orra.";
        let got = tag(body);
        assert!(
            got.iter()
                .filter(|(t, _, _)| t == "Orra")
                .all(|(_, k, _)| *k == EntityKind::Loc),
            "{got:?}"
        );
    }

    #[test]
    fn nominal_mentions_only_where_clear() {
        let body = "Valdorian President Maria Okafor arrived in Orra on Monday. Okafor met \
                    traders there. The Valdorian leader later flew home.";
        let got = tag(body);
        assert!(
            has(&got, "Maria Okafor", EntityKind::Person, "Maria Okafor"),
            "{got:?}"
        );
        assert!(
            has(&got, "Okafor", EntityKind::Person, "Maria Okafor"),
            "{got:?}"
        );
        assert!(
            has(
                &got,
                "The Valdorian leader",
                EntityKind::Person,
                "Maria Okafor"
            ),
            "{got:?}"
        );
        // Two presidents: "the president" could be either, so it stays unlinked.
        let body = "President Maria Okafor met President Tomas Vell in Orra. The president \
                    said little.";
        let got = tag(body);
        assert!(!got.iter().any(|(t, _, _)| t == "The president"), "{got:?}");
    }

    #[test]
    fn nominal_mentions_take_the_country_of_the_introduction() {
        // The country in a possessive before the title, or "of X" after the name.
        let body = "Valdoria's President Maria Okafor arrived in Orra on Monday. Okafor met \
                    traders there. The Valdorian leader later flew home.";
        let got = tag(body);
        assert!(
            has(
                &got,
                "The Valdorian leader",
                EntityKind::Person,
                "Maria Okafor"
            ),
            "{got:?}"
        );
        let body = "President Maria Okafor of Valdoria met Prime Minister Tomas Vell of \
                    Orrania in Port Elsby. Vell spoke first. The Valdorian leader answered, \
                    and the Orranian leader left.";
        let got = tag(body);
        assert!(
            has(
                &got,
                "The Valdorian leader",
                EntityKind::Person,
                "Maria Okafor"
            ),
            "{got:?}"
        );
        assert!(
            has(
                &got,
                "the Orranian leader",
                EntityKind::Person,
                "Tomas Vell"
            ),
            "{got:?}"
        );
        // A second leader of no stated country could be either: no link.
        let body = "President Maria Okafor of Valdoria met Prime Minister Tomas Vell in \
                    Port Elsby. The Valdorian leader spoke first.";
        let got = tag(body);
        assert!(
            !got.iter().any(|(t, _, _)| t == "The Valdorian leader"),
            "{got:?}"
        );
    }

    #[test]
    fn demonyms() {
        for (c, d) in [
            ("russia", "russian"),
            ("valdoria", "valdorian"),
            ("iran", "iranian"),
            ("ukraine", "ukrainian"),
            ("iraq", "iraqi"),
            ("japan", "japanese"),
            ("italy", "italian"),
            ("france", "french"),
        ] {
            assert!(demonym_of(c, d), "{c} {d}");
        }
        assert!(!demonym_of("france", "german"));
        assert!(!demonym_of("orra", "valdorian"));
    }

    #[test]
    fn never_panics() {
        for body in [
            "",
            "É",
            "al-",
            "A & B",
            "(KTA)",
            "Mr. . .",
            "’s ’s",
            "U.S.",
            "ÉCOLE DE PARIS",
            "the the the President",
            "İstanbul the Valdorian leader",
            "President X. The president. the president",
        ] {
            let _ = tag(body);
        }
    }
}
