//! Throwaway: prints the quotes found in a text given on the command line.
fn main() {
    let body = std::env::args().nth(1).unwrap_or_default();
    let sents = parallax_nlp::sentences::split(&body);
    for q in parallax_nlp::quotes::find(&body, &sents, &[]) {
        let t = |s: Option<parallax_core::Span>| s.map(|s| &body[s.start..s.end]).unwrap_or("-");
        println!(
            "{:?} content=[{}] cue=[{}] src=[{}] speaker={:?}",
            q.kind,
            t(Some(q.content)),
            t(q.cue),
            t(q.source),
            q.speaker
        );
    }
}
