//! `orgwork member …`: the member register from the command line.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::members::{Record, RecordInput, Status, field_errors};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{MemberFilter, NewMember, Page};

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

// Parsed once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum Command {
    /// Members of a unit's subtree, by name; with a query, those matching it (any part of a
    /// name, accents ignored, or a card number or national ID).
    Search {
        /// What to look for; all members when absent.
        query: Option<String>,
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        /// probationary or official.
        #[arg(long)]
        status: Option<String>,
        /// A category of the profile (young, student, female…).
        #[arg(long)]
        category: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A member as of a date, with their history.
    Show {
        id: orgwork_store::MemberId,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Admit a member into a unit (or enter one from older records with --joined-on).
    Add {
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long)]
        full_name: String,
        #[arg(long)]
        sex: String,
        #[arg(long)]
        birth_date: String,
        #[arg(long)]
        admitted_on: String,
        #[arg(long)]
        official_on: Option<String>,
        #[command(flatten)]
        fields: RecordFlags,
        /// The first day in the unit; the admission day when absent.
        #[arg(long, value_parser = date)]
        joined_on: Option<NaiveDate>,
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Correct fields of a member's record (others stay as they are).
    Edit {
        id: orgwork_store::MemberId,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        sex: Option<String>,
        #[arg(long)]
        birth_date: Option<String>,
        #[command(flatten)]
        fields: RecordFlags,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Issue a transfer of a member to another unit (--to) or out of the organization
    /// (--to-org); the receiver accepts it with `orgwork transfer accept`.
    Transfer {
        id: orgwork_store::MemberId,
        #[arg(long, value_parser = code, conflicts_with = "to_org", required_unless_present = "to_org")]
        to: Option<UnitCode>,
        #[arg(long)]
        to_org: Option<String>,
        #[arg(long, value_parser = date)]
        issued: NaiveDate,
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Change a member's status from a date (official, deceased, expelled, removed, resigned).
    Status {
        id: orgwork_store::MemberId,
        #[arg(long = "to")]
        status: String,
        #[arg(long, value_parser = date)]
        effective: NaiveDate,
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

fn show(m: &orgwork_store::Member) {
    let r = &m.record;
    println!("{}  (id {})", r.full_name, m.id);
    println!(
        "  born {}   sex {}   admitted {}{}",
        r.birth_date,
        r.sex,
        r.admitted_on,
        r.official_on.map(|o| format!("   official {o}")).unwrap_or_default()
    );
    if let Some(c) = &r.card_number {
        println!("  card {c}");
    }
    println!(
        "  unit {}   status {}",
        m.unit.as_ref().map(|u| u.as_str()).unwrap_or("(none)"),
        m.status.map(|s| s.as_str()).unwrap_or("(none)")
    );
    if !m.categories.is_empty() {
        println!("  categories: {}", m.categories.join(", "));
    }
    println!("  history:");
    for ms in &m.memberships {
        let to = ms.valid_to.map(|t| t.to_string()).unwrap_or_else(|| "…".into());
        println!("    {} – {}  in {} ({})", ms.valid_from, to, ms.unit, ms.reason);
    }
    for st in &m.statuses {
        let to = st.valid_to.map(|t| t.to_string()).unwrap_or_else(|| "…".into());
        println!(
            "    {} – {}  {}{}",
            st.valid_from,
            to,
            st.status.as_str(),
            st.document.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
        );
    }
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Search { query, unit, as_of, status, category, limit, db, json } => {
            let store = db.open().await?;
            let status = status.as_deref().map(Status::parse).transpose()?;
            let filter = MemberFilter { query, status, category, ..Default::default() };
            let page = store.members(Some(&unit), as_of.unwrap_or_else(today), &filter, Page::first(limit)).await?;
            if json {
                return output::json(&page.items);
            }
            for m in &page.items {
                println!("{:<20} {:<32} {}  {:<14} {}", m.id, m.full_name, m.birth_date, m.status.as_str(), m.unit);
            }
            if page.next.is_some() {
                eprintln!("(more: raise --limit)");
            }
        }
        Command::Show { id, as_of, db, json } => {
            let m = db.open().await?.member(id, as_of.unwrap_or_else(today)).await?;
            if json {
                return output::json(&m);
            }
            show(&m);
        }
        Command::Add {
            unit,
            full_name,
            sex,
            birth_date,
            admitted_on,
            official_on,
            fields,
            joined_on,
            document,
            db,
            json,
        } => {
            let store = db.open().await?;
            let input =
                fields.over(RecordInput { full_name, sex, birth_date, admitted_on, official_on, ..Default::default() });
            let record = match Record::parse(&store.profile().members, &input) {
                Ok(r) => r,
                Err(errors) => bail!("{}", field_errors(&errors)),
            };
            let joined_on = joined_on.unwrap_or(record.admitted_on);
            let m =
                store.create_member(&actor(), NewMember { record, unit, joined_on, document, from_org: None }).await?;
            if json {
                return output::json(&m);
            }
            println!("Member {} added.", m.id);
            show(&m);
        }
        Command::Edit { id, full_name, sex, birth_date, fields, db, json } => {
            let store = db.open().await?;
            let r = store.member(id, today()).await?.record;
            let given = [("full_name", full_name), ("sex", sex), ("birth_date", birth_date)];
            let mut input = fields.over(RecordInput::from(&r));
            for (field, value) in given.into_iter().filter(|(_, v)| v.is_some()) {
                input.set(field, value);
            }
            let record = match Record::parse(&store.profile().members, &input) {
                Ok(r) => r,
                Err(errors) => bail!("{}", field_errors(&errors)),
            };
            let m = store.edit_member(&actor(), id, record).await?;
            if json {
                return output::json(&m);
            }
            show(&m);
        }
        Command::Transfer { id, to, to_org, issued, document, db, json } => {
            let store = db.open().await?;
            let to = match (to, to_org) {
                (Some(u), _) => orgwork_store::Destination::Unit(u),
                (None, Some(o)) => orgwork_store::Destination::Outside(o),
                (None, None) => bail!("give --to UNIT or --to-org NAME"),
            };
            let t = store.issue_transfer(&actor(), id, to, issued, document).await?;
            if json {
                return output::json(&t);
            }
            println!("Transfer {} issued for {}; to be accepted by {}.", t.id, t.member_name, t.due_on);
        }
        Command::Status { id, status, effective, document, db, json } => {
            let store = db.open().await?;
            let m = store.change_status(&actor(), id, Status::parse(&status)?, effective, document).await?;
            if json {
                return output::json(&m);
            }
            show(&m);
        }
    }
    Ok(())
}

/// The record's optional fields as flags, shared by `member add` and `member edit`: each one
/// given replaces the field, the others stay as they are.
#[derive(clap::Args, Debug)]
pub struct RecordFlags {
    #[arg(long)]
    card_number: Option<String>,
    #[arg(long)]
    national_id: Option<String>,
    #[arg(long)]
    ethnicity: Option<String>,
    #[arg(long)]
    religion: Option<String>,
    #[arg(long)]
    hometown: Option<String>,
    #[arg(long)]
    occupation: Option<String>,
    #[arg(long)]
    education: Option<String>,
    #[arg(long)]
    theory_level: Option<String>,
    #[arg(long)]
    workplace: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
}

impl RecordFlags {
    /// `input` with the flags given put over its fields.
    fn over(self, mut input: RecordInput) -> RecordInput {
        let given = [
            ("card_number", self.card_number),
            ("national_id", self.national_id),
            ("ethnicity", self.ethnicity),
            ("religion", self.religion),
            ("hometown", self.hometown),
            ("occupation", self.occupation),
            ("education", self.education),
            ("theory_level", self.theory_level),
            ("workplace", self.workplace),
            ("phone", self.phone),
            ("email", self.email),
        ];
        for (field, value) in given.into_iter().filter(|(_, v)| v.is_some()) {
            input.set(field, value);
        }
        input
    }
}
