//! The work programmes' part of a restructuring: the open items of approved programmes whose
//! responsible unit the draft takes apart, and the unit that takes each over (the draft's
//! explicit destination for the item, or else the successor the draft names for the unit:
//! the unit it merges or dissolves into, the part of a split that takes the rest). A check
//! without one fails naming each item; apply moves each item's responsibility on the
//! effective date by a recorded amendment (the programme's history keeps who was responsible
//! before), and undo writes the items back.

use super::*;
use chrono::Datelike;
use orgwork_domain::plan::{Item, achievement};
use orgwork_store::PlanItemMove;

/// An open item found under a unit the draft takes apart.
struct OpenItem {
    programme: i64,
    /// The programme's unit's store key (its audit entries name it).
    programme_unit_id: i64,
    programme_unit: UnitCode,
    year: i32,
    item: Item,
    /// The unit it names as responsible, ended by the draft.
    from: (i64, UnitCode),
}

impl Run<'_> {
    /// The open items of approved programmes (of the effective date's year or later) whose
    /// responsible unit the draft ends, each with the unit that takes it over, or a failure.
    pub(super) async fn plan_rules(&mut self, conn: &mut Conn) -> Result<()> {
        let ended: Vec<(i64, UnitCode)> = self
            .ended
            .iter()
            .filter(|id| !self.created.contains(id))
            .filter_map(|id| self.work.units.get(id).map(|u| (*id, u.code.clone())))
            .collect();
        let mut open = vec![];
        for chunk in ended.chunks(500) {
            let marks = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT i.programme_id, i.responsible, i.body, p.year, p.unit_id, u.code AS programme_unit, \
                   (SELECT r.value FROM programme_report r WHERE r.programme_id = i.programme_id AND r.item_code = i.code \
                    AND r.on_day <= $1 ORDER BY r.on_day DESC, r.id DESC LIMIT 1) AS value \
                 FROM programme_item i JOIN programme p ON p.id = i.programme_id JOIN unit u ON u.id = p.unit_id \
                 WHERE p.status = 'approved' AND p.year >= $2 AND i.responsible IN ({marks}) \
                 ORDER BY i.programme_id, i.position"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.day).bind(self.day.year());
            for (_, code) in chunk {
                q = q.bind(code.as_str());
            }
            for r in q.fetch_all(&mut *conn).await.db()? {
                let body: String = r.try_get("body").db()?;
                let item: Item =
                    serde_json::from_str(&body).map_err(|e| StoreError::Backend(format!("programme item: {e}")))?;
                let value: Option<f64> = r.try_get("value").db()?;
                if achievement(&item, value) >= 1.0 {
                    continue;
                }
                let responsible: String = r.try_get("responsible").db()?;
                let Some(from) = chunk.iter().find(|(_, c)| c.as_str() == responsible) else { continue };
                open.push(OpenItem {
                    programme: r.try_get("programme_id").db()?,
                    programme_unit_id: r.try_get("unit_id").db()?,
                    programme_unit: UnitCode::from_stored(r.try_get("programme_unit").db()?),
                    year: r.try_get("year").db()?,
                    item,
                    from: from.clone(),
                });
            }
        }
        let mut explicit: BTreeMap<(UnitCode, i32, String), UnitCode> = self
            .destinations
            .iter()
            .map(|d| ((d.programme_unit.clone(), d.year, d.item.clone()), d.to.clone()))
            .collect();
        let day = self.day;
        for o in open {
            let key = (o.programme_unit.clone(), o.year, o.item.code.clone());
            let to = match explicit.remove(&key) {
                Some(to) => match live_unit(conn, &to, day, "to").await {
                    Ok(_) => Some(to),
                    Err(StoreError::Domain(e)) => {
                        self.plan_failure(&o, format!("plan_items: {}", e.message));
                        None
                    }
                    Err(e) => return Err(e),
                },
                None => {
                    let successor = self.successor.get(&o.from.0).and_then(|s| self.work.units.get(s));
                    match successor {
                        Some(s) => Some(s.code.clone()),
                        None => {
                            let why = format!(
                                "item {} of programme {} ({}, {}) is the responsibility of {}, which is dissolved on {day}, \
                                 and the draft names no unit to take it over; give it a destination",
                                o.item.code, o.programme, o.programme_unit, o.year, o.from.1
                            );
                            self.plan_failure(&o, why);
                            None
                        }
                    }
                }
            };
            if to.is_some() {
                self.plan_found.push((o.programme, o.programme_unit_id, o.item.clone()));
            }
            self.plan_moves.push(PlanItemMove {
                programme: o.programme.to_string(),
                programme_unit: o.programme_unit,
                year: o.year,
                item: o.item.code.clone(),
                title: o.item.title.clone(),
                from: o.from.1,
                to,
            });
        }
        // A destination naming no open item of a unit the draft takes apart is a mistake.
        for ((unit, year, item), _) in explicit {
            self.failures.push(Failure {
                rule: Rule::PlanItemsReassigned,
                operation: None,
                unit: Some(unit.clone()),
                member: None,
                programme: None,
                item: Some(item.clone()),
                message: format!(
                    "plan_items: {unit}'s {year} programme has no open item {item} whose responsible unit the draft takes apart"
                ),
            });
        }
        Ok(())
    }

    fn plan_failure(&mut self, o: &OpenItem, message: String) {
        self.failures.push(Failure {
            rule: Rule::PlanItemsReassigned,
            operation: None,
            unit: Some(o.from.1.clone()),
            member: None,
            programme: Some(o.programme.to_string()),
            item: Some(o.item.code.clone()),
            message,
        });
    }

    /// On apply: each open item's responsible unit becomes the one that takes it over, on the
    /// effective date, recorded as an amendment of its programme made by this restructuring.
    pub(super) async fn move_plan_items(&self, conn: &mut Conn, actor: &Actor, id: i64, reason: &str) -> Result<()> {
        // The items as the check read them, in the same transaction: no read again.
        let moves = self.plan_moves.iter().filter_map(|m| m.to.as_ref());
        for (to, (programme, unit_id, before)) in moves.zip(&self.plan_found) {
            let body = serde_json::to_string(before).map_err(|e| StoreError::Backend(e.to_string()))?;
            let after = Item { responsible: Some(to.clone()), ..before.clone() };
            let after_body = serde_json::to_string(&after).map_err(|e| StoreError::Backend(e.to_string()))?;
            sqlx::query("UPDATE programme_item SET body = $3, responsible = $4 WHERE programme_id = $1 AND code = $2")
                .bind(programme)
                .bind(&before.code)
                .bind(&after_body)
                .bind(to.as_str())
                .execute(&mut *conn)
                .await
                .db()?;
            sqlx::query(
                "INSERT INTO programme_amendment (id, programme_id, item_code, before_body, after_body, on_day, reason, \
                 restructuring_id, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(self.store.ids.next_id())
            .bind(programme)
            .bind(&before.code)
            .bind(&body)
            .bind(&after_body)
            .bind(self.day)
            .bind(reason)
            .bind(id)
            .bind(&actor.name)
            .bind(now_text())
            .execute(&mut *conn)
            .await
            .db()?;
            let target = format!("programme:{programme}");
            let entry = AuditChange {
                action: "programme.amend",
                target: &target,
                unit_id: Some(*unit_id),
                before: serde_json::to_value(before).ok(),
                after: serde_json::to_value(&after).ok(),
            };
            append(&mut *conn, actor, entry).await?;
        }
        Ok(())
    }
}

/// On undo: the items the restructuring moved get their responsible unit back, each by an
/// amendment of its own; refused when an item changed since.
pub(super) async fn undo_plan_moves(
    conn: &mut Conn,
    store: &Backend,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
) -> Result<()> {
    let rows = sqlx::query(
        "SELECT a.programme_id, a.item_code, a.before_body, a.after_body, p.unit_id FROM programme_amendment a \
         JOIN programme p ON p.id = a.programme_id WHERE a.restructuring_id = $1 ORDER BY a.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    for r in rows {
        let programme: i64 = r.try_get("programme_id").db()?;
        let item: String = r.try_get("item_code").db()?;
        let before: Option<String> = r.try_get("before_body").db()?;
        let after: Option<String> = r.try_get("after_body").db()?;
        let (Some(before), Some(after)) = (before, after) else { continue };
        let now: Option<String> =
            sqlx::query_scalar("SELECT body FROM programme_item WHERE programme_id = $1 AND code = $2")
                .bind(programme)
                .bind(&item)
                .fetch_optional(&mut *conn)
                .await
                .db()?;
        if now.as_deref() != Some(after.as_str()) {
            return Err(Error::rule(
                "recorded_after",
                format!(
                    "restructuring {id} cannot be undone: item {item} of programme {programme} was amended after it; undo that first"
                ),
            )
            .into());
        }
        let old: Item =
            serde_json::from_str(&before).map_err(|e| StoreError::Backend(format!("programme item: {e}")))?;
        sqlx::query("UPDATE programme_item SET body = $3, responsible = $4 WHERE programme_id = $1 AND code = $2")
            .bind(programme)
            .bind(&item)
            .bind(&before)
            .bind(old.responsible.as_ref().map(|u| u.as_str().to_string()))
            .execute(&mut *conn)
            .await
            .db()?;
        sqlx::query(
            "INSERT INTO programme_amendment (id, programme_id, item_code, before_body, after_body, on_day, reason, \
             restructuring_id, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
        )
        .bind(store.ids.next_id())
        .bind(programme)
        .bind(&item)
        .bind(&after)
        .bind(&before)
        .bind(day)
        .bind(format!("restructuring {id} undone"))
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .db()?;
        let target = format!("programme:{programme}");
        let unit_id: i64 = r.try_get("unit_id").db()?;
        let entry = AuditChange {
            action: "programme.amend",
            target: &target,
            unit_id: Some(unit_id),
            before: serde_json::from_str(&after).ok(),
            after: serde_json::from_str(&before).ok(),
        };
        append(&mut *conn, actor, entry).await?;
    }
    Ok(())
}
