//! Bad input as a hostile or careless user sends it: each answered with a 4xx that says what is
//! wrong, before the database is asked, and nothing changed; redirects that stay on the site;
//! exports that a spreadsheet cannot run.

mod common;
use common::{Browser, send, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn bad_input_is_refused_before_the_database(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [("KCQ", "bloc_committee", "QN"), ("STC", "grassroots_committee", "KCQ")] {
        let body =
            json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": code}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(body)).await.0, StatusCode::CREATED);
    }
    // A member transferred on 2023-01-01, then ended on a day before the transfer.
    let m = json!({"full_name": "Lê Văn Chuyển", "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2021-06-01", "unit": "STC"});
    let (_, m) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(m)).await;
    let id = m["id"].as_str().unwrap().to_string();
    let (s, t) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/transfers",
        Some(json!({"member": id, "to_unit": "KCQ", "issued_on": "2022-12-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let path = format!("/api/v1/transfers/{}/accept", t["id"].as_str().unwrap());
    assert_eq!(
        send(&app, &app.token, Method::POST, &path, Some(json!({"effective": "2023-01-01"}))).await.0,
        StatusCode::OK
    );
    for (status, effective) in [("deceased", "2022-06-01"), ("resigned", "2023-01-01"), ("expelled", "2022-12-15")] {
        let (s, b) = send(
            &app,
            &app.token,
            Method::POST,
            &format!("/api/v1/members/{id}/status"),
            Some(json!({"status": status, "effective": effective})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{status} on {effective}: {b}");
        assert!(b["error"]["message"].as_str().unwrap().starts_with("effective"), "{b}");
    }
    let (_, after) = send(&app, &app.token, Method::GET, &format!("/api/v1/members/{id}"), None).await;
    assert_eq!((after["unit"].as_str(), after["status"].as_str()), (Some("KCQ"), Some("probationary")), "{after}");

    // Dates past what any record holds, and past the profile's horizon.
    for (d, status) in [("9999-12-31", 400), ("2200-01-01", 400), ("1899-12-31", 400), ("2100-01-01", 422)] {
        let (s, b) = send(
            &app,
            &app.token,
            Method::POST,
            "/api/v1/units/STC/rename",
            Some(json!({"effective": d, "name": {"vi": "Xa"}})),
        )
        .await;
        assert_eq!(s.as_u16(), status, "rename on {d}: {b}");
        let plan = json!({"title": "Xa", "effective": d, "operations": [{"op": "rename", "unit": "STC", "names": {"vi": "Xa"}}]});
        let (s, b) = send(&app, &app.token, Method::POST, "/api/v1/restructurings", Some(plan)).await;
        assert_eq!(s.as_u16(), status, "restructuring on {d}: {b}");
    }
    let (s, b) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/units/STC/rename",
        Some(json!({"effective": "2024-01-01", "name": {"vi": "Gần"}})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "a later change still goes through: {b}");

    // A NUL character in any text of a body (PostgreSQL keeps none) is refused before a
    // handler reads it, naming it; an escaped backslash before "u0000" is only text.
    for body in [
        json!({"effective": "2024-02-01", "name": {"vi": "Nul\u{0}"}}),
        json!({"effective": "2024-02-01", "name": {"vi": "Gần", "en": "x\u{0}y"}}),
    ] {
        let (s, b) = send(&app, &app.token, Method::POST, "/api/v1/units/STC/rename", Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(b["error"]["code"], "nul_in_text", "{b}");
    }
    let body = json!({"effective": "2024-02-01", "name": {"vi": "Gần \\u0000"}});
    let (s, b) = send(&app, &app.token, Method::POST, "/api/v1/units/STC/rename", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "a backslash and u0000 are text: {b}");
    let topic = json!({"body": "KCQ", "year": 2024, "topic": "x\u{0}"});
    let (s, b) = send(&app, &app.token, Method::POST, "/api/v1/inspections/programmes", Some(topic)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("nul_in_text")), "{b}");

    // Searches of any length: bounded at 400 characters.
    let long = "a".repeat(60_000);
    for path in [format!("/api/v1/units?q={long}"), format!("/api/v1/members?unit=QN&q={long}")] {
        let (s, b) = send(&app, &app.token, Method::GET, &path, None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{}", &b.to_string()[..200.min(b.to_string().len())]);
        assert_eq!(b["error"]["code"], "invalid_query");
    }
    let ok = "a".repeat(400);
    assert_eq!(send(&app, &app.token, Method::GET, &format!("/api/v1/units?q={ok}"), None).await.0, StatusCode::OK);

    // A cell that a spreadsheet would run is exported as text, and imports back unchanged.
    let m = json!({"full_name": "=HYPERLINK(\"http://evil.example\",\"x\")", "sex": "male", "birth_date": "1990-01-01",
                   "admitted_on": "2021-06-01", "hometown": "@SUM(1)", "unit": "STC"});
    let (s, b) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(m)).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let r = app
        .http
        .get(format!("{}/api/v1/members/export?unit=STC", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let csv = r.text().await.unwrap();
    assert!(csv.contains("'=HYPERLINK") && csv.contains("'@SUM(1)"), "{csv}");
    assert!(!csv.contains(",=") && !csv.contains(",\"=") && !csv.contains(",@"), "{csv}");
    let rows = orgwork_tabular::read(csv.as_bytes()).unwrap();
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "=HYPERLINK(\"http://evil.example\",\"x\")")), "{rows:?}");
}

async fn login_sends_the_browser_only_to_this_site(backend: &str) {
    let app = spawn_app(backend).await;
    for (next, expected) in [
        ("/units/QN", "/units/QN"),
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\r\n/evil.example", "/"),
        ("/\u{3000}/evil.example", "/"),
        (" //evil.example", "/"),
    ] {
        let mut b = Browser::new(&app.base);
        b.get("/login", &[]).await;
        let csrf = b.csrf();
        let (s, _, loc) = b
            .post(
                "/login",
                &[("csrf", &csrf), ("name", "admin"), ("password", "a long enough password"), ("next", next)],
                &[],
            )
            .await;
        assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some(expected)), "{next:?}");
    }
    // The same through the query string (the login page is reached with ?next=).
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    let (s, _, loc) = b.get("/login?next=/%09/evil.example", &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    // A name far longer than any user's is refused and kept nowhere.
    let mut b = Browser::new(&app.base);
    b.get("/login", &[]).await;
    let csrf = b.csrf();
    let name = "x".repeat(100_000);
    let (s, _, _) = b.post("/login", &[("csrf", &csrf), ("name", &name), ("password", "whatever it is")], &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| backend;
    bad_input_is_refused_before_the_database,
    login_sends_the_browser_only_to_this_site,
);
