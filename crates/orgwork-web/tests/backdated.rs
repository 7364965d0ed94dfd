//! Writes dated in the past (or ahead) are judged on every day they reach, not only on the
//! date in the request: a cell moved from one committee to another on 2025-06-01 can no longer
//! be written into before that day by its old committee's secretary, nor before it by its new
//! committee's. Every write endpoint and form that takes a date is tried, on both backends.

mod common;
use common::{App, Browser, send, spawn_app};
use orgwork_domain::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn member(unit: &str, admitted_on: &str, card: &str) -> Value {
    json!({"full_name": "Lê Văn Lùi", "sex": "male", "birth_date": "1990-01-01", "admitted_on": admitted_on,
           "card_number": card, "unit": unit})
}

/// QN ⊃ KCQ ⊃ STC ⊃ C1 and QN ⊃ DN ⊃ STC2 ⊃ C2, from 2020; on 2025-06-01 C1 moves to STC2 and
/// C2 to STC. `sec` organizes STC, `sec2` STC2. Returns (sec's token, sec2's, M's id, K's id):
/// M a member of C1 since 2021, K a candidate of C1 since 2024.
async fn setup(app: &App) -> (String, String, String, String) {
    for (code, kind, parent) in [
        ("KCQ", "bloc_committee", "QN"),
        ("DN", "bloc_committee", "QN"),
        ("STC", "grassroots_committee", "KCQ"),
        ("STC2", "grassroots_committee", "DN"),
        ("C1", "subordinate_cell", "STC"),
        ("C2", "subordinate_cell", "STC2"),
    ] {
        let body =
            json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": code}});
        let (s, b) = send(app, &app.token, Method::POST, "/api/v1/units", Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    let (s, m) =
        send(app, &app.token, Method::POST, "/api/v1/members", Some(member("C1", "2021-06-01", "7000001"))).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let cand = json!({"unit": "C1", "full_name": "Ứng Viên Cũ", "sex": "female", "birth_date": "2000-01-01", "proposed_on": "2024-01-05"});
    let (s, k) = send(app, &app.token, Method::POST, "/api/v1/candidates", Some(cand)).await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    for (cell, to) in [("C1", "STC2"), ("C2", "STC")] {
        let body = json!({"effective": "2025-06-01", "parent": to});
        let (s, b) = send(app, &app.token, Method::POST, &format!("/api/v1/units/{cell}/move"), Some(body)).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let sec = app.user_with_token("sec", Role::Organizer, "STC").await;
    let sec2 = app.user_with_token("sec2", Role::Organizer, "STC2").await;
    (sec, sec2, m["id"].as_str().unwrap().to_string(), k["id"].as_str().unwrap().to_string())
}

async fn api_writes_are_judged_on_every_day_they_reach(backend: &str) {
    let app = spawn_app(backend).await;
    let (sec, sec2, m, k) = setup(&app).await;
    // 403, or 404 where the caller may not read the record on the day asked about.
    let refused = |s: StatusCode, b: &Value, what: &str| {
        assert!([StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&s), "{what}: {s} {b}");
        let codes = ["out_of_scope", "forbidden", "member_not_found", "candidate_not_found"];
        assert!(codes.contains(&b["error"]["code"].as_str().unwrap_or("")), "{what}: {b}");
    };
    let post = |token: &str, path: &str, body: Value| {
        let (token, path) = (token.to_string(), path.to_string());
        let app = &app;
        async move { send(app, &token, Method::POST, &path, Some(body)).await }
    };

    // The old committee's secretary, on days when C1 was theirs.
    let (s, b) = post(&sec, "/api/v1/members", member("C1", "2024-01-01", "7000002")).await;
    refused(s, &b, "a member admitted into C1 in 2024 by STC");
    let body = json!({"full_name": "Lê Văn Lùi", "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2020-06-01",
                      "joined_on": "2025-05-01", "unit": "C1"});
    let (s, b) = post(&sec, "/api/v1/members", body).await;
    refused(s, &b, "a member joining C1 in May 2025 by STC");
    let cand = json!({"unit": "C1", "full_name": "Ứng Viên", "sex": "male", "birth_date": "2000-01-01", "proposed_on": "2024-01-01"});
    let (s, b) = post(&sec, "/api/v1/candidates", cand).await;
    refused(s, &b, "a candidate proposed in C1 in 2024 by STC");
    let (s, b) = post(&sec, &format!("/api/v1/candidates/{k}/admit"), json!({"admitted_on": "2024-02-01"})).await;
    refused(s, &b, "C1's candidate admitted in 2024 by STC");
    let (s, b) = post(&sec, &format!("/api/v1/candidates/{k}/withdraw"), json!({"effective": "2024-02-01"})).await;
    refused(s, &b, "C1's candidate withdrawn in 2024 by STC");
    let (s, b) =
        post(&sec, &format!("/api/v1/members/{m}/status"), json!({"status": "official", "effective": "2024-06-01"}))
            .await;
    refused(s, &b, "M made official in 2024 by STC");
    let (s, b) =
        post(&sec, "/api/v1/transfers", json!({"member": m, "to_unit": "STC", "issued_on": "2024-06-01"})).await;
    refused(s, &b, "M transferred in 2024 by STC");
    let (s, b) = post(&sec, "/api/v1/units/C1/rename", json!({"effective": "2024-01-01", "name": {"vi": "Cũ"}})).await;
    refused(s, &b, "C1 renamed in 2024 by STC");
    let (s, b) = post(&sec, "/api/v1/units/C1/dissolve", json!({"effective": "2024-01-01"})).await;
    refused(s, &b, "C1 dissolved in 2024 by STC");
    let cell = json!({"code": "C1-X", "kind": "subordinate_cell", "parent": "C1", "valid_from": "2024-01-01", "name": {"vi": "X"}});
    let (s, b) = post(&sec, "/api/v1/units", cell).await;
    refused(s, &b, "a unit created under C1 in 2024 by STC");
    let draft = json!({"title": "Lùi", "effective": "2025-01-01", "operations": [{"op": "rename", "unit": "C1", "names": {"vi": "Cũ"}}]});
    let (s, b) = post(&sec, "/api/v1/restructurings", draft).await;
    refused(s, &b, "a restructuring of C1 dated 2025-01-01 by STC");

    // The new committee's secretary, on days before C1 came to them; after, they may.
    let (s, b) = post(&sec2, "/api/v1/members", member("C1", "2024-01-01", "7000003")).await;
    refused(s, &b, "a member admitted into C1 in 2024 by STC2");
    let (s, b) =
        post(&sec2, &format!("/api/v1/members/{m}/status"), json!({"status": "official", "effective": "2024-06-01"}))
            .await;
    refused(s, &b, "M made official in 2024 by STC2");
    let (s, b) = post(&sec2, "/api/v1/members", member("C1", "2025-07-01", "7000004")).await;
    assert_eq!(s, StatusCode::CREATED, "STC2 admits into C1 after the move: {b}");
    let (s, b) =
        post(&sec2, &format!("/api/v1/members/{m}/status"), json!({"status": "official", "effective": "2025-07-01"}))
            .await;
    assert_eq!(s, StatusCode::OK, "STC2 makes M official after the move: {b}");

    // Imports: C2 is STC's from 2025-06-01 only; a new member joins on their admission.
    let old =
        "full_name,sex,birth_date,admitted_on,card_number,unit\nTrần Văn Cũ,male,1990-01-01,2020-03-01,7000010,C2\n";
    let (s, b) = post(&sec, "/api/v1/members/import?unit=STC", Value::String(old.into())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["errors"][0]["column"], "admitted_on", "{b}");
    assert_eq!(b["created"], 0, "{b}");
    let new =
        "full_name,sex,birth_date,admitted_on,card_number,unit\nTrần Văn Mới,male,1990-01-01,2025-07-01,7000011,C2\n";
    let (s, b) = post(&sec, "/api/v1/members/import?unit=STC", Value::String(new.into())).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["created"], 1, "{b}");

    // Nothing refused was written: C1 holds M and the member STC2 admitted, and K waits.
    let (_, list) = send(&app, &app.token, Method::GET, "/api/v1/members?unit=C1&limit=100", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
    let (_, ks) = send(&app, &app.token, Method::GET, "/api/v1/candidates?unit=C1&waiting=true", None).await;
    assert_eq!(ks["items"].as_array().unwrap().len(), 1, "{ks}");
    let (_, hist) = send(&app, &app.token, Method::GET, "/api/v1/units/C1/history", None).await;
    assert_eq!(hist["items"].as_array().map(Vec::len), Some(2), "C1: created and moved, nothing else: {hist}");
}

async fn forms_are_judged_on_every_day_they_reach(backend: &str) {
    let app = spawn_app(backend).await;
    let (_, _, m, k) = setup(&app).await;
    let mut b = Browser::new(&app.base);
    b.login("sec").await;
    let csrf = b.csrf();
    let tries: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/units/C1/members".into(),
            vec![
                ("full_name", "Lê Văn Lùi"),
                ("sex", "male"),
                ("birth_date", "1990-01-01"),
                ("admitted_on", "2024-01-01"),
            ],
        ),
        (
            "/units/C1/candidates".into(),
            vec![
                ("full_name", "Ứng Viên"),
                ("sex", "male"),
                ("birth_date", "2000-01-01"),
                ("proposed_on", "2024-01-01"),
            ],
        ),
        (format!("/candidates/{k}/admit"), vec![("effective", "2024-02-01"), ("back", "C1")]),
        (format!("/members/{m}/status"), vec![("status", "official"), ("effective", "2024-06-01")]),
        (format!("/members/{m}/transfer"), vec![("to_unit", "STC"), ("issued_on", "2024-06-01")]),
        ("/units/C1/rename".into(), vec![("effective", "2024-01-01"), ("name_vi", "Cũ")]),
        ("/units/C1/dissolve".into(), vec![("effective", "2024-01-01")]),
        (
            "/units/C1/create".into(),
            vec![("code", "C1-X"), ("kind", "subordinate_cell"), ("valid_from", "2024-01-01"), ("name_vi", "X")],
        ),
    ];
    for (path, fields) in tries {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields);
        let (s, html, loc) = b.post(&path, &form, &[]).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&s),
            "{path} as STC's secretary answered {s} {loc:?}: {}",
            &html[..html.len().min(400)]
        );
    }
    let (_, list) = send(&app, &app.token, Method::GET, "/api/v1/members?unit=C1&limit=100", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let (_, ks) = send(&app, &app.token, Method::GET, "/api/v1/candidates?unit=C1", None).await;
    assert_eq!(ks["items"].as_array().unwrap().len(), 1, "{ks}");
    let (_, one) = send(&app, &app.token, Method::GET, &format!("/api/v1/members/{m}"), None).await;
    assert_eq!(one["status"], "probationary", "{one}");
}

/// An import's rows that meet a member the importer may not see are refused without naming the
/// member or their unit, and a user whose imports keep meeting such members is stopped.
async fn imports_do_not_reveal_members_outside_scope(backend: &str) {
    let app = spawn_app(backend).await;
    let (sec, _, m, _) = setup(&app).await;
    let (_, one) = send(&app, &app.token, Method::GET, &format!("/api/v1/members/{m}"), None).await;
    let national = "012345678901";
    let record = json!({"full_name": one["record"]["full_name"], "sex": "male", "birth_date": "1990-01-01",
                        "admitted_on": "2021-06-01", "card_number": "7000001", "national_id": national});
    let (s, b) = send(&app, &app.token, Method::PUT, &format!("/api/v1/members/{m}"), Some(record)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    for (column, value) in [("card_number", "7000001"), ("national_id", national)] {
        let file =
            format!("full_name,sex,birth_date,admitted_on,{column}\nDò Thử,male,1990-01-01,2025-07-01,{value}\n");
        for dry in ["true", "false"] {
            let (s, b) = send(
                &app,
                &sec,
                Method::POST,
                &format!("/api/v1/members/import?unit=STC&dry_run={dry}"),
                Some(Value::String(file.clone())),
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            let text = b.to_string();
            for secret in [m.as_str(), "C1", "STC2", "DN"] {
                assert!(!text.contains(secret), "the report names {secret}: {text}");
            }
            assert_eq!(b["errors"][0]["column"], column, "{b}");
        }
    }
    // Probing card numbers one after another: stopped once the budget is spent.
    let mut stopped = false;
    for n in 0..orgwork_web::api::files::PROBE_BUDGET + 2 {
        let file = "full_name,sex,birth_date,admitted_on,card_number\nDò Thử,male,1990-01-01,2025-07-01,7000001\n";
        let (s, b) = send(
            &app,
            &sec,
            Method::POST,
            "/api/v1/members/import?unit=STC&dry_run=true",
            Some(Value::String(file.into())),
        )
        .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(b["error"]["code"], "too_many_hidden_matches", "{b}");
            // Four rows met M above; the try that overspends the budget is refused.
            assert_eq!(n + 4, orgwork_web::api::files::PROBE_BUDGET, "stopped after {n} tries");
            stopped = true;
            break;
        }
    }
    assert!(stopped, "the probes were never stopped");
    // The administrator, who may see M, is told whose the number is.
    let file = "full_name,sex,birth_date,admitted_on,card_number,unit\nDò Thử,male,1990-01-01,2025-07-01,7000001,C2\n";
    let (s, b) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/members/import?unit=QN&dry_run=true",
        Some(Value::String(file.into())),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["errors"][0]["reason"].as_str().unwrap().contains(&m), "{b}");
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| backend;
    api_writes_are_judged_on_every_day_they_reach,
    forms_are_judged_on_every_day_they_reach,
    imports_do_not_reveal_members_outside_scope,
);
