//! Inspection's part of a restructuring: the open inspections (planned, under way or put
//! off, of a programme of the effective year or later) one of whose subject units the draft
//! takes apart, and the open recommendations (not verified) whose addressee it takes apart.
//! Each needs a unit to take it over: the draft's explicit destination for it (`[[follow_up]]`,
//! `kind`, `id`, `to`), or else the successor the draft names for the unit (what it merges or
//! dissolves into, the part of a split that takes the rest); that unit must exist on the
//! effective date and lie in the inspecting body's subtree then. A check without one fails
//! naming each; a destination naming nothing the draft takes apart fails too; apply moves the subject or the addressee on the effective date, on the
//! record (an amendment of the inspection's programme, an event of the recommendation), and
//! undo moves them back.

use super::*;
use chrono::Datelike;
use orgwork_domain::restructure::FollowUpKind;
use orgwork_store::FollowUpMove;

/// An open inspection's subject or an open recommendation under a unit the draft ends.
struct Open {
    kind: FollowUpKind,
    id: i64,
    title: String,
    /// The inspecting body: store key, code.
    body: (i64, UnitCode),
    /// The unit the draft ends: store key, code.
    from: (i64, UnitCode),
    /// For an inspection: its programme and the subject's position.
    programme: i64,
    position: i64,
}

/// A subject or an addressee the run moves: which row, from which unit to which.
pub(super) enum Found {
    Subject { inspection: i64, programme: i64, body: i64, position: i64, from: i64, to: i64 },
    Recommendation { id: i64, addressee_from: i64, to: i64 },
}

impl Run<'_> {
    /// The open inspections and recommendations under the units the draft ends, each with
    /// the unit that takes it over, or a failure.
    pub(super) async fn follow_up_rules(&mut self, conn: &mut Conn) -> Result<()> {
        let ended: Vec<(i64, UnitCode)> = self
            .ended
            .iter()
            .filter(|id| !self.created.contains(id))
            .filter_map(|id| self.work.units.get(id).map(|u| (*id, u.code.clone())))
            .collect();
        let mut open: Vec<Open> = vec![];
        for chunk in ended.chunks(500) {
            let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
            let sql = format!(
                "SELECT s.inspection_id, s.position, s.unit_id, i.topic, i.programme_id, p.unit_id AS body_id, \
                 bu.code AS body FROM inspection_subject s JOIN inspection i ON i.id = s.inspection_id \
                 JOIN inspection_programme p ON p.id = i.programme_id JOIN unit bu ON bu.id = p.unit_id \
                 WHERE s.unit_id IN ({}) AND i.status IN ('planned', 'in_progress', 'deferred') AND p.year >= $1 \
                 ORDER BY s.inspection_id, s.position",
                id_list(&ids)
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.day.year()).fetch_all(&mut *conn).await.db()?;
            for r in rows {
                let from: i64 = r.try_get("unit_id").db()?;
                open.push(Open {
                    kind: FollowUpKind::Inspection,
                    id: r.try_get("inspection_id").db()?,
                    title: r.try_get("topic").db()?,
                    body: (r.try_get("body_id").db()?, UnitCode::from_stored(r.try_get::<String, _>("body").db()?)),
                    from: (from, code_in(chunk, from)?),
                    programme: r.try_get("programme_id").db()?,
                    position: r.try_get("position").db()?,
                });
            }
            let sql = format!(
                "SELECT r.id, r.addressee_unit_id, r.text, p.unit_id AS body_id, bu.code AS body FROM recommendation r \
                 JOIN inspection i ON i.id = r.inspection_id JOIN inspection_programme p ON p.id = i.programme_id \
                 JOIN unit bu ON bu.id = p.unit_id WHERE r.addressee_unit_id IN ({}) AND r.status <> 'verified' \
                 ORDER BY r.id",
                id_list(&ids)
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await.db()?;
            for r in rows {
                let from: i64 = r.try_get("addressee_unit_id").db()?;
                open.push(Open {
                    kind: FollowUpKind::Recommendation,
                    id: r.try_get("id").db()?,
                    title: r.try_get("text").db()?,
                    body: (r.try_get("body_id").db()?, UnitCode::from_stored(r.try_get::<String, _>("body").db()?)),
                    from: (from, code_in(chunk, from)?),
                    programme: 0,
                    position: 0,
                });
            }
        }
        // Each open one's unit to take over: the draft's destination for it, else the ended
        // unit's successor. Each such unit is looked up once on the day, with its ancestors.
        let mut explicit: BTreeMap<(FollowUpKind, String), UnitCode> =
            self.follow_destinations.iter().map(|d| ((d.kind, d.id.clone()), d.to.clone())).collect();
        let targets: Vec<Option<UnitCode>> = open
            .iter()
            .map(|o| {
                explicit.remove(&(o.kind, o.id.to_string())).or_else(|| {
                    self.successor.get(&o.from.0).and_then(|t| self.work.units.get(t)).map(|u| u.code.clone())
                })
            })
            .collect();
        let day = self.day;
        let mut resolved: BTreeMap<UnitCode, std::result::Result<i64, String>> = BTreeMap::new();
        for to in targets.iter().flatten() {
            if let std::collections::btree_map::Entry::Vacant(slot) = resolved.entry(to.clone()) {
                let r = match live_unit(conn, to, day, "to").await {
                    Ok(u) => Ok(u.id),
                    Err(StoreError::Domain(e)) => Err(e.message),
                    Err(e) => return Err(e),
                };
                slot.insert(r);
            }
        }
        let ids: Vec<i64> = resolved.values().filter_map(|r| r.as_ref().ok().copied()).collect();
        let above = super::impact::ancestors_on(conn, &ids, day).await?;
        for (o, to) in open.into_iter().zip(targets) {
            let what = match o.kind {
                FollowUpKind::Inspection => {
                    format!("inspection {} of {} has {} as subject", o.id, o.body.1, o.from.1)
                }
                FollowUpKind::Recommendation => {
                    format!("recommendation {} of {} is addressed to {}", o.id, o.body.1, o.from.1)
                }
            };
            let outcome: std::result::Result<(UnitCode, i64), String> = match &to {
                None => Err(format!(
                    "{what}, which the draft ends on {day}, and the draft names no unit in its place; give it a \
                     destination (follow_ups), dissolve the unit into another, or {} first",
                    match o.kind {
                        FollowUpKind::Inspection => "conclude or cancel the inspection",
                        FollowUpKind::Recommendation => "verify the recommendation",
                    }
                )),
                Some(to) => match resolved.get(to) {
                    Some(Ok(id)) => {
                        let under = *id == o.body.0 || above.get(id).is_some_and(|a| a.contains(&o.body.0));
                        if under {
                            Ok((to.clone(), *id))
                        } else {
                            Err(format!(
                                "{what}, which the draft ends on {day}; {to}, which would take it over, is not in \
                                 {}'s subtree on {day}: give it a destination there",
                                o.body.1
                            ))
                        }
                    }
                    Some(Err(why)) => Err(format!("{what}, which the draft ends on {day}; follow_ups: {why}")),
                    None => Err(format!("{what}: {to} was not looked up")),
                },
            };
            self.follow_moves.push(FollowUpMove {
                kind: o.kind.as_str().into(),
                id: o.id.to_string(),
                title: o.title.clone(),
                body: o.body.1.clone(),
                from: o.from.1.clone(),
                to: outcome.as_ref().ok().map(|(c, _)| c.clone()),
            });
            match outcome {
                Ok((_, to)) => self.follow_found.push(match o.kind {
                    FollowUpKind::Inspection => Found::Subject {
                        inspection: o.id,
                        programme: o.programme,
                        body: o.body.0,
                        position: o.position,
                        from: o.from.0,
                        to,
                    },
                    FollowUpKind::Recommendation => Found::Recommendation { id: o.id, addressee_from: o.from.0, to },
                }),
                Err(message) => self.failures.push(Failure {
                    rule: match o.kind {
                        FollowUpKind::Inspection => Rule::InspectionsReassigned,
                        FollowUpKind::Recommendation => Rule::RecommendationsReassigned,
                    },
                    operation: None,
                    unit: Some(o.from.1.clone()),
                    member: None,
                    programme: None,
                    item: Some(o.id.to_string()),
                    message,
                }),
            }
        }
        // A destination naming nothing open under a unit the draft takes apart is a mistake.
        for ((kind, id), to) in explicit {
            self.failures.push(Failure {
                rule: match kind {
                    FollowUpKind::Inspection => Rule::InspectionsReassigned,
                    FollowUpKind::Recommendation => Rule::RecommendationsReassigned,
                },
                operation: None,
                unit: Some(to),
                member: None,
                programme: None,
                item: Some(id.clone()),
                message: format!(
                    "follow_ups: {} {id} is not open under a unit the draft takes apart; leave its destination out",
                    kind.as_str()
                ),
            });
        }
        Ok(())
    }

    /// On apply: each subject and addressee found becomes the unit that takes it over, on the
    /// record.
    pub(super) async fn move_follow_ups(&self, conn: &mut Conn, actor: &Actor, id: i64, reason: &str) -> Result<()> {
        for f in &self.follow_found {
            match f {
                Found::Subject { inspection, programme, body, position, from, to } => {
                    sqlx::query(
                        "UPDATE inspection_subject SET unit_id = $3 WHERE inspection_id = $1 AND position = $2",
                    )
                    .bind(inspection)
                    .bind(position)
                    .bind(to)
                    .execute(&mut *conn)
                    .await
                    .db()?;
                    let before = serde_json::json!({"subject_position": position, "unit_id": from});
                    let after = serde_json::json!({"subject_position": position, "unit_id": to});
                    sqlx::query(
                        "INSERT INTO inspection_amendment (id, programme_id, inspection_id, before_body, after_body, \
                         on_day, reason, restructuring_id, actor, recorded_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(self.store.ids.next_id())
                    .bind(programme)
                    .bind(inspection)
                    .bind(before.to_string())
                    .bind(after.to_string())
                    .bind(self.day)
                    .bind(reason)
                    .bind(id)
                    .bind(&actor.name)
                    .bind(now_text())
                    .execute(&mut *conn)
                    .await
                    .db()?;
                    let target = format!("inspection:{inspection}");
                    let entry = AuditChange {
                        action: "inspection.moved",
                        target: &target,
                        unit_id: Some(*body),
                        before: Some(before),
                        after: Some(after),
                    };
                    append(&mut *conn, actor, entry).await?;
                }
                Found::Recommendation { id: rec, addressee_from, to } => {
                    sqlx::query("UPDATE recommendation SET addressee_unit_id = $2 WHERE id = $1")
                        .bind(rec)
                        .bind(to)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                    moved_event(conn, self.store, actor, *rec, self.day, reason, Some(id), *addressee_from, *to)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// The code of an ended unit the query found rows under.
fn code_in(chunk: &[(i64, UnitCode)], id: i64) -> Result<UnitCode> {
    chunk
        .iter()
        .find(|(u, _)| *u == id)
        .map(|(_, c)| c.clone())
        .ok_or_else(|| StoreError::Backend(format!("restructure: unit {id} is not among those asked about")))
}

#[allow(clippy::too_many_arguments)]
async fn moved_event(
    conn: &mut Conn,
    store: &Backend,
    actor: &Actor,
    rec: i64,
    day: NaiveDate,
    note: &str,
    restructuring: Option<i64>,
    from: i64,
    to: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO recommendation_event (id, recommendation_id, event, on_day, note, restructuring_id, from_unit_id, \
         to_unit_id, actor, recorded_at) VALUES ($1, $2, 'moved', $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(store.ids.next_id())
    .bind(rec)
    .bind(day)
    .bind(note)
    .bind(restructuring)
    .bind(from)
    .bind(to)
    .bind(&actor.name)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .db()?;
    let target = format!("recommendation:{rec}");
    let entry = AuditChange {
        action: "recommendation.moved",
        target: &target,
        unit_id: Some(to),
        before: Some(serde_json::json!({"addressee_unit_id": from})),
        after: Some(serde_json::json!({"addressee_unit_id": to})),
    };
    append(&mut *conn, actor, entry).await
}

/// On undo: the subjects and addressees the restructuring moved go back; refused when one of
/// them was moved again since.
pub(super) async fn undo_follow_up_moves(
    conn: &mut Conn,
    store: &Backend,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
) -> Result<()> {
    let refused = |what: String| -> StoreError {
        Error::rule(
            "recorded_after",
            format!("restructuring {id} cannot be undone: {what} changed after it; undo that first"),
        )
        .into()
    };
    let rows = sqlx::query(
        "SELECT a.programme_id, a.inspection_id, a.before_body, a.after_body, p.unit_id FROM inspection_amendment a \
         JOIN inspection_programme p ON p.id = a.programme_id WHERE a.restructuring_id = $1 ORDER BY a.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    for r in rows {
        let inspection: i64 = r.try_get("inspection_id").db()?;
        let before: Option<String> = r.try_get("before_body").db()?;
        let after: String = r.try_get("after_body").db()?;
        let (Some(before), after) = (before, after) else { continue };
        let b: serde_json::Value = serde_json::from_str(&before).map_err(|e| StoreError::Backend(e.to_string()))?;
        let a: serde_json::Value = serde_json::from_str(&after).map_err(|e| StoreError::Backend(e.to_string()))?;
        let (Some(position), Some(from), Some(to)) =
            (b["subject_position"].as_i64(), b["unit_id"].as_i64(), a["unit_id"].as_i64())
        else {
            continue;
        };
        let now: Option<Option<i64>> =
            sqlx::query_scalar("SELECT unit_id FROM inspection_subject WHERE inspection_id = $1 AND position = $2")
                .bind(inspection)
                .bind(position)
                .fetch_optional(&mut *conn)
                .await
                .db()?;
        if now.flatten() != Some(to) {
            return Err(refused(format!("inspection {inspection}'s subject")));
        }
        sqlx::query("UPDATE inspection_subject SET unit_id = $3 WHERE inspection_id = $1 AND position = $2")
            .bind(inspection)
            .bind(position)
            .bind(from)
            .execute(&mut *conn)
            .await
            .db()?;
        sqlx::query(
            "INSERT INTO inspection_amendment (id, programme_id, inspection_id, before_body, after_body, on_day, reason, \
             restructuring_id, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
        )
        .bind(store.ids.next_id())
        .bind(r.try_get::<i64, _>("programme_id").db()?)
        .bind(inspection)
        .bind(&after)
        .bind(&before)
        .bind(day)
        .bind(format!("restructuring {id} undone"))
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .db()?;
        let target = format!("inspection:{inspection}");
        let unit_id: i64 = r.try_get("unit_id").db()?;
        let entry = AuditChange {
            action: "inspection.moved",
            target: &target,
            unit_id: Some(unit_id),
            before: Some(a),
            after: Some(b),
        };
        append(&mut *conn, actor, entry).await?;
    }
    let rows = sqlx::query(
        "SELECT recommendation_id, from_unit_id, to_unit_id FROM recommendation_event \
         WHERE restructuring_id = $1 AND event = 'moved' ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    for r in rows {
        let rec: i64 = r.try_get("recommendation_id").db()?;
        let (from, to): (i64, i64) = (r.try_get("from_unit_id").db()?, r.try_get("to_unit_id").db()?);
        let now: i64 = sqlx::query_scalar("SELECT addressee_unit_id FROM recommendation WHERE id = $1")
            .bind(rec)
            .fetch_one(&mut *conn)
            .await
            .db()?;
        if now != to {
            return Err(refused(format!("recommendation {rec}'s addressee")));
        }
        sqlx::query("UPDATE recommendation SET addressee_unit_id = $2 WHERE id = $1")
            .bind(rec)
            .bind(from)
            .execute(&mut *conn)
            .await
            .db()?;
        moved_event(conn, store, actor, rec, day, &format!("restructuring {id} undone"), None, to, from).await?;
    }
    Ok(())
}
