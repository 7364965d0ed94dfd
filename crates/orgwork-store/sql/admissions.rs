// The admission pipeline, written once for both backends (see mod.rs for how this folder
// is compiled). Admitting a candidate creates the member through the same path as any
// admission, in the same transaction.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::members::{Record, RecordInput};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, AdmissionStore, Admissions, Candidate, CandidateId, CandidateState, Member, MemberId, NewCandidate, Result,
    StoreError, StructureStore,
};
use sqlx::Row;

const COLUMNS: &str = "c.id, u.code, c.full_name, c.sex, c.birth_date, c.occupation, c.national_id, c.course, c.course_done, \
     c.proposed_on, c.state, c.closed_on, c.note, c.member_id";

fn from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<Candidate> {
    Ok(Candidate {
        id: CandidateId::new(r.try_get("id").db()?),
        unit: UnitCode::from_stored(r.try_get("code").db()?),
        full_name: r.try_get("full_name").db()?,
        sex: r.try_get("sex").db()?,
        birth_date: r.try_get("birth_date").db()?,
        occupation: r.try_get("occupation").db()?,
        national_id: r.try_get("national_id").db()?,
        course: r.try_get("course").db()?,
        course_done: r.try_get("course_done").db()?,
        proposed_on: r.try_get("proposed_on").db()?,
        state: state_of(&r.try_get::<String, _>("state").db()?)?,
        closed_on: r.try_get("closed_on").db()?,
        note: r.try_get("note").db()?,
        member_id: r.try_get::<Option<i64>, _>("member_id").db()?.map(MemberId::new),
    })
}

async fn load(conn: &mut Conn, id: CandidateId) -> Result<Candidate> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM candidate c JOIN unit u ON u.id = c.unit_id WHERE c.id = $1"
    )))
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or_else(|| StoreError::from(CandidateId::not_found(id)))?;
    from_row(&row)
}

fn json(c: &Candidate) -> Option<serde_json::Value> {
    serde_json::to_value(c).ok()
}

#[async_trait]
impl AdmissionStore for Backend {
    async fn add_candidate(&self, actor: &Actor, new: NewCandidate) -> Result<Candidate> {
        self.horizon("proposed_on", new.proposed_on)?;
        // The candidate's fields are checked as a member's would be.
        let probe = RecordInput {
            full_name: new.full_name.clone(),
            sex: new.sex.clone(),
            birth_date: new.birth_date.to_string(),
            admitted_on: new.proposed_on.max(orgwork_domain::members::birthday(new.birth_date, 18)).to_string(),
            occupation: new.occupation.clone(),
            national_id: new.national_id.clone(),
            ..Default::default()
        };
        let record = Record::parse(&self.profile.members, &probe)
            .map_err(|e| StoreError::from(orgwork_domain::members::field_errors(&e)))?;
        let course = new.course.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if course.as_ref().is_some_and(|c| c.chars().count() > 200) {
            return Err(Error::invalid("invalid_course", "course: at most 200 characters").into());
        }
        let mut tx = self.begin_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, &new.unit, new.proposed_on).await?;
        let id = self.ids.next_id();
        sqlx::query(
            "INSERT INTO candidate (id, unit_id, full_name, name_key, sex, birth_date, occupation, national_id, course, course_done, proposed_on, state, closed_on, note, member_id, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'candidate', NULL, NULL, NULL, $12)",
        )
        .bind(id)
        .bind(unit_id)
        .bind(&record.full_name)
        .bind(orgwork_domain::text::sort_key(&record.full_name))
        .bind(record.sex.as_str())
        .bind(record.birth_date)
        .bind(record.occupation.as_deref())
        .bind(&record.national_id)
        .bind(&course)
        .bind(new.course_done)
        .bind(new.proposed_on)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let c = load(&mut tx, CandidateId::new(id)).await?;
        let target = format!("candidate:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "candidate.add",
                target: &target,
                unit_id: Some(unit_id),
                before: None,
                after: json(&c),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(c)
    }

    async fn candidate(&self, id: CandidateId) -> Result<Candidate> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, id).await
    }

    async fn candidates(&self, unit: &UnitCode, waiting_only: bool) -> Result<Vec<Candidate>> {
        let key = (unit.as_str().to_string(), waiting_only, chrono::Local::now().date_naive());
        self.through_cache(&self.cache.candidates, key, candidates_of(self, unit, waiting_only)).await
    }

    async fn similar_candidates(
        &self,
        full_name: &str,
        birth_date: NaiveDate,
        national_id: Option<&str>,
    ) -> Result<Vec<Candidate>> {
        let id = national_id.map(str::trim).filter(|i| !i.is_empty());
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM candidate c JOIN unit u ON u.id = c.unit_id WHERE c.state = 'candidate' \
             AND (c.birth_date = $1 OR ($2 IS NOT NULL AND c.national_id = $2)) ORDER BY c.proposed_on DESC LIMIT 200"
        )))
        .bind(birth_date)
        .bind(id)
        .fetch_all(self.reader())
        .await
        .db()?;
        let all = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
        let me = (full_name, birth_date, id);
        Ok(all
            .into_iter()
            .filter(|c| {
                orgwork_domain::admissions::same_person(me, (&c.full_name, c.birth_date, c.national_id.as_deref()))
            })
            .collect())
    }

    async fn admit_candidate(
        &self,
        actor: &Actor,
        id: CandidateId,
        admitted_on: NaiveDate,
        card_number: Option<String>,
        document: Option<String>,
    ) -> Result<Member> {
        self.horizon("admitted_on", admitted_on)?;
        let mut tx = self.begin_write().await?;
        let c = load(&mut tx, id).await?;
        orgwork_domain::admissions::check_open(id.get(), c.state)?;
        orgwork_domain::admissions::check_admission_date(admitted_on, c.proposed_on)?;
        let input = RecordInput {
            full_name: c.full_name.clone(),
            sex: c.sex.clone(),
            birth_date: c.birth_date.to_string(),
            admitted_on: admitted_on.to_string(),
            occupation: c.occupation.clone(),
            national_id: c.national_id.clone(),
            card_number,
            ..Default::default()
        };
        let record = Record::parse(&self.profile.members, &input)
            .map_err(|e| StoreError::from(orgwork_domain::members::field_errors(&e)))?;
        let unit_id = super::structure::live_unit_id(&mut tx, &c.unit, admitted_on).await?;
        let (member_id, member) =
            super::members::insert_member(&mut tx, self, &record, unit_id, admitted_on, document, None).await?;
        sqlx::query("UPDATE candidate SET state = 'admitted', closed_on = $2, member_id = $3 WHERE id = $1")
            .bind(id.get())
            .bind(admitted_on)
            .bind(member_id)
            .execute(&mut *tx)
            .await
            .db()?;
        let after = load(&mut tx, id).await?;
        let target = format!("candidate:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "candidate.admit",
                target: &target,
                unit_id: Some(unit_id),
                before: json(&c),
                after: json(&after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(member)
    }

    async fn withdraw_candidate(
        &self,
        actor: &Actor,
        id: CandidateId,
        on: NaiveDate,
        note: Option<String>,
    ) -> Result<Candidate> {
        self.horizon("on", on)?;
        let mut tx = self.begin_write().await?;
        let c = load(&mut tx, id).await?;
        orgwork_domain::admissions::check_open(id.get(), c.state)?;
        sqlx::query("UPDATE candidate SET state = 'withdrawn', closed_on = $2, note = $3 WHERE id = $1")
            .bind(id.get())
            .bind(on)
            .bind(&note)
            .execute(&mut *tx)
            .await
            .db()?;
        let after = load(&mut tx, id).await?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM candidate WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await
            .db()?;
        let target = format!("candidate:{id}");
        append(
            &mut tx,
            actor,
            AuditChange {
                action: "candidate.withdraw",
                target: &target,
                unit_id: Some(unit_id),
                before: json(&c),
                after: json(&after),
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn admissions(&self, unit: &UnitCode, year: i32) -> Result<Admissions> {
        let key = (unit.as_str().to_string(), year, chrono::Local::now().date_naive());
        self.through_cache(&self.cache.admissions, key, admissions_of(self, unit, year)).await
    }
}

/// A candidate's state as stored, as the domain's type.
fn state_of(text: &str) -> Result<CandidateState> {
    CandidateState::parse(text).ok_or_else(|| StoreError::Backend(format!("candidate.state holds '{text}'")))
}

/// A unit's candidates, read from the database (`candidates` shelves them).
async fn candidates_of(store: &Backend, unit: &UnitCode, waiting_only: bool) -> Result<Vec<Candidate>> {
    let today = chrono::Local::now().date_naive();
    let top = *store.path_ids(unit, today).await?.first().unwrap_or(&0);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id) \
         SELECT {COLUMNS} FROM candidate c JOIN unit u ON u.id = c.unit_id WHERE c.unit_id IN (SELECT id FROM sub) \
         AND ($2 = 0 OR c.state = 'candidate') ORDER BY c.proposed_on DESC, c.name_key"
    )))
    .bind(top)
    .bind(i64::from(waiting_only))
    .fetch_all(store.reader())
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}

/// A year's admissions, read from the database (`admissions` shelves them).
async fn admissions_of(store: &Backend, unit: &UnitCode, year: i32) -> Result<Admissions> {
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| StoreError::from(Error::invalid("invalid_year", format!("year: {year}"))))?;
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(end);
    let day = end.min(chrono::Local::now().date_naive()).max(start);
    let top = match store.path_ids(unit, day).await {
        Ok(path) => *path.first().unwrap_or(&0),
        // The unit did not exist that year: nobody was admitted under it.
        Err(StoreError::Domain(e)) if e.kind == orgwork_domain::ErrorKind::NotFound => {
            return Ok(Admissions { year, ..Default::default() });
        }
        Err(e) => return Err(e),
    };
    let rows = sqlx::query(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
           SELECT v.unit_id FROM sub s JOIN unit_version v ON v.parent_id = s.id AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) \
         SELECT m.birth_date, m.admitted_on, m.sex, m.occupation, m.ethnicity FROM membership ms JOIN sub ON sub.id = ms.unit_id \
         JOIN member m ON m.id = ms.member_id WHERE ms.reason = 'admission' AND ms.valid_from >= $3 AND ms.valid_from <= $4",
    )
    .bind(top)
    .bind(day)
    .bind(start)
    .bind(end)
    .fetch_all(store.reader())
    .await
    .db()?;
    let young_age = store.profile.members.categories.iter().find_map(|c| c.age_under).unwrap_or(30);
    let mut a = Admissions { year, ..Default::default() };
    for r in &rows {
        let birth: NaiveDate = r.try_get("birth_date").db()?;
        let admitted: NaiveDate = r.try_get("admitted_on").db()?;
        let sex: String = r.try_get("sex").db()?;
        let occupation: Option<String> = r.try_get("occupation").db()?;
        let ethnicity: Option<String> = r.try_get("ethnicity").db()?;
        a.admitted += 1;
        if admitted < orgwork_domain::members::birthday(birth, young_age) {
            a.young += 1;
        }
        if occupation.as_deref() == Some("student") {
            a.students += 1;
        }
        if sex == "female" {
            a.women += 1;
        }
        if ethnicity.as_deref().is_some_and(|e| !e.is_empty() && e != "Kinh") {
            a.ethnic_minority += 1;
        }
    }
    Ok(a)
}
