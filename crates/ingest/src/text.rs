//! Plain text as pasted from a web page: site chrome above the headline, a byline and
//! a date under it, photo captions between paragraphs and credit lines at the end.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use parallax_core::{Article, Outlet};
use parallax_nlp::credits::CreditFinder;
use regex::Regex;

use crate::meta::{parse_byline, parse_date_line, title_case};
use crate::IngestError;

/// Words that, alone or in a row of separators, are navigation or share links
/// rather than article text.
const LINK_WORDS: &[&str] = &[
    "home",
    "news",
    "world",
    "uk",
    "us",
    "local",
    "region",
    "politics",
    "business",
    "money",
    "sport",
    "sports",
    "opinion",
    "culture",
    "arts",
    "lifestyle",
    "life",
    "style",
    "travel",
    "science",
    "tech",
    "technology",
    "health",
    "weather",
    "video",
    "videos",
    "audio",
    "podcast",
    "podcasts",
    "live",
    "more",
    "menu",
    "search",
    "subscribe",
    "sign in",
    "sign up",
    "log in",
    "login",
    "logout",
    "log out",
    "register",
    "account",
    "my account",
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "advertisement",
    "advertising",
    "sponsored",
    "share",
    "share this",
    "share this article",
    "tweet",
    "print",
    "email",
    "e-mail",
    "copy link",
    "link copied",
    "comments",
    "facebook",
    "twitter",
    "x",
    "youtube",
    "instagram",
    "linkedin",
    "whatsapp",
    "telegram",
    "tiktok",
    "reddit",
    "pinterest",
    "rss",
    "newsletter",
    "newsletters",
    "follow",
    "follow us",
    "contact",
    "contact us",
    "about",
    "about us",
    "donate",
    "support us",
    "jobs",
    "events",
    "games",
    "puzzles",
    "crosswords",
    "shop",
    "edition",
    "close",
    "back",
    "next",
    "previous",
    "top",
    "back to top",
    "read more",
    "listen",
    "watch",
    "save",
    "saved",
    "gift article",
    "latest",
    "trending",
    "most read",
    "popular",
    "ad",
    "feedback",
    "cookies",
    "privacy",
    "terms",
    "help",
];

fn separators_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\s*(?:[•·|/›»>◦▪●★]|\s{2,}|\t| - | – )\s*").expect("static regex")
    })
}

fn prompt_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)(?-u:\b)(?:we\ use\ cookies|cookie\ (?:policy|settings|preferences)|accept\ (?:all\ )?cookies
            |manage\ (?:cookies|preferences|consent)|enable\ javascript|your\ browser\ (?:is|does)
            |ad\ blocker)(?-u:\b)",
        )
        .expect("static regex")
    })
}

fn short_prompt_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:advertisement|sponsored(?:\ content)?|skip\ to\b|sign\ up\b|subscribe\b
            |already\ a\ subscriber|create\ (?:an\ |a\ free\ )?account|get\ (?:our|the)\ .*newsletter
            |sign\ up\ to\b|sign\ up\ for\b|share\ (?:this|on|via)\b|follow\ us\b|download\ (?:the|our)\ app
            |read\ more\b|related(?:\ stories|\ articles|\ coverage)?\s*:?$|more\ on\ this\ story
            |most\ (?:read|popular)|recommended(?:\ for\ you)?\s*:?$|listen\ to\ this\ article
            |continue\ reading|this\ article\ is\ more\ than\ .*\ old|topics?\s*:|tags?\s*:
            |copyright\b|©|all\ rights\ reserved)",
        )
        .expect("static regex")
    })
}

/// Calls to action that outlets put between or after the paragraphs of a story:
/// (ASCII word boundaries, here and in [`prompt_re`]: a Unicode `\b` makes the regex
/// engine fall back to its slowest matcher on every line with a non-ASCII letter,
/// which was most of the text pass's time.)
/// subscribe, follow us, get the app, write a letter, join, comment; and the
/// copyright and disclaimer notes. Written to the reader ("you", "us", imperatives),
/// which is what tells them from a sentence of the story that mentions subscribers.
fn call_to_action_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)(?:(?-u:\b)|\s|^)(?:subscribe\ (?:to|now|today|for)|(?:already\ a|become\ a)\ (?:subscriber|member)
            |to\ (?:view|read|continue\ reading)\ the\ (?:full|rest)|you\ can\ log\ in
            |sign\ up\ (?:for|to|now|today)|(?:download|get)\ (?:our|the)\ (?:[\w-]+\ ){0,3}apps?(?-u:\b)
            |follow\ (?:us|\w+(?:\ \w+){0,2})\ on\ (?:twitter|facebook|instagram|x|linkedin|tiktok|telegram)
            |for\ the\ latest\ (?:stories|news|updates)|letter\ to\ the\ editor\ via
            |copyrighted\ property|written\ permission|all\ rights\ reserved
            |not\ responsible\ for\ the\ (?:opinions|content)|if\ you\ enjoyed\ (?:reading\ )?this
            |hazte\ (?:miembro|socio)|para\ comentar|suscr[ií]bete|s[ií]guenos\ en|[uú]nete\ (?:a|desde)
            |nuestro\ canal\ de|(?:abonnieren|folgen)\ sie\ uns|melden\ sie\ sich\ (?:hier\ )?an
            |zum\ newsletter|newsletter\ (?:abonnieren|bestellen)|kommentare?\ schreiben|alle\ angaben\ ohne\ gew[aä]hr
            |dieser\ beitrag\ enth[aä]lt\ werbung|enth[aä]lt\ affiliate|abonnez-vous|suivez-nous)",
        )
        .expect("static regex")
    })
}

fn time_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:um\s+|at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?$")
            .expect("static regex")
    })
}

/// A line that is only a date or a clock time ("15 November 2026", "Updated
/// 16 Nov 2026 10:00 GMT", "3:59 PM"): the article's own dateline or a comment's
/// timestamp, metadata rather than text.
pub(crate) fn is_date_or_time_line(line: &str) -> bool {
    line.len() <= 80 && (time_line_re().is_match(line) || parse_date_line(line).is_some())
}

/// A short paragraph addressed to the reader rather than telling the story: see
/// [`call_to_action_re`].
pub(crate) fn is_call_to_action(line: &str) -> bool {
    line.len() <= 400 && call_to_action_re().is_match(line)
}

/// Navigation, share bars, sign-in prompts, cookie banners: page chrome that
/// survives a copy and paste.
pub(crate) fn is_residue_line(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return false;
    }
    if prompt_re().is_match(line) {
        return true;
    }
    let words = line.split_whitespace().count();
    if words <= 14 && short_prompt_re().is_match(line) {
        return true;
    }
    let items: Vec<&str> = separators_re()
        .split(line)
        .map(|i| {
            i.trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != ' ')
                .trim()
        })
        .filter(|i| !i.is_empty())
        .collect();
    if items.is_empty() {
        // Only bullets and pipes.
        return true;
    }
    if items
        .iter()
        .all(|i| LINK_WORDS.contains(&i.to_lowercase().as_str()))
    {
        return true;
    }
    // A row of short items split by bullets or pipes is a menu even when its words
    // are the site's own section names.
    let seps = line
        .chars()
        .filter(|c| matches!(c, '•' | '|' | '·' | '›' | '»'))
        .count();
    seps >= 2
        && items.len() >= 3
        && items
            .iter()
            .all(|i| i.split_whitespace().count() <= 3 && !i.ends_with(['.', '!', '?']))
}

/// A very short all-capitals line such as "THE HARBOUR TIMES": a masthead.
fn is_masthead(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    (1..=5).contains(&words)
        && letters.len() >= 3
        && letters.iter().all(|c| !c.is_lowercase())
        && !line.ends_with(['.', '!', '?', ':'])
}

fn caption_paren_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\s*[(\[](?:photo(?:graph)?s?|image|picture|pic|credit|photo\ credit|illustration|file\ photo|video)\s*:[^)\]]{0,150}[)\]]",
        )
        .expect("static regex")
    })
}

fn caption_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)(?:^|[.!?”’\x22)]\s+)(?:Photograph|Photo|Image|Picture|Illustration|Composite|Video|Caption|Photo\ illustration)\s*:\s*\S[^.!?]{0,100}$",
        )
        .expect("static regex")
    })
}

/// A photo caption or credit line. Captions usually end with the credit; a body
/// paragraph does not.
pub(crate) fn is_caption_line(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 400 {
        return false;
    }
    if caption_line_re().is_match(line) {
        return true;
    }
    caption_paren_re()
        .find_iter(line)
        .any(|m| line[m.end()..].trim().is_empty())
}

/// Removes "(Photo: Meridian Press)" and the like from inside a paragraph.
pub(crate) fn strip_inline_captions(line: &str) -> String {
    caption_paren_re().replace_all(line, "").into_owned()
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', '»'])
        .ends_with(['.', '!', '?', ':', '…'])
}

/// Joins lines into paragraphs: blank lines separate paragraphs and lines inside one
/// are joined with a space, except when every line of a block ends a sentence: then
/// the paste put one paragraph per line without blank lines in between.
pub(crate) fn paragraphs_from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
        } else if let Some(b) = blocks.last_mut() {
            b.push(line);
        }
    }
    let mut out = Vec::new();
    for block in blocks.into_iter().filter(|b| !b.is_empty()) {
        let one_per_line =
            block.len() > 1 && block[..block.len() - 1].iter().all(|l| ends_sentence(l));
        if one_per_line {
            out.extend(block.iter().map(|l| l.to_string()));
        } else {
            out.push(block.join(" "));
        }
    }
    out
}

/// Headings of lists of other stories, in the languages of the evaluation pages and
/// the outlets Parallax reads most: "Related stories", "Mehr zum Thema", "Notas
/// relacionadas", "À lire aussi", "Czytaj też".
fn list_heading_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:most\ (?:read|popular|viewed|shared)|related(?:\ stories|\ articles|\ coverage|\ posts|\ news)?
            |more\ (?:on\ this\ story|from\ .{1,40}|stories|news|articles)|recommended(?:\ for\ you)?|trending(?:\ now)?
            |you\ may\ also\ like|you\ might\ also\ like|read\ next|see\ also|further\ reading|explore\ further
            |latest\ (?:news|stories|articles|posts)|top\ stories
            |mehr\ (?:zum\ thema|themen|zu\ .{1,40}|aus\ .{1,40}|artikel|nachrichten)
            |(?:das|diese)\ (?:thema|themen|artikel|beiträge)?\ ?könnten?\ (?:sie|dich|euch)\ (?:auch\ )?interessieren
            |das\ könnte\ (?:sie|dich|euch)(?:\ auch)?(?:\ interessieren)?
            |weitere\ (?:artikel|themen|beiträge|nachrichten|meldungen|news|links|stories|tipps)(?:\ .{1,40})?
            |(?:zum|auch)\ weiterlesen|schon\ gelesen\??|auch\ interessant|lesen\ sie\ auch
            |meistgelesene?(?:\ artikel|\ beiträge)?|neueste\ (?:artikel|beiträge)|aktuellste\ beiträge
            |beiträge\ zum\ thema|verwandte\ (?:artikel|themen|beiträge)|ähnliche\ (?:artikel|beiträge)
            |schlagw(?:orte|örter)|zurück\ nach\ oben|nach\ oben
            |(?:notas|noticias|temas|artículos)\ relacionad[oa]s|te\ puede\ interesar|le\ puede\ interesar
            |(?:à\ )?lire\ aussi|sur\ le\ même\ sujet|voir\ aussi|leggi\ anche
            |czytaj\ (?:też|także)|zobacz\ (?:też|także))\s*:?$",
        )
        .expect("static regex")
    })
}

/// "Read also: <another story's headline>" lines put between paragraphs.
fn read_also_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:read\ (?:also|more|next)|see\ also|related|also\ read|more\ on\ this
            |lesen\ sie\ (?:auch|dazu|mehr|hier)|mehr\ zum\ thema|auch\ interessant|siehe\ auch
            |lea\ (?:también|más|además)|lee\ (?:también|más)|le\ puede\ interesar|te\ puede\ interesar
            |vea\ (?:también|además)|puedes\ ver|mira|lea|(?:à\ )?lire\ aussi|voir\ aussi|leggi\ anche
            |czytaj\ (?:też|także)|zobacz\ (?:też|także))\s*:",
        )
        .expect("static regex")
    })
}

/// A line of a headline list ("1. Lottery winner's dog inherits mansion"): short, and
/// not a sentence of the article.
fn is_list_item(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let numbered = line.split_once(['.', ')']).is_some_and(|(n, _)| {
        !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
    });
    (numbered || line.starts_with(['•', '-', '*', '–'])) && words <= 16
        || words <= 12 && !line.ends_with(['.', '"', '”', '’', '\''])
}

/// A line that is one word and a colon ("Kontakt:", "Quellenangaben:", "Von:"): the
/// label of a metadata field whose value the extraction already left out, or that
/// follows on its own line.
fn is_field_label(line: &str) -> bool {
    line.ends_with([':', '：']) && !line.contains(char::is_whitespace)
}

/// A short paragraph about the outlet's newsletter (in any language the word is
/// the same): a sign-up prompt, not the story.
fn is_newsletter_prompt(line: &str) -> bool {
    line.len() < 400
        && line
            .as_bytes()
            .windows(10)
            .any(|w| w.eq_ignore_ascii_case(b"newsletter"))
        && line.split_whitespace().count() <= 30
}

/// Lines that open with the label of a picture or source credit ("Foto: …",
/// "Beitragsbild: …", "Crédits photos : …", "Image credit: …", "Quelle: …") or of
/// a figure's caption ("Abbildung 2: …", "Figure 1: …"), a
/// heading of the author's bio ("Über den Autor", "About the author"), or a
/// question or appeal to the reader ("Gefällt dir unser Magazin?", "Support our
/// journalism", "Möchten Sie den Artikel teilen?"). Anchored at the start, so one
/// cheap match per short line.
fn credit_or_appeal_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
            (?P<credit>(?:beitragsbild|titelbild|titelfoto|aufmacherbild|bildquelle|bildnachweis|fotos?|bild
              |photos?|photo\ credits?|images?|image\ credits?|cr[ée]dits?\ photos?|cr[ée]dit|fotograf[ií]a
              |zdj[eę]cie)\s*(?:via\s|:)
              |(?:abbildung|abb\.|figure|fig\.|grafik|gr[aá]fico)\s*\d*\s*:
              |logo\ (?:des|der|von|of|de|del)\s)
            |(?P<source>(?:quelle|source|fuente|[źz]r[óo]d[łl]o)\s*:)
            |(?P<about>(?:über\ (?:den\ autor|die\ autorin)|about\ the\ authors?|sobre\ (?:el\ autor|la\ autora)
              |à\ propos\ de\ l'auteur|o\ autorze|zum\ autor|zur\ autorin
              |über\ diese\ (?:reihe|serie)|about\ this\ series)(?:$|[\s:.]))
            |(?P<appeal>(?:gefällt|gefallen)\ (?:dir|ihnen|euch)\ (?:unser|unsere|dieser|dieses|der|die|das)\s
              |sie\ lesen\ gern|du\ liest\ gern|(?:möchten\ sie|willst\ du)\ (?:den|diesen)\ (?:artikel|beitrag)\ teilen
              |share\ this\ (?:article|story|post)|(?:did\ you\ )?enjoy(?:ed)?\ (?:this|reading)|like\ this\ (?:article|story)
              |we\ want\ to\ hear\ (?:from\ you|what\ you\ think)|support\ (?:our|independent|quality)\ journalism
              |apoya\ (?:el|nuestro)\ periodismo|soutenez\ (?:notre|le)\ journalisme
              |unterstützen\ sie\ (?:unseren|unabhängigen)\ journalismus|unterstütze\s|wesprzyj\s|sostieni\s
              |partagez\ cet\ article|comparte\ (?:este|esta)\ (?:artículo|nota)|condividi\ (?:questo|l'articolo))
            )",
        )
        .expect("static regex")
    })
}

/// Licence and rights notes: "All rights reserved" in the other languages of the
/// outlets Parallax reads (the English phrase is a call to action anywhere, see
/// [`call_to_action_re`]), and a Creative Commons licence named for the text.
fn rights_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)alle rechte vorbehalten|todos los derechos reservados|tous droits réservés|tutti i diritti riservati|wszelkie prawa zastrzeżone|prawem autorskim|unter der lizenz cc|unter cc-by|under (?:a|the) (?:cc|creative commons)|licensed under",
        )
        .expect("static regex")
    })
}

/// "Name/Agency" picture credits on a line of their own ("Ana Ruiz/Getty Images",
/// "Meridian Press / picture alliance"): a slash and a picture agency at the end.
fn agency_credit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)/\s?(?:[\w.'-]+ ){0,3}(?:getty images|reuters|ap|afp|dpa|wenn\.com|wenn|picture[- ]alliance|imago(?: images)?|shutterstock|istock(?:photo)?|unsplash|pixabay|usa today sports|epa|keystone|anp|bloomberg|xinhua|efe|ansa)$",
        )
        .expect("static regex")
    })
}

/// The author's bio as the article's last line: a capitalised name, "is"/"ist"/"es"
/// and a writer's or expert's job within a few words ("Ana Ruiz is a reporter at
/// …", "Der Autor ist Professor für …"). Present tense only, and only the last line:
/// a story may well close on "Okafor was a professor at the university for 30 years".
fn bio_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?-i:[A-ZÄÖÜ])[\w.'-]+ ){1,3}(?:— )?(?:\((?:born |geb\. )?\d{4}\),? )?(?:is|ist|es|est|jest) (?:\w+ ){0,4}(?:a|an|the|ein|eine|der|die|un|una|el|la|le|une)? ?(?:\w+ ){0,2}(?:journalist|reporter|writer|editor|correspondent|founder|co-founder|professor|author|contributor|columnist|redakteur|redakteurin|journalistin|autor|autorin|autora|periodista|journaliste|rédacteur|dziennikarz|dziennikarka|gründer|gründerin)",
        )
        .expect("static regex")
    })
}

/// Prompts to sign up or help, in the last lines of the article: "Sign up here",
/// "… straight to your inbox", "… direkt in dein Postfach", "Help us continue …".
fn late_prompt_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)sign up here|straight to your (?:inbox|phone)|direkt in (?:dein|ihr) postfach|help us (?:continue|keep)|subskrypcj|abonnier(?:e|en sie) (?:jetzt|unseren)",
        )
        .expect("static regex")
    })
}

/// Credit lines, bios, licence notes and appeals written as ordinary paragraphs
/// inside the article. `from_end` is how many non-empty lines follow this one: the
/// rights notes and appeals count only near the end of the article, where outlets
/// put them, and no rule takes a line of more than 60 words (80 for the bio).
fn is_credit_or_appeal(line: &str, from_end: usize) -> bool {
    let words = line.split_whitespace().count();
    if from_end == 0 && words <= 80 && bio_re().is_match(line) {
        return true;
    }
    if words > 60 {
        return false;
    }
    if from_end < 3 && words <= 30 && late_prompt_re().is_match(line) {
        return true;
    }
    if let Some(c) = credit_or_appeal_re().captures(line) {
        if c.name("credit").is_some() {
            return words <= 25;
        }
        if c.name("source").is_some() {
            // "Source: AFP" names where the report came from: it stays for
            // `finish_body`, which turns it into a credit (data, not body).
            return words <= 12 && CreditFinder::shared().credit_line(line).is_none();
        }
        if c.name("about").is_some() {
            return true;
        }
        if c.name("appeal").is_some() {
            return from_end < 8;
        }
    }
    // A caption or credit that ends with the copyright holder: "… | © Ana Ruiz/Meridian".
    if let Some((_, tail)) = line.rsplit_once('©') {
        if tail.split_whitespace().count() <= 8 {
            return true;
        }
    }
    if words <= 10
        && line.contains('/')
        && !line.ends_with(['.', '!', '?', ':'])
        && agency_credit_re().is_match(line)
    {
        return true;
    }
    from_end < 3 && rights_re().is_match(line)
}

/// Cleans body lines: drops chrome and captions, strips inline photo credits, and
/// drops "Most read"-style headline lists together with their heading (the items are
/// other stories' headlines, which would otherwise read as the article's own text).
pub(crate) fn clean_body_lines(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_list = false;
    let mut from_end = lines.iter().filter(|l| !l.trim().is_empty()).count();
    for l in lines {
        let t = l.trim();
        if !t.is_empty() {
            from_end -= 1;
        }
        if t.is_empty() {
            out.push(String::new());
            continue;
        }
        if list_heading_re().is_match(t) {
            in_list = true;
            continue;
        }
        if in_list && is_list_item(t) {
            continue;
        }
        in_list = false;
        if read_also_re().is_match(t) && t.split_whitespace().count() <= 30 {
            continue;
        }
        if is_call_to_action(t)
            || is_date_or_time_line(t)
            || is_field_label(t)
            || is_newsletter_prompt(t)
            || is_credit_or_appeal(t, from_end)
        {
            continue;
        }
        if is_residue_line(t) || is_caption_line(t) {
            continue;
        }
        let s = strip_inline_captions(t);
        let s = s.trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
    }
    out
}

/// Body text made ready: paragraphs joined by a blank line, credit lines split off.
pub(crate) fn finish_body(paragraphs: Vec<String>) -> (String, Vec<parallax_core::Credit>) {
    let body = paragraphs
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let (body, credits) = parallax_nlp::credits::split_credit_lines(&body);
    (body.trim().to_string(), credits)
}

/// When a byline or date line follows within a few short lines, the headline is the
/// line directly above it: whatever short lines come between the first candidate and
/// it ("English edition | Valdorian edition", a strapline) are page furniture.
fn headline_above_meta(
    lines: &[&str],
    first: usize,
    next_substantive: &dyn Fn(usize) -> Option<usize>,
) -> usize {
    let is_meta = |l: &str| !parse_byline(l, true).is_empty() || parse_date_line(l).is_some();
    let mut prev = first;
    let mut at = first;
    for _ in 0..3 {
        let Some(k) = next_substantive(at + 1) else {
            return first;
        };
        let line = lines[k].trim();
        if is_meta(line) {
            return prev;
        }
        // A sentence here is a standfirst under the real headline, not furniture.
        if line.split_whitespace().count() > 20 || line.ends_with(['.', '!', '?']) {
            return first;
        }
        prev = k;
        at = k;
    }
    first
}

/// Header fields read off the top of a pasted article.
struct Header {
    masthead: Option<String>,
    title: String,
    byline: Vec<String>,
    published: Option<DateTime<FixedOffset>>,
    body_start: usize,
}

fn read_header(lines: &[&str]) -> Option<Header> {
    let next_substantive = |from: usize| {
        (from..lines.len()).find(|&j| {
            let t = lines[j].trim();
            !t.is_empty() && !is_residue_line(t)
        })
    };
    let mut masthead = None;
    let mut i = 0;
    let title_at = loop {
        let j = next_substantive(i)?;
        let line = lines[j].trim();
        if is_masthead(line) {
            // A masthead sits directly above a headline; an all-capitals headline is
            // followed by a byline, a date or the body instead.
            if let Some(k) = next_substantive(j + 1) {
                let next = lines[k].trim();
                let next_is_meta =
                    !parse_byline(next, true).is_empty() || parse_date_line(next).is_some();
                if !next_is_meta && !is_masthead(next) && next.len() < 200 {
                    masthead = Some(title_case(line));
                    i = j + 1;
                    continue;
                }
                if is_masthead(next) {
                    i = j + 1;
                    continue;
                }
            }
        }
        break j;
    };
    let title_at = headline_above_meta(lines, title_at, &next_substantive);
    // Markdown files mark the headline with '#'.
    let title = strip_inline_captions(lines[title_at].trim().trim_start_matches('#'))
        .trim()
        .to_string();
    let mut byline = Vec::new();
    let mut published = None;
    let mut updated = None;
    let mut body_start = title_at + 1;
    // The lines under the headline hold the byline, the date, a share bar and
    // sometimes a caption of the lead photo, in any order; the standfirst or the
    // first paragraph ends that zone.
    let mut j = title_at + 1;
    let mut seen = 0;
    while j < lines.len() && seen < 8 {
        let line = lines[j].trim();
        j += 1;
        if line.is_empty() {
            body_start = j;
            continue;
        }
        seen += 1;
        if is_residue_line(line) || is_caption_line(line) {
            body_start = j;
            continue;
        }
        let names = parse_byline(line, true);
        if !names.is_empty() && byline.is_empty() {
            byline = names;
            // "By Ana Ruiz | 15 November 2026"
            for part in line.split(['|', '•', '·', '\u{2014}']).skip(1) {
                if let Some((d, _)) = parse_date_line(part) {
                    published.get_or_insert(d);
                }
            }
            body_start = j;
            continue;
        }
        if let Some((d, is_update)) = parse_date_line(line) {
            if is_update {
                updated.get_or_insert(d);
            } else {
                published.get_or_insert(d);
            }
            body_start = j;
            continue;
        }
        break;
    }
    Some(Header {
        masthead,
        title,
        byline,
        published: published.or(updated),
        body_start,
    })
}

/// Reads an article from plain text: headline, byline, date and body, with page
/// chrome, captions and credit lines taken out.
pub fn extract_text(text: &str, source: &str) -> Result<Article, IngestError> {
    let err = |problem: &str| IngestError {
        source: source.to_string(),
        line: None,
        problem: problem.to_string(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(err("empty file"));
    }
    let lines: Vec<&str> = text.lines().collect();
    let header =
        read_header(&lines).ok_or_else(|| err("no article text (only page navigation)"))?;
    let body_lines = clean_body_lines(lines.get(header.body_start..).unwrap_or(&[]));
    let (body, credits) = finish_body(paragraphs_from_lines(body_lines.iter().map(String::as_str)));
    let outlet = Outlet::new(header.masthead.unwrap_or_default(), None);
    let language = parallax_nlp::language::detect(&body);
    Ok(Article {
        id: Article::derive_id(None, &outlet, &header.title, &body),
        source: source.to_string(),
        url: None,
        outlet,
        title: header.title,
        byline: header.byline,
        published: header.published,
        language,
        body,
        credits,
    })
}

/// Body text handed over without a header (a JSONL `text` field next to its own
/// `title`): only cleaning, no headline detection.
pub(crate) fn body_from_text(text: &str) -> (String, Vec<parallax_core::Credit>) {
    let lines: Vec<&str> = text.lines().collect();
    let cleaned = clean_body_lines(&lines);
    finish_body(paragraphs_from_lines(cleaned.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASTED: &str = "Skip to content
THE HARBOUR TIMES
• youtube • facebook • twitter
Subscribe | Sign in
Home | Local | Transport | Opinion

Night ferry to Porthaven cancelled after engine fault
By Jonas Whitfield, Transport Correspondent
Published 15 November 2026

Passengers waited four hours on the quay at Eastmere before the operator, Bluewater Lines, cancelled the 22:40 sailing.
Advertisement
Bluewater chief Mara Holt (Photo: Meridian Press) said a replacement vessel would run from Tuesday.

Crowds on the quay at Eastmere on Saturday night. (Photo: Meridian Press / Ana Ruiz)

Local councillor Petra Lind said the island
relied on the link for hospital visits.
Sign up to our morning newsletter
";

    #[test]
    fn story_lists_prompts_and_datelines_leave_the_body() {
        let lines = [
            "The harbour board approved the dredging of the eastern channel on Tuesday.",
            "Lesen Sie auch: Neue Fähre für die Insel bestellt",
            "Lea también: Puerto de Eastmere cierra por tormenta",
            "Work will start in March, the board said, and take six weeks.",
            "Mehr zum Thema",
            "Fähre fällt erneut aus",
            "Hafengebühren steigen",
            "Follow The Coastline Post on Twitter and Instagram @CoastlinePost.",
            "For the latest stories and breaking news updates download the Coastline apps for iOS and Android.",
            "3:59 PM",
            "15 November 2026",
            "Subscribers to the ferry pass will not pay the new fee, the board added.",
        ];
        let kept = clean_body_lines(&lines);
        assert_eq!(
            kept,
            vec![
                lines[0].to_string(),
                lines[3].to_string(),
                lines[11].to_string()
            ]
        );
    }

    #[test]
    fn residue_byline_date_and_captions() {
        let a = extract_text(PASTED, "ferry.txt").unwrap();
        assert_eq!(
            a.title,
            "Night ferry to Porthaven cancelled after engine fault"
        );
        assert_eq!(a.outlet.name, "The Harbour Times");
        assert_eq!(a.byline, vec!["Jonas Whitfield"]);
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-15T00:00:00+00:00")
        );
        assert_eq!(
            a.body,
            "Passengers waited four hours on the quay at Eastmere before the operator, Bluewater Lines, cancelled the 22:40 sailing.\n\n\
             Bluewater chief Mara Holt said a replacement vessel would run from Tuesday.\n\n\
             Local councillor Petra Lind said the island relied on the link for hospital visits."
        );
        assert_eq!(a.source, "ferry.txt");
        assert_eq!(a.url, None);
    }

    #[test]
    fn residue_lines() {
        for l in [
            "• youtube • facebook • twitter",
            "Subscribe | Sign in",
            "Advertisement",
            "Skip to content",
            "Home | Local | Region | Arts & Letters",
            "We use cookies to improve your experience. Accept all cookies",
            "Sign up to our morning newsletter",
            "Share this article",
            "|",
        ] {
            assert!(is_residue_line(l), "{l}");
        }
        for l in [
            "Night ferry to Porthaven cancelled after engine fault",
            "The council said news of the closure had come as a shock.",
            "Passengers | crew and staff were told to wait on the quay until the storm had passed.",
        ] {
            assert!(!is_residue_line(l), "{l}");
        }
    }

    #[test]
    fn headline_is_the_line_above_the_byline() {
        let edition = "TARROW LEDGER\nPrint edition | Web edition\n\nPier storm repairs begin\n\nBy Ines Calder\n\nWork began on Monday.";
        let a = extract_text(edition, "t.txt").unwrap();
        assert_eq!(a.title, "Pier storm repairs begin");
        let standfirst = "Pier storm repairs begin\nCrews expect the work to take a month.\nBy Ines Calder\n\nWork began on Monday.";
        let a = extract_text(standfirst, "t.txt").unwrap();
        assert_eq!(a.title, "Pier storm repairs begin");
    }

    #[test]
    fn most_read_lists_go_with_their_heading() {
        let lines = [
            "The tram line reopens on Monday, the city said.",
            "",
            "MOST READ",
            "1. Baker wins county marrow prize",
            "2. Storm closes Tarrow pier",
            "Advertisement",
        ];
        assert_eq!(
            clean_body_lines(&lines),
            vec![
                "The tram line reopens on Monday, the city said.".to_string(),
                String::new()
            ]
        );
    }

    #[test]
    fn one_word_field_labels_go() {
        let lines = ["Kontakt:", "Für den Teig:", "The council met on Monday."];
        let out = clean_body_lines(&lines);
        assert_eq!(out, vec!["Für den Teig:", "The council met on Monday."]);
    }

    #[test]
    fn credits_bios_rights_and_appeals_go() {
        let lines = [
            "The ferry left Eastmere at noon on Monday, the harbour office said.",
            "Foto: Ana Ruiz",
            "Crowds waited on the quay for hours. | © Meridian Press",
            "Ana Ruiz/Getty Images",
            "Beitragsbild: Hafen von Eastmere",
            "Abbildung 2: Der Hafen im Winter",
            "Logo der Hafenverwaltung",
            "Quelle: Hafenamt Eastmere",
            "The strike had lasted three weeks, and the photo of the quay went round the world.",
            "Über den Autor",
            "Gefällt dir unser Magazin? Wir verzichten auf eine Bezahlschranke.",
            "Support our journalism with a small monthly gift.",
            "Alle Rechte vorbehalten. Weiterverbreitung nur mit Genehmigung.",
            "Get the latest stories straight to your inbox every morning.",
            "Ana Ruiz is a reporter at the Meridian Press covering the harbour.",
        ];
        let out = clean_body_lines(&lines);
        assert_eq!(
            out,
            vec![
                "The ferry left Eastmere at noon on Monday, the harbour office said.",
                "The strike had lasted three weeks, and the photo of the quay went round the world.",
            ]
        );
        // A source line that names an outlet is a credit: it leaves the body as data.
        let (body, credits) = body_from_text("The ferry left at noon.\n\nQuelle: dpa");
        assert_eq!(body, "The ferry left at noon.");
        assert_eq!(credits.len(), 1);
        assert_eq!(
            (credits[0].outlet.as_str(), credits[0].kind),
            ("dpa", parallax_core::CreditKind::Wire)
        );
        // Appeals and rights notes count only near the end of the article; a
        // sentence that starts like a label but runs long stays.
        let mut lines = vec!["Licensed under the harbour act, the ferry may carry 400 people."];
        lines.extend(["The crews returned to work on Tuesday."; 4]);
        assert_eq!(clean_body_lines(&lines).len(), 5);
        // A bio only at the end, and only with a capitalised name before "is".
        let lines = [
            "Ana Ruiz is a reporter at the Meridian Press.",
            "The ferry left at noon.",
            "Her father was a reporter at the Meridian Press.",
            "The strike ended on Monday.",
        ];
        assert_eq!(clean_body_lines(&lines).len(), 4);
        assert!(!is_credit_or_appeal(
            "Source: a harbour official, who asked not to be named because the talks were private, said the crews would return on Tuesday after three weeks on strike and a vote that ended late on Monday night in the union hall by the quay, where hundreds waited.",
            10
        ));
    }

    #[test]
    fn caption_lines() {
        assert!(is_caption_line(
            "Crowds on the quay at Eastmere. (Photo: Meridian Press / Ana Ruiz)"
        ));
        assert!(is_caption_line(
            "Crowds on the quay at Eastmere. Photograph: Ana Ruiz/Meridian Press"
        ));
        assert!(is_caption_line("Image: Bluewater Lines"));
        assert!(!is_caption_line("The ferry left at noon."));
        assert_eq!(
            strip_inline_captions("The ferry left (Photo: Meridian Press) at noon."),
            "The ferry left at noon."
        );
    }

    #[test]
    fn all_caps_headline_is_not_a_masthead() {
        let a = extract_text(
            "FERRY STRIKE ENDS\nBy Ana Ruiz\n\nCrews returned to work on Monday.",
            "x",
        )
        .unwrap();
        assert_eq!(a.title, "FERRY STRIKE ENDS");
        assert_eq!(a.outlet.name, "");
        assert_eq!(a.byline, vec!["Ana Ruiz"]);
        assert_eq!(a.body, "Crews returned to work on Monday.");
    }

    #[test]
    fn date_and_byline_on_one_line_and_guardian_dates() {
        let a = extract_text(
            "Harbour dredging to start in spring\nBy Ana Ruiz and Tom Berg | 3 March 2027\nThe works will close the north berth.",
            "x",
        )
        .unwrap();
        assert_eq!(a.byline, vec!["Ana Ruiz", "Tom Berg"]);
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2027-03-03T00:00:00+00:00")
        );
        let a = extract_text(
            "Harbour dredging to start in spring\nSun 15 Nov 2026 08.12 GMT\n\nThe works will close the north berth.",
            "x",
        )
        .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-15T08:12:00+00:00")
        );
        assert_eq!(a.body, "The works will close the north berth.");
    }

    #[test]
    fn empty_and_chrome_only() {
        assert_eq!(
            extract_text("  \n\n ", "e.txt").unwrap_err().problem,
            "empty file"
        );
        assert!(extract_text("Subscribe | Sign in\nAdvertisement\n", "e.txt").is_err());
    }

    #[test]
    fn id_is_from_content_and_stable() {
        let a = extract_text(PASTED, "a.txt").unwrap();
        let b = extract_text(PASTED, "b.txt").unwrap();
        assert_eq!(a.id, b.id);
    }
}
