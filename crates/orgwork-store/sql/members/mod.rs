//! The member register, written once for both backends (see `sql/mod.rs`): the
//! `MemberStore` trait's implementation, over the phases in this folder: `records` (one
//! member's rows), `ledger` (the counts: every change to a member takes the member's
//! contributions out of the ledger, makes the change, and puts them back; a move of a unit
//! re-attributes the unit's subtree counts between its old and new ancestors), `bulk` (imports
//! and loads) and `search`. The files see each other's items through this module
//! (`use super::*`).

use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult};
use super::{Backend, Db, common, dialect, structure};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::members::{Record, Span, Status, check_status_change, contributions};
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::Unit;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, Member, MemberFilter, MemberId, MemberStore, MemberSummary, MembershipEntry, NewMember, Page, Paged, Result,
    Stats, StatusEntry, StoreError, StructureStore, Tally,
};
use sqlx::Row;
use std::collections::BTreeMap;

mod bulk;
mod ledger;
mod records;
mod search;
pub use bulk::*;
pub use ledger::*;
pub use records::*;

#[async_trait]
impl MemberStore for Backend {
    async fn import_members_with_progress(
        &self,
        actor: &Actor,
        rows: &[orgwork_domain::import::ImportRow],
        default_unit: Option<&UnitCode>,
        dry_run: bool,
        scope: &orgwork_store::ImportScope,
        progress: &orgwork_store::Progress<'_>,
    ) -> Result<orgwork_store::ImportReport> {
        self.import_rows(actor, rows, default_unit, dry_run, scope, progress).await
    }

    async fn load_members(
        &self,
        actor: &Actor,
        members: &[orgwork_store::MemberHistory],
        progress: &orgwork_store::Progress<'_>,
    ) -> Result<u64> {
        self.load_histories(actor, members, progress).await
    }

    async fn member_records(
        &self,
        unit: &UnitCode,
        as_of: NaiveDate,
        page: Page,
    ) -> Result<Paged<(Record, Status, UnitCode)>> {
        let limit = page.effective_limit();
        let top = unit_id_on(self, unit, as_of).await?;
        let (after_key, after_id) = match page.after.as_deref().and_then(|a| a.rsplit_once('|')) {
            Some((k, i)) => (from_hex(k), i.parse::<i64>().unwrap_or(0)),
            None => (Vec::new(), 0),
        };
        let cols = RECORD_COLUMNS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT {cols}, m.id, m.name_key, u.code, st.status FROM membership ms JOIN sub ON sub.id = ms.unit_id \
             JOIN member m ON m.id = ms.member_id JOIN unit u ON u.id = ms.unit_id \
             JOIN member_status st ON st.member_id = m.id AND st.valid_from <= $2 AND (st.valid_to IS NULL OR st.valid_to > $2) \
             WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) \
             AND (m.name_key > $3 OR (m.name_key = $3 AND m.id > $4)) ORDER BY m.name_key, m.id LIMIT $5"
        )))
        .bind(top)
        .bind(as_of)
        .bind(after_key)
        .bind(after_id)
        .bind(i64::from(limit) + 1)
        .fetch_all(self.reader())
        .await
        .db()?;
        let mut items = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        for r in &rows {
            keys.push(format!(
                "{}|{}",
                to_hex(&r.try_get::<Vec<u8>, _>("name_key").db()?),
                r.try_get::<i64, _>("id").db()?
            ));
            items.push((
                record_from_row(r)?,
                Status::parse(&r.try_get::<String, _>("status").db()?)?,
                UnitCode::from_stored(r.try_get("code").db()?),
            ));
        }
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            keys.get(limit as usize - 1).cloned()
        } else {
            None
        };
        Ok(Paged { items, next })
    }

    async fn edit_member(&self, actor: &Actor, id: MemberId, record: Record) -> Result<Member> {
        let id = id.get();
        let mut tx = self.begin_write().await?;
        let today = chrono::Local::now().date_naive();
        let before = view(&mut tx, &self.profile, id, today).await?;
        if !write_record(&mut tx, &self.profile, id, &record).await? {
            return Err(Error::rule("no_change", "record: nothing would change").into());
        }
        let after = view(&mut tx, &self.profile, id, today).await?;
        let target = format!("member:{id}");
        let unit = open_membership_of(&mut tx, id).await?.map(|(u, _)| u);
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "member.edit",
                target: &target,
                unit_id: unit,
                before: member_json(&before),
                after: member_json(&after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn create_member(&self, actor: &Actor, new: NewMember) -> Result<Member> {
        self.horizon("joined_on", new.joined_on)?;
        // A new member touches no other member's rows: admissions may run side by side.
        let mut tx = self.begin_shared_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, &new.unit, new.joined_on).await?;
        let (id, m) = insert_member(
            &mut tx,
            self,
            &new.record,
            unit_id,
            new.joined_on,
            new.document.clone(),
            new.from_org.clone(),
        )
        .await?;
        let target = format!("member:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "member.create",
                target: &target,
                unit_id: Some(unit_id),
                before: None,
                after: member_json(&m),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(m)
    }

    async fn member(&self, id: MemberId, as_of: NaiveDate) -> Result<Member> {
        let mut conn = self.reader().acquire().await.db()?;
        view(&mut conn, &self.profile, id.get(), as_of).await
    }

    async fn members(
        &self,
        unit: Option<&UnitCode>,
        as_of: NaiveDate,
        filter: &MemberFilter,
        page: Page,
    ) -> Result<Paged<MemberSummary>> {
        self.list_members(unit, as_of, filter, page).await
    }

    async fn change_status(
        &self,
        actor: &Actor,
        id: MemberId,
        status: Status,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Member> {
        self.horizon("on", on)?;
        let mut tx = self.begin_write().await?;
        let after = set_status(&mut tx, &self.profile, actor, id.get(), status, on, document).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn past_probation(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Tally> {
        let key = (unit.as_str().to_string(), as_of);
        let filter = MemberFilter { probation_over: true, ..Default::default() };
        self.through_cache(&self.cache.probation, key, self.count_members(unit, as_of, &filter, Page::MAX_LIMIT)).await
    }

    async fn stats(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let key = (unit.as_str().to_string(), as_of);
        self.through_cache(&self.cache.stats, key, self.stats_from_ledger(unit, as_of)).await
    }

    async fn totals_below(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Vec<(Unit, u64)>> {
        let parent = unit_id_on(self, unit, as_of).await?;
        let mut conn = self.reader().acquire().await.db()?;
        let kids = structure::children_with_ids(&mut conn, parent, as_of).await?;
        let ids: Vec<i64> = kids.iter().map(|(id, _)| *id).collect();
        let sums: BTreeMap<i64, i64> =
            ledger_sums(&mut conn, &ids, as_of, Some("total")).await?.into_iter().map(|(id, _, n)| (id, n)).collect();
        Ok(kids.into_iter().map(|(id, u)| (u, sums.get(&id).copied().unwrap_or(0).max(0) as u64)).collect())
    }

    async fn recount(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let top = unit_id_on(self, unit, as_of).await?;
        let mut conn = self.reader().acquire().await.db()?;
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT ms.member_id FROM membership ms JOIN sub ON sub.id = ms.unit_id \
             WHERE ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2)"
        )))
        .bind(top)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut stats = Stats::default();
        for id in ids {
            let m = view(&mut conn, &self.profile, id, as_of).await?;
            stats.total += 1;
            if let Some(s) = m.status {
                *stats.by_status.entry(s.as_str().to_string()).or_default() += 1;
            }
            for c in m.categories {
                *stats.by_category.entry(c).or_default() += 1;
            }
        }
        Ok(stats)
    }

    async fn count_by_query(&self, unit: &UnitCode, as_of: NaiveDate) -> Result<Stats> {
        let top = unit_id_on(self, unit, as_of).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUBTREE} SELECT st.status, COUNT(*) AS n FROM sub CROSS JOIN membership ms CROSS JOIN member_status st \
             WHERE ms.unit_id = sub.id AND ms.valid_from <= $2 AND (ms.valid_to IS NULL OR ms.valid_to > $2) \
               AND st.member_id = ms.member_id AND st.valid_from <= $2 AND (st.valid_to IS NULL OR st.valid_to > $2) \
             GROUP BY st.status"
        )))
        .bind(top)
        .bind(as_of)
        .fetch_all(self.reader())
        .await
        .db()?;
        let mut out = Stats::default();
        for r in rows {
            let status: String = r.try_get("status").db()?;
            let n: i64 = r.try_get("n").db()?;
            out.total += n;
            out.by_status.insert(status, n);
        }
        Ok(out)
    }

    async fn rebuild_ledger(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        rebuild_ledger_in(&mut tx, &self.profile).await?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn ledger_checkpoints(&self) -> Result<Vec<NaiveDate>> {
        let mut conn = self.reader().acquire().await.db()?;
        checkpoints_in(&mut conn).await
    }

    async fn set_ledger_checkpoints(&self, days: &[NaiveDate]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        set_checkpoints_in(&mut tx, days).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

/// Changes a member's status from a day, inside the caller's write transaction (a status
/// change's own, or a disciplinary decision's): the checks, the ledger, the audit entry.
pub async fn set_status(
    tx: &mut Conn,
    profile: &Profile,
    actor: &Actor,
    id: i64,
    status: Status,
    on: NaiveDate,
    document: Option<String>,
) -> Result<Member> {
    let parts = load(tx, id).await?;
    let (current, span, _) = parts.statuses.last().cloned().ok_or_else(|| no_member(id))?;
    check_status_change(current, span.from, status, on)?;
    let before = view(tx, profile, id, on).await?;
    if before.unit.is_none() {
        return Err(Error::rule("not_a_member", format!("effective: the member belongs to no unit on {on}")).into());
    }
    // An end of membership closes the open membership on `on`: it must have begun before
    // (a member transferred after `on` left the unit they were in then already).
    if !status.is_member()
        && let Some((unit, from)) = open_membership_of(tx, id).await?
        && from >= on
    {
        let code = unit_code(tx, unit).await?;
        return Err(Error::rule(
            "invalid_status_change",
            format!("effective: {on} is not after the member joined {code} on {from}; date the change after it"),
        )
        .into());
    }
    apply_member(tx, profile, id, -1).await?;
    sqlx::query("UPDATE member_status SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
        .bind(id)
        .bind(span.from)
        .bind(on)
        .execute(&mut *tx)
        .await
        .db()?;
    sqlx::query(
        "INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, NULL, $3, $4)",
    )
    .bind(id)
    .bind(on)
    .bind(status.as_str())
    .bind(&document)
    .execute(&mut *tx)
    .await
    .db()?;
    if status == Status::Official {
        sqlx::query("UPDATE member SET official_on = $2 WHERE id = $1")
            .bind(id)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
    }
    if !status.is_member() {
        sqlx::query("UPDATE membership SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL")
            .bind(id)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
    }
    apply_member(tx, profile, id, 1).await?;
    let after = view(tx, profile, id, on).await?;
    let target = format!("member:{id}");
    let last_unit = parts.memberships.last().map(|(u, _, _, _)| *u);
    let entry = AuditChange {
        action: "member.status",
        target: &target,
        unit_id: last_unit,
        before: member_json(&before),
        after: member_json(&after),
    };
    append(tx, actor, entry).await?;
    Ok(after)
}

/// Ends an expulsion from a day (an appeal annulled or lightened it): the member takes back
/// the status they had before it, in the unit they left, from that day, inside the caller's
/// transaction. The days they stood expelled stay in the history.
pub async fn reinstate(
    tx: &mut Conn,
    profile: &Profile,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    document: Option<String>,
) -> Result<Member> {
    let parts = load(tx, id).await?;
    let n = parts.statuses.len();
    let (current, span, _) = parts.statuses.last().cloned().ok_or_else(|| no_member(id))?;
    if current != Status::Expelled || n < 2 {
        return Err(Error::rule("not_expelled", format!("member: member {id} is not expelled")).into());
    }
    if on <= span.from {
        return Err(Error::rule(
            "date_not_after_last_change",
            format!("on: the member was expelled on {}; a reinstatement must be dated after it, not {on}", span.from),
        )
        .into());
    }
    let previous = parts.statuses[n - 2].0;
    let left = parts
        .memberships
        .iter()
        .rev()
        .find(|(_, s, _, _)| s.to == Some(span.from))
        .map(|(u, _, _, _)| *u)
        .ok_or_else(|| Error::rule("not_expelled", format!("member: member {id} left no unit on {}", span.from)))?;
    if path_on(tx, left, on).await?.is_empty() {
        let code = unit_code(tx, left).await?;
        return Err(Error::rule(
            "unit_not_live",
            format!("on: the member's unit {code} is not live on {on}; transfer the member after reinstating"),
        )
        .into());
    }
    let before = view(tx, profile, id, on).await?;
    apply_member(tx, profile, id, -1).await?;
    sqlx::query("UPDATE member_status SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
        .bind(id)
        .bind(span.from)
        .bind(on)
        .execute(&mut *tx)
        .await
        .db()?;
    sqlx::query(
        "INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, NULL, $3, $4)",
    )
    .bind(id)
    .bind(on)
    .bind(previous.as_str())
    .bind(&document)
    .execute(&mut *tx)
    .await
    .db()?;
    sqlx::query(
        "INSERT INTO membership (member_id, valid_from, valid_to, unit_id, reason, document) \
         VALUES ($1, $2, NULL, $3, 'reinstated', $4)",
    )
    .bind(id)
    .bind(on)
    .bind(left)
    .bind(&document)
    .execute(&mut *tx)
    .await
    .db()?;
    apply_member(tx, profile, id, 1).await?;
    let after = view(tx, profile, id, on).await?;
    let target = format!("member:{id}");
    let entry = AuditChange {
        action: "member.status",
        target: &target,
        unit_id: Some(left),
        before: member_json(&before),
        after: member_json(&after),
    };
    append(tx, actor, entry).await?;
    Ok(after)
}
