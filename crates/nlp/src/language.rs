//! Language identification with [`whatlang`], reported as ISO 639-1 codes.
//!
//! whatlang is a trigram model over 60-odd languages; it returns ISO 639-3 codes, which
//! are mapped to the two-letter codes the data model uses. Short or ambiguous texts
//! give `None` rather than a guess: a wrong language tag is worse than none, since
//! later stages pick tokenisation and stopwords by it.

use whatlang::Lang;

/// Fewer letters than this and the trigram statistics are too thin to trust.
const MIN_LETTERS: usize = 20;

/// ISO 639-1 code of the text's language, when it can be told.
pub fn detect(text: &str) -> Option<String> {
    // Long bodies: the first few thousand chars are plenty and keep this cheap.
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // whatlang's own reliability flag is conservative on short texts; accept a
    // confident answer too.
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    iso639_1(info.lang()).map(str::to_string)
}

/// ISO 639-1 for the languages whatlang knows that have one.
fn iso639_1(lang: Lang) -> Option<&'static str> {
    let code = match lang.code() {
        "eng" => "en",
        "fra" => "fr",
        "deu" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "nld" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "ces" => "cs",
        "slk" => "sk",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "bul" => "bg",
        "mkd" => "mk",
        "bel" => "be",
        "ron" => "ro",
        "hun" => "hu",
        "fin" => "fi",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "ell" => "el",
        "tur" => "tr",
        "aze" => "az",
        "kat" => "ka",
        "hye" => "hy",
        "heb" => "he",
        "ydd" => "yi",
        "ara" => "ar",
        "pes" => "fa",
        "urd" => "ur",
        "hin" => "hi",
        "mar" => "mr",
        "nep" => "ne",
        "ben" => "bn",
        "pan" => "pa",
        "guj" => "gu",
        "ori" => "or",
        "tam" => "ta",
        "tel" => "te",
        "kan" => "kn",
        "mal" => "ml",
        "sin" => "si",
        "tha" => "th",
        "khm" => "km",
        "mya" => "my",
        "vie" => "vi",
        "ind" => "id",
        "jav" => "jv",
        "tgl" => "tl",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "amh" => "am",
        "afr" => "af",
        "zul" => "zu",
        "sna" => "sn",
        "aka" => "ak",
        "yor" => "yo",
        "lat" => "la",
        "epo" => "eo",
        "cat" => "ca",
        "tuk" => "tk",
        "uzb" => "uz",
        "kaz" => "kk",
        "cym" => "cy",
        "gle" => "ga",
        "eus" => "eu",
        "glg" => "gl",
        "isl" => "is",
        "sqi" => "sq",
        "bos" => "bs",
        "mlt" => "mt",
        "swa" => "sw",
        "som" => "so",
        "hau" => "ha",
        "ibo" => "ig",
        "tat" => "tt",
        "mon" => "mn",
        "lao" => "lo",
        "tir" => "ti",
        "kin" => "rw",
        "msa" => "ms",
        _ => return None,
    };
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages() {
        let en = "The harbour council voted on Tuesday to keep the night ferries running \
                  through the winter, despite the rising cost of fuel.";
        let fr = "Le conseil du port a voté mardi pour maintenir les traversées de nuit \
                  pendant tout l'hiver, malgré la hausse du prix du carburant.";
        let de = "Der Hafenrat hat am Dienstag beschlossen, die Nachtfähren den ganzen \
                  Winter über fahren zu lassen, trotz der steigenden Treibstoffkosten.";
        let es = "El consejo del puerto votó el martes para mantener los transbordadores \
                  nocturnos durante todo el invierno, a pesar del aumento del combustible.";
        let ru = "Портовый совет во вторник проголосовал за то, чтобы ночные паромы \
                  продолжали ходить всю зиму, несмотря на рост цен на топливо.";
        assert_eq!(detect(en).as_deref(), Some("en"));
        assert_eq!(detect(fr).as_deref(), Some("fr"));
        assert_eq!(detect(de).as_deref(), Some("de"));
        assert_eq!(detect(es).as_deref(), Some("es"));
        assert_eq!(detect(ru).as_deref(), Some("ru"));
    }

    #[test]
    fn too_short_or_empty_is_none() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("OK"), None);
        assert_eq!(detect("12345 67890 !!!"), None);
    }
}
