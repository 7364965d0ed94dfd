// Two-step transfers, written once for both backends (see mod.rs for how this folder is
// compiled). Accepting one moves the member's membership on the day of acceptance, taking the
// member's contributions out of the count ledger and putting them back, like any member change.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::members::Status;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, Destination, Direction, MemberId, Page, Paged, Result, StoreError, StructureStore, Transfer, TransferFilter,
    TransferId, TransferState, TransferStore,
};
use sqlx::Row;

const COLUMNS: &str = "t.id, t.member_id, m.full_name, fu.code AS from_code, t.from_org, tu.code AS to_code, t.to_org, t.issued_on, \
     t.document, t.state, t.closed_on, t.close_document";
const FROM: &str = "FROM transfer t JOIN member m ON m.id = t.member_id LEFT JOIN unit fu ON fu.id = t.from_unit_id \
     LEFT JOIN unit tu ON tu.id = t.to_unit_id";

fn from_row(row: &<super::Db as sqlx::Database>::Row, deadline_days: u32) -> Result<Transfer> {
    let issued_on: NaiveDate = row.try_get("issued_on").db()?;
    Ok(Transfer {
        id: TransferId::new(row.try_get("id").db()?),
        member_id: MemberId::new(row.try_get("member_id").db()?),
        member_name: row.try_get("full_name").db()?,
        from_unit: row.try_get::<Option<String>, _>("from_code").db()?.map(UnitCode::from_stored),
        from_org: row.try_get("from_org").db()?,
        to_unit: row.try_get::<Option<String>, _>("to_code").db()?.map(UnitCode::from_stored),
        to_org: row.try_get("to_org").db()?,
        issued_on,
        document: row.try_get("document").db()?,
        state: state_of(&row.try_get::<String, _>("state").db()?)?,
        closed_on: row.try_get("closed_on").db()?,
        close_document: row.try_get("close_document").db()?,
        due_on: issued_on + chrono::Days::new(u64::from(deadline_days)),
    })
}

async fn load(conn: &mut Conn, id: i64, deadline_days: u32) -> Result<Transfer> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE t.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| StoreError::from(TransferId::not_found(id)))?;
    from_row(&row, deadline_days)
}

/// The member's current (open) membership: (unit id, since).
async fn open_membership(conn: &mut Conn, member_id: i64) -> Result<Option<(i64, NaiveDate)>> {
    let row = sqlx::query("SELECT unit_id, valid_from FROM membership WHERE member_id = $1 AND valid_to IS NULL")
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    row.map(|r| Ok((r.try_get("unit_id").db()?, r.try_get("valid_from").db()?))).transpose()
}

fn json(t: &Transfer) -> Option<serde_json::Value> {
    serde_json::to_value(t).ok()
}

#[async_trait]
impl TransferStore for Backend {
    async fn issue_transfer(
        &self,
        actor: &Actor,
        member_id: MemberId,
        to: Destination,
        issued_on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer> {
        let member_id = member_id.get();
        self.horizon("issued_on", issued_on)?;
        let mut tx = self.begin_write().await?;
        let (from_unit, since) = open_membership(&mut tx, member_id).await?.ok_or_else(|| {
            StoreError::from(Error::rule(
                "not_a_member",
                format!("member {member_id} belongs to no unit; there is nothing to transfer"),
            ))
        })?;
        if issued_on < since {
            return Err(Error::rule(
                "date_outside_membership",
                format!("issued_on: the member is in the unit only from {since}"),
            )
            .into());
        }
        let pending: Option<i64> =
            sqlx::query_scalar("SELECT id FROM transfer WHERE member_id = $1 AND state = 'issued'")
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await
                .db()?;
        if let Some(p) = pending {
            return Err(Error::conflict(
                "transfer_pending",
                format!("member {member_id} has a transfer waiting already ({p})"),
            )
            .into());
        }
        let (to_unit, to_org) = match &to {
            Destination::Unit(code) => {
                let id = super::structure::live_unit_id(&mut tx, code, issued_on).await.map_err(|e| match e {
                    StoreError::Domain(mut d) => {
                        d.message = d.message.replacen("unit:", "to:", 1);
                        StoreError::Domain(d)
                    }
                    other => other,
                })?;
                orgwork_domain::transfers::check_destination(from_unit, id, code.as_str())?;
                (Some(id), None)
            }
            Destination::Outside(name) => {
                let n = name.trim();
                if n.is_empty() || n.chars().count() > 200 {
                    return Err(Error::invalid(
                        "invalid_organization",
                        "to_org: the receiving organization's name is needed (at most 200 characters)",
                    )
                    .into());
                }
                (None, Some(n.to_string()))
            }
        };
        let id = self.ids.next_id();
        sqlx::query(
            "INSERT INTO transfer (id, member_id, from_unit_id, to_unit_id, from_org, to_org, issued_on, document, state, closed_on, close_document, recorded_at) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, 'issued', NULL, NULL, $8)",
        )
        .bind(id)
        .bind(member_id)
        .bind(from_unit)
        .bind(to_unit)
        .bind(&to_org)
        .bind(issued_on)
        .bind(&document)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let t = load(&mut tx, id, self.profile.members.transfer_deadline_days).await?;
        let target = format!("transfer:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "transfer.issue",
                target: &target,
                unit_id: Some(from_unit),
                before: None,
                after: json(&t),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(t)
    }

    async fn accept_transfer(
        &self,
        actor: &Actor,
        id: TransferId,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer> {
        let id = id.get();
        self.horizon("on", on)?;
        let deadline = self.profile.members.transfer_deadline_days;
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, id, deadline).await?;
        orgwork_domain::transfers::check_close(id, before.state, before.issued_on, on)?;
        let member_id = before.member_id.get();
        let (from_unit, since) = open_membership(&mut tx, member_id).await?.ok_or_else(|| {
            StoreError::from(Error::rule("not_a_member", format!("member {member_id} no longer belongs to a unit")))
        })?;
        if on <= since {
            return Err(Error::rule(
                "date_not_after_last_change",
                format!("effective: the member joined the unit on {since}; the transfer must come after"),
            )
            .into());
        }
        let to_unit: Option<i64> = sqlx::query_scalar("SELECT to_unit_id FROM transfer WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .db()?;
        if let Some(to) = to_unit {
            let code = before.to_unit.clone().unwrap_or_else(|| UnitCode::from_stored(String::new()));
            let live = super::structure::live_unit_id(&mut tx, &code, on).await?;
            if live != to {
                return Err(Error::rule("unit_not_live", format!("to: unit {code} does not exist on {on}")).into());
            }
        }
        super::members::apply_member(&mut tx, &self.profile, member_id, -1).await?;
        sqlx::query("UPDATE membership SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL")
            .bind(member_id)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
        match to_unit {
            Some(to) => {
                sqlx::query("INSERT INTO membership (member_id, valid_from, valid_to, unit_id, reason, document) VALUES ($1, $2, NULL, $3, 'transfer', $4)")
                    .bind(member_id)
                    .bind(on)
                    .bind(to)
                    .bind(before.document.clone().or(document.clone()))
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
            None => {
                // Out of the organization: the member's status becomes "transferred out".
                let last: NaiveDate = sqlx::query_scalar(
                    "SELECT valid_from FROM member_status WHERE member_id = $1 AND valid_to IS NULL",
                )
                .bind(member_id)
                .fetch_one(&mut *tx)
                .await
                .db()?;
                if on <= last {
                    return Err(Error::rule(
                        "date_not_after_last_change",
                        format!("effective: the status changed on {last}; the transfer must come after"),
                    )
                    .into());
                }
                sqlx::query("UPDATE member_status SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL")
                    .bind(member_id)
                    .bind(on)
                    .execute(&mut *tx)
                    .await
                    .db()?;
                sqlx::query("INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, NULL, $3, $4)")
                    .bind(member_id)
                    .bind(on)
                    .bind(Status::TransferredOut.as_str())
                    .bind(&document)
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
        }
        sqlx::query("UPDATE transfer SET state = 'accepted', closed_on = $2, close_document = $3 WHERE id = $1")
            .bind(id)
            .bind(on)
            .bind(&document)
            .execute(&mut *tx)
            .await
            .db()?;
        super::members::apply_member(&mut tx, &self.profile, member_id, 1).await?;
        let after = load(&mut tx, id, deadline).await?;
        let target = format!("transfer:{id}");
        let entry = AuditChange {
            action: "transfer.accept",
            target: &target,
            unit_id: to_unit.or(Some(from_unit)),
            before: json(&before),
            after: json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn cancel_transfer(&self, actor: &Actor, id: TransferId, on: NaiveDate) -> Result<Transfer> {
        let id = id.get();
        self.horizon("on", on)?;
        let deadline = self.profile.members.transfer_deadline_days;
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, id, deadline).await?;
        orgwork_domain::transfers::check_close(id, before.state, before.issued_on, on)?;
        sqlx::query("UPDATE transfer SET state = 'cancelled', closed_on = $2 WHERE id = $1")
            .bind(id)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
        let after = load(&mut tx, id, deadline).await?;
        let from: Option<i64> = sqlx::query_scalar("SELECT from_unit_id FROM transfer WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .db()?;
        let target = format!("transfer:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "transfer.cancel",
                target: &target,
                unit_id: from,
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn transfer(&self, id: TransferId) -> Result<Transfer> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, id.get(), self.profile.members.transfer_deadline_days).await
    }

    async fn transfers(&self, unit: &UnitCode, filter: &TransferFilter, page: Page) -> Result<Paged<Transfer>> {
        let asked = format!("{filter:?}|{:?}|{}", page.after, page.effective_limit());
        let key = (unit.as_str().to_string(), asked, chrono::Local::now().date_naive());
        self.through_cache(&self.cache.transfers, key, transfers_of(self, unit, filter, page)).await
    }
}

/// A transfer's state as stored, as the domain's type.
fn state_of(text: &str) -> Result<TransferState> {
    TransferState::parse(text).ok_or_else(|| StoreError::Backend(format!("transfer.state holds '{text}'")))
}

/// A page of a unit's transfers, read from the database (`transfers` shelves them).
async fn transfers_of(
    store: &Backend,
    unit: &UnitCode,
    filter: &TransferFilter,
    page: Page,
) -> Result<Paged<Transfer>> {
    let deadline = store.profile.members.transfer_deadline_days;
    let limit = page.effective_limit();
    let today = chrono::Local::now().date_naive();
    let top = *store.path_ids(unit, today).await?.first().unwrap_or(&0);
    let before_id: i64 = page.after.as_deref().and_then(|a| a.parse().ok()).unwrap_or(i64::MAX);
    let side = match filter.direction {
        Some(Direction::In) => "t.to_unit_id IN (SELECT id FROM sub)",
        Some(Direction::Out) => "t.from_unit_id IN (SELECT id FROM sub)",
        None => "(t.to_unit_id IN (SELECT id FROM sub) OR t.from_unit_id IN (SELECT id FROM sub))",
    };
    // Issued on or before this day and still waiting: overdue on `overdue_on`.
    let overdue_cut = filter.overdue_on.map(|d| d - chrono::Days::new(u64::from(deadline)));
    // The subtree as it stands today and as it ever was below the unit.
    let sql = format!(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id) \
         SELECT {COLUMNS} {FROM} WHERE {side} AND t.id < $2 AND ($3 = 0 OR t.state = 'issued') AND t.issued_on < $4 \
         ORDER BY t.id DESC LIMIT $5"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(top)
        .bind(before_id)
        .bind(i64::from(filter.pending || filter.overdue_on.is_some()))
        .bind(overdue_cut.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default()))
        .bind(i64::from(limit) + 1)
        .fetch_all(store.reader())
        .await
        .db()?;
    let items = rows.iter().map(|r| from_row(r, deadline)).collect::<Result<Vec<_>>>()?;
    Ok(super::common::paged(items, limit, |t| t.id.to_string()))
}
