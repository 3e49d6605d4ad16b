//! `parallax`: every stage of the engine on files, with JSON output, and the embedded
//! store for the full pipeline. See the README's architecture section for the stages.

mod commands;
mod pipeline;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "parallax",
    version,
    about = "Shows one news story from every side: what outlets share, what only one says, \
             how each words the same quote, who credits whom.",
    after_help = "Start with `parallax demo`. Offsets in JSON output are Unicode code points into `body`."
)]
struct Cli {
    /// Data directory holding the store (created if missing).
    #[arg(
        long,
        global = true,
        env = "PARALLAX_DATA",
        default_value = "parallax-data"
    )]
    data_dir: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(Subcommand)]
enum Command {
    /// Extract articles (body, title, byline, date, outlet, credits) from files; one JSON
    /// object per article on stdout.
    Extract {
        /// Text, HTML or JSONL files, directories (recursive), `.gz` files, or `-` for stdin.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Pretty-print each JSON object.
        #[arg(long)]
        pretty: bool,
    },
    /// Extract and read articles: sentences, entities, quotes, credits, time expressions.
    Analyze {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        pretty: bool,
    },
    /// Add articles to the store and group them into stories (idempotent).
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the stories in the store, largest first.
    Stories {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Show at most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Compare the outlets of one stored story (an id or a unique id prefix).
    Show {
        story: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Compare articles given as files directly, without the store.
    Compare {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run the whole pipeline on the bundled sample corpus in a temporary data directory.
    Demo {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { files, pretty } => commands::extract(&files, pretty, false),
        Command::Analyze { files, pretty } => commands::extract(&files, pretty, true),
        Command::Ingest { paths } => commands::ingest(&cli.data_dir, &paths),
        Command::Stories { format, limit } => commands::stories(&cli.data_dir, format, limit),
        Command::Show { story, format } => commands::show(&cli.data_dir, &story, format),
        Command::Compare { files, format } => commands::compare(&files, format),
        Command::Demo { format } => commands::demo(format),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parallax: {e:#}");
            ExitCode::FAILURE
        }
    }
}
