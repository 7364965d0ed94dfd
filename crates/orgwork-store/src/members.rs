//! The member register: records, histories, counts, imports and searches.

use super::*;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Member {
    /// The member's key, written as text (it does not fit a JavaScript number).
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: MemberId,
    pub record: orgwork_domain::members::Record,
    /// The unit on the day asked about (null when not a member then).
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub unit: Option<UnitCode>,
    pub status: Option<orgwork_domain::members::Status>,
    pub categories: Vec<String>,
    pub memberships: Vec<MembershipEntry>,
    pub statuses: Vec<StatusEntry>,
    /// Badges of party age and the day each falls due.
    pub badges: Vec<(u32, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct MembershipEntry {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub reason: String,
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct StatusEntry {
    pub status: orgwork_domain::members::Status,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub document: Option<String>,
}

/// A line of a member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct MemberSummary {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: MemberId,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
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
    /// Only the probationary members past their probation on the day (admitted at least the
    /// profile's `probation_months` before it): those due to be made official.
    pub probation_over: bool,
}

/// A count of the members a search finds: `count`, or more than `count` when `more`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Tally {
    pub count: u64,
    pub more: bool,
}

/// A subtree's counts on a date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The first rows that create or update a member (at most `ImportReport::PREVIEW_ROWS`),
    /// in the file's order: what a user confirms.
    pub preview: Vec<ImportLine>,
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

/// A row of an import that changes the register: a member created or updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ImportLine {
    pub row: usize,
    /// create or update.
    pub action: &'static str,
    pub full_name: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    /// The member updated.
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub member: Option<MemberId>,
}

impl ImportReport {
    pub const PREVIEW_ROWS: usize = 100;

    /// Records a row that creates or updates a member, for the preview.
    pub fn line(&mut self, line: ImportLine) {
        if self.preview.len() < Self::PREVIEW_ROWS {
            self.preview.push(line);
        }
    }

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
    async fn edit_member(&self, actor: &Actor, id: MemberId, record: orgwork_domain::members::Record)
    -> Result<Member>;
    async fn create_member(&self, actor: &Actor, new: NewMember) -> Result<Member>;
    /// The member as of `as_of` (their unit, status and categories that day) with the history.
    async fn member(&self, id: MemberId, as_of: NaiveDate) -> Result<Member>;
    /// Members of the subtree of `unit` on `as_of` (all units when `None`), by name.
    async fn members(
        &self,
        unit: Option<&UnitCode>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        page: Page,
    ) -> Result<Paged<MemberSummary>>;
    /// How many members of the subtree of `unit` on `as_of` the filter finds, counted up to
    /// `cap` (at most `Page::MAX_LIMIT`): exact from the counts when only a status or only a
    /// category is asked, else by reading the list.
    async fn count_members(&self, unit: &UnitCode, as_of: NaiveDate, filter: &MemberFilter, cap: u32) -> Result<Tally> {
        let query = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty());
        if query.is_none() && !filter.probation_over {
            let stats = self.stats(unit, as_of).await?;
            let exact = |n: Option<&i64>| Tally { count: n.copied().unwrap_or(0).max(0) as u64, more: false };
            match (&filter.status, &filter.category) {
                (None, None) => return Ok(exact(Some(&stats.total))),
                (Some(s), None) => return Ok(exact(stats.by_status.get(s.as_str()))),
                (None, Some(c)) => return Ok(exact(stats.by_category.get(c))),
                (Some(_), Some(_)) => {}
            }
        }
        let page = Page { limit: cap.clamp(1, Page::MAX_LIMIT), after: None };
        let found = self.members(Some(unit), as_of, filter, page).await?;
        Ok(Tally { count: found.items.len() as u64, more: found.next.is_some() })
    }
    /// How many probationary members of the subtree are past their probation on the day
    /// (counted up to `Page::MAX_LIMIT`): the unit page's and the home page's flag.
    async fn past_probation(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Tally>;
    async fn change_status(
        &self,
        actor: &Actor,
        id: MemberId,
        status: orgwork_domain::members::Status,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Member>;
    /// The subtree's counts on a date, from the ledger.
    async fn stats(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats>;
    /// The units directly below `unit` on `as_of`, in code order, each with its subtree's
    /// total members then, from the ledger in one set read (not one `stats` per child).
    async fn totals_below(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Vec<(Unit, u64)>>;
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

/// The checkpoints a large load leaves: 1 January of this year and of the last, so that counts
/// and restructurings dated since then read one balance per unit and key and at most two years
/// of rows.
pub fn default_checkpoints(today: NaiveDate) -> Vec<NaiveDate> {
    use chrono::Datelike;
    [today.year() - 1, today.year()].iter().filter_map(|y| NaiveDate::from_ymd_opt(*y, 1, 1)).collect()
}
