//! orgwork's storage interface: the `Store` trait that every backend implements, its error
//! type and paging types. No sqlx type appears here, so the web layer and the CLI do not
//! know which database they talk to.
//!
//! `sql/` (outside `src/`) holds the implementation both backends share: Rust and SQL text
//! written once and mounted as a module of each backend crate (`#[path]`), compiled against
//! that backend's concrete sqlx types (see `sql/mod.rs` and ARCHITECTURE.md, "Why one
//! implementation for two backends").

pub mod cache;
pub mod copy;
pub mod ids;
pub mod tree;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use orgwork_domain::access::Role;
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::{HistoryEntry, Names, SubtreeEntry, Unit, UnitCode};
use serde::Serialize;

/// A storage error: either a domain error (a rule, a missing unit) or a failure of the
/// database itself.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] orgwork_domain::Error),
    #[error("database error: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A page request: at most `limit` items after the opaque cursor `after`.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub limit: u32,
    pub after: Option<String>,
}

impl Page {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn first(limit: u32) -> Page {
        Page { limit, after: None }
    }

    /// The limit, between 1 and `MAX_LIMIT`, `DEFAULT_LIMIT` when zero.
    pub fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => Self::DEFAULT_LIMIT,
            n => n.min(Self::MAX_LIMIT),
        }
    }
}

/// A page of results and the cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub names: Names,
    pub kind: String,
    pub parent: Option<UnitCode>,
    pub valid_from: NaiveDate,
    pub decision: Option<String>,
}

/// A dated change to an existing unit.
#[derive(Debug, Clone)]
pub struct Dated {
    pub code: UnitCode,
    pub effective: NaiveDate,
    pub decision: Option<String>,
}

/// Who makes a change: a user, or the command line (which has the database's own rights).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor { user_id: Some(id), name: name.to_string() }
    }
    /// The command line, run by someone with access to the database itself.
    pub fn cli() -> Actor {
        match std::env::var("USER") {
            Ok(who) if !who.is_empty() => Actor { user_id: None, name: format!("cli:{who}") },
            _ => Actor { user_id: None, name: "cli".into() },
        }
    }
}

/// A role on a unit, holding for its subtree. `unit_id` is the store's key of the unit: the
/// grant follows the unit, whatever its code or place later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Grant {
    pub role: Role,
    #[schema(value_type = String)]
    pub unit: UnitCode,
    #[serde(skip)]
    pub unit_id: i64,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct User {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    /// The UI language the user chose (en, vi, ar), if any.
    pub language: Option<String>,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

/// A user with the hash of their password, for logging in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub unit: UnitCode,
}

/// An API token as listed (the secret itself is shown once, at creation, and never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    /// When it was recorded (UTC, RFC 3339).
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

/// The outcome of checking the audit log's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub entries: i64,
    /// The first entry that does not fit the chain (or its signed head), and why.
    pub first_broken: Option<(i64, String)>,
    /// The signed head the chain was checked up to, when the store has the audit key and the
    /// head is signed with it.
    pub signed_head: Option<AuditHead>,
    /// Why the chain could not be checked against a signed head (no key; a head not signed
    /// yet), when it could not.
    pub unanchored: Option<String>,
}

/// The head of the audit chain, signed: its last entry's number and hash, and the HMAC of
/// both with the server's audit key. Printed by `orgwork audit head` for keeping elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
    pub mac: String,
}

/// The structure: units as of any date, and their dated changes.
#[async_trait]
pub trait StructureStore: Send + Sync {
    async fn create_unit(&self, actor: &Actor, new: NewUnit) -> Result<Unit>;
    async fn rename_unit(&self, actor: &Actor, change: Dated, names: Names) -> Result<Unit>;
    async fn move_unit(&self, actor: &Actor, change: Dated, new_parent: UnitCode) -> Result<Unit>;
    async fn dissolve_unit(&self, actor: &Actor, change: Dated) -> Result<Unit>;
    /// Creates many units at once (a generated or migrated organization), parents before
    /// children, in one transaction with one audit entry; each checked as `create_unit` checks
    /// one (code used once, parent live, kind allowed under the parent's). Returns how many.
    async fn load_units(&self, actor: &Actor, units: &[NewUnit], progress: &Progress<'_>) -> Result<u64>;

    /// The unit with `code` as of `as_of`; a unit dissolved before that date is returned as
    /// it last was (with its `valid_to`).
    async fn unit(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Unit>;
    /// The units without a parent as of `as_of`, by code.
    async fn roots(&self, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    /// Live units whose code or any name contains `query` (case and diacritics ignored);
    /// with `within`, only those in the subtrees of these units (store keys).
    async fn search_units(
        &self,
        query: &str,
        as_of: NaiveDate,
        within: Option<&[i64]>,
        page: Page,
    ) -> Result<Paged<Unit>>;
    async fn children(&self, code: &UnitCode, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    /// The unit's ancestors as of `as_of`, the root first (the unit itself not included).
    async fn ancestors(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<Unit>>;
    /// The unit and the units below it, at most `depth` levels down, in tree order.
    async fn subtree(
        &self,
        code: &UnitCode,
        as_of: NaiveDate,
        depth: Option<u32>,
        page: Page,
    ) -> Result<Paged<SubtreeEntry>>;
    /// The unit's own history, oldest first.
    async fn history(&self, code: &UnitCode) -> Result<Vec<HistoryEntry>>;
    /// The store keys of the unit and its ancestors as of `as_of` (the unit first); for a
    /// unit dissolved by then, as of its last day. Scope checks use it.
    async fn path_ids(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<i64>>;
    /// Every path (as `path_ids` gives it) that the unit with `code` has on some day from
    /// `from` to `to` (both included), each with the first of those days it holds: a write
    /// whose effects reach over those days is judged on each of them. A code that names no
    /// unit live on any of those days is judged where that unit last stood (`path_ids`).
    async fn paths_over(&self, code: &UnitCode, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Vec<i64>)>>;
}

/// Users, their grants, API tokens and login sessions. Secrets are stored only as hashes.
#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn credentials(&self, name: &str) -> Result<Option<Credentials>>;
    async fn user_by_id(&self, id: i64) -> Result<Option<User>>;
    async fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<User>;
    async fn set_password_hash(&self, actor: &Actor, name: &str, password_hash: &str) -> Result<()>;
    async fn set_language(&self, actor: &Actor, user_id: i64, language: &str) -> Result<()>;
    /// Records a token (`id` public, `secret_hash` the SHA-256 of the whole token).
    async fn create_token(&self, actor: &Actor, user: &str, id: &str, secret_hash: &str) -> Result<TokenInfo>;
    async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<TokenInfo>;
    async fn tokens(&self) -> Result<Vec<TokenInfo>>;
    /// The enabled user holding the unrevoked token with this hash.
    async fn user_by_token(&self, secret_hash: &str) -> Result<Option<User>>;
    async fn create_session(&self, user_id: i64, secret_hash: &str, expires_at: DateTime<Utc>) -> Result<()>;
    /// The enabled user of the unexpired session with this hash.
    async fn user_by_session(&self, secret_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    async fn delete_session(&self, secret_hash: &str) -> Result<()>;
}

/// The append-only audit log, chained by SHA-256.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries about the units of a subtree (or all), from a date on, oldest first.
    async fn audit(&self, unit: Option<&UnitCode>, since: Option<NaiveDate>, page: Page) -> Result<Paged<AuditEntry>>;
    /// Recomputes the whole chain, and checks it against its signed head.
    async fn verify_audit(&self) -> Result<AuditCheck>;
    /// The head as stored (signed or not: `mac` is empty while it is not).
    async fn audit_head(&self) -> Result<AuditHead>;
    /// Signs the chain's head as it stands, whatever was signed before: for a log written
    /// before its head was kept signed, once `audit verify` has found it intact. Every write
    /// after signs its new head itself, and only over a head that was signed and still fits.
    async fn sign_audit_head(&self) -> Result<AuditHead>;
}

/// A member to admit into a unit.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub record: orgwork_domain::members::Record,
    /// The unit the member belongs to from `joined_on`.
    pub unit: UnitCode,
    /// The first day in that unit (the admission day for a new member; for a member entered
    /// from older records, the day they joined this unit).
    pub joined_on: NaiveDate,
    pub document: Option<String>,
    /// For a member transferred in from outside the tree: the organization they came from.
    pub from_org: Option<String>,
}

/// A member as shown: the record, the current (or last) unit and status, and the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Member {
    /// The member's key, as text (it does not fit a JavaScript number).
    pub id: String,
    pub record: orgwork_domain::members::Record,
    /// The unit on the day asked about (null when not a member then).
    #[schema(value_type = Option<String>)]
    pub unit: Option<UnitCode>,
    pub status: Option<orgwork_domain::members::Status>,
    pub categories: Vec<String>,
    pub memberships: Vec<MembershipEntry>,
    pub statuses: Vec<StatusEntry>,
    /// Badges of party age and the day each falls due.
    pub badges: Vec<(u32, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MembershipEntry {
    #[schema(value_type = String)]
    pub unit: UnitCode,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub reason: String,
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusEntry {
    pub status: orgwork_domain::members::Status,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub document: Option<String>,
}

/// A line of a member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MemberSummary {
    pub id: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    #[schema(value_type = String)]
    pub unit: UnitCode,
    pub status: orgwork_domain::members::Status,
    pub card_number: Option<String>,
}

/// A filter of member lists.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Part of a name (case and diacritics ignored), or a card number or national ID.
    pub query: Option<String>,
    pub status: Option<orgwork_domain::members::Status>,
    pub category: Option<String>,
}

/// A subtree's counts on a date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub total: i64,
    pub by_status: std::collections::BTreeMap<String, i64>,
    pub by_category: std::collections::BTreeMap<String, i64>,
}

impl Stats {
    /// Adds another unit's counts (the predecessors of a merged unit, summed).
    pub fn add(&mut self, other: &Stats) {
        self.total += other.total;
        for (k, v) in &other.by_status {
            *self.by_status.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.by_category {
            *self.by_category.entry(k.clone()).or_default() += v;
        }
    }
}

/// A member with their whole history, for bulk loads.
#[derive(Debug, Clone)]
pub struct MemberHistory {
    pub record: orgwork_domain::members::Record,
    /// The units they belonged to: (unit, from, to), in date order, one at a time.
    pub units: Vec<(UnitCode, NaiveDate, Option<NaiveDate>)>,
    /// Their statuses: (status, from, to), in date order, one at a time.
    pub statuses: Vec<(orgwork_domain::members::Status, NaiveDate, Option<NaiveDate>)>,
}

/// The stages of an import, as its progress reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStage {
    /// Each row against the register (who it is, which unit).
    Checking,
    /// The new members written.
    Writing,
    /// The counts brought up to date.
    Counting,
}

/// Told how far a long operation has got: the stage, the rows done, the rows in all.
pub type Progress<'a> = dyn Fn(ImportStage, u64, u64) + Send + Sync + 'a;

/// What an import did, or would do (a dry run), or why it did nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The first faults found (at most `orgwork_domain::import::MAX_FAULTS`); when there is
    /// any, nothing was applied.
    pub errors: Vec<orgwork_domain::import::RowError>,
    /// How many faults there are in all (`errors` holds the first of them).
    pub error_count: usize,
    pub dry_run: bool,
    /// Rows refused because they met a member the importer may not see (by card number or
    /// national ID): the server counts them against the importer, so that the register cannot
    /// be probed one number at a time. Not sent.
    #[serde(skip)]
    pub hidden_matches: usize,
}

impl ImportReport {
    /// Records a fault: counted always, kept while fewer than `MAX_FAULTS` are.
    pub fn fault(&mut self, e: orgwork_domain::import::RowError) {
        self.error_count += 1;
        if self.errors.len() < orgwork_domain::import::MAX_FAULTS {
            self.errors.push(e);
        }
    }

    /// The report of a file whose rows could not be read.
    pub fn of_faults(faults: orgwork_domain::import::Faults, dry_run: bool) -> ImportReport {
        ImportReport { error_count: faults.total, errors: faults.errors, dry_run, ..Default::default() }
    }
}

/// What an import may touch, for the user who sends it. The default (everything) is for the
/// command line, which holds the database itself.
#[derive(Debug, Clone, Default)]
pub struct ImportScope {
    /// The units (store keys) at the top of the subtrees whose members the importer may read;
    /// `None` for all. A row that meets a member outside them is refused without naming the
    /// member or their unit.
    pub readable: Option<Vec<i64>>,
    /// For each unit rows may admit members into, the first day from which the importer may
    /// write there on every day up to today; `None` for no limit. A new member joins on the
    /// day of their admission (or the unit's start), and is counted there from that day, so
    /// a unit missing here, or a day before its entry, is refused.
    pub writable_from: Option<std::collections::HashMap<UnitCode, NaiveDate>>,
}

/// The member register.
#[async_trait]
pub trait MemberStore: Send + Sync {
    /// Imports rows all or nothing: a row whose card number (or else national ID) matches a
    /// member updates that member; others are admitted into their unit (the row's, else
    /// `default_unit`). Any fault, and nothing is applied; a dry run applies nothing either.
    async fn import_members(
        &self,
        actor: &Actor,
        rows: &[orgwork_domain::import::ImportRow],
        default_unit: Option<&UnitCode>,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let quiet: &Progress<'_> = &|_, _, _| {};
        self.import_members_with_progress(actor, rows, default_unit, dry_run, &ImportScope::default(), quiet).await
    }
    /// As `import_members`, within what `scope` lets the importer touch, telling `progress`
    /// how far it has got (the stage, rows done, rows in all) every few thousand rows.
    async fn import_members_with_progress(
        &self,
        actor: &Actor,
        rows: &[orgwork_domain::import::ImportRow],
        default_unit: Option<&UnitCode>,
        dry_run: bool,
        scope: &ImportScope,
        progress: &Progress<'_>,
    ) -> Result<ImportReport>;
    /// Loads many members with their whole histories at once (a generated or migrated
    /// register), in one transaction with one audit entry; every history is checked first
    /// (units that exist over each membership, memberships and statuses in order and one at a
    /// time, card numbers and national IDs used once) and nothing is written if one is wrong.
    async fn load_members(&self, actor: &Actor, members: &[MemberHistory], progress: &Progress<'_>) -> Result<u64>;
    /// The records of the members of a unit's subtree on a date, with their status and unit,
    /// in name order, a page at a time (for exports of any size).
    async fn member_records(
        &self,
        unit: &UnitCode,
        as_of: NaiveDate,
        page: Page,
    ) -> Result<Paged<(orgwork_domain::members::Record, orgwork_domain::members::Status, UnitCode)>>;
    /// Changes a member's record (not their unit or status, which have their own operations).
    async fn edit_member(&self, actor: &Actor, id: i64, record: orgwork_domain::members::Record) -> Result<Member>;
    async fn create_member(&self, actor: &Actor, new: NewMember) -> Result<Member>;
    /// The member as of `as_of` (their unit, status and categories that day) with the history.
    async fn member(&self, id: i64, as_of: NaiveDate) -> Result<Member>;
    /// Members of the subtree of `unit` on `as_of` (all units when `None`), by name.
    async fn members(
        &self,
        unit: Option<&UnitCode>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        page: Page,
    ) -> Result<Paged<MemberSummary>>;
    async fn change_status(
        &self,
        actor: &Actor,
        id: i64,
        status: orgwork_domain::members::Status,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Member>;
    /// The subtree's counts on a date, from the ledger.
    async fn stats(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats>;
    /// The same counts recounted from the records (slow; the ledger's check).
    async fn recount(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats>;
    /// The subtree's total and counts by status, by a plain recursive query over the tree and
    /// the memberships (no ledger): the benchmarks' baseline, and a second check.
    async fn count_by_query(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats>;
    /// Rebuilds the ledger from the records (its checkpoints are kept, and taken again).
    async fn rebuild_ledger(&self) -> Result<()>;
    /// The ledger's checkpoints: the days before which each unit's sums are kept, so that a
    /// count on a later day reads the rows since the checkpoint only (ARCHITECTURE.md).
    async fn ledger_checkpoints(&self) -> Result<Vec<NaiveDate>>;
    /// Keeps checkpoints on exactly these days: those missing are summed from the ledger, the
    /// others dropped. Counts are the same with or without them.
    async fn set_ledger_checkpoints(&self, days: &[NaiveDate]) -> Result<()>;
}

/// Where a transfer goes: a unit of the tree, or an organization outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Unit(UnitCode),
    Outside(String),
}

/// A transfer of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Transfer {
    pub id: String,
    pub member_id: String,
    pub member_name: String,
    #[schema(value_type = Option<String>)]
    pub from_unit: Option<UnitCode>,
    /// The organization outside the tree the member came from.
    pub from_org: Option<String>,
    #[schema(value_type = Option<String>)]
    pub to_unit: Option<UnitCode>,
    /// The organization outside the tree the member goes to.
    pub to_org: Option<String>,
    pub issued_on: NaiveDate,
    pub document: Option<String>,
    /// issued, accepted or cancelled.
    pub state: String,
    pub closed_on: Option<NaiveDate>,
    pub close_document: Option<String>,
    /// The last day to accept it (the profile's deadline after the issue).
    pub due_on: NaiveDate,
}

/// Which transfers of a unit's subtree to list.
#[derive(Debug, Clone, Default)]
pub struct TransferFilter {
    /// "in" (to the subtree), "out" (from it), or both when `None`.
    pub direction: Option<String>,
    /// Only those still waiting.
    pub pending: bool,
    /// Only those waiting past their deadline on this day.
    pub overdue_on: Option<NaiveDate>,
}

/// Two-step transfers of members.
#[async_trait]
pub trait TransferStore: Send + Sync {
    /// Issues a transfer of a member from the unit they belong to on `issued_on`.
    async fn issue_transfer(
        &self,
        actor: &Actor,
        member_id: i64,
        to: Destination,
        issued_on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer>;
    /// Accepts a transfer on a day: the member leaves the sending unit that day and joins the
    /// receiving one (or, out of the tree, becomes "transferred out").
    async fn accept_transfer(
        &self,
        actor: &Actor,
        id: i64,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer>;
    async fn cancel_transfer(&self, actor: &Actor, id: i64, on: NaiveDate) -> Result<Transfer>;
    async fn transfer(&self, id: i64) -> Result<Transfer>;
    /// Transfers to or from the subtree of a unit, newest first.
    async fn transfers(&self, unit: &UnitCode, filter: &TransferFilter, page: Page) -> Result<Paged<Transfer>>;
}

/// A restructuring: a draft until applied; applied, it can be undone while it is the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Restructuring {
    pub id: String,
    pub title: String,
    pub effective: NaiveDate,
    pub decision: Option<String>,
    /// draft, applied or undone.
    pub state: String,
    pub operations: Vec<orgwork_domain::restructure::Operation>,
    pub created_by: String,
    pub created_at: String,
    pub applied_by: Option<String>,
    pub applied_at: Option<String>,
    pub undone_at: Option<String>,
}

impl Restructuring {
    /// Its draft: the title, date, decision and operations it was recorded with.
    pub fn draft(&self) -> orgwork_domain::restructure::Draft {
        orgwork_domain::restructure::Draft {
            title: self.title.clone(),
            effective: self.effective,
            decision: self.decision.clone(),
            operations: self.operations.clone(),
        }
    }
}

/// What a draft does to one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImpactUnit {
    #[schema(value_type = String)]
    pub code: UnitCode,
    pub name: String,
    pub kind: String,
    /// created, renamed, moved, merged, absorbs, split, dissolved, receives.
    pub change: String,
    /// Where what it holds goes (merged, split, dissolved into).
    #[schema(value_type = Vec<String>)]
    pub to: Vec<UnitCode>,
    /// Members whose own unit it is and who move with the draft.
    pub members_moved: i64,
    /// Members in its subtree the day before the draft.
    pub members_before: i64,
}

/// A unit whose children change: its children the day before and on the effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TreeChange {
    #[schema(value_type = String)]
    pub parent: UnitCode,
    pub parent_name: String,
    #[schema(value_type = Vec<String>)]
    pub before: Vec<UnitCode>,
    #[schema(value_type = Vec<String>)]
    pub after: Vec<UnitCode>,
}

/// The impact of a draft: the units, members, transfers and committees it touches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Impact {
    pub units: Vec<ImpactUnit>,
    /// Members who change unit (their own unit is merged, split or dissolved).
    pub members_moved: i64,
    /// Members under the units taken apart, the day before: the people the draft concerns.
    pub members_concerned: i64,
    pub transfers_redirected: i64,
    /// Committees and office-holders on the units taken apart (none are recorded yet: the
    /// committee module adds them).
    pub committees: i64,
    pub tree: Vec<TreeChange>,
}

/// The result of the continuity check (and of an apply, which runs it again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckReport {
    pub restructuring: String,
    pub passed: bool,
    pub applied: bool,
    /// The rules the check ran, in order.
    pub rules: Vec<orgwork_domain::restructure::Rule>,
    pub failures: Vec<orgwork_domain::restructure::Failure>,
    pub impact: Impact,
}

/// One step of a unit's lineage: which unit replaced which, on what day, by which restructuring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LineageEntry {
    pub restructuring: String,
    pub day: NaiveDate,
    /// merged (into a new unit), absorbed (into a surviving one), split, dissolved.
    pub relation: String,
    #[schema(value_type = String)]
    pub from: UnitCode,
    pub from_name: String,
    #[schema(value_type = String)]
    pub to: UnitCode,
    pub to_name: String,
}

/// Restructurings: drafts, the continuity check, apply and undo, lineage.
#[async_trait]
pub trait RestructureStore: Send + Sync {
    /// Records a draft (checked for its shape; the tree is judged by the check).
    async fn create_restructuring(
        &self,
        actor: &Actor,
        draft: orgwork_domain::restructure::Draft,
    ) -> Result<Restructuring>;
    /// Every restructuring, newest first.
    async fn restructurings(&self) -> Result<Vec<Restructuring>>;
    async fn restructuring(&self, id: i64) -> Result<Restructuring>;
    /// Runs the draft in a transaction that is rolled back: its impact and the check.
    async fn check_restructuring(&self, id: i64) -> Result<CheckReport>;
    /// Runs the check again and, if it passes, applies the draft in one transaction.
    async fn apply_restructuring(&self, actor: &Actor, id: i64) -> Result<CheckReport>;
    /// The most recent applied restructuring (the one `undo_restructuring` would undo).
    async fn latest_applied(&self) -> Result<Option<Restructuring>>;
    /// Undoes the most recent applied restructuring, if nothing was recorded after it on the
    /// units it touched.
    async fn undo_restructuring(&self, actor: &Actor) -> Result<Restructuring>;
    /// The lineage of a unit: the units it replaced and those that replaced it, through every
    /// applied restructuring, oldest first.
    async fn lineage(&self, code: &UnitCode) -> Result<Vec<LineageEntry>>;
    /// The units a unit replaced, recursively: the predecessors whose figures before `day`
    /// add up to it (the unit itself first).
    async fn predecessors(&self, code: &UnitCode, day: NaiveDate) -> Result<Vec<UnitCode>>;
}

/// A candidate for admission, proposed by a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Candidate {
    pub id: String,
    #[schema(value_type = String)]
    pub unit: UnitCode,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub occupation: Option<String>,
    pub national_id: Option<String>,
    /// The training course on the Party (lớp bồi dưỡng nhận thức về Đảng).
    pub course: Option<String>,
    /// The day the course was completed.
    pub course_done: Option<NaiveDate>,
    pub proposed_on: NaiveDate,
    /// candidate, admitted or withdrawn.
    pub state: String,
    pub closed_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// The member made of the candidate, once admitted.
    pub member_id: Option<String>,
}

/// A candidate to record.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub unit: UnitCode,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub occupation: Option<String>,
    pub national_id: Option<String>,
    pub course: Option<String>,
    pub course_done: Option<NaiveDate>,
    pub proposed_on: NaiveDate,
}

/// A year's admissions under a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Admissions {
    pub year: i32,
    pub admitted: i64,
    /// Under the profile's young age on the day admitted.
    pub young: i64,
    pub students: i64,
    pub women: i64,
    pub ethnic_minority: i64,
}

/// The admission pipeline: candidates, their admission, and the year's figures.
#[async_trait]
pub trait AdmissionStore: Send + Sync {
    async fn add_candidate(&self, actor: &Actor, new: NewCandidate) -> Result<Candidate>;
    async fn candidate(&self, id: i64) -> Result<Candidate>;
    /// Candidates of a unit's subtree (all states, or those still waiting), newest first.
    async fn candidates(&self, unit: &UnitCode, waiting_only: bool) -> Result<Vec<Candidate>>;
    /// Admits a candidate on a day: a member is created, probationary, in the candidate's unit.
    async fn admit_candidate(
        &self,
        actor: &Actor,
        id: i64,
        admitted_on: NaiveDate,
        card_number: Option<String>,
        document: Option<String>,
    ) -> Result<Member>;
    async fn withdraw_candidate(
        &self,
        actor: &Actor,
        id: i64,
        on: NaiveDate,
        note: Option<String>,
    ) -> Result<Candidate>;
    /// The members admitted in a year in the unit's subtree (as it stood at the year's end).
    async fn admissions(&self, unit: &UnitCode, year: i32) -> Result<Admissions>;
}

/// The storage of orgwork. Every write is one transaction: it checks the domain's rules
/// against the state it reads inside the transaction, appends its audit entry, and changes
/// nothing when one fails.
pub trait Store:
    StructureStore
    + UserStore
    + AuditStore
    + MemberStore
    + TransferStore
    + AdmissionStore
    + RestructureStore
    + Send
    + Sync
    + 'static
{
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    /// The profile the store checks its rules against.
    fn profile(&self) -> &Profile;
    /// Keep the answers of frequent reads in memory while nothing changes (see `cache`): for
    /// long-lived processes such as the server.
    fn cache_reads(&self, on: bool);
    /// The key the audit chain's head is signed with (kept outside the database: a file beside
    /// it, or the configuration); without one the head is not signed.
    fn set_audit_key(&self, key: Vec<u8>);
    /// May a large load grow the database's page cache for speed (SQLite's writer: 1 GB while
    /// it writes)? Yes by default (the command line's loads); the server turns it off, since
    /// its memory is held under 500 MB whatever is uploaded.
    fn large_load_cache(&self, on: bool);
    /// Read the unit tree into memory for searches once they have climbed this many units in
    /// the database (see `tree`; by default a share of the tree's size; 0 for at once).
    fn load_tree_after(&self, units: u64);
}

/// How loads of members cut their work. A load of `large_load` members or more is a large one:
/// written with SQLite's larger page cache, and without the secondary indexes when it is larger
/// than the register. Members are written `slice` at a time, and the count ledger's sums are
/// held in memory across slices until they pass `ledger_held` entries (then written, and again
/// at the end). The defaults suit a nation (20,000; 200,000 members; about 200 MB of sums);
/// tests set them small to load a few thousand members in several slices and write their sums
/// in several parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkSizes {
    pub large_load: usize,
    pub slice: usize,
    pub ledger_held: usize,
}

impl Default for BulkSizes {
    fn default() -> Self {
        BulkSizes { large_load: 20_000, slice: 200_000, ledger_held: 4_000_000 }
    }
}

/// The checkpoints a large load leaves: 1 January of this year and of the last, so that counts
/// and restructurings dated since then read one balance per unit and key and at most two years
/// of rows.
pub fn default_checkpoints(today: NaiveDate) -> Vec<NaiveDate> {
    use chrono::Datelike;
    [today.year() - 1, today.year()].iter().filter_map(|y| NaiveDate::from_ymd_opt(*y, 1, 1)).collect()
}
