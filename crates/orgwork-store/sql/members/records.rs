//! One member's rows: the record, its memberships and statuses, the name index's words; a
//! new member's admission (`insert_member`), a record's change (`write_record`), the member as
//! shown (`view`) and the numbers no two members share.

use super::*;
use orgwork_domain::codes::Code;

pub(super) struct Parts {
    pub(super) record: Record,
    pub(super) memberships: Vec<(i64, Span, String, Option<String>)>,
    pub(super) statuses: Vec<(Status, Span, Option<String>)>,
}

pub(super) fn record_from_row(row: &<super::Db as sqlx::Database>::Row) -> Result<Record> {
    Ok(Record {
        full_name: row.try_get("full_name").db()?,
        other_names: row.try_get("other_names").db()?,
        sex: Code::from_stored(row.try_get::<String, _>("sex").db()?),
        birth_date: row.try_get("birth_date").db()?,
        ethnicity: row.try_get("ethnicity").db()?,
        religion: row.try_get("religion").db()?,
        hometown: row.try_get("hometown").db()?,
        national_id: row.try_get("national_id").db()?,
        education: row.try_get::<Option<String>, _>("education").db()?.map(Code::from_stored),
        theory_level: row.try_get::<Option<String>, _>("theory_level").db()?.map(Code::from_stored),
        occupation: row.try_get::<Option<String>, _>("occupation").db()?.map(Code::from_stored),
        workplace: row.try_get("workplace").db()?,
        phone: row.try_get("phone").db()?,
        email: row.try_get("email").db()?,
        admitted_on: row.try_get("admitted_on").db()?,
        official_on: row.try_get("official_on").db()?,
        card_number: row.try_get("card_number").db()?,
        record_number: row.try_get("record_number").db()?,
    })
}

pub(super) const RECORD_COLUMNS: &str = "full_name, other_names, sex, birth_date, ethnicity, religion, hometown, national_id, education, \
     theory_level, occupation, workplace, phone, email, admitted_on, official_on, card_number, record_number";

/// Binds a record's fields in `RECORD_COLUMNS` order.
macro_rules! bind_record {
    ($q:expr, $r:expr) => {
        $q.bind(&$r.full_name)
            .bind(&$r.other_names)
            .bind($r.sex.as_str())
            .bind($r.birth_date)
            .bind(&$r.ethnicity)
            .bind(&$r.religion)
            .bind(&$r.hometown)
            .bind(&$r.national_id)
            .bind($r.education.as_deref())
            .bind($r.theory_level.as_deref())
            .bind($r.occupation.as_deref())
            .bind(&$r.workplace)
            .bind(&$r.phone)
            .bind(&$r.email)
            .bind($r.admitted_on)
            .bind($r.official_on)
            .bind(&$r.card_number)
            .bind(&$r.record_number)
    };
}

/// The folded text a member is searched by.
pub(super) fn name_fold(r: &Record) -> String {
    orgwork_domain::text::fold(&format!("{} {}", r.full_name, r.other_names.as_deref().unwrap_or("")))
}

/// The distinct words of a folded name: a member's entries in the word index.
pub(super) fn name_words(fold: &str) -> Vec<&str> {
    let mut words: Vec<&str> = fold.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Puts members' names into the word index (`sign` 1) or takes them out (`sign` -1): one
/// posting (word, name key, member, folded names) per distinct word of a member's folded names, and each
/// word's count of members in the vocabulary (a word nobody has any more leaves it). Each
/// member is given as (id, folded names, name key).
pub(super) async fn index_words(conn: &mut Conn, members: &[(i64, &str, &[u8])], sign: i64) -> Result<()> {
    use super::common::{JsonCol, JsonCol::*, json_rows};
    use orgwork_store::copy::Hex;
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    let mut postings = Vec::with_capacity(members.len() * 3);
    for (id, fold, key) in members {
        for w in name_words(fold) {
            *counts.entry(w).or_default() += sign;
            postings.push((w, *key, *id, *fold));
        }
    }
    // In key order: the index's B-tree is then written region by region.
    postings.sort_unstable();
    let none = |_| {};
    if sign > 0 {
        let rows: Vec<(&str, Hex, i64, &str)> =
            postings.iter().map(|(w, k, id, fold)| (*w, Hex(to_hex(k)), *id, *fold)).collect();
        let columns = [("word", Text), ("name_key", JsonCol::Hex), ("member_id", Int), ("name_fold", Text)];
        super::dialect::insert_rows(conn, "member_word", &columns, &rows, &none).await?;
    } else {
        for (w, k, id, _) in &postings {
            sqlx::query("DELETE FROM member_word WHERE word = $1 AND name_key = $2 AND member_id = $3")
                .bind(*w)
                .bind(*k)
                .bind(*id)
                .execute(&mut *conn)
                .await
                .db()?;
        }
    }
    let rows: Vec<(&str, i64)> = counts.iter().map(|(w, n)| (*w, *n)).collect();
    let sql = format!(
        "INSERT INTO name_word (word, members) {} WHERE true \
         ON CONFLICT (word) DO UPDATE SET members = name_word.members + excluded.members",
        json_rows(&[Text, Int])
    );
    write_json(conn, &sql, &rows, &none).await?;
    if sign < 0 {
        sqlx::query("DELETE FROM name_word WHERE members <= 0").execute(&mut *conn).await.db()?;
    }
    Ok(())
}

/// A plain status history: probationary from admission, official from the day made official.
pub(super) async fn insert_statuses(conn: &mut Conn, id: i64, r: &Record) -> Result<()> {
    let mut statuses = vec![(Status::Probationary, r.admitted_on, r.official_on)];
    if let Some(o) = r.official_on {
        statuses.push((Status::Official, o, None));
    }
    for (status, from, to) in statuses {
        sqlx::query("INSERT INTO member_status (member_id, valid_from, valid_to, status, document) VALUES ($1, $2, $3, $4, NULL)")
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(status.as_str())
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

pub(super) fn no_member(id: i64) -> StoreError {
    Error::not_found("member_not_found", format!("no member has the id {id}")).into()
}

pub(super) async fn load(conn: &mut Conn, id: i64) -> Result<Parts> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {RECORD_COLUMNS} FROM member WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| no_member(id))?;
    let record = record_from_row(&row)?;
    let memberships = sqlx::query("SELECT unit_id, valid_from, valid_to, reason, document FROM membership WHERE member_id = $1 ORDER BY valid_from")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .db()?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("unit_id").db()?,
                Span { from: r.try_get("valid_from").db()?, to: r.try_get("valid_to").db()? },
                r.try_get("reason").db()?,
                r.try_get("document").db()?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let statuses = sqlx::query(
        "SELECT status, valid_from, valid_to, document FROM member_status WHERE member_id = $1 ORDER BY valid_from",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?
    .iter()
    .map(|r| {
        Ok((
            Status::parse(&r.try_get::<String, _>("status").db()?)?,
            Span { from: r.try_get("valid_from").db()?, to: r.try_get("valid_to").db()? },
            r.try_get("document").db()?,
        ))
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Parts { record, memberships, statuses })
}

/// Admits a member (within the caller's write transaction); the checks of a new member.
#[allow(clippy::too_many_arguments)]
pub async fn insert_member(
    tx: &mut Conn,
    store: &Backend,
    record: &Record,
    unit_id: i64,
    joined_on: NaiveDate,
    document: Option<String>,
    from_org: Option<String>,
) -> Result<(i64, Member)> {
    orgwork_domain::date::check_not_before(
        "date_before_admission",
        "joined_on",
        joined_on,
        record.admitted_on,
        "the admission",
    )?;
    if super::structure::unit_ends(tx, unit_id).await?.is_some() {
        return Err(Error::rule("unit_dissolved", "unit: the unit is dissolved; a member cannot join it").into());
    }
    check_unique(tx, record, None).await?;
    let id = store.ids.next_id();
    let r = record;
    let insert = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO member (id, name_key, name_fold, recorded_at, {RECORD_COLUMNS}) VALUES ($1, $22, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    )))
    .bind(id)
    .bind(name_fold(r))
    .bind(now_text());
    let key = orgwork_domain::text::sort_key(&r.full_name);
    // Two admissions side by side with one number (`begin_shared_write`): the second meets the
    // first's row, which `check_unique` above did not see, and is refused as `duplicate_member`
    // (`common::from_db`).
    bind_record!(insert, r).bind(&key).execute(&mut *tx).await.db()?;
    let reason = match (&from_org, joined_on == r.admitted_on) {
        (Some(_), _) => "transfer_in",
        (None, true) => "admission",
        (None, false) => "entry",
    };
    if let Some(org) = &from_org {
        let org = org.trim();
        if org.is_empty() || org.chars().count() > 200 {
            return Err(Error::invalid(
                "invalid_organization",
                "from_org: the sending organization's name is needed (at most 200 characters)",
            )
            .into());
        }
        sqlx::query(
            "INSERT INTO transfer (id, member_id, from_unit_id, to_unit_id, from_org, to_org, issued_on, document, state, closed_on, close_document, recorded_at) \
             VALUES ($1, $2, NULL, $3, $4, NULL, $5, $6, 'accepted', $5, NULL, $7)",
        )
        .bind(store.ids.next_id())
        .bind(id)
        .bind(unit_id)
        .bind(org)
        .bind(joined_on)
        .bind(&document)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
    }
    sqlx::query("INSERT INTO membership (member_id, valid_from, valid_to, unit_id, reason, document) VALUES ($1, $2, NULL, $3, $4, $5)")
        .bind(id)
        .bind(joined_on)
        .bind(unit_id)
        .bind(reason)
        .bind(&document)
        .execute(&mut *tx)
        .await
        .db()?;
    insert_statuses(tx, id, r).await?;
    // What admissions side by side share (`begin_shared_write`) is written last, after every
    // read, so that each holds it for as short a time as it can: the name index's words, then
    // the ledger's rows (both in key order), then, by the caller, the audit log's head.
    let parts = load(tx, id).await?;
    let changes = changes_of(tx, &store.profile, &parts, 1).await?;
    let member = view_of(tx, &store.profile, id, parts, joined_on).await?;
    index_words(tx, &[(id, &name_fold(r), &key)], 1).await?;
    ledger_write(tx, changes).await?;
    Ok((id, member))
}

pub(super) async fn open_membership_of(conn: &mut Conn, member_id: i64) -> Result<Option<(i64, NaiveDate)>> {
    let row = sqlx::query("SELECT unit_id, valid_from FROM membership WHERE member_id = $1 AND valid_to IS NULL")
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    row.map(|r| Ok((r.try_get("unit_id").db()?, r.try_get("valid_from").db()?))).transpose()
}

/// Is the unit (id) within the subtree of `top` on `day`?
pub(super) async fn within(conn: &mut Conn, unit_id: i64, top: &UnitCode, day: NaiveDate) -> Result<bool> {
    let path = path_on(conn, unit_id, day).await?;
    let top_id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM unit WHERE code = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
    )
    .bind(top.as_str())
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    Ok(top_id.is_some_and(|t| path.contains(&t)))
}

/// Does any member belong to the unit on or after `day`?
pub async fn has_members_from(conn: &mut Conn, unit_id: i64, day: NaiveDate) -> Result<bool> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT member_id FROM membership WHERE unit_id = $1 AND (valid_to IS NULL OR valid_to > $2) LIMIT 1",
    )
    .bind(unit_id)
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    Ok(n.is_some())
}

pub(super) async fn unit_code(conn: &mut Conn, unit_id: i64) -> Result<UnitCode> {
    Ok(UnitCode::from_stored(
        sqlx::query_scalar("SELECT code FROM unit WHERE id = $1").bind(unit_id).fetch_one(&mut *conn).await.db()?,
    ))
}

pub(super) async fn view(conn: &mut Conn, profile: &Profile, id: i64, on: NaiveDate) -> Result<Member> {
    let p = load(conn, id).await?;
    view_of(conn, profile, id, p, on).await
}

/// The member as shown on `on`, from rows already loaded (`load`).
pub(super) async fn view_of(conn: &mut Conn, profile: &Profile, id: i64, p: Parts, on: NaiveDate) -> Result<Member> {
    let mut memberships = vec![];
    let mut unit = None;
    for (u, span, reason, document) in &p.memberships {
        let code = unit_code(conn, *u).await?;
        if span.from <= on && span.to.is_none_or(|t| on < t) {
            unit = Some(code.clone());
        }
        memberships.push(MembershipEntry {
            unit: code,
            valid_from: span.from,
            valid_to: span.to,
            reason: reason.clone(),
            document: document.clone(),
        });
    }
    let status = p.statuses.iter().find(|(_, s, _)| s.from <= on && s.to.is_none_or(|t| on < t)).map(|(st, _, _)| *st);
    let categories = if unit.is_some() { p.record.categories_on(profile, on) } else { vec![] };
    Ok(Member {
        id: MemberId::new(id),
        badges: p.record.badges(profile),
        record: p.record,
        unit,
        status,
        categories,
        memberships,
        statuses: p
            .statuses
            .iter()
            .map(|(st, s, doc)| StatusEntry { status: *st, valid_from: s.from, valid_to: s.to, document: doc.clone() })
            .collect(),
    })
}

pub(super) fn member_json(m: &Member) -> Option<serde_json::Value> {
    serde_json::to_value(m).ok()
}

pub(super) async fn check_unique(conn: &mut Conn, record: &Record, except: Option<i64>) -> Result<()> {
    match unique_owner(conn, record, except).await? {
        Some((field, v, o)) => {
            Err(Error::conflict("duplicate_member", format!("{field}: '{v}' belongs to member {o} already")).into())
        }
        None => Ok(()),
    }
}

/// The first of the record's numbers (card, national ID) that another member than `except`
/// holds: the field, the value and that member.
pub(super) async fn unique_owner(
    conn: &mut Conn,
    record: &Record,
    except: Option<i64>,
) -> Result<Option<(&'static str, String, i64)>> {
    for (field, value) in [("card_number", &record.card_number), ("national_id", &record.national_id)] {
        if let Some(v) = value {
            let other: Option<i64> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM member WHERE {field} = $1")))
                    .bind(v)
                    .fetch_optional(&mut *conn)
                    .await
                    .db()?;
            if let Some(o) = other.filter(|o| Some(*o) != except) {
                return Ok(Some((field, v.clone(), o)));
            }
        }
    }
    Ok(None)
}

pub(super) fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

pub(super) fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2).filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// Fills the name keys that are missing (rows from before keys were kept), in batches.
pub async fn backfill_name_keys(pool: &sqlx::Pool<super::Db>, writer: &sqlx::Pool<super::Db>) -> Result<u64> {
    let mut done = 0;
    loop {
        let rows = sqlx::query("SELECT id, full_name, name_fold FROM member WHERE name_key IS NULL LIMIT 1000")
            .fetch_all(pool)
            .await
            .db()?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = writer.begin().await.db()?;
        for r in &rows {
            let id: i64 = r.try_get("id").db()?;
            let name: String = r.try_get("full_name").db()?;
            let fold: String = r.try_get("name_fold").db()?;
            let key = orgwork_domain::text::sort_key(&name);
            sqlx::query("UPDATE member SET name_key = $2 WHERE id = $1")
                .bind(id)
                .bind(&key)
                .execute(&mut *tx)
                .await
                .db()?;
            // The word index took the rows without a key with an empty one.
            index_words(&mut tx, &[(id, &fold, &[])], -1).await?;
            index_words(&mut tx, &[(id, &fold, &key)], 1).await?;
        }
        tx.commit().await.db()?; // at opening, before any read is cached
        done += rows.len() as u64;
    }
}

/// The subtree of a unit on a day, as a CTE named `sub(id)`, seeded by `$1` (the unit's id)
/// and dated by `$2`.
pub(crate) const SUBTREE: &str = "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
     SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) ";

pub(super) async fn unit_id_on(store: &Backend, unit: &UnitCode, on: NaiveDate) -> Result<i64> {
    let path = store.path_ids(unit, on).await?;
    path.first()
        .copied()
        .ok_or_else(|| Error::not_found("unit_not_found", format!("no unit has the code {unit} on {on}")).into())
}

/// Writes a changed record; a change of the admission or official date rebuilds a plain status
/// history (probationary, then official), and is refused once the history holds more.
pub(super) async fn write_record(conn: &mut Conn, profile: &Profile, id: i64, record: &Record) -> Result<bool> {
    let p = load(conn, id).await?;
    if &p.record == record {
        return Ok(false);
    }
    let dates_change = p.record.admitted_on != record.admitted_on || p.record.official_on != record.official_on;
    if dates_change {
        if p.statuses.iter().any(|(s, _, _)| !s.is_member()) {
            return Err(Error::rule(
                "status_history",
                "admitted_on: the member's status history holds more than admission; change it with a status change",
            )
            .into());
        }
        if p.memberships.first().is_some_and(|(_, m, _, _)| m.from < record.admitted_on) {
            return Err(Error::rule(
                "date_after_joining",
                format!("admitted_on: {} is after the member joined their first unit", record.admitted_on),
            )
            .into());
        }
    }
    check_unique(conn, record, Some(id)).await?;
    apply_member(conn, profile, id, -1).await?;
    // The name as stored (the index holds these), and as it will be.
    let stored = sqlx::query("SELECT name_fold, name_key FROM member WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .db()?;
    let (old_fold, old_key): (String, Option<Vec<u8>>) =
        (stored.try_get("name_fold").db()?, stored.try_get("name_key").db()?);
    let old_key = old_key.unwrap_or_default();
    let (fold, key) = (name_fold(record), orgwork_domain::text::sort_key(&record.full_name));
    if (&old_fold, &old_key) != (&fold, &key) {
        index_words(conn, &[(id, &old_fold, &old_key)], -1).await?;
        index_words(conn, &[(id, &fold, &key)], 1).await?;
    }
    let r = record;
    let set: Vec<String> = RECORD_COLUMNS.split(", ").enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
    let update = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE member SET {}, name_fold = $20, name_key = $21 WHERE id = $1",
        set.join(", ")
    )))
    .bind(id);
    bind_record!(update, r).bind(&fold).bind(&key).execute(&mut *conn).await.db()?;
    if dates_change {
        sqlx::query("DELETE FROM member_status WHERE member_id = $1").bind(id).execute(&mut *conn).await.db()?;
        insert_statuses(conn, id, r).await?;
    }
    apply_member(conn, profile, id, 1).await?;
    Ok(true)
}
