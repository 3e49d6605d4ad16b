//! Time expressions: finds dates, times, durations and sets in news text and normalises
//! them to TIMEX3-style values, resolving relative ones against the document creation
//! date (`dct`, the publication date).
//!
//! Rule-based: a set of regexes compiled once, each proposing candidate spans; where
//! candidates overlap, the longest wins ("three days ago" over "three days", "every
//! Monday" over "Monday"). Spans follow TimeBank / TempEval-3: a leading preposition is
//! outside ("on Saturday" → "Saturday", "in 2022" → "2022"), determiners and modifiers
//! that belong to the expression are inside ("last week", "the past three months",
//! "earlier this month", "late Tuesday", "the 1990s").
//!
//! Values:
//! - dates `2026-11-14`, months `2026-11`, years `2026`, decades `199`/`199X`, ISO weeks
//!   `2026-W45`, weekends `2026-W46-WE`, quarters `2026-Q3` ("the fourth quarter of
//!   last year" is one), seasons `2026-SU`;
//! - times `2026-11-14T08:00` (also worded after a preposition: "at 4 in the
//!   morning", "until 10 at night"), parts of day `2026-11-14TNI` (kind `Time`:
//!   "tonight", "mid-afternoon yesterday", "by mid-morning" on the dct's day); a
//!   clock time takes its day from the nearest full date in the same sentence (or
//!   time on a named day), else the dct;
//! - `PRESENT_REF` ("now", "currently"), `PAST_REF` ("recently", "the then-current
//!   price"), `FUTURE_REF` ("soon", but not the signal "soon after the vote" nor "soon"
//!   in a past narrative: "was soon released");
//! - halves `1989-H2` ("the second half of 1989", "the first two quarters of next
//!   year");
//! - durations `PT3H`, `P2W`, `P6M`, `PXW` ("weeks", "several weeks");
//! - sets `XXXX-WXX-1` ("every Monday", "Mondays", the first of "Monday and Tuesday
//!   nights"), `P1D` ("daily"), `P1W`, `XXXX-SU` ("every summer", "the past three
//!   summers"), …
//!
//! Weekdays, bare months and "the weekend" are resolved by the tense of the words
//! nearest to the expression in its sentence: whichever is closer, a future marker
//! (will, 'll, would, is due to, scheduled, set to, plans to, expected to, next week,
//! upcoming; a deadline "by", "until", "effective" right before it) or a past-tense
//! verb (said, met, "-ed" forms that are not participles after "be"; a future marker
//! after "had" is a future seen from the past). A sentence with neither (plain
//! present, which in news mostly reports what happened) leans to the past. The rule
//! for the dct's own weekday: a bare weekday that names the publication day means that
//! very day in either direction ("on Saturday" in an article published on a Saturday is
//! that Saturday — a writer meaning a week away would say "next Saturday"); "last
//! Saturday" / "next Saturday" are strictly before / after; "last February" written in
//! March is the year before's (the month just gone would be "last month").
//!
//! Month-days and bare months without a year (also a month before a noun: "a June
//! accord") take the nearest such date around the dct, one on the wrong side of a
//! marked tense counting four times, a later one in an unmarked sentence twice ("closed
//! on Oct. 23" in a January article is last October; "payable Jan. 2" in an October one
//! is next January).
//!
//! TimeBank conventions followed (they are how the gold data of TempEval-3 reads, and
//! they match how news uses the words):
//! - financial periods: "the quarter", "the latest period" = the quarter the story's
//!   lede names ("fiscal first-quarter net"), else the last quarter completed before
//!   the dct; "the year-ago quarter", "year-earlier" = that quarter a year before; "a
//!   year earlier/ago" in a results story = the period the text spoke of last, a year
//!   before ("For the nine months, ... a year earlier" is the previous year);
//!   "the year ended June 30" is a duration `P1Y`; "the fiscal year", "year-end", "a
//!   high for the year", "the first nine months of the year" = the dct's year; "the
//!   1988 period" = the reported quarter of 1988; "the quarter a year ago", "the
//!   corresponding period last year", "last year's quarter", "the comparable year-ago
//!   quarter" are one expression, the reported period a year before (a period named a
//!   quarter stays one even after the text spoke of nine months); "this quarter's
//!   loss" is the reported quarter; "the year-earlier nine months" is one stretch
//!   `P9M`, and so is "the year-earlier period" after "the nine months"; the year
//!   something runs "throughout" is `P1Y`;
//! - a four-digit year stands alone ("the 1996 Olympics") unless it reads as an amount;
//! - decades: "the 1990s" and "the '90s" → `199`, a bare "1990s" → `199X`, "the last
//!   half of the '80s" → `198`; centuries "20th century" →
//!   `19`, "the 20th century" → `19XX`; spelled years ("nineteen ninety-six");
//! - holidays (Thanksgiving, Christmas, New Year's Day, Election Day, Independence
//!   Day, Easter) resolve like month-days, to the nearest one on the side of the tense;
//!   "Easter week" is the ISO week holding it;
//! - "recent years", "the past" → `PAST_REF`, "coming months", "the near term" →
//!   `FUTURE_REF`; "recent weeks" / "recent months" are a stretch just behind the dct
//!   (`PXW`), "coming weeks" one ahead, and so are "recent years" under a present
//!   perfect ("have suffered in recent years": `PXY`), "the coming years" and "over
//!   the years"; "for a while" is `PXX`; "the past year" is the calendar year before the dct's, like
//!   "the last year" ("the past decade" stays `P10Y`);
//! - durations in ISO 8601 units: "two decades" → `P20Y`, "two quarters" → `P2Q`,
//!   "eight trading days" → `P8D`; the article of an adjectival duration belongs to
//!   its noun ("the [14-day] period");
//! - "the day before yesterday" is one day earlier than "yesterday" (and "the day
//!   after tomorrow" one later than "tomorrow"), and so for any day named ("the day
//!   before last Tuesday", "the day after Christmas");
//! - "that day", "later that year", "the following month", "the next morning", "the
//!   year before" ending its clause take their value from the time the text
//!   mentioned last (a day of a month only named is `2026-03-XX`; "the day before
//!   the plunge" is left alone: TimeML links it to the event, which this module does
//!   not track, unless a day was dated before it: "the day after his death" is the
//!   next day, "Oct. 12, the day before the crash" Oct. 12); so does "later in the
//!   day"
//!   (spanned "the day"; the dct's day when nothing precedes); "it's the second day
//!   of the strike" is the dct's day;
//! - the second day of a pair shares the month: "on April 24 and [25]";
//! - bare seasons ("the summer", "this past spring") resolve by tense like months;
//!   "the winter of nineteen ninety-four" is `1994-WI`;
//! - halves in the next smaller unit ("5 1/2 hours" → `PT5H30M`, "half an hour" →
//!   `PT30M`, "half a century ago" fifty years back); "the week of Dec. 7"
//!   → that ISO week; "each July" → `XXXX-07`; "day-long" → `P1D`; "the nineties" →
//!   `199`; "the weeks ahead" → `PXW`; "the previous Friday" → the Friday before the
//!   day last mentioned;
//!   "earlier this week" spans "this week" (edge words stay inside for months and years);
//! - not times: titles that hold time words (ABC's "This Week", "60 Minutes", "VOA
//!   Today", "High Noon"), the present era ("today's world", "today's youth", "many
//!   of today's computers"), compounds ("quarter-to-quarter"), rates after an
//!   amount ("rise 8.5% annually",
//!   like "$2 million a year"), "the leaders of tomorrow", the discourse marker
//!   "Now," opening a sentence, "the future" as a thing ("the future of the fleet",
//!   "the future looks grim"), the idiom "high noon"; "will one day" is `FUTURE_REF`,
//!   "Tuesday nights" the set `XXXX-WXX-2TNI`.
//!
//! Tense cues beyond the verbs: a clock time before a weekday does not hide a deadline
//! ("until 9 a.m. EST Tuesday"); verbs that move a time forward keep it ahead
//! ("postponed until Tuesday"); a past attribution verb after the closing quote
//! ("…Thursday,'' Castro said") dates the telling, not the event, and is ignored;
//! "was" / "were" right before a future marker is part of it ("were planning to
//! block the bridge" keeps the plan ahead); "since" before a time puts it behind;
//! "-ed" words after a determiner or with "un-" are adjectives ("the increased
//! dividend", "a still unspecified date").
//!
//! Without a dct, expressions that need one get `value: None` and `relative` holds a
//! description: `-1 day`, `+1 week`, `0 month`, `weekday:6 past`, `XXXX-11-14`.
//!
//! Measured on TempEval-3 train (TimeBank + AQUAINT) by `parallax_eval::time`; see the
//! gate in `crates/eval/tests/time.rs` for the current figures.

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use parallax_core::{Sentence, Span, TimeExpr, TimeKind};
use regex::{Captures, Regex};

const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)";
const WEEKDAY_NC: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const WEEKDAY: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUMWORD: &str = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)";
const UNIT: &str =
    r"(second|minute|hour|day|week|fortnight|month|quarter|year|decade|century|centuries)";
const MODIFIER: &str = r"(?:(?:about|around|nearly|almost|roughly|some|more than|less than|fewer than|at least|up to|under|just over|just under|the past|the last|the next|the first|the final|the previous|the coming|the)\s+)?";

/// Grammatical direction of the sentence around an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    /// A past-tense verb is the nearest tense word.
    Past,
    /// A future marker is the nearest tense word.
    Future,
    /// Neither: plain present or no verb at all, which in news mostly reports what
    /// happened, so it leans to the past without ruling out the near future.
    Unmarked,
}

/// One proposed expression before overlap resolution.
#[derive(Debug, Clone)]
struct Cand {
    span: Span,
    kind: TimeKind,
    value: Option<String>,
    relative: Option<String>,
    /// A clock time ("T08:00") still waiting for its day.
    clock: Option<String>,
    /// A value that depends on the rest of the text, resolved once all of it is read.
    deferred: Option<Deferred>,
}

/// Expressions whose value depends on the text around them: references to a
/// company's reporting period (see [`resolve_periods`]) and to a time the text has
/// just narrated (see [`resolve_anchors`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deferred {
    /// The period being reported: "the quarter", "the latest period".
    Reported,
    /// The same period a year before: "a year earlier", "year-ago", "last year's";
    /// `quarter` when, with nothing else to go by, that period is a quarter.
    /// `stretch` for "the year-earlier period", which after "the nine months" is that
    /// stretch (`P9M`, as TimeBank gives "the first nine months").
    YearBefore { quarter: bool, stretch: bool },
    /// The reported quarter a year before, whatever the text spoke of last: "the
    /// year-ago quarter", "last year's quarter", "the quarter a year ago".
    QuarterYearBefore,
    /// The reported period of a given year: "the 1988 period".
    OfYear(i32),
    /// The weekday `wd` (1 = Monday) before or `after` the day last mentioned: "the
    /// previous Friday".
    AnchoredWeekday { wd: u32, after: bool },
    /// `offset` units from the time last mentioned: "that day" (0 days), "the
    /// following year" (+1 year), "the next morning" (+1 day, morning). `optional`
    /// ones are dropped when nothing was narrated before them: "the day after the
    /// vote" is a time only once a day anchors it, else TimeML links it to the event.
    Anchored {
        unit: AnchorUnit,
        offset: i64,
        part: Option<&'static str>,
        optional: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnchorUnit {
    Day,
    Week,
    Month,
    Year,
}

struct Patterns {
    rules: Vec<(Regex, Rule)>,
    future: Regex,
    past: Regex,
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    Iso,
    DayMonthYear,
    MonthDayYear,
    MonthYear,
    BareMonth,
    Year,
    Decade,
    DayWord,
    RelativeUnit,
    PartOfDay,
    Weekday,
    Ago,
    Duration,
    BarePlural,
    Clock,
    Ref,
    Set,
    Quarter,
    Season,
    Weekend,
    Fiscal,
    Holiday,
    YearEnd,
    Century,
    SpelledYear,
    MonthRelYear,
    Anchored,
    BareSeason,
    AnchoredWeekday,
    WeekOf,
    LongAdjective,
    SpelledDecade,
    InTheUnit,
    Half,
    PeriodYearBefore,
    SecondDay,
    NthDay,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // Word boundaries are ASCII, `(?-u:\b)`: with Unicode ones the regex crate's
        // lazy DFA stops at the first non-ASCII byte (a curly quote, a dash) and the
        // search falls back to a slow NFA over the rest of the article.
        let r = |s: String| Regex::new(&s).expect("time pattern compiles");
        let num = format!(r"(\d+(?:\.\d+)?(?:\s+1/2)?|{NUMWORD}(?:[- ]{NUMWORD})*(?:\s+and\s+a\s+half)?|half\s+an?|an?|(?:a\s+)?couple\s+of|a few|several|many|a number of|few)");
        let rules = vec![
            (
                r(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?(?-u:\b)".into()),
                Rule::Iso,
            ),
            (
                r(format!(r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(\d{{4}}))?(?-u:\b)")),
                Rule::DayMonthYear,
            ),
            (
                r(format!(r"(?-u:\b)(?:{WEEKDAY_NC},?\s+)?(?:(?i:early|late|mid)[- ])?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?-u:\b)")),
                Rule::MonthDayYear,
            ),
            (
                r(format!(r"(?-u:\b)(?:((?i:early|late|mid))[- ])?{MONTH},?\s+(\d{{4}})(?-u:\b)")),
                Rule::MonthYear,
            ),
            (
                r(format!(r"(?-u:\b)((?i:in|since|by|until|till|from|of|during|before|after|through|between|and|to|or|for|the|last|this|next|early|late|mid|end of|start of|a)[- ]){MONTH}(?-u:\b)")),
                Rule::BareMonth,
            ),
            (
                r(r"(?-u:\b)((?i:the\s+(?:end|beginning|start|middle|rest)\s+of|in|since|by|until|till|from|during|before|after|through|between|and|to|of|early|late|mid|fiscal|year|around|circa|spring|summer|autumn|fall|winter|post|pre)[- ])?(\d{4})(?-u:\b)".into()),
                Rule::Year,
            ),
            (
                r(r"(?:(?-u:\b)((?i:the\s+)?(?:(?i:early|mid|late)[- ])?)(\d{3})|((?i:the\s+)?(?:(?i:early|mid|late)[- ])?)['’](\d))0s(?-u:\b)".into()),
                Rule::Decade,
            ),
            (
                r(r"(?i)(?-u:\b)(?:(?:late|early|earlier|later)\s+|(?:mid|late|early)[- ]?(morning|afternoon|evening)\s+)?(yesterday|today|tomorrow|tonight)(?:\s+(morning|afternoon|evening|night))?(?-u:\b)".into()),
                Rule::DayWord,
            ),
            (
                r(r"(?i)(?-u:\b)(?:(earlier|later|early|late)\s+)?(this|last|next|the coming|the past|past|the previous|the following)\s+(week|month|year|weekend|spring|summer|autumn|fall|winter|quarter|century|decade)(?-u:\b)".into()),
                Rule::RelativeUnit,
            ),
            (
                r(r"(?i)(?-u:\b)(this|last|yesterday|tomorrow|that|the|mid)(?:\s+|-)(morning|afternoon|evening|night)(?-u:\b)".into()),
                Rule::PartOfDay,
            ),
            (
                r(format!(r"(?-u:\b)(?:((?i:early|late|last|next|this|mid|coming))\s+)?{WEEKDAY}(s)?(?:\s+((?i:morning|afternoon|evening|night))(s)?)?(?-u:\b)")),
                Rule::Weekday,
            ),
            (
                r(format!(r"(?i)(?-u:\b){MODIFIER}{num}[- ]{UNIT}s?\s+(ago|earlier|before)(?-u:\b)")),
                Rule::Ago,
            ),
            (
                r(format!(r"(?i)(?-u:\b){MODIFIER}{num}[- ](?:(?:more|additional|extra|full|trading|business|working)\s+)?{UNIT}s?(?:-long)?(\s+and\s+a\s+half)?(?-u:\b)")),
                Rule::Duration,
            ),
            (
                r(r"(?i)(?-u:\b)((?:for|over|in|within|recent|coming|past|the)\s+)(days|weeks|months|quarters|years|decades|centuries|hours|minutes)(?-u:\b)".into()),
                Rule::BarePlural,
            ),
            (
                r(r"(?i)(?-u:\b)(\d{1,2})(?::(\d{2}))?\s*(a\.m\.?|p\.m\.?|am(?-u:\b)|pm(?-u:\b)|in\s+the\s+(?:morning|afternoon|evening)(?-u:\b)|at\s+night(?-u:\b))(?:\s+(?-i:[A-Z]{2,4}T|GMT|UTC))?|(?-u:\b)([01]?\d|2[0-3]):([0-5]\d)(?-u:\b)(?:\s+(?-i:[A-Z]{2,4}T|GMT|UTC))?|(?-u:\b)(noon|midday|midnight)(?-u:\b)".into()),
                Rule::Clock,
            ),
            (
                r(r"(?i)(?-u:\b)(now|currently|then[- ]current|current|recent|soon|at present|presently|nowadays|these days|recently|in recent years|the past|the near future|the future|in the future|in future|the present|the (?:near|short) term|as soon as possible|a later date|a\s+while)(?-u:\b)".into()),
                Rule::Ref,
            ),
            (
                r(format!(r"(?-u:\b)(?:((?i:every|each))\s+(?:(day|week|month|quarter|year|morning|night|evening|weekend)|{WEEKDAY})|((?i:once|twice|\w+ times))\s+(?:a|per|each|every)\s+(day|week|month|year)|((?i:daily|weekly|monthly|annually|yearly|nightly|hourly))|(?i:every|each)\s+{MONTH}|(?i:every\s+|each\s+)((?i:spring|summer|autumn|fall|winter))|(?i:the\s+(?:past|last|next|coming)\s+(?:(?:two|three|four|five|six|seven|eight|nine|ten|few|several|\d{{1,2}})\s+)?)((?i:spring|summer|autumn|fall|winter)s))(?-u:\b)")),
                Rule::Set,
            ),
            (
                r(r"(?i)(?-u:\b)(?:the\s+)?(?:(\d{4})\s+|(fiscal|year-ago|year-earlier|this year's|last year's|next year's)[- ])?(first|second|third|fourth|1st|2nd|3rd|4th)([- ])quarter(?:\s+of\s+(?:(\d{4})|(last|this|next)\s+year))?(?-u:\b)".into()),
                Rule::Quarter,
            ),
            (
                r(r"(?i)(?-u:\b)(?:(early|late|mid)[- ])?(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})(?-u:\b)".into()),
                Rule::Season,
            ),
            (r(r"(?i)(?-u:\b)the\s+weekend(?-u:\b)".into()), Rule::Weekend),
            (
                r(r"(?i)(?-u:\b)(?:(?:(the\s+)?(year[- ](?:ago|earlier|before)|prior[- ]year))(?:\s+(quarter|period|results|level|(?:three|six|nine|twelve|\d{1,2})\s+months))?|(the\s+)(?:(latest|most\s+recent|recent|fiscal|current(?:\s+fiscal)?|full|(\d{4}))\s+)?(quarter|period|year))(?-u:\b)".into()),
                Rule::Fiscal,
            ),
            (
                r(r"(?-u:\b)(?:((?i:last|next|this))\s+)?(Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Election Day|Independence Day|Easter(?: Sunday)?)(\s+week)?(?-u:\b)".into()),
                Rule::Holiday,
            ),
            (
                r(r"(?i)(?-u:\b)(?:the\s+end\s+of\s+the\s+year|year[- ]end|year's\s+end)(?-u:\b)".into()),
                Rule::YearEnd,
            ),
            (
                r(r"(?i)(?-u:\b)(the\s+)?(\d{1,2})(?:st|nd|rd|th)[- ]century(?-u:\b)".into()),
                Rule::Century,
            ),
            (
                r(format!(r"(?-u:\b)(?:{MONTH}\s+|(?i:(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+of\s+))?((?i:the\s+year\s+))?(?i:(nineteen)[- ]((?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)|(two\s+thousand))(?-u:\b)")),
                Rule::SpelledYear,
            ),
            (
                r(format!(r"(?-u:\b){MONTH}\s+((?i:this|last|next))\s+year(?-u:\b)")),
                Rule::MonthRelYear,
            ),
            // Times anchored to the one just narrated. "The day before the plunge" is
            // not one: TimeML makes "before" a signal linking "the day" to an event.
            (
                r(r"(?i)(?-u:\b)(?:(earlier|later)\s+(?:that|the\s+same)\s+(day|week|month|year|morning|afternoon|evening|night)|(?:that|the\s+same)\s+(?:same\s+)?(day|week|month|year|morning|afternoon|evening|night)|the\s+(following|previous|preceding)\s+(day|week|month|year|morning|afternoon|evening|night)|the\s+next\s+(day|morning|afternoon|evening|night)|the\s+(day|week|month|year)\s+(before|after))(?-u:\b)".into()),
                Rule::Anchored,
            ),
            (
                r(r"(?i)(?-u:\b)(this\s+past\s+|the\s+(?:(early|late)[- ])?|over\s+the\s+)(spring|summer|autumn|fall|winter)(?-u:\b)".into()),
                Rule::BareSeason,
            ),
            (
                r(format!(r"(?-u:\b)(?i:the\s+(previous|preceding|following))\s+{WEEKDAY}")),
                Rule::AnchoredWeekday,
            ),
            (
                r(format!(r"(?-u:\b)(?i:the\s+week\s+of)\s+{MONTH}\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?(?-u:\b)")),
                Rule::WeekOf,
            ),
            (
                r(r"(?i)(?-u:\b)(hour|day|week|month|year|decade)(s)?-?long(?-u:\b)".into()),
                Rule::LongAdjective,
            ),
            (
                r(r"(?i)(?-u:\b)(the\s+)?(?:(?:early|mid|late)[- ])?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)(?-u:\b)".into()),
                Rule::SpelledDecade,
            ),
            (
                r(r"(?i)(?-u:\b)(?:earlier|later)\s+in\s+(the\s+(day)|the\s+(week|month|year))(?-u:\b)".into()),
                Rule::InTheUnit,
            ),
            // "the second half of 1989", "the first two quarters of next year".
            (
                r(r"(?i)(?-u:\b)(?:the\s+)?(first|second|last|latter)\s+(half|two\s+quarters)\s+of\s+(?:(\d{4})|(the|this|last|next)\s+year|the\s+(?:(\d{3})|['’](\d))0s)(?-u:\b)".into()),
                Rule::Half,
            ),
            // "the quarter a year ago", "the corresponding period last year", "last
            // year's quarter", "the comparable year-ago quarter": one expression, the
            // reported period a year before.
            (
                r(r"(?i)(?-u:\b)(?:the\s+(?:(?:same|comparable|corresponding)\s+)?(quarter|period)\s+(?:of\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier|before)|the\s+(?:previous|prior)\s+year)|last\s+year(?:'|’)s\s+(quarter|period)|the\s+(?:comparable|corresponding|same)\s+(?:year[- ](?:ago|earlier)|prior[- ]year)\s+(quarter|period))(?-u:\b)".into()),
                Rule::PeriodYearBefore,
            ),
            // "on April 24 and 25": the second day is a date of the same month.
            (
                r(format!(r"(?-u:\b){MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:and|or)\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?-u:\b)")),
                Rule::SecondDay,
            ),
            // "It's the second day of the strike", "today is the eighth day": today.
            (
                r(r"(?i)(?-u:\b)(?:it's|it’s|it\s+is|today\s+is)\s+((?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,3}(?:st|nd|rd|th))\s+(?:straight\s+|consecutive\s+|full\s+)?day)(?-u:\b)".into()),
                Rule::NthDay,
            ),
        ];
        Patterns {
            rules,
            // Past forms: the common irregular verbs of news and regular "-ed" forms
            // (less the "-ed" words that are not verbs in the past, see `not_past`).
            past: r(r"(?-u:\b)(?:said|was|were|had|did|told|met|made|took|came|went|left|began|found|gave|held|sent|won|lost|saw|got|fell|rose|brought|bought|paid|led|struck|stood|kept|spent|sold|fled|flew|wrote|spoke|chose|drove|ran|shot|caught|fought|sought|heard|became|grew|knew|threw|broke|built|laid|wore|sank|drew|stole|[a-z]{3,}ed)(?-u:\b)".into()),
            // Future markers. "next" counts only before a unit of time ("next to the
            // embassy" is not a time), "planned" only before "to" ("as previously planned").
            future: r(r"(?i)(?-u:\b)(will|won't|'ll|shall|would|is due|are due|due to|scheduled|set to|going to|plans? to|planned to|planning|expected|expects?|upcoming|next (?:week|month|year|weekend|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|intends? to|aims? to|to be held|tomorrow|payable|as (?:soon|early) as|(?:is|are) to)(?-u:\b)|’ll".into()),
        }
    })
}

/// Time expressions in a plain text (sentences split here), resolved against `dct`;
/// spans are byte ranges into `text`. What `parallax timex` prints, after converting the
/// offsets to code points.
pub fn find_in_text(text: &str, dct: Option<NaiveDate>) -> Vec<TimeExpr> {
    let sentences = crate::sentences::split(text);
    find(text, &sentences, dct)
}

/// The TIMEX3 `type` of a kind: DATE, TIME, DURATION or SET.
pub fn timex_type(kind: TimeKind) -> &'static str {
    match kind {
        TimeKind::Date => "DATE",
        TimeKind::Time => "TIME",
        TimeKind::Duration => "DURATION",
        TimeKind::Set => "SET",
    }
}

/// Time expressions in `body`, resolved against the document creation date `dct`.
pub fn find(body: &str, sentences: &[Sentence], dct: Option<NaiveDate>) -> Vec<TimeExpr> {
    let p = patterns();
    // A quarterly-results story: "a year earlier" there means the same quarter a year
    // before, not the year.
    let quarterly = body
        .match_indices("quarter")
        .any(|(i, _)| !body[..i].ends_with(|c: char| c.is_alphabetic()));
    let mut cands: Vec<Cand> = Vec::new();
    for (re, rule) in &p.rules {
        for caps in re.captures_iter(body) {
            if let Some(c) = build(*rule, &caps, body, sentences, dct, quarterly) {
                // "quarter-to-quarter", "day-to-day": a compound adjective.
                let compound = body[c.span.end..].starts_with("-to-");
                if c.span.start < c.span.end && !compound && !title(body, c.span) {
                    cands.push(c);
                }
            }
        }
    }
    // Longest first; the earlier rule wins a tie (rules are listed specific → general).
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cands[i].span.len()), i));
    let mut kept: Vec<Cand> = Vec::new();
    for i in order {
        if kept.iter().all(|k| !k.span.overlaps(cands[i].span)) {
            kept.push(cands[i].clone());
        }
    }
    kept.sort_by_key(|c| c.span.start);
    if let Some(d) = dct {
        resolve_periods(body, sentences, d, &mut kept);
    }

    // "9 a.m. Tuesday", "noon Thursday": one time on that day.
    let mut i = 0;
    while i + 1 < kept.len() {
        let gap = &body[kept[i].span.end..kept[i + 1].span.start];
        let joinable = kept[i].clock.is_some()
            && kept[i + 1].kind == TimeKind::Date
            && kept[i + 1].value.as_deref().is_some_and(is_full_date)
            && matches!(gap.trim(), "" | ",");
        if joinable {
            let next = kept.remove(i + 1);
            let clock = kept[i].clock.take().unwrap_or_default();
            kept[i].span = Span::new(kept[i].span.start, next.span.end);
            kept[i].value = next.value.map(|d| format!("{d}{clock}"));
        }
        i += 1;
    }

    shift_day_beside(body, &mut kept);
    resolve_anchors(&mut kept);
    kept.retain(|c| {
        c.value.is_some() || !matches!(c.deferred, Some(Deferred::Anchored { optional: true, .. }))
    });

    // Clock times take their day from the nearest full date in the same sentence,
    // or from a time on a named day ("at 4 in the morning (4 a.m. EDT Thursday)").
    let days: Vec<(Span, String)> = kept
        .iter()
        .filter_map(
            |c| match (&c.kind, c.value.as_deref().and_then(|v| v.get(..10))) {
                (TimeKind::Date | TimeKind::Time, Some(day)) if is_full_date(day) => {
                    Some((c.span, day.to_string()))
                }
                _ => None,
            },
        )
        .collect();
    for c in kept.iter_mut() {
        let Some(clock) = c.clock.take() else {
            continue;
        };
        let ctx = context(body, sentences, c.span.start);
        let near = days
            .iter()
            .filter(|(s, _)| ctx.contains(*s))
            .min_by_key(|(s, _)| s.start.abs_diff(c.span.start))
            .map(|(_, v)| v.clone())
            .or_else(|| dct.map(|d| d.format("%Y-%m-%d").to_string()));
        match near {
            Some(day) => c.value = Some(format!("{day}{clock}")),
            None => c.relative = Some(format!("0 day{clock}")),
        }
    }

    kept.into_iter()
        .map(|c| TimeExpr {
            text: body[c.span.start..c.span.end].to_string(),
            span: c.span,
            kind: c.kind,
            value: c.value,
            relative: c.relative,
        })
        .collect()
}

/// Where "the day before" / "the day after" starts when it ends right before byte `at`,
/// and the days it adds.
fn day_beside(body: &str, at: usize) -> Option<(usize, i64)> {
    let lead = body[..at].trim_end_matches(' ');
    [("the day before", -1), ("the day after", 1)]
        .into_iter()
        .find_map(|(words, off)| {
            let i = lead.len().checked_sub(words.len())?;
            let t = lead.get(i..)?;
            let word_start = lead[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            (t.eq_ignore_ascii_case(words) && word_start).then_some((i, off))
        })
}

/// "the day before last Tuesday's hearing", "the day after Christmas": one expression,
/// a day off the day named (it swallows the "the day" anchored to the text before).
fn shift_day_beside(body: &str, kept: &mut Vec<Cand>) {
    let mut i = 0;
    while i < kept.len() {
        let c = &kept[i];
        let day = c
            .value
            .as_deref()
            .filter(|v| c.kind == TimeKind::Date && is_full_date(v))
            .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
        let beside = day_beside(body, c.span.start);
        if let (Some(d), Some((start, off))) = (day, beside) {
            kept[i].span = Span::new(start, kept[i].span.end);
            kept[i].value = add_days(d, off).map(ymd);
            if i > 0 && kept[i].span.contains(kept[i - 1].span) {
                kept.remove(i - 1);
                i -= 1;
            }
        }
        i += 1;
    }
}

/// The word before byte `at` ends an amount ("$2 million", "8.5%", "four flights"):
/// a time unit after it makes a rate ("$2 million a year", "8.5% annually").
fn after_amount(body: &str, at: usize) -> bool {
    let prev = body[..at]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    prev.chars().any(|c| c.is_ascii_digit())
        || matches!(
            prev.as_str(),
            "million" | "billion" | "thousand" | "hundred" | "percent" | "times" | "once" | "twice"
        )
        || (prev.len() > 3
            && prev.ends_with('s')
            && !prev.ends_with("ss")
            && !prev.ends_with("us")
            && !matches!(
                prev.as_str(),
                "was" | "this" | "his" | "its" | "has" | "does" | "lasts"
            ))
}

/// A title that holds time words: a show or film ("ABC's ``This Week''", CBS's "60
/// Minutes", "VOA Today", "High Noon"). A unit capitalized inside the expression, or a
/// capitalized time word that is normally lower case in the middle of a sentence, is
/// no time.
fn title(body: &str, span: Span) -> bool {
    let lower_word = |w: &str| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphabetic())
                .to_ascii_lowercase()
                .as_str(),
            "this"
                | "last"
                | "next"
                | "today"
                | "tonight"
                | "tomorrow"
                | "yesterday"
                | "noon"
                | "midnight"
                | "now"
                | "minute"
                | "minutes"
                | "hour"
                | "hours"
                | "day"
                | "days"
                | "week"
                | "weeks"
                | "month"
                | "months"
                | "year"
                | "years"
        )
    };
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut words = body[span.start..span.end].split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let lead = lower_word(first) || first.starts_with(|c: char| c.is_ascii_digit());
    if lead && words.any(|w| cap(w) && lower_word(w)) {
        return true;
    }
    if !(cap(first) && lower_word(first)) {
        return false;
    }
    let before = body[..span.start].trim_end_matches(|c: char| {
        c == ' ' || c == '\t' || matches!(c, '`' | '\'' | '"' | '“' | '‘')
    });
    before.ends_with(|c: char| c.is_alphanumeric())
}

/// How far a candidate `delta` units from the dct is, for the tense of its sentence:
/// one on the wrong side of a past verb or a future marker counts four times; in an
/// unmarked sentence a later one counts double (news mostly reports what happened).
fn side_cost(delta: i64, t: Tense) -> i64 {
    match t {
        Tense::Past if delta > 0 => 4 * delta,
        Tense::Future if delta < 0 => -4 * delta,
        Tense::Unmarked if delta > 0 => 2 * delta,
        _ => delta.abs(),
    }
}

/// The month-day `m`/`d` in the year before, of or after `dct` that [`side_cost`]
/// prefers: "closed on Oct. 23" in a January article is last October, "payable Jan. 2"
/// in an October one next January.
fn nearest_year_date(dct: NaiveDate, m: u32, d: u32, t: Tense) -> Option<NaiveDate> {
    (dct.year() - 1..=dct.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|date| side_cost((*date - dct).num_days(), t))
}

/// Nothing but punctuation follows before the next word: the phrase before `rest`
/// ends its clause.
fn clause_ends(rest: &str) -> bool {
    rest.trim_start().chars().next().is_none_or(|c| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'' | '"' | '-' | '”' | '’'
        )
    })
}

/// A preposition that introduces a clock time ends the text before byte `at`: "at",
/// "until", "by", "around", …
fn after_clock_preposition(body: &str, at: usize) -> bool {
    body[..at].split_whitespace().next_back().is_some_and(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "at" | "around"
                | "about"
                | "until"
                | "till"
                | "by"
                | "before"
                | "after"
                | "from"
                | "since"
                | "to"
                | "past"
        )
    })
}

/// Where "was" or "were" starts when it is the word right before byte `at`.
fn be_before(body: &str, floor: usize, at: usize) -> Option<usize> {
    let before = body[floor..at].trim_end();
    ["was", "were"].iter().find_map(|w| {
        // Ending with the (ASCII) word first makes `start` a char boundary.
        if !before.ends_with(w) {
            return None;
        }
        let start = floor + before.len() - w.len();
        let word_start = body[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        word_start.then_some(start)
    })
}

/// "were planning to", "was expected to": the past form of "be" belongs to the
/// future marker after it, a plan still ahead, not a verb in the past.
fn before_future_marker(body: &str, verb: &str, end: usize) -> bool {
    if !matches!(verb, "was" | "were") {
        return false;
    }
    let next = body[end..].trim_start();
    // The marker opens the next few words; a bounded look keeps this linear.
    let mut cut = next.len().min(24);
    while !next.is_char_boundary(cut) {
        cut -= 1;
    }
    patterns()
        .future
        .find(&next[..cut])
        .is_some_and(|f| f.start() == 0)
}

fn is_full_date(v: &str) -> bool {
    v.len() == 10 && v.as_bytes().get(4) == Some(&b'-') && v.as_bytes().get(7) == Some(&b'-')
}

/// The sentence holding byte `pos`, or its paragraph when the sentences don't cover it.
fn context(body: &str, sentences: &[Sentence], pos: usize) -> Span {
    let i = sentences.partition_point(|s| s.span.end <= pos);
    if let Some(s) = sentences.get(i) {
        if s.span.start <= pos && pos < s.span.end && s.span.end <= body.len() {
            return s.span;
        }
    }
    let start = body[..pos].rfind("\n\n").map(|i| i + 2).unwrap_or(0);
    let end = body[pos..]
        .find("\n\n")
        .map(|i| pos + i)
        .unwrap_or(body.len());
    Span::new(start, end)
}

/// Tense of the words nearest to `span` in its sentence: whichever is closer, a
/// future marker or a past-tense verb, decides; a sentence with neither is
/// [`Tense::Unmarked`] (see the module doc).
///
/// A future marker right after a pluperfect ("had been due to expire Friday", "had
/// planned to") is a future seen from the past: it counts as past.
/// "by" right before the expression sets a deadline, which in news is ahead unless a
/// past verb sits next to it ("repaid by February").
fn tense(body: &str, sentences: &[Sentence], span: Span) -> Tense {
    let ctx = context(body, sentences, span.start);
    let text = &body[ctx.start..ctx.end];
    let p = patterns();
    let dist = |ms: usize, me: usize| {
        if me <= span.start {
            span.start - me
        } else {
            ms.saturating_sub(span.end)
        }
    };
    let mut future = usize::MAX;
    let mut past = usize::MAX;
    for m in p.future.find_iter(text) {
        let (ms, me) = (ctx.start + m.start(), ctx.start + m.end());
        let d = dist(ms, me);
        // "were planning to": the "be" is part of the marker, not a past verb between.
        let (from, to) = if ms >= span.end {
            (span.start, be_before(body, ctx.start, ms).unwrap_or(me))
        } else {
            (ms, span.end)
        };
        if after_past_auxiliary(body, ctx.start, ms) {
            past = past.min(d);
        } else if !past_between(body, from, to) {
            future = future.min(d);
        }
    }
    for m in p.past.find_iter(text) {
        let (ms, me) = (ctx.start + m.start(), ctx.start + m.end());
        if !p.future.is_match(m.as_str())
            && !not_past(m.as_str())
            && !before_future_marker(body, m.as_str(), me)
            && !after_present_auxiliary(body, ctx.start, ms)
            && !adjectival(body, ctx.start, ms, m.as_str())
            && !attribution_after_quote(body, span.end, ms)
        {
            past = past.min(dist(ms, me));
        }
    }
    // A deadline ("by February", "until Nov. 9", "effective Feb. 1") lies ahead unless
    // a past verb leads to it ("repaid by February", "had filed reports by Wednesday")
    // or follows it closely ("Until Thursday, they had not called").
    // A clock time before a weekday belongs to it: "until 9 a.m. EST Tuesday".
    let mut words = body[ctx.start..span.start]
        .split_whitespace()
        .rev()
        .skip_while(|w| clock_word(w));
    if let Some(w) = words.next() {
        let w = w.to_ascii_lowercase();
        // Verbs that move a time forward keep the deadline ahead even in the past
        // ("postponed until Tuesday", "extended the deadline until Friday").
        let lead: Vec<&str> = words.take(3).collect();
        let forward = lead.iter().any(|v| {
            matches!(
                *v,
                "postponed" | "delayed" | "extended" | "deferred" | "adjourned" | "recessed"
            )
        });
        let led_by_past = lead.iter().any(|v| p.past.is_match(v));
        let deadline = matches!(
            w.as_str(),
            "by" | "until" | "through" | "till" | "effective"
        );
        if deadline && forward {
            future = 0;
        } else if deadline && !led_by_past {
            future = future.min(10);
        } else if w == "since" {
            // "on patrol since March": a stretch reaching up to now starts behind it.
            past = 0;
        }
    }
    match (future, past) {
        (usize::MAX, usize::MAX) => Tense::Unmarked,
        (f, p) if f < p => Tense::Future,
        _ => Tense::Past,
    }
}

/// A past verb after the closing quote that holds the expression ("… leave at 4
/// a.m. Thursday,'' Castro said"): the attribution, which dates the telling, not
/// what the quote tells.
fn attribution_after_quote(body: &str, span_end: usize, verb_start: usize) -> bool {
    verb_start > span_end && {
        let between = &body[span_end..verb_start];
        between.contains("''") || between.contains('"') || between.contains('”')
    }
}

/// After a bare weekday, "and Tuesday nights" / "or Sundays": the recurring weekday the
/// two share, with its part of day (`Some(None)` for none).
fn joined_plural_weekday(rest: &str) -> Option<Option<&str>> {
    let rest = rest
        .strip_prefix(" and ")
        .or_else(|| rest.strip_prefix(" or "))?;
    let name = rest.split(|c: char| !c.is_ascii_alphabetic()).next()?;
    let wd = name.strip_suffix('s').unwrap_or(name);
    if !wd.ends_with("day") || weekday_num(wd).is_none() || !wd.starts_with(char::is_uppercase) {
        return None;
    }
    let tail = &rest[name.len()..];
    if name.ends_with('s') {
        return Some(None);
    }
    let part = tail
        .strip_prefix(' ')?
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()?;
    match part {
        "mornings" | "afternoons" | "evenings" | "nights" => Some(Some(&part[..part.len() - 1])),
        _ => None,
    }
}

/// Reference words used as something other than a time (TimeML leaves them untagged):
/// "Now," opening a sentence is a discourse marker that turns to the next point, not
/// the present; "the future of the alliance" is its fate, and "the future looks bleak"
/// makes the future a thing that is described, not a time something happens in.
fn not_a_time_ref(body: &str, span: Span, w: &str) -> bool {
    let next = body[span.end..]
        .split(|c: char| !c.is_ascii_alphabetic() && c != ',')
        .find(|s| !s.is_empty())
        .unwrap_or("");
    match w {
        "now" => {
            let before = body[..span.start].trim_end();
            next.starts_with(',')
                && (before.is_empty() || before.ends_with(['.', '!', '?', '"', '\'', '`']))
        }
        "the future" => {
            matches!(
                next.trim_end_matches(','),
                "of" | "is" | "looks" | "seems" | "remains" | "was" | "appears"
            ) && !matches!(
                word_before(body, span.start).to_ascii_lowercase().as_str(),
                "in" | "into" | "for"
            )
        }
        _ => false,
    }
}

/// "soon" that is no reference to the future: the conjunction "as soon as", the signal
/// "soon after" / "soon before" / "soon afterward", and "soon" inside a past narrative
/// ("he was soon released", "it soon became a flood").
fn soon_not_future(body: &str, start: usize, end: usize) -> bool {
    let prev = word_before(body, start).to_ascii_lowercase();
    let after = body[end..].trim_start();
    let next: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    body[..start].to_ascii_lowercase().ends_with("as ")
        || matches!(
            next.as_str(),
            "after" | "before" | "afterward" | "afterwards" | "thereafter"
        )
        || matches!(prev.as_str(), "was" | "were" | "had")
        || (patterns().past.is_match(&next) && !not_past(&next))
}

/// The word (ASCII letters) right before byte `at`, past spaces; empty when
/// punctuation comes first.
fn word_before(body: &str, at: usize) -> &str {
    body[..at]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
}

/// A word of a clock time or its zone ("9", "a.m.", "EST", "noon").
fn clock_word(w: &str) -> bool {
    let w = w.trim_end_matches([',', '(']).trim_start_matches('(');
    !w.is_empty()
        && (w.bytes().all(|b| b.is_ascii_digit() || b == b':')
            || matches!(
                w.to_ascii_lowercase().as_str(),
                "a.m." | "p.m." | "am" | "pm" | "a.m" | "p.m" | "noon" | "midnight" | "gmt" | "utc"
            )
            || (w.len() == 3 && w.ends_with('T') && w.bytes().all(|b| b.is_ascii_uppercase())))
}

/// An "-ed" word used as an adjective: right after a determiner ("the increased
/// dividend", "an undisclosed sum"), or an "un-" adjective ("still unspecified"),
/// which is no past verb.
fn adjectival(body: &str, floor: usize, at: usize, w: &str) -> bool {
    if w.len() > 6 && w.starts_with("un") && w.ends_with("ed") {
        // The few "un-" verbs of news.
        return !matches!(
            w,
            "unveiled"
                | "unleashed"
                | "uncovered"
                | "unloaded"
                | "unfolded"
                | "unearthed"
                | "unsealed"
                | "unlocked"
                | "undermined"
                | "underscored"
                | "understood"
                | "undertook"
                | "underlined"
                | "unraveled"
                | "unravelled"
                | "unified"
        );
    }
    let mut from = at.saturating_sub(8).max(floor);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    matches!(
        body[from..at].split_whitespace().next_back(),
        Some("a" | "an" | "the" | "The" | "its" | "their" | "his" | "her" | "our")
    )
}

/// Words ending in "-ed" that are no past verb.
fn not_past(w: &str) -> bool {
    matches!(
        w,
        "need"
            | "proceed"
            | "exceed"
            | "succeed"
            | "speed"
            | "indeed"
            | "hundred"
            | "breed"
            | "feed"
            | "seed"
            | "united"
            | "limited"
    )
}

/// A form of "be" just before byte `at`: the "-ed" word after it is a participle
/// ("will be paid", "is expected"), not a verb in the past.
fn after_present_auxiliary(body: &str, floor: usize, at: usize) -> bool {
    let mut from = at.saturating_sub(12).max(floor);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    matches!(
        body[from..at].split_whitespace().next_back(),
        Some("be" | "been" | "being" | "is" | "are")
    )
}

/// "had" or "had been" just before byte `at`.
fn after_past_auxiliary(body: &str, floor: usize, at: usize) -> bool {
    let mut from = at.saturating_sub(16).max(floor);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    let words: Vec<&str> = body[from..at].split_whitespace().collect();
    matches!(
        words.as_slice(),
        [.., "had"] | [.., "had", "been"] | [.., "had", "not"] | [.., "had", "not", "been"]
    )
}

/// A plain past-tense verb between a future marker and the expression ("will say what
/// happened on Saturday" is rare; "said it would sail" is common) — keeps a future
/// marker in an unrelated clause from flipping the tense. Only strong past forms count.
fn past_between(body: &str, a: usize, b: usize) -> bool {
    let t = &body[a..b];
    t.split(|c: char| !c.is_alphabetic())
        .any(|w| matches!(w, "was" | "were" | "had" | "did" | "happened" | "occurred"))
}

/// A present perfect ("have suffered", "has long been", "they've moved") in the
/// sentence around `span`: the sentence tells of a stretch that reaches the present.
fn present_perfect(body: &str, sentences: &[Sentence], span: Span) -> bool {
    let ctx = context(body, sentences, span.start);
    let words: Vec<&str> = body[ctx.start..ctx.end]
        .split(|c: char| !c.is_ascii_alphabetic() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    let past = &patterns().past;
    let participle = |w: &&str| {
        *w == "been" || (!not_past(w) && past.find(w).is_some_and(|m| m.range() == (0..w.len())))
    };
    words.iter().enumerate().any(|(i, w)| {
        let have = matches!(w.to_ascii_lowercase().as_str(), "has" | "have")
            || w.ends_with("'ve")
            || w.ends_with("’ve");
        have && words[i + 1..].iter().take(3).any(participle)
    })
}

fn month_num(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_num(s: &str) -> Option<u32> {
    let m = match s.get(..3)?.to_ascii_lowercase().as_str() {
        "mon" => 1,
        "tue" => 2,
        "wed" => 3,
        "thu" => 4,
        "fri" => 5,
        "sat" => 6,
        "sun" => 7,
        _ => return None,
    };
    Some(m)
}

fn word_num(w: &str) -> Option<f64> {
    let v = match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "couple" => 2,
        _ => return None,
    };
    Some(v as f64)
}

/// "twenty-four" → 24, "one hundred" → 100, "3" → 3; vague amounts ("several") → None.
fn parse_num(s: &str) -> Option<f64> {
    let s = s.to_ascii_lowercase();
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    if s.contains("few") || s.contains("several") || s.contains("many") || s.contains("number") {
        return None;
    }
    if s.contains("couple") {
        return Some(2.0);
    }
    // "half an hour", "half a century"
    if s.starts_with("half") {
        return Some(0.5);
    }
    // "5 1/2", "two and a half"
    let (s, half) = match s
        .strip_suffix("1/2")
        .or_else(|| s.strip_suffix("and a half"))
    {
        Some(whole) => (whole.trim_end().to_string(), 0.5),
        None => (s, 0.0),
    };
    if let Ok(v) = s.parse::<f64>() {
        return Some(v + half);
    }
    let mut total = half;
    for w in s.split([' ', '-']).filter(|w| !w.is_empty() && *w != "of") {
        let v = word_num(w)?;
        if v == 100.0 {
            total = if total == 0.0 { 100.0 } else { total * 100.0 };
        } else {
            total += v;
        }
    }
    (total > half).then_some(total)
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// TIMEX3 duration for `n` units (`None` = unspecified amount, "X"); a half unit is
/// written in the next smaller one ("5 1/2 hours" → `PT5H30M`).
fn duration_value(n: Option<f64>, unit: &str) -> String {
    let u = unit.to_ascii_lowercase();
    if let Some(v) = n.filter(|v| v.fract() == 0.5) {
        let w = v.trunc() as i64;
        let half = match u.trim_end_matches('s') {
            "year" => Some(format!("P{w}Y6M")),
            "day" => Some(format!("P{w}DT12H")),
            "hour" => Some(format!("PT{w}H30M")),
            "minute" => Some(format!("PT{w}M30S")),
            _ => None,
        };
        if let Some(h) = half {
            return h
                .replace("P0Y", "P")
                .replace("P0D", "P")
                .replace("T0H", "T")
                .replace("T0M", "T");
        }
    }
    let amount = |k: f64| n.map(|v| fmt_num(v * k)).unwrap_or_else(|| "X".into());
    match u.trim_end_matches('s') {
        "second" => format!("PT{}S", amount(1.0)),
        "minute" => format!("PT{}M", amount(1.0)),
        "hour" => format!("PT{}H", amount(1.0)),
        "day" => format!("P{}D", amount(1.0)),
        "week" => format!("P{}W", amount(1.0)),
        "fortnight" => format!("P{}W", amount(2.0)),
        "month" => format!("P{}M", amount(1.0)),
        "quarter" => format!("P{}Q", amount(1.0)),
        // ISO 8601 has no decade or century unit: "two decades" is `P20Y`.
        "decade" => format!("P{}Y", amount(10.0)),
        "century" | "centurie" => format!("P{}Y", amount(100.0)),
        _ => format!("P{}Y", amount(1.0)),
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(y: i32, m: u32, n: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The `wd` weekday (1 = Monday) relative to `d`: `dir` < 0 before, > 0 after; `same`
/// lets `d` itself count.
fn weekday_from(d: NaiveDate, wd: u32, future: bool, same: bool) -> Option<NaiveDate> {
    let cur = d.weekday().number_from_monday() as i64;
    let wd = wd as i64;
    let delta = if future {
        let k = (wd - cur).rem_euclid(7);
        if k == 0 && !same {
            7
        } else {
            k
        }
    } else {
        let k = (cur - wd).rem_euclid(7);
        -(if k == 0 && !same { 7 } else { k })
    };
    add_days(d, delta)
}

fn part_code(p: &str) -> &'static str {
    match p.to_ascii_lowercase().as_str() {
        "morning" => "TMO",
        "afternoon" => "TAF",
        "evening" => "TEV",
        _ => "TNI",
    }
}

/// A duration with its ISO 8601 value ("P3M", "PXY").
fn duration_cand(span: Span, value: String) -> Option<Cand> {
    Some(Cand {
        span,
        kind: TimeKind::Duration,
        value: Some(value),
        relative: None,
        clock: None,
        deferred: None,
    })
}

fn date_cand(span: Span, value: Option<String>, relative: Option<String>) -> Option<Cand> {
    Some(Cand {
        span,
        kind: TimeKind::Date,
        value,
        relative,
        clock: None,
        deferred: None,
    })
}

/// With a dct, `f(dct)` is the value; without, `rel` is the description.
fn resolve(
    dct: Option<NaiveDate>,
    rel: String,
    f: impl FnOnce(NaiveDate) -> Option<String>,
) -> (Option<String>, Option<String>) {
    match dct.and_then(f) {
        Some(v) => (Some(v), None),
        None => (None, Some(rel)),
    }
}

/// A four-digit number standing alone is a year when it looks like one in running
/// text: a plausible year, not an amount ("$1990", "1990 shares", "1,990", "No. 1990")
/// and not part of a longer number or code.
fn bare_year_ok(body: &str, start: usize, end: usize, yr: i32) -> bool {
    if !(1850..=2099).contains(&yr) {
        return false;
    }
    let before = body[..start].chars().next_back();
    if before.is_some_and(|c| c.is_ascii_digit() || "$#.,-/:£€+".contains(c)) {
        return false;
    }
    let after = &body[end..];
    let mut ac = after.chars();
    match (ac.next(), ac.next()) {
        (Some(c), _) if c.is_ascii_digit() || c == '%' || c == '/' => return false,
        (Some('.' | ',' | '-' | ':'), Some(d)) if d.is_ascii_digit() => return false,
        _ => {}
    }
    let prev_word = body[..start]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(
        prev_word.as_str(),
        "no." | "number" | "flight" | "route" | "room" | "model" | "highway" | "page" | "us$"
    ) {
        return false;
    }
    let next_word: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    !matches!(
        next_word.as_str(),
        "million"
            | "billion"
            | "thousand"
            | "percent"
            | "people"
            | "shares"
            | "units"
            | "tons"
            | "feet"
            | "meters"
            | "metres"
            | "miles"
            | "kilometers"
            | "acres"
            | "troops"
            | "dollars"
            | "yen"
            | "euros"
            | "pounds"
            | "francs"
            | "marks"
            | "yuan"
            | "rupees"
            | "kg"
            | "tonnes"
            | "barrels"
            | "points"
            | "cars"
            | "jobs"
            | "votes"
            | "members"
    )
}

/// The century (19 for the 1900s) of a decade named without one ("the nineties", "the
/// '80s", `d` = 8): the dct's, unless that decade is still ahead of the dct.
fn decade_century(dct: Option<NaiveDate>, d: i32) -> i32 {
    let century = dct.map(|d| d.year() / 100).unwrap_or(19);
    if d * 10 > dct.map(|d| d.year() % 100).unwrap_or(99) {
        century - 1
    } else {
        century
    }
}

fn valid_year(y: i32) -> bool {
    (1000..=2199).contains(&y)
}

fn build(
    rule: Rule,
    caps: &Captures,
    body: &str,
    sentences: &[Sentence],
    dct: Option<NaiveDate>,
    quarterly: bool,
) -> Option<Cand> {
    let whole = caps.get(0)?;
    let span = Span::new(whole.start(), whole.end());
    let g = |i: usize| caps.get(i).map(|m| m.as_str());
    match rule {
        Rule::Iso => {
            let y: i32 = g(1)?.parse().ok()?;
            let m: u32 = g(2)?.parse().ok()?;
            let d: u32 = g(3)?.parse().ok()?;
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            if let (Some(h), Some(mi)) = (g(4), g(5)) {
                return Some(Cand {
                    span,
                    kind: TimeKind::Time,
                    value: Some(format!("{}T{h}:{mi}", ymd(date))),
                    relative: None,
                    clock: None,
                    deferred: None,
                });
            }
            date_cand(span, Some(ymd(date)), None)
        }
        Rule::DayMonthYear | Rule::MonthDayYear => {
            let (day, mon) = if let Rule::DayMonthYear = rule {
                (g(1)?, g(2)?)
            } else {
                (g(2)?, g(1)?)
            };
            let m = month_num(mon)?;
            let d: u32 = day.parse().ok()?;
            if !(1..=31).contains(&d) {
                return None;
            }
            // "May 5" is a date, but "may 5" (lowercase) never reaches here: months are
            // matched capitalised only.
            match g(3).and_then(|y| y.parse::<i32>().ok()) {
                Some(y) => {
                    let date = NaiveDate::from_ymd_opt(y, m, d)?;
                    date_cand(span, Some(ymd(date)), None)
                }
                None => {
                    let t = tense(body, sentences, span);
                    let (v, r) = resolve(dct, format!("XXXX-{m:02}-{d:02}"), |dct| {
                        nearest_year_date(dct, m, d, t).map(ymd)
                    });
                    date_cand(span, v, r)
                }
            }
        }
        Rule::MonthYear => {
            let m = month_num(g(2)?)?;
            let y: i32 = g(3)?.parse().ok()?;
            valid_year(y).then_some(())?;
            date_cand(span, Some(format!("{y}-{m:02}")), None)
        }
        Rule::BareMonth => {
            let pre = g(1)?.trim_end_matches([' ', '-']).to_ascii_lowercase();
            let mon = caps.get(2)?;
            let m = month_num(mon.as_str())?;
            // A one-letter-dot abbreviation alone ("Jan.") is too often something else.
            if mon.as_str().len() <= 3 && mon.as_str() != "May" {
                return None;
            }
            // "under a June agreement": the month modifies a noun. Only before a
            // lower-case word ("a May Day parade" is no month).
            if pre == "a"
                && !body[mon.end()..]
                    .strip_prefix(' ')
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
            {
                return None;
            }
            let keep_pre = matches!(
                pre.as_str(),
                "last" | "this" | "next" | "early" | "late" | "mid"
            );
            let span = Span::new(
                if keep_pre { whole.start() } else { mon.start() },
                mon.end(),
            );
            let shift: Option<i32> = match pre.as_str() {
                "last" => Some(-1),
                "next" => Some(1),
                "this" => Some(0),
                _ => None,
            };
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, format!("XXXX-{m:02}"), |dct| {
                let cur = dct.month();
                let y = match shift {
                    // The month just gone is "last month": "last February" written
                    // in March is the year before's.
                    Some(-1) => dct.year() - i32::from(m + 1 >= cur),
                    Some(1) => dct.year() + i32::from(m <= cur),
                    Some(_) => dct.year(),
                    // That month on the side of the tense ("payable in January" in
                    // October is next year's); the dct's own month is either side.
                    None => (dct.year() - 1..=dct.year() + 1)
                        .min_by_key(|&y| {
                            let months = (y * 12 + m as i32) - (dct.year() * 12 + cur as i32);
                            side_cost(months.into(), t)
                        })
                        .unwrap_or(dct.year()),
                };
                Some(format!("{y}-{m:02}"))
            });
            date_cand(span, v, r)
        }
        Rule::Year => {
            let pre = g(1)
                .unwrap_or("")
                .trim_end_matches([' ', '-'])
                .to_ascii_lowercase();
            let y = caps.get(2)?;
            let yr: i32 = y.as_str().parse().ok()?;
            if !(1800..=2150).contains(&yr) {
                return None;
            }
            // "2,000 people" never matches (\b after four digits), but "in 2000 people"
            // can't be told apart; accept that rare miss.
            let after = &body[y.end()..];
            if after.starts_with(|c: char| {
                c == '%' || c == ',' && after[1..].starts_with(|c: char| c.is_ascii_digit())
            }) {
                return None;
            }
            if pre.is_empty() && !bare_year_ok(body, y.start(), y.end(), yr) {
                return None;
            }
            let keep_pre = matches!(
                pre.as_str(),
                "early" | "late" | "mid" | "fiscal" | "post" | "pre"
            ) || pre.starts_with("the ");
            let span = Span::new(if keep_pre { whole.start() } else { y.start() }, y.end());
            date_cand(span, Some(yr.to_string()), None)
        }
        Rule::Decade => {
            // "the '80s": the decade of the latest century that has had it.
            let d = match g(2) {
                Some(d) => d.to_string(),
                None => {
                    let d: i32 = g(4)?.parse().ok()?;
                    format!("{}{d}", decade_century(dct, d))
                }
            };
            let yr: i32 = format!("{d}0").parse().ok()?;
            if !(1000..=2190).contains(&yr) {
                return None;
            }
            // TimeBank writes "the 1990s" as the decade ("199") and a bare "1990s" with
            // an unspecified year digit ("199X").
            let the = g(1)
                .or(g(3))
                .is_some_and(|p| p.to_ascii_lowercase().starts_with("the"));
            let v = if the { d.to_string() } else { format!("{d}X") };
            date_cand(span, Some(v), None)
        }
        Rule::DayWord => {
            let w = g(2)?.to_ascii_lowercase();
            // "today's world", "today's youth": the present era, not the day, which
            // TimeBank and AQUAINT leave untagged ("today's editions" is the day).
            if w == "today" {
                let after = body[span.end..]
                    .strip_prefix("'s")
                    .or_else(|| body[span.end..].strip_prefix("’s"));
                let era = after
                    .and_then(|a| a.split_whitespace().next())
                    .is_some_and(|n| {
                        matches!(
                            n.trim_end_matches(|c: char| !c.is_alphabetic()),
                            "world" | "youth" | "society" | "generation" | "economy" | "young"
                        )
                    });
                // "many of today's computers": a share of what exists these days.
                let mut lead = body[..span.start].split_whitespace().rev();
                let share = after.is_some()
                    && lead.next().is_some_and(|w| w.eq_ignore_ascii_case("of"))
                    && lead.next().is_some_and(|q| {
                        matches!(
                            q.to_ascii_lowercase().as_str(),
                            "many" | "most" | "all" | "some" | "few" | "much" | "none"
                        )
                    });
                if era || share {
                    return None;
                }
            }
            // "the leaders of tomorrow", "the youth of today": an era after "of", like
            // "today's world"; "as of today", "the end of today" and "the results of
            // tomorrow's vote" are the day.
            if matches!(w.as_str(), "today" | "tomorrow")
                && !body[span.end..].starts_with(['\'', '’'])
            {
                let mut before = body[..span.start].split_whitespace().rev();
                if before.next().is_some_and(|p| p.eq_ignore_ascii_case("of"))
                    && before.next().is_some_and(|h| {
                        !matches!(
                            h.to_ascii_lowercase().as_str(),
                            "as" | "end"
                                | "close"
                                | "rest"
                                | "morning"
                                | "afternoon"
                                | "evening"
                                | "night"
                        )
                    })
                {
                    return None;
                }
            }
            let mut off: i64 = match w.as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            // "the day before yesterday", "the day after tomorrow": one day further.
            let mut span = span;
            let further = day_beside(body, span.start)
                .filter(|&(_, dir)| dir == off && span.start == whole.start());
            if let Some((start, _)) = further {
                span = Span::new(start, span.end);
                off *= 2;
            }
            // "yesterday afternoon", and the part first: "mid-afternoon yesterday".
            let part = match (w.as_str(), g(3).or(g(1))) {
                ("tonight", _) => Some("TNI"),
                (_, Some(p)) => Some(part_code(p)),
                _ => None,
            };
            let suffix = part.unwrap_or("");
            let (v, r) = resolve(dct, format!("{off:+} day{suffix}"), |d| {
                add_days(d, off).map(|d| format!("{}{suffix}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: if part.is_some() {
                    TimeKind::Time
                } else {
                    TimeKind::Date
                },
                value: v,
                relative: r,
                clock: None,
                deferred: None,
            })
        }
        Rule::PartOfDay => {
            let w = g(1)?.to_ascii_lowercase();
            let p = part_code(g(2)?);
            let off: i64 = match w.as_str() {
                "last" | "yesterday" => -1,
                "tomorrow" => 1,
                "this" => 0,
                // "by mid-afternoon": the afternoon of the day the story tells, which
                // in news is the day it was written.
                "mid" if matches!(p, "TMO" | "TAF") => 0,
                // "that night", "the morning": anchored to a narrated day we don't track.
                _ => return None,
            };
            // "last night" is yesterday's night; "last morning" is not idiomatic.
            if w == "last" && p != "TNI" {
                return None;
            }
            let (v, r) = resolve(dct, format!("{off:+} day{p}"), |d| {
                add_days(d, off).map(|d| format!("{}{p}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: TimeKind::Time,
                value: v,
                relative: r,
                clock: None,
                deferred: None,
            })
        }
        Rule::RelativeUnit => {
            let edge = g(1).map(|s| s.to_ascii_lowercase());
            let which = g(2)?.to_ascii_lowercase();
            let unit = g(3)?.to_ascii_lowercase();
            let mut which = which.trim_start_matches("the ");
            // "the past week" / "the coming month" are stretches of time (durations).
            if matches!(which, "previous" | "following") {
                return None;
            }
            // "over the past year": like "the last year", the calendar year before the
            // dct's, as TimeBank reads it ("the past decade" stays a stretch, `P10Y`).
            if which == "past"
                && edge.is_none()
                && g(2)?.to_ascii_lowercase().starts_with("the")
                && unit == "year"
            {
                which = "last";
            }
            if matches!(which, "past" | "coming") {
                if edge.is_some() || !g(2)?.to_ascii_lowercase().starts_with("the") {
                    return None;
                }
                if matches!(
                    unit.as_str(),
                    "weekend" | "spring" | "summer" | "autumn" | "fall" | "winter" | "quarter"
                ) {
                    return None;
                }
                return duration_cand(span, duration_value(Some(1.0), &unit));
            }
            let off: i32 = match which {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            // "late last year" keeps its edge word in the span; the value is the unit.
            // TimeBank leaves it outside for weeks ("earlier [this week]").
            let span = match (&edge, caps.get(2)) {
                (Some(_), Some(w)) if unit == "week" => Span::new(w.start(), span.end),
                _ => span,
            };
            // "this quarter's loss" in a results story: the quarter reported.
            if quarterly && unit == "quarter" && which == "this" {
                let rest = &body[span.end..];
                if rest.starts_with("'s") || rest.starts_with("’s") {
                    let (v, r) = resolve(dct, "reported quarter".into(), |d| {
                        let (y, q) = reported_quarter(d);
                        Some(format!("{y}-Q{q}"))
                    });
                    let mut c = date_cand(span, v, r)?;
                    c.deferred = Some(Deferred::Reported);
                    return Some(c);
                }
            }
            let rel = format!("{off:+} {unit}");
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, rel, |d| {
                Some(match unit.as_str() {
                    "week" => iso_week(add_days(d, 7 * off as i64)?),
                    "weekend" => {
                        let base = if which == "this" {
                            weekend_base(d, t)
                        } else {
                            add_days(d, 7 * off as i64)?
                        };
                        format!("{}-WE", iso_week(base))
                    }
                    "month" => {
                        let (y, m) = add_months(d.year(), d.month(), off);
                        format!("{y}-{m:02}")
                    }
                    "year" => format!("{}", d.year() + off),
                    "decade" => format!("{}", (d.year() + 10 * off).div_euclid(10)),
                    "century" => format!("{}", (d.year() + 100 * off).div_euclid(100)),
                    "quarter" => {
                        let (y, m) = add_months(d.year(), d.month(), 3 * off);
                        format!("{y}-Q{}", (m - 1) / 3 + 1)
                    }
                    season => {
                        format!("{}-{}", d.year() + off, season_code(season))
                    }
                })
            });
            date_cand(span, v, r)
        }
        Rule::Weekday => {
            let pre = g(1).map(|s| s.to_ascii_lowercase());
            let wd = weekday_num(g(2)?)?;
            let mut part = g(4);
            // "on Mondays", "Tuesday nights": a recurring weekday; so is the first of
            // two joined ones ("on Monday and Tuesday nights", "Saturdays or Sundays").
            let mut plural = g(3).is_some() || g(5).is_some();
            if !plural && pre.is_none() && part.is_none() {
                if let Some(p) = joined_plural_weekday(&body[span.end..]) {
                    plural = true;
                    part = p;
                }
            }
            if plural {
                if pre.is_some() || (g(3).is_some() && part.is_some()) {
                    return None;
                }
                let suffix = part.map(part_code).unwrap_or("");
                return Some(Cand {
                    span,
                    kind: TimeKind::Set,
                    value: Some(format!("XXXX-WXX-{wd}{suffix}")),
                    relative: None,
                    clock: None,
                    deferred: None,
                });
            }
            // "Wednesday's ruling" names an event already known: the past one.
            let t = if body[span.end..].starts_with("'s") || body[span.end..].starts_with("’s") {
                Tense::Past
            } else {
                tense(body, sentences, span)
            };
            let (future, same, tag) = match pre.as_deref() {
                Some("last") => (false, false, "last"),
                Some("next") | Some("coming") => (true, false, "next"),
                _ => match t {
                    Tense::Future => (true, true, "future"),
                    Tense::Past | Tense::Unmarked => (false, true, "past"),
                },
            };
            let suffix = part.map(part_code).unwrap_or("");
            let (v, r) = resolve(dct, format!("weekday:{wd} {tag}{suffix}"), |d| {
                weekday_from(d, wd, future, same).map(|d| format!("{}{suffix}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: if part.is_some() {
                    TimeKind::Time
                } else {
                    TimeKind::Date
                },
                value: v,
                relative: r,
                clock: None,
                deferred: None,
            })
        }
        Rule::Ago => {
            let n = parse_num(g(1)?);
            let unit = g(2)?.to_ascii_lowercase();
            let dir = g(3)?.to_ascii_lowercase();
            if dir == "before" {
                // "three days before" is relative to a narrated time, not the dct.
                // ("a year earlier" usually compares with the dct's period in news, so
                // it resolves like "ago".)
                return None;
            }
            let Some(n) = n else {
                return Some(Cand {
                    span,
                    kind: TimeKind::Date,
                    value: Some("PAST_REF".into()),
                    relative: None,
                    clock: None,
                    deferred: None,
                });
            };
            // "half a century ago", "a year and a half ago": counted in the next
            // smaller unit that makes it whole.
            let (n, unit) = match unit.trim_end_matches('s') {
                "century" | "centurie" if n.fract() != 0.0 => (n * 100.0, "years".to_string()),
                "decade" if n.fract() != 0.0 => (n * 10.0, "years".to_string()),
                "year" if n.fract() != 0.0 => (n * 12.0, "months".to_string()),
                _ => (n, unit),
            };
            let k = n.round() as i64;
            if quarterly && k == 1 && unit.trim_end_matches('s') == "year" {
                // A comparison in a results story: the same period a year before. With
                // figures in the sentence and no period named, that period is a quarter.
                let ctx = context(body, sentences, span.start);
                let sent = &body[ctx.start..ctx.end];
                let figures = sent.contains('$') || sent.contains('%') || sent.contains("a share");
                let (v, r) = resolve(dct, "reported period -1 year".into(), |d| {
                    Some(if figures {
                        let (y, q) = reported_quarter(d);
                        format!("{}-Q{q}", y - 1)
                    } else {
                        (d.year() - 1).to_string()
                    })
                });
                let mut c = date_cand(span, v, r)?;
                c.deferred = Some(Deferred::YearBefore {
                    quarter: figures,
                    stretch: false,
                });
                return Some(c);
            }
            let (v, r) = resolve(dct, format!("-{k} {unit}"), |d| {
                Some(match unit.trim_end_matches('s') {
                    "day" => ymd(add_days(d, -k)?),
                    "week" | "fortnight" => iso_week(add_days(d, -7 * k)?),
                    "month" => {
                        let (y, m) = add_months(d.year(), d.month(), -(k as i32));
                        format!("{y}-{m:02}")
                    }
                    "year" => format!("{}", d.year() - k as i32),
                    "decade" => format!("{}", d.year() - 10 * k as i32),
                    "century" | "centurie" => format!("{}", d.year() - 100 * k as i32),
                    _ => return None,
                })
            });
            Some(Cand {
                span,
                kind: TimeKind::Date,
                value: v,
                relative: r,
                clock: None,
                deferred: None,
            })
        }
        Rule::Duration => {
            let num = g(1)?;
            let unit = g(2)?;
            let lnum = num.to_ascii_lowercase();
            // "a second time" / "one day, she..." are not durations.
            if (lnum == "a" || lnum == "an" || lnum == "one") && unit.eq_ignore_ascii_case("second")
            {
                return None;
            }
            let after = &body[whole.end()..];
            if after.starts_with("-old") || after.starts_with(" old") {
                return None;
            }
            // "will one day be", "hopes to one day lead": some time ahead, not a day.
            if lnum == "one" && unit.eq_ignore_ascii_case("day") && whole.as_str().len() == 7 {
                let prev = body[..whole.start()]
                    .split_whitespace()
                    .next_back()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(
                    prev.as_str(),
                    "will" | "would" | "could" | "might" | "may" | "can" | "shall" | "to"
                ) {
                    return date_cand(span, Some("FUTURE_REF".into()), None);
                }
            }
            // "a day-long meeting": the article belongs to the noun ("day-long" alone
            // is the expression).
            if matches!(lnum.as_str(), "a" | "an") && whole.as_str().ends_with("-long") {
                return None;
            }
            // "a quarter of the shares", "three-quarters of the vote" are fractions.
            if unit.eq_ignore_ascii_case("quarter")
                && (matches!(lnum.as_str(), "a" | "an" | "one")
                    || after.trim_start().starts_with("of the ")
                    || whole.as_str().contains("-quarter"))
            {
                return None;
            }
            // "the 14-day waiting period", "the two day rally": the duration modifies a
            // noun and the article belongs to that noun.
            let lead = whole.as_str().to_ascii_lowercase();
            let singular = !whole.as_str().ends_with('s') || whole.as_str().ends_with("-long");
            let span = if lead.starts_with("the ")
                && singular
                && lead[4..].starts_with(|c: char| c.is_ascii_digit() || c.is_alphabetic())
                && ![
                    "past ",
                    "last ",
                    "next ",
                    "first ",
                    "final ",
                    "previous ",
                    "coming ",
                ]
                .iter()
                .any(|w| lead[4..].starts_with(w))
            {
                Span::new(whole.start() + 4, whole.end())
            } else {
                span
            };
            // "$2 million a year", "four flights a week": a rate, not a stretch of time.
            if (lnum == "a" || lnum == "an") && after_amount(body, whole.start()) {
                return None;
            }
            duration_cand(
                span,
                duration_value(
                    parse_num(num).map(|n| n + if g(3).is_some() { 0.5 } else { 0.0 }),
                    unit,
                ),
            )
        }
        Rule::BarePlural => {
            let pre = caps.get(1)?;
            let unit = caps.get(2)?;
            let p = pre.as_str().trim().to_ascii_lowercase();
            let u = unit.as_str().to_ascii_lowercase();
            let stretch = |span: Span| duration_cand(span, duration_value(None, &u));
            let start = if matches!(p.as_str(), "recent" | "coming" | "past" | "the") {
                if p == "the" {
                    // "over the years": a stretch of unspecified length up to the
                    // time told, like "for years".
                    if word_before(body, pre.start()).eq_ignore_ascii_case("over") {
                        return stretch(Span::new(pre.start(), unit.end()));
                    }
                    // "the weeks ahead": a stretch starting now.
                    let ahead = body[unit.end()..].strip_prefix(" ahead")?;
                    if ahead.starts_with(|c: char| c.is_alphanumeric()) {
                        return None;
                    }
                    return stretch(Span::new(pre.start(), unit.end() + " ahead".len()));
                }
                pre.start()
            } else {
                unit.start()
            };
            let span = Span::new(start, unit.end());
            // "recent weeks" / "coming weeks" measure a stretch just behind or ahead
            // of the dct; "recent years", "coming months" point at the past or the
            // future more than they measure one (TimeBank: PXW, PAST_REF,
            // FUTURE_REF) unless a present perfect runs the stretch up to now ("have
            // suffered in recent years": PXY), or an article makes it a definite
            // stretch ("in the coming years"). "The boom of recent years" stays past.
            let recent_stretch = matches!(u.as_str(), "weeks" | "months")
                || (!word_before(body, start).eq_ignore_ascii_case("of")
                    && present_perfect(body, sentences, span));
            let coming_stretch =
                u == "weeks" || word_before(body, start).eq_ignore_ascii_case("the");
            match p.as_str() {
                "recent" if recent_stretch => stretch(span),
                "coming" if coming_stretch => stretch(span),
                "recent" | "past" => date_cand(span, Some("PAST_REF".into()), None),
                "coming" => date_cand(span, Some("FUTURE_REF".into()), None),
                _ => stretch(span),
            }
        }
        Rule::Clock => {
            let (h, mi) = if let Some(h) = g(1) {
                let mut h: u32 = h.parse().ok()?;
                let mi: u32 = g(2).map(|m| m.parse().unwrap_or(0)).unwrap_or(0);
                let marker = g(3)?.to_ascii_lowercase();
                if h == 0 || h > 12 || mi > 59 {
                    return None;
                }
                let worded = marker.starts_with("in") || marker.starts_with("at");
                // "leave at 4 in the morning" is a clock time; "scored 4 in the
                // morning session" is a count, so the worded form needs a time
                // preposition before it.
                if worded && !after_clock_preposition(body, whole.start()) {
                    return None;
                }
                // "at night" is the evening up to eleven and the small hours after
                // midnight ("2 at night").
                let pm = match marker.as_str() {
                    m if m.ends_with("night") => (6..12).contains(&h),
                    m if worded => !m.ends_with("morning"),
                    m => m.starts_with('p'),
                };
                if pm && h != 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                (h, mi)
            } else if let Some(h) = g(4) {
                // "3:1" scores can't match (two-digit minutes); "2:30" still might be
                // a score or a ratio, so require a digit-free neighbourhood.
                let before = body[..whole.start()].chars().next_back();
                let after = body[whole.end()..].chars().next();
                if before.is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '.')
                    || after.is_some_and(|c| c.is_ascii_digit() || c == ':')
                {
                    return None;
                }
                (h.parse().ok()?, g(5)?.parse().ok()?)
            } else {
                // "high noon" is the decisive moment of the idiom, not twelve o'clock.
                if word_before(body, whole.start()).eq_ignore_ascii_case("high") {
                    return None;
                }
                match g(6)?.to_ascii_lowercase().as_str() {
                    "midnight" => (0, 0),
                    _ => (12, 0),
                }
            };
            Some(Cand {
                span,
                kind: TimeKind::Time,
                value: None,
                relative: None,
                clock: Some(format!("T{h:02}:{mi:02}")),
                deferred: None,
            })
        }
        Rule::Ref => {
            let w = g(1)?.to_ascii_lowercase();
            // "for a while", "after a while": a stretch of unspecified length; not
            // "once in a while" (a set) nor "a while ago" (a past point).
            if w.starts_with("a ") && w.ends_with("while") {
                let before = body[..span.start].trim_end().to_ascii_lowercase();
                let prev = before
                    .rsplit(|c: char| !c.is_alphabetic())
                    .next()
                    .unwrap_or("");
                let after = body[span.end..].trim_start().to_ascii_lowercase();
                if !matches!(prev, "for" | "after" | "within") || after.starts_with("ago") {
                    return None;
                }
                return duration_cand(span, "PXX".into());
            }
            if not_a_time_ref(body, span, &w) {
                return None;
            }
            let v = match w.as_str() {
                // "the recent attacks": an adjective TimeBank mostly leaves untagged.
                "recent" => return None,
                // "the then-current price": the present of a past time.
                "recently" | "the past" | "in recent years" | "then current" | "then-current" => {
                    "PAST_REF"
                }
                // "as soon as" is a conjunction, not a time; "soon after the vote" is a
                // signal tying an event to another (TimeML leaves it untagged); "was
                // soon released", "soon became" tell a past story, where "soon" is no
                // future.
                "soon" if soon_not_future(body, whole.start(), whole.end()) => return None,
                "the future"
                | "the near future"
                | "in the future"
                | "in future"
                | "soon"
                | "the near term"
                | "the short term"
                | "as soon as possible"
                | "a later date" => "FUTURE_REF",
                // "the recent attacks": an adjective TimeBank mostly leaves untagged.
                _ => "PRESENT_REF",
            };
            // "the past" before a number is the start of a duration ("the past three
            // months"), which the longer candidate takes anyway.
            let span = if let Some(rest) = w.strip_prefix("in ") {
                Span::new(span.end - rest.len(), span.end)
            } else {
                span
            };
            date_cand(span, Some(v.into()), None)
        }
        Rule::Set => {
            let value = if let Some(unit) = g(2) {
                match unit.to_ascii_lowercase().as_str() {
                    "day" => "P1D".to_string(),
                    "week" => "P1W".into(),
                    "month" => "P1M".into(),
                    "quarter" => "P1Q".into(),
                    "year" => "P1Y".into(),
                    "weekend" => "XXXX-WXX-WE".into(),
                    p => format!("XXXX-XX-XX{}", part_code(p)),
                }
            } else if let Some(wd) = g(3) {
                format!("XXXX-WXX-{}", weekday_num(wd)?)
            } else if let Some(unit) = g(5) {
                duration_value(Some(1.0), unit)
            } else if let Some(m) = g(7).and_then(month_num) {
                // "each July"
                format!("XXXX-{m:02}")
            } else if let Some(season) = g(8).or(g(9)) {
                // "every summer", "the past three summers": the season in each year.
                format!("XXXX-{}", season_code(season.trim_end_matches(['s', 'S'])))
            } else {
                // "rise 8.5% annually", "10,000 units annually": a rate, like "$2
                // million a year" (TimeBank tags one such rate in five).
                if after_amount(body, whole.start()) {
                    return None;
                }
                match g(6)?.to_ascii_lowercase().as_str() {
                    "daily" | "nightly" => "P1D".into(),
                    "weekly" => "P1W".into(),
                    "monthly" => "P1M".into(),
                    "hourly" => "PT1H".into(),
                    _ => "P1Y".into(),
                }
            };
            Some(Cand {
                span,
                kind: TimeKind::Set,
                value: Some(value),
                relative: None,
                clock: None,
                deferred: None,
            })
        }
        Rule::Quarter => {
            let q = match g(3)?.to_ascii_lowercase().as_str() {
                "first" | "1st" => 1,
                "second" | "2nd" => 2,
                "third" | "3rd" => 3,
                _ => 4,
            };
            // "the third-quarter profit": the article belongs to the noun phrase, not
            // to the time expression.
            let span = if g(4) == Some("-") && g(1).is_none() && g(2).is_none() {
                Span::new(caps.get(3)?.start(), span.end)
            } else {
                span
            };
            if let Some(y) = g(1).or(g(5)) {
                return date_cand(span, Some(format!("{y}-Q{q}")), None);
            }
            // "last year's fourth quarter" and "the fourth quarter of last year" alike.
            let year_word = g(2).map(|m| m.to_ascii_lowercase()).or_else(|| {
                g(6).map(|w| match w.to_ascii_lowercase().as_str() {
                    "last" => "last year's".to_string(),
                    "next" => "next year's".into(),
                    _ => "this year's".into(),
                })
            });
            let shift = match year_word.as_deref() {
                Some("year-ago" | "year-earlier" | "last year's") => -1,
                Some("next year's") => 1,
                _ => 0,
            };
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, format!("XXXX-Q{q}"), |d| {
                let cur = (d.month() - 1) / 3 + 1;
                let given = shift != 0 || year_word.as_deref() == Some("this year's");
                let y = match t {
                    // "next year's first quarter": the year is given.
                    _ if given => d.year(),
                    Tense::Past | Tense::Unmarked if q > cur => d.year() - 1,
                    // A quarter just ended is still this year's even in a forward-looking
                    // sentence ("expects third-quarter profit" in October).
                    Tense::Future if q + 1 < cur => d.year() + 1,
                    _ => d.year(),
                };
                Some(format!("{}-Q{q}", y + shift))
            });
            date_cand(span, v, r)
        }
        Rule::Weekend => {
            let t = tense(body, sentences, span);
            let tag = if t == Tense::Future { "future" } else { "past" };
            let (v, r) = resolve(dct, format!("weekend {tag}"), |d| {
                Some(format!("{}-WE", iso_week(weekend_base(d, t))))
            });
            date_cand(span, v, r)
        }
        Rule::Fiscal => fiscal(caps, body, dct, quarterly),
        Rule::NthDay => {
            let m = caps.get(1)?;
            let (v, r) = resolve(dct, "0 day".into(), |d| Some(ymd(d)));
            date_cand(Span::new(m.start(), m.end()), v, r)
        }
        Rule::SecondDay => {
            let m = month_num(g(1)?)?;
            let day = caps.get(2)?;
            let d: u32 = day.as_str().parse().ok()?;
            // "May 5 and 6 percent", "Oct. 3 and 4 million": amounts, not days.
            let next = body[caps.get(0)?.end()..]
                .trim_start()
                .split(|c: char| !c.is_alphanumeric() && c != '%')
                .next()
                .unwrap_or("");
            if !(1..=31).contains(&d)
                || next.starts_with('%')
                || matches!(next, "percent" | "million" | "billion" | "points" | "cents")
            {
                return None;
            }
            let span = Span::new(day.start(), day.end());
            match g(3).and_then(|y| y.parse::<i32>().ok()) {
                Some(y) => date_cand(span, Some(ymd(NaiveDate::from_ymd_opt(y, m, d)?)), None),
                None => {
                    let t = tense(
                        body,
                        sentences,
                        caps.get(0).map_or(span, |w| Span::new(w.start(), w.end())),
                    );
                    let (v, r) = resolve(dct, format!("XXXX-{m:02}-{d:02}"), |dct| {
                        nearest_year_date(dct, m, d, t).map(ymd)
                    });
                    date_cand(span, v, r)
                }
            }
        }
        Rule::PeriodYearBefore => {
            let noun = g(1).or(g(2)).or(g(3))?.to_ascii_lowercase();
            period_year_before(dct, span, Some(&noun))
        }
        Rule::Holiday => {
            let name = g(2)?;
            let t = tense(body, sentences, span);
            let which = g(1).map(|w| w.to_ascii_lowercase());
            let (v, r) = resolve(dct, format!("holiday {name}"), |d| {
                let dates = (d.year() - 1..=d.year() + 1).filter_map(|y| holiday(name, y));
                let date = match which.as_deref() {
                    Some("last") => dates.filter(|x| *x < d).max(),
                    Some("next") => dates.filter(|x| *x > d).min(),
                    _ => dates.min_by_key(|x| side_cost((*x - d).num_days(), t)),
                };
                // "Easter week", "Christmas week": the week holding the day.
                Some(if g(3).is_some() {
                    iso_week(date?)
                } else {
                    ymd(date?)
                })
            });
            date_cand(span, v, r)
        }
        Rule::YearEnd => {
            let (v, r) = resolve(dct, "0 year".into(), |d| Some(d.year().to_string()));
            date_cand(span, v, r)
        }
        Rule::Half => {
            let h = match g(1)?.to_ascii_lowercase().as_str() {
                "first" => 1,
                _ => 2,
            };
            // "the last two quarters" is the second half, like "the latter half".
            if let Some(y) = g(3) {
                let y: i32 = y.parse().ok()?;
                valid_year(y).then_some(())?;
                return date_cand(span, Some(format!("{y}-H{h}")), None);
            }
            // "the last half of the '80s": TimeML has no half-decade, so the decade.
            if let Some(d) = g(5) {
                return date_cand(span, Some(d.to_string()), None);
            }
            if let Some(d) = g(6).and_then(|d| d.parse::<i32>().ok()) {
                return date_cand(span, Some(format!("{}{d}", decade_century(dct, d))), None);
            }
            let off: i32 = match g(4)?.to_ascii_lowercase().as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            let (v, r) = resolve(dct, format!("{off:+} year H{h}"), |d| {
                Some(format!("{}-H{h}", d.year() + off))
            });
            date_cand(span, v, r)
        }
        Rule::Century => {
            let n: i32 = g(2)?.parse().ok()?;
            (1..=30).contains(&n).then_some(())?;
            let c = n - 1;
            // TimeBank: "the 20th century" → "19XX", a bare "20th century" → "19".
            let v = if g(1).is_some() {
                format!("{c:02}XX")
            } else {
                format!("{c:02}")
            };
            date_cand(span, Some(v), None)
        }
        Rule::SpelledYear => {
            let y = if g(6).is_some() {
                // "two thousand" alone is an amount; "the year two thousand" a year.
                g(3)?;
                2000
            } else {
                let rest = g(5)?.to_ascii_lowercase();
                1900 + parse_num(&rest)? as i32
            };
            if let Some(season) = caps.name("season") {
                let code = season_code(&season.as_str().to_ascii_lowercase());
                return date_cand(span, Some(format!("{y}-{code}")), None);
            }
            match g(1).and_then(month_num) {
                Some(m) => date_cand(span, Some(format!("{y}-{m:02}")), None),
                None => date_cand(span, Some(y.to_string()), None),
            }
        }
        Rule::MonthRelYear => {
            let m = month_num(g(1)?)?;
            let off = match g(2)?.to_ascii_lowercase().as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            let (v, r) = resolve(dct, format!("{off:+} year-{m:02}"), |d| {
                Some(format!("{}-{m:02}", d.year() + off))
            });
            date_cand(span, v, r)
        }
        Rule::Anchored => {
            let (mut span, mut optional) = (span, false);
            let (unit, offset) = if let Some(u) = g(2) {
                // "earlier that day", "later that year": the same unit.
                (u, 0)
            } else if let Some(u) = g(3) {
                (u, 0)
            } else if let (Some(which), Some(u)) = (g(4), g(5)) {
                let back = matches!(
                    which.to_ascii_lowercase().as_str(),
                    "previous" | "preceding"
                );
                (u, if back { -1 } else { 1 })
            } else if let Some(u) = g(6) {
                (u, 1)
            } else {
                // "down from $450 million the year before": "before" ends the phrase.
                // With an object it is a signal ("the year before the war", "later in
                // the day before returning") and TimeML links the time to that event;
                // but "the day after his death" is a day once the text has dated the
                // death (optional: dropped otherwise), and right after a date ("Oct.
                // 12, the day before the crash") it is that very day.
                let u = g(7)?;
                let back = if g(8)?.eq_ignore_ascii_case("before") {
                    -1
                } else {
                    1
                };
                if clause_ends(&body[whole.end()..]) {
                    (u, back)
                } else if u.eq_ignore_ascii_case("day")
                    && !word_before(body, whole.start()).eq_ignore_ascii_case("in")
                {
                    optional = true;
                    span = Span::new(whole.start(), caps.get(7)?.end());
                    let appositive = body[..whole.start()].trim_end().ends_with(',');
                    (u, if appositive { 0 } else { back })
                } else {
                    return None;
                }
            };
            let u = unit.to_ascii_lowercase();
            let (unit, part) = match u.as_str() {
                "week" => (AnchorUnit::Week, None),
                "month" => (AnchorUnit::Month, None),
                "year" => (AnchorUnit::Year, None),
                "day" => (AnchorUnit::Day, None),
                p => (AnchorUnit::Day, Some(part_code(p))),
            };
            Some(Cand {
                span,
                kind: if part.is_some() {
                    TimeKind::Time
                } else {
                    TimeKind::Date
                },
                value: None,
                relative: Some(format!("anchor {offset:+} {u}")),
                clock: None,
                deferred: Some(Deferred::Anchored {
                    unit,
                    offset,
                    part,
                    optional,
                }),
            })
        }
        Rule::BareSeason => {
            let lead = g(1)?.to_ascii_lowercase();
            let season = g(3)?;
            let s_low = season.to_ascii_lowercase();
            // "the fall of the Berlin Wall", "the spring of 1998" (the longer rule).
            if body[whole.end()..].trim_start().starts_with("of") {
                return None;
            }
            let code = season_code(&s_low);
            let span = match caps.get(1) {
                // "over the summer": TimeBank keeps the season alone.
                Some(_) if lead.starts_with("over") => Span::new(caps.get(3)?.start(), whole.end()),
                _ => span,
            };
            let t = if lead.starts_with("this") {
                Tense::Past
            } else {
                tense(body, sentences, span)
            };
            // The season's first month; winter starts in December of the year it is
            // named after.
            let first: u32 = match code {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            let (v, r) = resolve(dct, format!("season {code} {t:?}"), |d| {
                let m = d.month();
                let y = match t {
                    Tense::Future if first + 2 < m => d.year() + 1,
                    Tense::Future => d.year(),
                    _ if first <= m => d.year(),
                    _ => d.year() - 1,
                };
                Some(format!("{y}-{code}"))
            });
            date_cand(span, v, r)
        }
        Rule::AnchoredWeekday => {
            let after = g(1)?.eq_ignore_ascii_case("following");
            let wd = weekday_num(g(2)?)?;
            Some(Cand {
                span,
                kind: TimeKind::Date,
                value: None,
                relative: Some(format!(
                    "anchor weekday:{wd} {}",
                    if after { "after" } else { "before" }
                )),
                clock: None,
                deferred: Some(Deferred::AnchoredWeekday { wd, after }),
            })
        }
        Rule::WeekOf => {
            let m = month_num(g(1)?)?;
            let d: u32 = g(2)?.parse().ok()?;
            let date = match g(3).and_then(|y| y.parse::<i32>().ok()) {
                Some(y) => Some(NaiveDate::from_ymd_opt(y, m, d)?),
                None => {
                    let t = tense(body, sentences, span);
                    dct.and_then(|dct| nearest_year_date(dct, m, d, t))
                }
            };
            match date {
                Some(date) => date_cand(span, Some(iso_week(date)), None),
                None => date_cand(span, None, Some(format!("week of XXXX-{m:02}-{d:02}"))),
            }
        }
        Rule::LongAdjective => {
            // "a day-long meeting", "decades-long rivalry"
            let n = if g(2).is_some() { None } else { Some(1.0) };
            duration_cand(span, duration_value(n, g(1)?))
        }
        Rule::SpelledDecade => {
            let d = match g(2)?.to_ascii_lowercase().as_str() {
                "twenties" => 2,
                "thirties" => 3,
                "forties" => 4,
                "fifties" => 5,
                "sixties" => 6,
                "seventies" => 7,
                "eighties" => 8,
                _ => 9,
            };
            // Only "the nineties": a bare "nineties" is as often an age or a
            // temperature.
            g(1)?;
            date_cand(span, Some(format!("{}{d}", decade_century(dct, d))), None)
        }
        Rule::InTheUnit => {
            // "later in the day": the day just narrated, else the story's day; spanned
            // as "the day" (the edge word is a signal, as in "earlier [this week]").
            if let Some(day) = caps.get(2) {
                let span = Span::new(caps.get(1)?.start(), day.end());
                let (v, r) = resolve(dct, "0 day".into(), |d| Some(ymd(d)));
                let mut c = date_cand(span, v, r)?;
                c.deferred = Some(Deferred::Anchored {
                    unit: AnchorUnit::Day,
                    offset: 0,
                    part: None,
                    optional: false,
                });
                return Some(c);
            }
            let unit = g(3)?.to_ascii_lowercase();
            let (v, r) = resolve(dct, format!("0 {unit}"), |d| {
                Some(match unit.as_str() {
                    "week" => iso_week(d),
                    "month" => format!("{}-{:02}", d.year(), d.month()),
                    _ => d.year().to_string(),
                })
            });
            date_cand(span, v, r)
        }
        Rule::Season => {
            let y: i32 = g(3)?.parse().ok()?;
            valid_year(y).then_some(())?;
            date_cand(span, Some(format!("{y}-{}", season_code(g(2)?))), None)
        }
    }
}

/// The date of a (US-style) holiday in year `y`.
fn holiday(name: &str, y: i32) -> Option<NaiveDate> {
    // The `n`th `wd` of month `m` (Thanksgiving: fourth Thursday of November).
    let nth = |m: u32, wd: Weekday, n: u8| NaiveDate::from_weekday_of_month_opt(y, m, wd, n);
    if name.starts_with("Thanksgiving") {
        nth(11, Weekday::Thu, 4)
    } else if name.starts_with("Christmas") {
        NaiveDate::from_ymd_opt(y, 12, if name.ends_with("Eve") { 24 } else { 25 })
    } else if name.starts_with("New Year") {
        if name.ends_with("Eve") {
            NaiveDate::from_ymd_opt(y, 12, 31)
        } else {
            NaiveDate::from_ymd_opt(y, 1, 1)
        }
    } else if name.starts_with("Easter") {
        easter(y)
    } else if name.starts_with("Election") {
        // The Tuesday after the first Monday of November.
        nth(11, Weekday::Mon, 1).and_then(|d| d.succ_opt())
    } else {
        NaiveDate::from_ymd_opt(y, 7, 4)
    }
}

/// Easter Sunday of year `y` (Gregorian; the anonymous algorithm of 1876).
fn easter(y: i32) -> Option<NaiveDate> {
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (8 * b + 13) / 25;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(y, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// Gives "that day", "the following year", "the next morning" their values from the
/// time the text mentioned last before them (a date, month or year, as the unit
/// needs); the result is the time mentioned last for what follows. Without such a
/// mention the value stays unknown (`relative` says what it was relative to).
fn resolve_anchors(cands: &mut [Cand]) {
    let mut last: Option<String> = None;
    for c in cands.iter_mut() {
        let (unit, offset, part, weekday) = match c.deferred {
            Some(Deferred::Anchored {
                unit, offset, part, ..
            }) => (unit, offset, part, None),
            Some(Deferred::AnchoredWeekday { wd, after }) => {
                (AnchorUnit::Day, 0, None, Some((wd, after)))
            }
            _ => {
                if matches!(c.kind, TimeKind::Date | TimeKind::Time) {
                    if let Some(v) = c.value.as_deref().filter(|v| {
                        v.as_bytes().first().is_some_and(u8::is_ascii_digit) && !v.contains('X')
                    }) {
                        last = Some(v.to_string());
                    }
                }
                continue;
            }
        };
        let Some(base) = last.as_deref() else {
            continue;
        };
        let day = base
            .get(..10)
            .filter(|d| is_full_date(d))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let month = base
            .get(..7)
            .and_then(|m| {
                Some((
                    m[..4].parse::<i32>().ok()?,
                    m.get(5..7)?.parse::<u32>().ok()?,
                ))
            })
            .filter(|&(_, m)| base.as_bytes()[4] == b'-' && (1..=12).contains(&m));
        let year = base.get(..4).and_then(|y| y.parse::<i32>().ok());
        let value = match unit {
            AnchorUnit::Day if weekday.is_some() => {
                let (wd, after) = weekday.unwrap_or((1, false));
                day.and_then(|d| weekday_from(d, wd, after, false)).map(ymd)
            }
            AnchorUnit::Day => match day {
                Some(d) => add_days(d, offset).map(|d| format!("{}{}", ymd(d), part.unwrap_or(""))),
                // "that same day" after "last October": a day of that month, which
                // one unknown.
                None if offset == 0 => {
                    month.map(|(y, m)| format!("{y}-{m:02}-XX{}", part.unwrap_or("")))
                }
                None => None,
            },
            AnchorUnit::Week => day.and_then(|d| add_days(d, 7 * offset)).map(iso_week),
            AnchorUnit::Month => month.map(|(y, m)| {
                let (y, m) = add_months(y, m, offset as i32);
                format!("{y}-{m:02}")
            }),
            AnchorUnit::Year => year.map(|y| (y + offset as i32).to_string()),
        };
        if let Some(v) = value {
            last = Some(v.clone());
            c.value = Some(v);
            c.relative = None;
        }
    }
}

/// Resolves the references to reporting periods of a results story. The period
/// reported is the first quarter the text names with its number, as a lede does ("the
/// fiscal first quarter", "third-quarter profit"; a later "fourth-quarter charge" is a
/// forecast or an aside), else the last quarter completed before the dct. Whether "a
/// year earlier" means that quarter a year before or the year before goes by the
/// period the text spoke of last, in the sentence so far or the one before: "For the
/// nine months, ... a year earlier" is the year, "third-quarter net ... a year earlier"
/// the quarter.
fn resolve_periods(body: &str, sentences: &[Sentence], dct: NaiveDate, cands: &mut [Cand]) {
    static NAMED: OnceLock<Regex> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter(?-u:\b)")
            .expect("quarter pattern compiles")
    });
    let current = (dct.year(), (dct.month() - 1) / 3 + 1);
    let lede = cands.iter().find_map(|c| {
        let v = c.value.as_deref()?;
        if c.deferred.is_some() || v.len() != 7 || v.as_bytes()[5] != b'Q' {
            return None;
        }
        let yq: (i32, u32) = (v[..4].parse().ok()?, v[6..].parse().ok()?);
        // Within the year before the dct: "the third quarter of 1984" is history.
        let back = (current.0 * 4 + current.1 as i32) - (yq.0 * 4 + yq.1 as i32);
        ((0..=4).contains(&back) && named.is_match(&body[c.span.start..c.span.end])).then_some(yq)
    });
    let (y, q) = lede.unwrap_or_else(|| reported_quarter(dct));
    for c in cands.iter_mut() {
        let Some(period) = c.deferred else {
            continue;
        };
        let value = match period {
            Deferred::Reported => format!("{y}-Q{q}"),
            Deferred::YearBefore { quarter, stretch } => {
                match period_grain(body, sentences, c.span.start) {
                    Some(Grain::Longer(Some(n))) if stretch => {
                        c.kind = TimeKind::Duration;
                        format!("P{n}M")
                    }
                    Some(Grain::Quarter(Some(n))) => format!("{}-Q{n}", y - 1),
                    Some(Grain::Quarter(None)) => format!("{}-Q{q}", y - 1),
                    None if quarter => format!("{}-Q{q}", y - 1),
                    _ => (dct.year() - 1).to_string(),
                }
            }
            Deferred::QuarterYearBefore => match period_grain(body, sentences, c.span.start) {
                Some(Grain::Quarter(Some(n))) => format!("{}-Q{n}", y - 1),
                _ => format!("{}-Q{q}", y - 1),
            },
            Deferred::OfYear(yr) => match period_grain(body, sentences, c.span.start) {
                Some(Grain::Longer(_)) => yr.to_string(),
                Some(Grain::Quarter(Some(n))) => format!("{yr}-Q{n}"),
                _ => format!("{yr}-Q{q}"),
            },
            Deferred::Anchored { .. } | Deferred::AnchoredWeekday { .. } => continue,
        };
        c.value = Some(value);
    }
}

/// What kind of period a results story speaks of at some point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    /// A quarter, with its number when the text names it ("third-quarter net").
    Quarter(Option<u32>),
    /// A longer stretch: "the nine months" (with its months), "the first half", "the
    /// fiscal year".
    Longer(Option<u32>),
}

/// The kind of period the text spoke of last before `pos`, in its sentence or the one
/// before.
fn period_grain(body: &str, sentences: &[Sentence], pos: usize) -> Option<Grain> {
    static GRAIN: OnceLock<Regex> = OnceLock::new();
    let grain = GRAIN.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:(?:(first|second|third|fourth)[- ])?(quarters?|three months)|(six|nine|twelve|12) months|(?:first|second) half|half-year|fiscal year|full year|year ended|year to date)(?-u:\b)")
            .expect("grain pattern compiles")
    });
    let ctx = context(body, sentences, pos);
    let i = sentences.partition_point(|s| s.span.end <= ctx.start);
    let from = match i.checked_sub(1).and_then(|j| sentences.get(j)) {
        Some(prev) if prev.span.end <= ctx.start => prev.span.start,
        _ => ctx.start,
    };
    let c = grain.captures_iter(&body[from..pos]).last()?;
    if c.get(2).is_none() {
        let months = c
            .get(3)
            .and_then(|n| parse_num(n.as_str()))
            .map(|n| n as u32);
        return Some(Grain::Longer(months));
    }
    let n = c
        .get(1)
        .map(|n| match n.as_str().to_ascii_lowercase().as_str() {
            "first" => 1,
            "second" => 2,
            "third" => 3,
            _ => 4,
        });
    Some(Grain::Quarter(n))
}

/// The quarter company results in the news are about: the last one completed before
/// the publication date (an article of November reports the third quarter).
fn reported_quarter(d: NaiveDate) -> (i32, u32) {
    let q = (d.month() - 1) / 3 + 1;
    if q == 1 {
        (d.year() - 1, 4)
    } else {
        (d.year(), q - 1)
    }
}

/// Financial-report periods, as TimeBank annotates them: "the quarter", "the latest
/// period" (the reported quarter), "the year-ago quarter" (that quarter a year before),
/// "year-earlier" (likewise, as a modifier: "year-earlier profit"), "the fiscal year",
/// "the 1988 period".
fn fiscal(caps: &Captures, body: &str, dct: Option<NaiveDate>, quarterly: bool) -> Option<Cand> {
    let whole = caps.get(0)?;
    let g = |i: usize| caps.get(i).map(|m| m.as_str().to_ascii_lowercase());
    if let Some(unit) = g(7) {
        let modifier = g(5);
        if let Some(y) = g(6) {
            let yr: i32 = y.parse().ok()?;
            valid_year(yr).then_some(())?;
            if unit == "year" {
                return None;
            }
            let span = Span::new(whole.start(), whole.end());
            // "the 1988 quarter" / "the 1988 period" in a quarterly report: the
            // reported quarter of that year.
            let v = match dct.filter(|_| quarterly) {
                Some(d) => format!("{yr}-Q{}", reported_quarter(d).1),
                None => yr.to_string(),
            };
            let mut c = date_cand(span, Some(v), None)?;
            c.deferred = quarterly.then_some(Deferred::OfYear(yr));
            return Some(c);
        }
        let span = Span::new(whole.start(), whole.end());
        // "the year ended Sept. 30": a twelve-month stretch, not a calendar year; so is
        // the year something runs "throughout".
        let after = body[whole.end()..].trim_start();
        let throughout = word_before(body, whole.start()).eq_ignore_ascii_case("throughout");
        if unit == "year"
            && (after.starts_with("ended") || after.starts_with("ending") || throughout)
        {
            return duration_cand(span, "P1Y".into());
        }
        let m = modifier
            .as_deref()
            .map(|m| m.split_whitespace().collect::<Vec<_>>().join(" "));
        match (unit.as_str(), m.as_deref()) {
            ("year", Some("fiscal" | "current" | "current fiscal" | "full")) => {
                let (v, r) = resolve(dct, "0 year".into(), |d| Some(d.year().to_string()));
                date_cand(span, v, r)
            }
            ("year", None) => {
                // "For the year, volume was flat", "a high for the year", "the first
                // nine months of the year": the year of the report. Not "the year
                // before" (anchored to an event) nor "player of the year" (a title).
                let before = body[..whole.start()].trim_end().to_ascii_lowercase();
                let prev = before
                    .strip_suffix(" of")
                    .map(|b| b.rsplit(' ').next().unwrap_or(""));
                let part_of = prev.is_some_and(|w| {
                    matches!(
                        w,
                        "months"
                            | "weeks"
                            | "days"
                            | "half"
                            | "quarter"
                            | "quarters"
                            | "rest"
                            | "remainder"
                            | "balance"
                            | "start"
                            | "beginning"
                            | "middle"
                            | "part"
                    )
                });
                let anchored = ["before", "earlier", "ago", "after", "later", "prior"]
                    .iter()
                    .any(|w| after.to_ascii_lowercase().starts_with(w));
                if !((before.ends_with(" for") || before == "for" || part_of) && !anchored) {
                    return None;
                }
                let (v, r) = resolve(dct, "0 year".into(), |d| Some(d.year().to_string()));
                date_cand(span, v, r)
            }
            ("quarter", Some("current")) => {
                let (v, r) = resolve(dct, "0 quarter".into(), |d| {
                    Some(format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1))
                });
                date_cand(span, v, r)
            }
            ("quarter", _) | ("period", Some("latest" | "most recent" | "recent")) => {
                if m.as_deref() == Some("full") {
                    return None;
                }
                let (v, r) = resolve(dct, "reported quarter".into(), |d| {
                    let (y, q) = reported_quarter(d);
                    Some(format!("{y}-Q{q}"))
                });
                let mut c = date_cand(span, v, r)?;
                c.deferred = Some(Deferred::Reported);
                Some(c)
            }
            _ => None,
        }
    } else {
        let ago = caps.get(2)?;
        let noun = g(3);
        // "the year before" without a period noun is no results-story adjective but a
        // time anchored to the one narrated (or, with an object, a signal).
        if noun.is_none() && ago.as_str().eq_ignore_ascii_case("year before") {
            return None;
        }
        // "the year-earlier nine months": the stretch itself, as "the first nine
        // months" is.
        if let Some(n) = noun.as_deref().and_then(|n| n.strip_suffix("months")) {
            return duration_cand(
                Span::new(whole.start(), whole.end()),
                duration_value(parse_num(n.trim()), "months"),
            );
        }
        let span = match noun.as_deref() {
            Some("quarter" | "period") => Span::new(whole.start(), whole.end()),
            _ => Span::new(ago.start(), ago.end()),
        };
        period_year_before(dct, span, noun.as_deref())
    }
}

/// The reported period a year before ("the year-ago quarter", "last year's period"),
/// a quarter until the text around it says otherwise: "quarter" names its grain,
/// while "period" or "year-earlier" alone takes the grain the text spoke of last.
fn period_year_before(dct: Option<NaiveDate>, span: Span, noun: Option<&str>) -> Option<Cand> {
    let (v, r) = resolve(dct, "reported quarter -1 year".into(), |d| {
        let (y, q) = reported_quarter(d);
        Some(format!("{}-Q{q}", y - 1))
    });
    let mut c = date_cand(span, v, r)?;
    c.deferred = Some(if noun == Some("quarter") {
        Deferred::QuarterYearBefore
    } else {
        Deferred::YearBefore {
            quarter: true,
            stretch: noun == Some("period"),
        }
    });
    Some(c)
}

/// Which weekend "the weekend" / "this weekend" means: the coming one in future
/// sentences; in past ones the one just gone (or the current one from Saturday on).
fn weekend_base(d: NaiveDate, t: Tense) -> NaiveDate {
    let on_weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    match t {
        Tense::Future => d,
        Tense::Past | Tense::Unmarked if on_weekend => d,
        Tense::Past | Tense::Unmarked => add_days(d, -7).unwrap_or(d),
    }
}

fn season_code(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        _ => "WI",
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn multibyte_text_right_before_a_tense_check_does_not_panic() {
        // A date whose sentence has curly quotes, dashes or accents just where the
        // past/future check looks back for "was"/"were".
        let d = NaiveDate::from_ymd_opt(2026, 11, 15);
        let _ = find_in_text(
            "The Dunmere fair of Sep 8\u{2019}s upcoming season was a success.",
            d,
        );
        for lead in [
            "\u{2018}The 411.\u{2019}",
            "caf\u{e9}",
            "\u{2014}",
            "wer\u{e9}",
            "x\u{2019}s",
        ] {
            for date in ["on Friday", "December 5", "last week"] {
                let text = format!("Blige sings in a clip of {lead} {date} and it aired.");
                let _ = find_in_text(&text, d);
                let text = format!("{lead} were {date}");
                let _ = find_in_text(&text, d);
            }
        }
    }
    use super::*;

    // Saturday of ISO week 46.
    fn dct() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 11, 14)
    }

    fn get(
        body: &str,
        d: Option<NaiveDate>,
    ) -> Vec<(String, TimeKind, Option<String>, Option<String>)> {
        find(body, &[], d)
            .into_iter()
            .map(|t| (t.text, t.kind, t.value, t.relative))
            .collect()
    }

    fn val(body: &str, text: &str, d: Option<NaiveDate>) -> Option<String> {
        let all = get(body, d);
        all.iter()
            .find(|t| t.0 == text)
            .unwrap_or_else(|| panic!("no {text:?} in {all:?}"))
            .2
            .clone()
    }

    #[test]
    fn absolute_dates() {
        let b = "The pier opened on 14 November 2026, weeks after November 2, 2026 and Nov. 3. A report dated 2026-10-01 said the work began in 2022 and in March, as in the 1990s.";
        assert_eq!(
            val(b, "14 November 2026", dct()).as_deref(),
            Some("2026-11-14")
        );
        assert_eq!(
            val(b, "November 2, 2026", dct()).as_deref(),
            Some("2026-11-02")
        );
        assert_eq!(val(b, "Nov. 3", dct()).as_deref(), Some("2026-11-03"));
        assert_eq!(val(b, "2026-10-01", dct()).as_deref(), Some("2026-10-01"));
        assert_eq!(val(b, "2022", dct()).as_deref(), Some("2022"));
        assert_eq!(val(b, "March", dct()).as_deref(), Some("2026-03"));
        assert_eq!(val(b, "the 1990s", dct()).as_deref(), Some("199"));
    }

    #[test]
    fn relative_dates() {
        let d = dct();
        let b = "Crews worked yesterday and today; more arrive tomorrow. Talks stalled last week and resume next month. Fares rose earlier this month and last year. Inspectors visited over the weekend. Three days ago the dock flooded.";
        assert_eq!(val(b, "yesterday", d).as_deref(), Some("2026-11-13"));
        assert_eq!(val(b, "today", d).as_deref(), Some("2026-11-14"));
        assert_eq!(val(b, "tomorrow", d).as_deref(), Some("2026-11-15"));
        assert_eq!(val(b, "last week", d).as_deref(), Some("2026-W45"));
        assert_eq!(val(b, "next month", d).as_deref(), Some("2026-12"));
        assert_eq!(val(b, "earlier this month", d).as_deref(), Some("2026-11"));
        assert_eq!(val(b, "last year", d).as_deref(), Some("2025"));
        assert_eq!(val(b, "the weekend", d).as_deref(), Some("2026-W46-WE"));
        assert_eq!(val(b, "Three days ago", d).as_deref(), Some("2026-11-11"));
        // Without a dct the value is unknown and the description stays.
        let none = get(b, None);
        let lw = none.iter().find(|t| t.0 == "last week").unwrap();
        assert_eq!((lw.2.clone(), lw.3.as_deref()), (None, Some("-1 week")));
    }

    #[test]
    fn weekdays_follow_tense() {
        // dct is a Saturday; Wednesday 11th is the last one, 18th the next.
        let d = dct();
        assert_eq!(
            val("The ferry caught fire on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-11")
        );
        assert_eq!(
            val("The ferry will sail on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-18")
        );
        assert_eq!(
            val("The inquiry is due to open on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-18")
        );
        // The publication day itself, either tense.
        assert_eq!(
            val("The ferry sank on Saturday.", "Saturday", d).as_deref(),
            Some("2026-11-14")
        );
        assert_eq!(
            val("It was towed last Saturday.", "last Saturday", d).as_deref(),
            Some("2026-11-07")
        );
        let t = get(
            "Divers searched late on Tuesday and again Saturday night.",
            d,
        );
        assert!(t
            .iter()
            .any(|x| x.0 == "Tuesday" && x.2.as_deref() == Some("2026-11-10")));
        assert!(t.iter().any(|x| x.0 == "Saturday night"
            && x.1 == TimeKind::Time
            && x.2.as_deref() == Some("2026-11-14TNI")));
        let none = get("The ferry caught fire on Saturday.", None);
        assert_eq!(none[0].3.as_deref(), Some("weekday:6 past"));
    }

    #[test]
    fn times_durations_sets_refs() {
        let d = dct();
        // A weekday with a plural part of day recurs; "one day" after a modal is some
        // time ahead; "quarter-to-quarter" is an adjective.
        let t = get(
            "Night ferries leave on Tuesday nights. The islanders hope the bridge will one day open. The quarter-to-quarter rise was small. Tolls should rise 4% annually.",
            d,
        );
        assert_eq!(
            t.iter()
                .map(|x| (x.0.as_str(), x.2.as_deref()))
                .collect::<Vec<_>>(),
            [
                ("Tuesday nights", Some("XXXX-WXX-2TNI")),
                ("one day", Some("FUTURE_REF"))
            ]
        );
        let b = "The alarm sounded at 8 a.m. on Friday and the search ended at 14:30. It lasted three hours, two weeks of repairs followed, and the lease runs six months. The ferry sails every Monday and inspections happen daily. It is currently docked; divers are there now.";
        let t = get(b, d);
        let f = |s: &str| {
            t.iter()
                .find(|x| x.0 == s)
                .unwrap_or_else(|| panic!("{s} not in {t:?}"))
                .clone()
        };
        assert_eq!(f("8 a.m.").1, TimeKind::Time);
        assert_eq!(f("8 a.m.").2.as_deref(), Some("2026-11-13T08:00"));
        // Same sentence as "Friday": the clock time takes that day.
        assert_eq!(f("14:30").2.as_deref(), Some("2026-11-13T14:30"));
        assert_eq!(
            val("Boarding opens at noon.", "noon", d).as_deref(),
            Some("2026-11-14T12:00")
        );
        assert_eq!(
            (f("three hours").1, f("three hours").2.as_deref()),
            (TimeKind::Duration, Some("PT3H"))
        );
        assert_eq!(f("two weeks").2.as_deref(), Some("P2W"));
        assert_eq!(f("six months").2.as_deref(), Some("P6M"));
        assert_eq!(
            (f("every Monday").1, f("every Monday").2.as_deref()),
            (TimeKind::Set, Some("XXXX-WXX-1"))
        );
        assert_eq!(f("daily").2.as_deref(), Some("P1D"));
        assert_eq!(f("currently").2.as_deref(), Some("PRESENT_REF"));
        assert_eq!(f("now").2.as_deref(), Some("PRESENT_REF"));
        assert_eq!(
            val("It took twenty-four hours.", "twenty-four hours", d).as_deref(),
            Some("PT24H")
        );
        assert_eq!(
            val("over the past three months", "the past three months", d).as_deref(),
            Some("P3M")
        );
    }

    #[test]
    fn report_periods_years_and_centuries() {
        // Published 2026-11-14: the reported quarter is the third.
        let d = dct();
        let b = "Brisk Harbour Ltd. earned $4 million in the quarter, up from $3 million a year earlier. In the year-ago quarter it lost money. Year-earlier sales were flat. For the year ended June 30, it earned $9 million. Its third-quarter profit rose 5%.";
        assert_eq!(val(b, "the quarter", d).as_deref(), Some("2026-Q3"));
        assert_eq!(val(b, "a year earlier", d).as_deref(), Some("2025-Q3"));
        assert_eq!(
            val(b, "the year-ago quarter", d).as_deref(),
            Some("2025-Q3")
        );
        assert_eq!(val(b, "Year-earlier", d).as_deref(), Some("2025-Q3"));
        assert_eq!(val(b, "the year", d).as_deref(), Some("P1Y"));
        assert_eq!(val(b, "third-quarter", d).as_deref(), Some("2026-Q3"));
        let b = "The 1998 floods and the 20th century dams were studied in nineteen ninety-six, by the end of 2027, and by year-end. The 1990s were calm; rents rose in the 1980s and 2020s. The ferry cost 1999 euros.";
        assert_eq!(val(b, "1998", d).as_deref(), Some("1998"));
        assert_eq!(val(b, "the 20th century", d).as_deref(), Some("19XX"));
        assert_eq!(val(b, "nineteen ninety-six", d).as_deref(), Some("1996"));
        assert_eq!(val(b, "the end of 2027", d).as_deref(), Some("2027"));
        assert_eq!(val(b, "year-end", d).as_deref(), Some("2026"));
        assert_eq!(val(b, "The 1990s", d).as_deref(), Some("199"));
        assert_eq!(val(b, "2020s", d).as_deref(), Some("202X"));
        assert!(!get(b, d).iter().any(|t| t.0 == "1999"));
    }

    #[test]
    fn tense_cues() {
        // dct Saturday 2026-11-14.
        let d = dct();
        // "next to" is a place, not a time.
        assert_eq!(
            val(
                "The ferry moored next to the pier sank on Friday.",
                "Friday",
                d
            )
            .as_deref(),
            Some("2026-11-13")
        );
        // A future seen from the past.
        assert_eq!(
            val(
                "The quay had been due to reopen on Wednesday.",
                "Wednesday",
                d
            )
            .as_deref(),
            Some("2026-11-11")
        );
        // A deadline lies ahead; a past verb leading to it keeps it behind.
        assert_eq!(
            val("Tolls on the causeway rise by March.", "March", d).as_deref(),
            Some("2027-03")
        );
        assert_eq!(
            val("The loan was repaid by March.", "March", d).as_deref(),
            Some("2026-03")
        );
        // A participle after "be" is no past verb.
        assert_eq!(
            val("The dividend will be paid Dec. 14.", "Dec. 14", d).as_deref(),
            Some("2026-12-14")
        );
        // A clock time before the weekday does not hide the deadline.
        assert_eq!(
            val(
                "The council gave the ferry owners until 9 a.m. EST Tuesday to reply.",
                "9 a.m. EST Tuesday",
                d
            )
            .as_deref(),
            Some("2026-11-17T09:00")
        );
        // A verb that moves a time forward keeps the deadline ahead.
        assert_eq!(
            val(
                "Harbour officials postponed until Tuesday any vote on the tolls.",
                "Tuesday",
                d
            )
            .as_deref(),
            Some("2026-11-17")
        );
        // The attribution after a quote dates the telling, not what is told.
        assert_eq!(
            val(
                "``The ferry will sail at 6 a.m. Monday,'' the captain said.",
                "6 a.m. Monday",
                d
            )
            .as_deref(),
            Some("2026-11-16T06:00")
        );
        // "planned to" looks ahead; "-ed" adjectives are no past verbs.
        assert_eq!(
            val(
                "The rowers planned to leave the harbour on Thursday.",
                "Thursday",
                d
            )
            .as_deref(),
            Some("2026-11-19")
        );
        let oct = NaiveDate::from_ymd_opt(2026, 10, 20);
        assert_eq!(
            val(
                "The bonus would be paid on a still unspecified date in January.",
                "January",
                oct
            )
            .as_deref(),
            Some("2027-01")
        );
        assert_eq!(
            val("The enlarged pier would open in January.", "January", oct).as_deref(),
            Some("2027-01")
        );
        // An irregular past verb nearest to the month.
        assert_eq!(
            val(
                "In January, the port brought in a new harbour master, who will stay.",
                "January",
                oct
            )
            .as_deref(),
            Some("2026-01")
        );
    }

    #[test]
    fn results_story_periods() {
        let d = dct();
        // The lede names a fiscal quarter: "the quarter" is that one.
        let b = "Tollgate Ltd. said its fiscal first-quarter net rose to $2 million. In the quarter, traffic grew 4%.";
        assert_eq!(val(b, "the quarter", d).as_deref(), Some("2026-Q1"));
        // A comparison after a nine-month figure is the year before; after a
        // quarterly one, that quarter a year before.
        let b = "Brisk Harbour's third-quarter profit rose to $4 million from $3 million a year earlier. For the nine months, it earned $9 million, up from $7 million a year earlier.";
        let t = get(b, d);
        let values: Vec<_> = t
            .iter()
            .filter(|x| x.0 == "a year earlier")
            .map(|x| x.2.as_deref())
            .collect();
        assert_eq!(values, [Some("2025-Q3"), Some("2025")]);
    }

    #[test]
    fn the_period_a_year_before_is_one_expression() {
        let d = dct();
        let b = "Quillmark Foods said third-quarter net fell to $5 million. For the quarter a year ago, it earned $6 million. Sales were below last year's quarter, and costs rose from the corresponding period last year.";
        assert_eq!(
            val(b, "the quarter a year ago", d).as_deref(),
            Some("2025-Q3")
        );
        assert_eq!(val(b, "last year's quarter", d).as_deref(), Some("2025-Q3"));
        assert_eq!(
            val(b, "the corresponding period last year", d).as_deref(),
            Some("2025-Q3")
        );
        // A quarter named as such stays a quarter after a longer period was mentioned.
        let b = "Over nine months Pellow Mills lost $2 million; in the comparable year-ago quarter it lost $1 million.";
        assert_eq!(
            val(b, "the comparable year-ago quarter", d).as_deref(),
            Some("2025-Q3")
        );
    }

    #[test]
    fn the_past_year_is_last_year() {
        let d = dct();
        let b = "Ticket sales at the Marrow Street cinema doubled over the past year, and the past decade saw three owners.";
        assert_eq!(val(b, "the past year", d).as_deref(), Some("2025"));
        assert_eq!(val(b, "the past decade", d).as_deref(), Some("P10Y"));
    }

    #[test]
    fn todays_place_in_a_run_of_days() {
        let d = dct();
        let b = "It's the third day of the dockers' walkout, and today is the 12th straight day of rain. Later in the day the union met.";
        assert_eq!(val(b, "the third day", d).as_deref(), Some("2026-11-14"));
        assert_eq!(
            val(b, "the 12th straight day", d).as_deref(),
            Some("2026-11-14")
        );
        assert_eq!(val(b, "the day", d).as_deref(), Some("2026-11-14"));
        let b = "The minister will land in Oslo on Tuesday morning and fly on to Bergen later in the day.";
        assert_eq!(val(b, "the day", d).as_deref(), Some("2026-11-17"));
        let b = "Fuel was last this cheap in the winter of nineteen ninety-one.";
        assert_eq!(
            val(b, "the winter of nineteen ninety-one", d).as_deref(),
            Some("1991-WI")
        );
    }

    #[test]
    fn vague_and_working_day_stretches() {
        let d = dct();
        let b = "The lift will be shut for a while; it broke once in a while before. Repairs take six working days.";
        assert_eq!(val(b, "a while", d).as_deref(), Some("PXX"));
        assert_eq!(get(b, d).iter().filter(|t| t.0 == "a while").count(), 1);
        assert_eq!(val(b, "six working days", d).as_deref(), Some("P6D"));
    }

    #[test]
    fn second_day_of_a_pair() {
        let d = dct();
        let b = "The guild will meet on December 3 and 4, and the fair ran on Oct. 9 or 10, 2025.";
        assert_eq!(val(b, "4", d).as_deref(), Some("2026-12-04"));
        assert_eq!(val(b, "10", d).as_deref(), Some("2025-10-10"));
        let b = "Rates rose on May 5 and 6 percent was the cap.";
        assert!(get(b, d).iter().all(|t| t.0 != "6"));
    }

    #[test]
    fn anchored_to_the_time_just_narrated() {
        let d = dct();
        let b = "The ferry line opened on May 22, 2019, and the following year it added a night crossing. Later that year a second hull was bought. The harbour flooded on Oct. 3, 2024; the next morning the quay was shut, and that week no boat sailed.";
        assert_eq!(val(b, "the following year", d).as_deref(), Some("2020"));
        assert_eq!(val(b, "Later that year", d).as_deref(), Some("2020"));
        assert_eq!(
            val(b, "the next morning", d).as_deref(),
            Some("2024-10-04TMO")
        );
        assert_eq!(val(b, "that week", d).as_deref(), Some("2024-W40"));
        // Nothing narrated before: unknown, and it says what it hangs on.
        let t = get("That day the pier was quiet.", d);
        assert_eq!(
            (t[0].2.as_deref(), t[0].3.as_deref()),
            (None, Some("anchor +0 day"))
        );
    }

    #[test]
    fn seasons_decades_and_stretches() {
        let d = dct();
        assert_eq!(
            val("The pier was rebuilt over the summer.", "summer", d).as_deref(),
            Some("2026-SU")
        );
        assert_eq!(
            val("The pier will be rebuilt in the spring.", "the spring", d).as_deref(),
            Some("2027-SP")
        );
        assert_eq!(
            val(
                "Tolls have not risen for almost two decades.",
                "almost two decades",
                d
            )
            .as_deref(),
            Some("P20Y")
        );
        assert_eq!(
            val("Fares rose in recent weeks.", "recent weeks", d).as_deref(),
            Some("PXW")
        );
        assert_eq!(
            val(
                "It lost money in the past two quarters.",
                "the past two quarters",
                d
            )
            .as_deref(),
            Some("P2Q")
        );
        // The article of "the 14-day waiting period" belongs to the noun; "only" is
        // a focus word, not part of the stretch.
        let t = get(
            "The board set the 14-day waiting period and had only six months left.",
            d,
        );
        assert!(t.iter().any(|x| x.0 == "14-day"), "{t:?}");
        assert!(t.iter().any(|x| x.0 == "six months"), "{t:?}");
        assert_eq!(
            val("Talks resume in the near term.", "the near term", d).as_deref(),
            Some("FUTURE_REF")
        );
    }

    #[test]
    fn fractions_weeks_of_and_set_months() {
        let d = dct();
        assert_eq!(
            val("The crossing took 5 1/2 hours.", "5 1/2 hours", d).as_deref(),
            Some("PT5H30M")
        );
        assert_eq!(
            val(
                "The refit lasted two and a half years.",
                "two and a half years",
                d
            )
            .as_deref(),
            Some("P2Y6M")
        );
        assert_eq!(
            val(
                "Boarding took a minute and a half.",
                "a minute and a half",
                d
            )
            .as_deref(),
            Some("PT1M30S")
        );
        assert_eq!(
            val(
                "Fares stay flat for a couple of years.",
                "a couple of years",
                d
            )
            .as_deref(),
            Some("P2Y")
        );
        assert_eq!(
            val("Hearings open the week of Dec. 7.", "the week of Dec. 7", d).as_deref(),
            Some("2026-W50")
        );
        assert_eq!(
            val("The regatta is held each July.", "each July", d).as_deref(),
            Some("XXXX-07")
        );
        assert_eq!(
            val("Dues are paid every quarter.", "every quarter", d).as_deref(),
            Some("P1Q")
        );
        assert_eq!(
            val("It was a day-long meeting.", "day-long", d).as_deref(),
            Some("P1D")
        );
        assert_eq!(
            val("Fares fell through the nineties.", "the nineties", d).as_deref(),
            Some("199")
        );
        assert_eq!(
            val("Fares may rise in the weeks ahead.", "the weeks ahead", d).as_deref(),
            Some("PXW")
        );
        assert_eq!(
            val("Tolls rose earlier in the year.", "earlier in the year", d).as_deref(),
            Some("2026")
        );
        assert_eq!(
            val(
                "The pier opened on Nov. 6, 2026, and the previous Friday it was inspected.",
                "the previous Friday",
                d
            )
            .as_deref(),
            Some("2026-10-30")
        );
        // Fractions of a whole are no stretch of time.
        let t = get(
            "About three-quarters of the crews and a quarter of the boats stayed.",
            d,
        );
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn month_days_take_the_nearest_year() {
        // A past "Oct. 23" in a January article is last October; a dividend "payable
        // Jan. 2" in an October article is next January.
        let jan = NaiveDate::from_ymd_opt(2027, 1, 20);
        assert_eq!(
            val("The shed burned on Oct. 23.", "Oct. 23", jan).as_deref(),
            Some("2026-10-23")
        );
        let oct = NaiveDate::from_ymd_opt(2026, 10, 20);
        assert_eq!(
            val("The dividend is payable Jan. 2 to holders.", "Jan. 2", oct).as_deref(),
            Some("2027-01-02")
        );
        assert_eq!(
            val("The pier reopens at 9 a.m. Tuesday.", "9 a.m. Tuesday", oct).as_deref(),
            Some("2026-10-20T09:00")
        );
        assert_eq!(
            val(
                "Talks began Monday, Oct. 19, in Valdor.",
                "Monday, Oct. 19",
                oct
            )
            .as_deref(),
            Some("2026-10-19")
        );
    }

    #[test]
    fn holidays() {
        let dec = NaiveDate::from_ymd_opt(2026, 12, 10);
        assert_eq!(
            val(
                "The boat was found on Thanksgiving Day.",
                "Thanksgiving Day",
                dec
            )
            .as_deref(),
            Some("2026-11-26")
        );
        assert_eq!(
            val("The pier closed last Christmas.", "last Christmas", dct()).as_deref(),
            Some("2025-12-25")
        );
        assert_eq!(
            val("The count ends on Election Day.", "Election Day", dct()).as_deref(),
            Some("2026-11-03")
        );
    }

    #[test]
    fn not_times() {
        let t = get("She may leave. They march on. The passengers' luggage weighed 2,000 kg and cost 1999 euros.", dct());
        assert!(t.is_empty(), "{t:?}");
        // Titles of shows and films, and the present era.
        let t = get(
            "The mayor told NBC's ``This Week in Ports'' and the radio show Harbour Today that the film High Noon shaped today's youth.",
            dct(),
        );
        assert!(t.is_empty(), "{t:?}");
        let t = get("Most of today's ferries run on diesel.", dct());
        assert!(t.is_empty(), "{t:?}");
        let t = get(
            "The ferry sails on Thanksgiving Day. Today the pier reopens, as today's notice says.",
            dct(),
        );
        assert_eq!(t.len(), 3, "{t:?}");
        for s in [
            "",
            "on",
            "May",
            "\u{e9}8 a.m.",
            "Nov. 31",
            "in 99999",
            "9999-99-99",
            "the 0s",
        ] {
            let _ = find(s, &[], dct());
            let _ = find(s, &[], None);
        }
    }

    #[test]
    fn discourse_now_and_the_future_as_a_thing() {
        // "Now," opening a sentence turns to the next point; "now" elsewhere is the
        // present.
        let t = get(
            "The harbour board met for hours. Now, the fishermen say, the quotas must go. The quay is now closed. \"Now, we wait,\" she said.",
            dct(),
        );
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["hours", "now"],
            "{t:?}"
        );
        // The fate of something, or the future described, is no time; a time in the
        // future is.
        let t = get(
            "The vote decides the future of the fleet. The future looks grim, the mayor said. Boats will be smaller in the future. Nobody knows what the future holds.",
            dct(),
        );
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["the future", "the future"],
            "{t:?}"
        );
        // The idiom "high noon" is no clock time; "at noon" is.
        let t = get(
            "\"For the fleet, this is high noon,\" the skipper said. The vote is at noon.",
            dct(),
        );
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["noon"],
            "{t:?}"
        );
        // An era after "of"; "as of today" and "tomorrow's vote" are days.
        let t = get(
            "\"We are training the skippers of tomorrow,\" he said. The rules apply as of today, ahead of tomorrow's vote.",
            dct(),
        );
        assert_eq!(
            t.iter().map(|x| x.2.as_deref()).collect::<Vec<_>>(),
            [Some("2026-11-14"), Some("2026-11-15")],
            "{t:?}"
        );
    }

    #[test]
    fn soon_only_ahead() {
        let d = dct();
        let b = "The ferry will sail again soon. The skipper was soon released. Word soon reached every boat on the quay. Divers arrived soon after the alarm, as soon as the tide turned.";
        let t = get(b, d);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(val(b, "soon", d).as_deref(), Some("FUTURE_REF"));
    }

    #[test]
    fn halves_and_the_year() {
        let d = dct();
        let b = "Output should recover in the second half of 2027 and through the first two quarters of next year. Sales fell in the first nine months of the year and hit a low for the year in May. The crew of the year was named the year before.";
        assert_eq!(
            val(b, "the second half of 2027", d).as_deref(),
            Some("2027-H2")
        );
        assert_eq!(
            val(b, "the first two quarters of next year", d).as_deref(),
            Some("2027-H1")
        );
        let t = get(b, d);
        let years: Vec<_> = t.iter().filter(|t| t.0 == "the year").collect();
        assert_eq!(years.len(), 2, "{t:?}");
        assert!(
            years.iter().all(|t| t.2.as_deref() == Some("2026")),
            "{t:?}"
        );
        assert_eq!(
            get("Growth slows in the first half of this year.", None)[0]
                .3
                .as_deref(),
            Some("+0 year H1")
        );
    }

    #[test]
    fn mid_parts_of_day() {
        let d = dct();
        let b = "Shares rose at mid-afternoon yesterday. By mid afternoon the market had turned, and late morning today it steadied.";
        assert_eq!(
            val(b, "mid-afternoon yesterday", d).as_deref(),
            Some("2026-11-13TAF")
        );
        assert_eq!(val(b, "mid afternoon", d).as_deref(), Some("2026-11-14TAF"));
        assert_eq!(
            val(b, "late morning today", d).as_deref(),
            Some("2026-11-14TMO")
        );
        assert!(get("He stayed till mid-night.", d).is_empty());
    }

    #[test]
    fn then_current_is_past() {
        let d = dct();
        let b =
            "Holders could buy stock at half the then-current price; the current price is higher.";
        assert_eq!(val(b, "then-current", d).as_deref(), Some("PAST_REF"));
        assert_eq!(val(b, "current", d).as_deref(), Some("PRESENT_REF"));
    }

    #[test]
    fn joined_weekdays_recur() {
        let d = dct();
        let b = "Ferries leave on Monday and Tuesday nights, and the market opens Saturdays or Sundays. The board met Monday and Tuesday.";
        let t = get(b, d);
        let v: Vec<_> = t.iter().map(|t| t.2.as_deref().unwrap_or("")).collect();
        assert_eq!(
            v,
            [
                "XXXX-WXX-1TNI",
                "XXXX-WXX-2TNI",
                "XXXX-WXX-6",
                "XXXX-WXX-7",
                "2026-11-09",
                "2026-11-10"
            ],
            "{t:?}"
        );
    }

    #[test]
    fn the_unit_before_or_after_is_anchored() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 7);
        let b = "Tea exports fell to $300 million last year, down from $450 million the year before. The ferry sank on March 3 and divers reached it the day after.";
        assert_eq!(val(b, "the year before", d).as_deref(), Some("2024"));
        assert_eq!(val(b, "the day after", d).as_deref(), Some("2026-03-04"));
        // With an object, "before" is a signal linking the day to an event.
        let t = get(
            "The inquiry opened the day before the funeral, the year before the war.",
            d,
        );
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn worded_clock_times() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 5);
        let b = "The ferry will leave at 4 in the morning (4 a.m. EDT Thursday), the captain says.\n\nCrews work until 10 at night and break around 3 in the afternoon.";
        assert_eq!(
            val(b, "4 in the morning", d),
            val(b, "4 a.m. EDT Thursday", d)
        );
        assert_eq!(
            val(b, "10 at night", d).as_deref(),
            Some("2026-04-05T22:00")
        );
        assert_eq!(
            val(b, "3 in the afternoon", d).as_deref(),
            Some("2026-04-05T15:00")
        );
        // A count, not a clock time.
        assert!(get("She scored 4 in the morning session.", d).is_empty());
    }

    #[test]
    fn seasons_that_recur() {
        let d = dct();
        let b = "Floods have hit the valley for the past three summers. The ferry stops every winter, and it stopped last winter too.";
        assert_eq!(
            val(b, "the past three summers", d).as_deref(),
            Some("XXXX-SU")
        );
        assert_eq!(val(b, "every winter", d).as_deref(), Some("XXXX-WI"));
        let t = get(b, d);
        assert!(t.iter().all(|t| t.0 != "the past"), "{t:?}");
        assert_eq!(
            t.iter().find(|t| t.0 == "every winter").map(|t| t.1),
            Some(TimeKind::Set)
        );
        assert_eq!(val(b, "last winter", d).as_deref(), Some("2025-WI"));
    }

    #[test]
    fn a_plan_told_in_the_past_is_still_ahead() {
        let d = dct();
        let b = "Unions planned a big march on Tuesday and were planning to block the bridge.";
        assert_eq!(val(b, "Tuesday", d).as_deref(), Some("2026-11-17"));
        // "since" dates the start of a stretch that reaches the present.
        let b = "The ship has been at sea since March and was scheduled to dock before the storm.";
        assert_eq!(val(b, "March", d).as_deref(), Some("2026-03"));
    }

    #[test]
    fn that_day_of_a_month_only() {
        let d = dct();
        let b = "The mill flooded last March. Its owner sold the looms that same day.";
        assert_eq!(val(b, "that same day", d).as_deref(), Some("2026-03-XX"));
    }

    #[test]
    fn a_later_date_is_ahead() {
        let b = "The museum will pick the architect at a later date and stay shut for a while.";
        assert_eq!(val(b, "a later date", dct()).as_deref(), Some("FUTURE_REF"));
        assert_eq!(val(b, "a while", dct()).as_deref(), Some("PXX"));
    }

    #[test]
    fn quarter_of_a_relative_year() {
        let d = dct();
        let b = "Freight fell in the fourth quarter of last year and should recover in the second quarter of next year.";
        assert_eq!(
            val(b, "the fourth quarter of last year", d).as_deref(),
            Some("2025-Q4")
        );
        assert_eq!(
            val(b, "the second quarter of next year", d).as_deref(),
            Some("2027-Q2")
        );
    }

    #[test]
    fn halves_and_centuries() {
        let d = dct();
        let b = "Half an hour later the dam held. The town was founded half a century ago, the fort a century ago.";
        assert_eq!(val(b, "Half an hour", d).as_deref(), Some("PT30M"));
        assert_eq!(val(b, "half a century ago", d).as_deref(), Some("1976"));
        assert_eq!(val(b, "a century ago", d).as_deref(), Some("1926"));
    }

    #[test]
    fn the_day_before_yesterday() {
        let d = dct();
        let b = "The bill passed the day before yesterday and takes effect the day after tomorrow.";
        assert_eq!(
            val(b, "the day before yesterday", d).as_deref(),
            Some("2026-11-12")
        );
        assert_eq!(
            val(b, "the day after tomorrow", d).as_deref(),
            Some("2026-11-16")
        );
        assert_eq!(get(b, d).len(), 2);
    }

    #[test]
    fn recent_and_coming_stretches_follow_the_tense() {
        let d = dct();
        let stretch = "Ferry fares have climbed in recent years.";
        assert_eq!(val(stretch, "recent years", d).as_deref(), Some("PXY"));
        let past = "Two ferries sank in the strait in recent days.";
        assert_eq!(val(past, "recent days", d).as_deref(), Some("PAST_REF"));
        let era = "The port has outgrown the shipping boom of recent years.";
        assert_eq!(val(era, "recent years", d).as_deref(), Some("PAST_REF"));
        assert_eq!(
            val("Fares rose in recent months.", "recent months", d).as_deref(),
            Some("PXM")
        );
        let ahead = "The board will vote in coming weeks and buy boats in the coming years.";
        assert_eq!(val(ahead, "coming weeks", d).as_deref(), Some("PXW"));
        assert_eq!(val(ahead, "coming years", d).as_deref(), Some("PXY"));
        assert_eq!(
            val("Tolls will rise in coming months.", "coming months", d).as_deref(),
            Some("FUTURE_REF")
        );
        let over = "The pier has been rebuilt twice over the years.";
        assert_eq!(val(over, "the years", d).as_deref(), Some("PXY"));
    }

    #[test]
    fn a_month_before_a_noun() {
        let d = dct();
        let b = "The mill is run under a June accord with its lenders.";
        assert_eq!(val(b, "June", d).as_deref(), Some("2026-06"));
        let t = get("She marched in a May Day parade.", d);
        assert!(t.iter().all(|t| t.0 != "May"), "{t:?}");
    }

    #[test]
    fn two_digit_decades_and_their_halves() {
        let d = dct();
        let b = "Ferry traffic boomed in the '80s and fell through the last half of the '90s.";
        assert_eq!(val(b, "the '80s", d).as_deref(), Some("198"));
        assert_eq!(
            val(b, "the last half of the '90s", d).as_deref(),
            Some("199")
        );
        assert_eq!(
            val("Docks built in the '20s still stand.", "the '20s", d).as_deref(),
            Some("202")
        );
    }

    #[test]
    fn a_year_something_runs_throughout_is_a_stretch() {
        let b = "Margins should widen throughout the fiscal year, the shipyard said.";
        let t = get(b, dct());
        assert_eq!(
            t.iter()
                .find(|t| t.0 == "the fiscal year")
                .map(|t| (t.1, t.2.as_deref())),
            Some((TimeKind::Duration, Some("P1Y")))
        );
    }

    #[test]
    fn year_earlier_stretches() {
        let d = dct();
        let b = "Net income for the nine months rose 8%. Net for the year-earlier nine months included a gain.";
        assert_eq!(
            val(b, "the year-earlier nine months", d).as_deref(),
            Some("P9M")
        );
        let b = "For the nine months, the brewer earned $4 million. In the year-earlier period, it earned $3 million.";
        assert_eq!(val(b, "the year-earlier period", d).as_deref(), Some("P9M"));
        // After a quarter the period stays that quarter a year before.
        let b = "Third-quarter net rose 5%. In the year-earlier period, it earned $3 million.";
        assert_eq!(
            val(b, "the year-earlier period", d).as_deref(),
            Some("2025-Q3")
        );
    }

    #[test]
    fn the_day_before_or_after_a_dated_day() {
        let d = dct();
        let b =
            "The mayor resigned on Oct. 3, 2026. Crowds gathered the day after his resignation.";
        assert_eq!(val(b, "the day", d).as_deref(), Some("2026-10-04"));
        let b = "Trading slowed after Oct. 12, the day before the crash.";
        assert_eq!(val(b, "the day", d).as_deref(), Some("2026-10-12"));
        let b = "The day before last Tuesday's vote, the mayor met the union.";
        assert_eq!(
            val(b, "The day before last Tuesday", d).as_deref(),
            Some("2026-11-09")
        );
        let b = "Shops reopen the day after Christmas.";
        assert_eq!(
            val(b, "the day after Christmas", d).as_deref(),
            Some("2026-12-26")
        );
        // Nothing dated before: a signal phrase, no time.
        assert!(get("Crowds gathered the day after his death.", d).is_empty());
    }

    #[test]
    fn last_month_by_name_and_this_quarters_results() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2);
        let b = "The bridge closed last February and reopened last October.";
        assert_eq!(val(b, "last February", d).as_deref(), Some("2025-02"));
        assert_eq!(val(b, "last October", d).as_deref(), Some("2025-10"));
        let jan = NaiveDate::from_ymd_opt(2026, 1, 20);
        let b = "The bridge closed last December.";
        assert_eq!(val(b, "last December", jan).as_deref(), Some("2025-12"));
        let d = NaiveDate::from_ymd_opt(2026, 11, 3);
        let b = "Third-quarter net fell 4%. This quarter's loss includes a charge for the mill.";
        assert_eq!(val(b, "This quarter", d).as_deref(), Some("2026-Q3"));
        let b = "Third-quarter net fell 4%. The mill expects a profit this quarter.";
        assert_eq!(val(b, "this quarter", d).as_deref(), Some("2026-Q4"));
    }

    #[test]
    fn easter_and_holiday_weeks() {
        for (y, m, d) in [
            (2000, 4, 23),
            (1998, 4, 12),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
        ] {
            assert_eq!(easter(y), NaiveDate::from_ymd_opt(y, m, d));
        }
        let d = NaiveDate::from_ymd_opt(2026, 3, 30);
        let b =
            "Pilgrims filled the square as Easter week began. Shops will close on Easter Sunday.";
        assert_eq!(val(b, "Easter week", d).as_deref(), Some("2026-W14"));
        assert_eq!(val(b, "Easter Sunday", d).as_deref(), Some("2026-04-05"));
        let b = "The ferry will sail during Christmas week.";
        assert_eq!(val(b, "Christmas week", dct()).as_deref(), Some("2026-W52"));
    }
}
