//! `orgwork`: the one binary. Each subcommand lives in `cmd/<name>.rs`.

mod cmd;
mod db;
mod demo_data;
mod generate;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "orgwork", version, about = "The system of record of a hierarchical membership organization")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or reuse) the demo database of the seed's organization and serve it.
    Demo(cmd::demo::Args),
    /// Generate an organization (demo, province or nation scale) into a database or CSV files.
    Generate(cmd::generate::Args),
    /// Serve the web UI and the JSON API.
    Serve(cmd::serve::Args),
    /// Apply the database migrations.
    Migrate(cmd::migrate::Args),
    /// The structure: units, as of any date, and their dated changes.
    #[command(subcommand)]
    Unit(cmd::structure::Command),
    /// The member register.
    #[command(subcommand)]
    Member(Box<cmd::members::Command>),
    /// Candidates for admission: add, list, admit, withdraw.
    #[command(subcommand)]
    Candidate(cmd::admissions::Command),
    /// Transfers of members: accept, cancel, list.
    #[command(subcommand)]
    Transfer(cmd::transfers::Command),
    /// Annual work programmes: import, lint, approve, report progress, show.
    #[command(subcommand)]
    Plan(cmd::plan::Command),
    /// Inspection and supervision: programmes, inspections, conclusions, coverage.
    #[command(subcommand)]
    Inspection(Box<cmd::inspection::Command>),
    /// Recommendations of inspections: report done, verify, list.
    #[command(subcommand)]
    Recommendation(cmd::inspection::RecommendationCommand),
    /// Disciplinary cases: open, issue, appeal, list.
    #[command(subcommand)]
    Discipline(Box<cmd::inspection::DisciplineCommand>),
    /// Congresses: the apportionment of delegates, the count of an election's round.
    #[command(subcommand)]
    Congress(cmd::congress::Command),
    /// Restructuring: drafts of merges, splits, moves and dissolutions; check, apply, undo.
    #[command(subcommand)]
    Restructure(cmd::restructure::Command),
    /// Import records from files.
    #[command(subcommand)]
    Import(cmd::files::ImportCommand),
    /// Export records to files.
    #[command(subcommand)]
    Export(cmd::files::ExportCommand),
    /// Users and their roles.
    #[command(subcommand)]
    User(cmd::users::UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(cmd::users::TokenCommand),
    /// Benchmarks: times reads on a database beside baselines, and prints the figures.
    #[command(subcommand)]
    Bench(cmd::bench::Command),
    /// The audit log.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
    /// The count ledger's upkeep: its checkpoints.
    #[command(subcommand)]
    Ledger(cmd::ledger::Command),
}

fn main() -> ExitCode {
    // Output piped into `head` and the like ends quietly when the reader goes, as command-line
    // tools do, instead of failing on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE at start, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ORGWORK_LOG").unwrap_or_else(|_| "info,sqlx=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => cmd::demo::run(args).await,
            Command::Serve(args) => cmd::serve::run(args).await,
            Command::Generate(args) => cmd::generate::run(args).await,
            Command::Migrate(args) => cmd::migrate::run(args).await,
            Command::Unit(c) => cmd::structure::run(c).await,
            Command::User(c) => cmd::users::run_user(c).await,
            Command::Member(c) => cmd::members::run(*c).await,
            Command::Transfer(c) => cmd::transfers::run(c).await,
            Command::Candidate(c) => cmd::admissions::run(c).await,
            Command::Restructure(c) => cmd::restructure::run(c).await,
            Command::Congress(c) => cmd::congress::run(c).await,
            Command::Plan(c) => cmd::plan::run(c).await,
            Command::Inspection(c) => cmd::inspection::run(*c).await,
            Command::Recommendation(c) => cmd::inspection::run_recommendation(c).await,
            Command::Discipline(c) => cmd::inspection::run_discipline(*c).await,
            Command::Import(c) => cmd::files::run_import(c).await,
            Command::Export(c) => cmd::files::run_export(c).await,
            Command::Token(c) => cmd::users::run_token(c).await,
            Command::Audit(c) => cmd::audit::run(c).await,
            Command::Ledger(c) => cmd::ledger::run(c).await,
            Command::Bench(c) => cmd::bench::run(c).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
