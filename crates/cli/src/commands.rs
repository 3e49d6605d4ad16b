//! One function per subcommand: parse nothing, print results, return the exit code.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};
use parallax_core::json::{AnalyzedView, ArticleView};
use parallax_core::Comparison;
use parallax_store::{Store, StorySummary};

use crate::pipeline;
use crate::{EmbedArgs, EvalPart, Format, SourceArgs};

/// The sample corpus, compiled in so `parallax demo` runs anywhere.
static CORPUS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../examples/corpus");

fn exit_code(errors: usize) -> ExitCode {
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_json<T: serde::Serialize>(out: &mut impl Write, value: &T, pretty: bool) -> Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    writeln!(out)?;
    Ok(())
}

/// Prints one line per error and a summary of skipped items; returns the error count.
fn report_read(read: &pipeline::Read) -> usize {
    for e in &read.errors {
        eprintln!("parallax: {e}");
    }
    if let Some(line) = pipeline::skipped_summary(&read.skipped) {
        eprintln!("parallax: {line}");
    }
    read.errors.len()
}

/// `extract` and `analyze`: articles that read well are printed, each bad input gets one
/// line on stderr, and any error makes the exit status non-zero.
pub fn extract(input: &SourceArgs, pretty: bool, analyze: bool) -> Result<ExitCode> {
    let read = pipeline::read_all(&input.sources, &input.options());
    let errors = report_read(&read);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if analyze {
        for doc in pipeline::analyze_all(read.articles) {
            print_json(&mut out, &AnalyzedView::new(&doc), pretty)?;
        }
    } else {
        for a in &read.articles {
            print_json(&mut out, &ArticleView::new(a), pretty)?;
        }
    }
    out.flush()?;
    Ok(exit_code(errors))
}

pub fn ingest(data_dir: &Path, input: &SourceArgs) -> Result<ExitCode> {
    let report = pipeline::ingest(data_dir, &input.sources, &input.options())?;
    eprintln!(
        "ingested {} new articles ({} already stored, {} errors); {} stories updated in {}",
        report.ingested,
        report.duplicates,
        report.errors.len(),
        report.stories_touched,
        data_dir.display()
    );
    if let Some(line) = pipeline::skipped_summary(&report.skipped) {
        eprintln!("{line}");
    }
    for e in &report.errors {
        eprintln!("parallax: {e}");
    }
    Ok(exit_code(report.errors.len()))
}

fn open_existing(data_dir: &Path) -> Result<Store> {
    if !data_dir.join(parallax_store::DB_FILE).exists() {
        bail!(
            "no store in {}: run `parallax ingest PATH...` first, or pass --data-dir",
            data_dir.display()
        );
    }
    Ok(Store::open(data_dir)?)
}

pub fn stories(data_dir: &Path, format: Format, limit: usize) -> Result<ExitCode> {
    let store = open_existing(data_dir)?;
    let list = store.stories(limit)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            for s in &list {
                print_json(&mut out, s, false)?;
            }
        }
        Format::Markdown => write!(out, "{}", stories_markdown(&list))?,
        Format::Text | Format::Html => write!(out, "{}", stories_text(&list))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn stories_text(list: &[StorySummary]) -> String {
    let mut s = String::new();
    for st in list {
        s.push_str(&format!(
            "{}  {} article{}  {}\n    {}\n",
            st.id,
            st.articles,
            if st.articles == 1 { "" } else { "s" },
            st.title,
            st.outlets.join(", ")
        ));
    }
    if list.is_empty() {
        s.push_str("no stories yet: run `parallax ingest PATH...`\n");
    }
    s
}

fn stories_markdown(list: &[StorySummary]) -> String {
    let mut s = String::from("| story | articles | title | outlets |\n|---|---|---|---|\n");
    for st in list {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            st.id,
            st.articles,
            st.title.replace('|', "\\|"),
            st.outlets.join(", ")
        ));
    }
    s
}

pub fn render(c: &Comparison, format: Format) -> Result<String> {
    Ok(match format {
        Format::Text => parallax_compare::render::text(c),
        Format::Markdown => parallax_compare::render::markdown(c),
        Format::Html => parallax_compare::render::html(c),
        Format::Json => serde_json::to_string_pretty(c)? + "\n",
    })
}

pub fn show(data_dir: &Path, story: &str, format: Format) -> Result<ExitCode> {
    let store = open_existing(data_dir)?;
    let Some(st) = store.story(story)? else {
        bail!(
            "no story {story:?} in {} (ambiguous prefix or unknown id): see `parallax stories`",
            data_dir.display()
        );
    };
    let docs = store.story_articles(&st)?;
    let comparison = parallax_compare::compare(&docs);
    print!("{}", render(&comparison, format)?);
    Ok(ExitCode::SUCCESS)
}

pub fn compare(input: &SourceArgs, format: Format) -> Result<ExitCode> {
    let read = pipeline::read_all(&input.sources, &input.options());
    let errors = report_read(&read);
    if read.articles.len() < 2 {
        bail!(
            "compare needs at least two articles; {} read from {} source{}",
            read.articles.len(),
            input.sources.len(),
            if input.sources.len() == 1 { "" } else { "s" }
        );
    }
    let docs = pipeline::analyze_all(read.articles);
    print!("{}", render(&parallax_compare::compare(&docs), format)?);
    Ok(exit_code(errors))
}

pub fn demo(format: Format) -> Result<ExitCode> {
    let tmp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus)?;
    CORPUS
        .extract(&corpus)
        .context("cannot write the sample corpus")?;
    let data = tmp.path().join("data");
    let sources = [corpus.to_string_lossy().into_owned()];
    let report = pipeline::ingest(&data, &sources, &Default::default())?;
    let store = Store::open(&data)?;
    let list = store.stories(50)?;
    if format == Format::Text {
        println!(
            "Ingested {} articles from the bundled sample corpus into {} stories.\n",
            report.ingested,
            list.len()
        );
        print!("{}", stories_text(&list));
        println!();
    }
    for e in &report.errors {
        eprintln!("parallax: {e}");
    }
    let Some(largest) = list.first() else {
        bail!("the sample corpus produced no stories");
    };
    let story = store
        .story(&largest.id.0)?
        .context("story listed but not stored")?;
    let docs = store.story_articles(&story)?;
    print!("{}", render(&parallax_compare::compare(&docs), format)?);
    Ok(exit_code(report.errors.len()))
}

pub fn ner() -> Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    parallax_nlp::ner::tag_conll(stdin.lock(), &mut out).context("cannot tag stdin")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct Timexes {
    times: Vec<parallax_core::json::TimeView>,
}

pub fn timex(file: &Path, dct: Option<chrono::NaiveDate>) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", file.display()))?;
    let times = parallax_nlp::times::find_in_text(&text, dct);
    let views = parallax_core::json::TimeView::all(&text, &times);
    let stdout = std::io::stdout();
    print_json(&mut stdout.lock(), &Timexes { times: views }, false)?;
    Ok(ExitCode::SUCCESS)
}

pub fn cluster(input: &Path, embed: &EmbedArgs) -> Result<ExitCode> {
    if embed.embedding_weight.len() > 1 {
        bail!("cluster takes one --embedding-weight (a list is for `eval stories`)");
    }
    let mut encoder = crate::embed::encoder(embed, false)?;
    let file =
        std::fs::File::open(input).with_context(|| format!("{}: cannot open", input.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = crate::pipeline::file_progress(len);
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let report = parallax_stories::jsonl::cluster_jsonl_with(
        std::io::BufReader::new(pb.wrap_read(file)),
        out,
        embed.config(),
        encoder.as_deref_mut(),
    )
    .with_context(|| input.display().to_string())?;
    pb.finish_and_clear();
    for w in report.warnings() {
        eprintln!("parallax: warning: {}: {w}", input.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn eval(part: EvalPart) -> Result<ExitCode> {
    use parallax_eval as ev;
    let json = match part {
        EvalPart::Extraction { data } => {
            serde_json::to_value(ev::extraction::score_parallax(&data)?)?
        }
        EvalPart::Ner { data } => serde_json::to_value(ev::ner::score_embedded(&data)?)?,
        EvalPart::Quotes { data } => serde_json::to_value(ev::quotes::score_engine_quotes(&data)?)?,
        EvalPart::Credits { data } => {
            serde_json::to_value(ev::credits::score_engine_credits(&data)?)?
        }
        EvalPart::Time { data, errors } => {
            serde_json::to_value(ev::time::score_engine_time(&data, errors)?)?
        }
        EvalPart::Stories { data, seeds, embed } => {
            let mut encoder = crate::embed::encoder(&embed, true)?;
            let configs = embed.configs();
            if configs.len() == 1 {
                ev::stories::evaluate_with(&data, &seeds, &configs[0], encoder.as_deref_mut())?
            } else {
                let mut runs = Vec::new();
                for c in &configs {
                    let report =
                        ev::stories::evaluate_with(&data, &seeds, c, encoder.as_deref_mut())?;
                    runs.push(serde_json::json!({
                        "embedding_weight": c.embedding_weight,
                        "report": report,
                    }));
                }
                serde_json::Value::Array(runs)
            }
        }
    };
    let stdout = std::io::stdout();
    print_json(&mut stdout.lock(), &json, true)?;
    Ok(ExitCode::SUCCESS)
}
