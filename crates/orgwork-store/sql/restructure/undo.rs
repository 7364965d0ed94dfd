//! Undo: the journal replayed backwards.

use super::*;

/// Sets the parent and names of the version of a unit that starts on `day`.
pub(super) async fn set_version(
    conn: &mut Conn,
    unit: i64,
    day: NaiveDate,
    parent: Option<i64>,
    names: &Names,
) -> Result<()> {
    sqlx::query(
        "UPDATE unit_version SET parent_id = $3, name_vi = $4, name_en = $5, name_ar = $6, name_fold = $7 \
         WHERE unit_id = $1 AND valid_from = $2",
    )
    .bind(unit)
    .bind(day)
    .bind(parent)
    .bind(&names.vi)
    .bind(names.en.as_deref())
    .bind(names.ar.as_deref())
    .bind(names.folded())
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

/// How a unit the draft moved and then ended is put back: its version from before the draft
/// reopened (`Reopen`), or, when that version started on the day itself, written back with
/// the parent and names it had (`Rewrite`).
pub(super) enum Restore {
    Reopen { from: NaiveDate, to: Option<NaiveDate> },
    Rewrite { parent: Option<i64>, names: Names },
}

/// Undoes the steps of an applied draft, as apply wrote them: set-wise, the ledger in one pass.
///
/// The moved members' counts are taken out first (as the draft left them), the tree is put
/// back (every unit the draft ended opened again, every version it wrote removed or given back
/// its parent and names, the units it created deleted last), the re-parented units' blocks are
/// carried from the ancestors they have after the draft to those they had before it in one
/// statement (`carry`, as apply), and the members' counts go back in where they were. No
/// statement is written per re-parented unit, so no ledger trigger fires per unit either.
///
/// A unit the draft moved and then ended never carried its counts to the parent it was moved
/// under (an ended unit carries nothing forward), so it is put back where it was before the
/// draft and its own version steps are skipped: the replay never passes through the moved
/// version (which could, for a moment, make a cycle: a unit moved under its own child, then
/// dissolved).
pub(super) async fn undo_replay(
    conn: &mut Conn,
    profile: &orgwork_domain::profile::Profile,
    day: NaiveDate,
    steps: &[Step],
) -> Result<()> {
    let ended: BTreeSet<i64> =
        steps.iter().filter_map(|s| if let Step::Ended { unit, .. } = s { Some(*unit) } else { None }).collect();
    let created: BTreeSet<i64> =
        steps.iter().filter_map(|s| if let Step::Created { unit } = s { Some(*unit) } else { None }).collect();
    let moved_then_ended: BTreeSet<i64> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Replaced { unit, moved: true, .. } | Step::Updated { unit, moved: true, .. }
                if ended.contains(unit) =>
            {
                Some(*unit)
            }
            _ => None,
        })
        .collect();
    // The state before the draft: the unit's first version step tells it.
    let mut restore: HashMap<i64, Restore> = HashMap::new();
    let mut first: BTreeMap<i64, &Step> = BTreeMap::new();
    for step in steps {
        match step {
            Step::Replaced { unit, closed_from, closed_to, .. } if moved_then_ended.contains(unit) => {
                restore.entry(*unit).or_insert(Restore::Reopen { from: *closed_from, to: *closed_to });
            }
            Step::Updated { unit, parent, names, .. } if moved_then_ended.contains(unit) => {
                restore.entry(*unit).or_insert(Restore::Rewrite { parent: *parent, names: names.clone() });
            }
            Step::Replaced { unit, .. } | Step::Updated { unit, .. } if !created.contains(unit) => {
                first.entry(*unit).or_insert(step);
            }
            _ => {}
        }
    }
    // The re-parented units that live on: each carries its block back.
    let moved: BTreeSet<i64> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Replaced { unit, moved: true, .. } | Step::Updated { unit, moved: true, .. }
                if !created.contains(unit) && !ended.contains(unit) =>
            {
                Some(*unit)
            }
            _ => None,
        })
        .collect();
    let mut members: Vec<i64> = vec![];
    for s in steps {
        if let Step::MemberMoved { member, .. } = s
            && !members.contains(member)
        {
            members.push(*member);
        }
    }
    for m in &members {
        apply_member(conn, profile, *m, -1).await?;
    }
    let ids: Vec<i64> = moved.iter().copied().collect();
    let after_draft = ancestors_on(conn, &ids, day).await?;

    // Every unit the draft ended is back first, where it was before the draft, so that the
    // members and children that come back to it (and to the units under it) find their whole
    // ancestry in place: a district dissolved after its province was merged is reopened under
    // that province, which must itself be open again by then.
    for step in steps.iter().rev() {
        if let Step::Ended { unit, version_from, dropped } = step {
            undo_end(conn, day, *unit, *version_from, dropped.as_ref(), restore.get(unit)).await?;
        }
    }
    // The versions the draft wrote on the day: removed (the one they closed reopened), or given
    // back the parent and names they had; grouped so that a statement serves many units.
    let mut replaced: BTreeMap<(NaiveDate, Option<NaiveDate>), Vec<i64>> = BTreeMap::new();
    for step in first.values() {
        match step {
            Step::Replaced { unit, closed_from, closed_to, .. } => {
                replaced.entry((*closed_from, *closed_to)).or_default().push(*unit)
            }
            Step::Updated { unit, parent, names, .. } => set_version(conn, *unit, day, *parent, names).await?,
            _ => {}
        }
    }
    for ((from, to), units) in &replaced {
        for chunk in units.chunks(500) {
            let ids = id_list(chunk);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM unit_version WHERE valid_from = $1 AND unit_id IN ({ids})"
            )))
            .bind(day)
            .execute(&mut *conn)
            .await
            .db()?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE unit_version SET valid_to = $2 WHERE valid_from = $1 AND unit_id IN ({ids})"
            )))
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await
            .db()?;
        }
    }
    // The blocks go back to the ancestors they had. A unit the draft created takes nothing (its
    // rows are deleted with it), nor does one it ended: apply left its rows from the day on as
    // they were (an ended unit takes nothing), so they are already what they were before it,
    // once the moved members are back.
    let before_draft = ancestors_on(conn, &ids, day).await?;
    let along = |map: &HashMap<i64, Vec<i64>>, u: i64| map.get(&u).cloned().unwrap_or_default();
    let mut coef = coefficients(&moved, |u| along(&after_draft, u), |u| along(&before_draft, u));
    coef.retain(|(_, a), c| *c != 0 && !created.contains(a) && !ended.contains(a));
    let mut by_unit: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for ((v, a), c) in &coef {
        by_unit.entry(*v).or_default().push((*a, *c));
    }
    let clock = std::time::Instant::now();
    carry_logged("restructure undo", by_unit.len(), carry(conn, day, &by_unit).await?, clock);

    for step in steps.iter().rev() {
        match step {
            Step::MemberMoved { member, unit, row_from, row_to, in_place } => {
                if *in_place {
                    sqlx::query("UPDATE membership SET unit_id = $3 WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(row_from)
                        .bind(unit)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                } else {
                    sqlx::query("DELETE FROM membership WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(day)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                    sqlx::query("UPDATE membership SET valid_to = $3 WHERE member_id = $1 AND valid_from = $2")
                        .bind(member)
                        .bind(row_from)
                        .bind(row_to)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                }
            }
            Step::Redirected { transfer, from_unit, to_unit } => {
                sqlx::query("UPDATE transfer SET from_unit_id = $2, to_unit_id = $3 WHERE id = $1")
                    .bind(transfer)
                    .bind(from_unit)
                    .bind(to_unit)
                    .execute(&mut *conn)
                    .await
                    .db()?;
            }
            _ => {}
        }
    }
    for m in &members {
        apply_member(conn, profile, *m, 1).await?;
    }
    // Last, when nothing names them any more: the units the draft created.
    let created: Vec<i64> = created.into_iter().collect();
    for chunk in created.chunks(500) {
        let ids = id_list(chunk);
        for table in ["member_ledger", "unit_version"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE unit_id IN ({ids})")))
                .execute(&mut *conn)
                .await
                .db()?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM unit WHERE id IN ({ids})")))
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

/// Opens again a unit the draft ended: the version it ended reopened, or the one it removed
/// written back, or (moved and then ended by the draft) its version from before the draft.
pub(super) async fn undo_end(
    conn: &mut Conn,
    day: NaiveDate,
    unit: i64,
    version_from: NaiveDate,
    dropped: Option<&Dropped>,
    restore: Option<&Restore>,
) -> Result<()> {
    sqlx::query("UPDATE unit SET valid_to = NULL, end_decision = NULL WHERE id = $1")
        .bind(unit)
        .execute(&mut *conn)
        .await
        .db()?;
    match (restore, dropped) {
        (Some(Restore::Rewrite { parent, names }), Some(v)) => {
            let before = Dropped { parent: *parent, names: names.clone(), ..v.clone() };
            insert_dropped(conn, unit, day, &before).await?;
        }
        (None, Some(v)) => insert_dropped(conn, unit, day, v).await?,
        (Some(Restore::Reopen { from, to }), _) => reopen_version(conn, unit, *from, *to).await?,
        (_, None) => reopen_version(conn, unit, version_from, None).await?,
    }
    Ok(())
}

/// Gives the version of a unit that starts `from` its end back (`to`; `None`: open).
pub(super) async fn reopen_version(conn: &mut Conn, unit: i64, from: NaiveDate, to: Option<NaiveDate>) -> Result<()> {
    sqlx::query("UPDATE unit_version SET valid_to = $3 WHERE unit_id = $1 AND valid_from = $2")
        .bind(unit)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(())
}

/// Writes back a version the draft removed, from the day.
pub(super) async fn insert_dropped(conn: &mut Conn, unit: i64, day: NaiveDate, v: &Dropped) -> Result<()> {
    sqlx::query(
        "INSERT INTO unit_version (unit_id, valid_from, valid_to, parent_id, kind, name_vi, name_en, name_ar, name_fold, change, decision) \
         VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(unit)
    .bind(day)
    .bind(v.parent)
    .bind(&v.kind)
    .bind(&v.names.vi)
    .bind(v.names.en.as_deref())
    .bind(v.names.ar.as_deref())
    .bind(v.names.folded())
    .bind(&v.change)
    .bind(v.decision.as_deref())
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}
