//! Black-box tests of the JSON API: the real server on port 0, a fresh database per test, on
//! SQLite and on PostgreSQL.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

mod common;
use common::{App, spawn_app};

impl App {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.expect("GET");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post_raw(&self, path: &str, body: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("POST");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn create(&self, code: &str, kind: &str, parent: Option<&str>, vi: &str) {
        let (s, body) = self
            .post(
                "/api/v1/units",
                json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": vi}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }

    async fn province(&self) {
        self.create("KCQ", "bloc_committee", Some("QN"), "Đảng bộ Khối các cơ quan tỉnh").await;
        self.create("DN", "bloc_committee", Some("QN"), "Đảng bộ Khối doanh nghiệp").await;
        self.create("STC", "grassroots_committee", Some("KCQ"), "Đảng bộ Sở Tài chính").await;
        self.create("STC-C1", "subordinate_cell", Some("STC"), "Chi bộ Văn phòng").await;
    }

    /// Everything readable about the tree on a few dates.
    async fn state(&self) -> Vec<Value> {
        let mut out = vec![];
        for day in ["2019-01-01", "2020-01-01", "2024-06-01", "2026-01-01"] {
            out.push(self.get(&format!("/api/v1/units/QN/subtree?as_of={day}")).await.1);
        }
        out.push(self.get("/api/v1/units/STC/history").await.1);
        out
    }
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_else(|| panic!("not an error body: {body}"))
}

async fn health_profile_and_openapi(app: App) {
    let (s, body) = app.get("/healthz").await;
    assert_eq!((s, body), (StatusCode::OK, json!({"status": "ok"})));
    let (s, profile) = app.get("/api/v1/profile").await;
    assert_eq!(s, StatusCode::OK);
    let kinds: Vec<_> = profile["unit_kinds"].as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"grassroots_cell") && kinds.contains(&"bloc_committee"), "{kinds:?}");
    let (s, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/healthz", "get"),
        ("/api/v1/profile", "get"),
        ("/api/v1/units", "get"),
        ("/api/v1/units", "post"),
        ("/api/v1/units/{code}", "get"),
        ("/api/v1/units/{code}/children", "get"),
        ("/api/v1/units/{code}/ancestors", "get"),
        ("/api/v1/units/{code}/subtree", "get"),
        ("/api/v1/units/{code}/history", "get"),
        ("/api/v1/units/{code}/rename", "post"),
        ("/api/v1/units/{code}/move", "post"),
        ("/api/v1/units/{code}/dissolve", "post"),
    ] {
        assert!(doc["paths"][path][method]["responses"].is_object(), "{method} {path} is not in the OpenAPI document");
    }
    assert!(doc["components"]["schemas"]["Unit"].is_object());
    let (s, body) = app.get("/api/v1/nothing-here").await;
    assert_eq!((s, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

async fn creates_reads_and_moves_as_of_dates(app: App) {
    app.province().await;
    let (s, unit) = app.get("/api/v1/units/stc?as_of=2024-06-01").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        unit,
        json!({"code": "STC", "name": {"vi": "Đảng bộ Sở Tài chính"}, "kind": "grassroots_committee",
               "parent": "KCQ", "valid_from": "2020-01-01", "valid_to": null})
    );
    let (s, moved) = app
        .post("/api/v1/units/STC/move", json!({"effective": "2025-01-01", "parent": "DN", "decision": "12-QĐ/TU"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    assert_eq!(moved["parent"], "DN");
    let (_, before) = app.get("/api/v1/units/STC-C1/ancestors?as_of=2024-12-31").await;
    let (_, after) = app.get("/api/v1/units/STC-C1/ancestors?as_of=2025-01-01").await;
    let codes = |v: &Value| {
        v["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(codes(&before), ["QN", "KCQ", "STC"]);
    assert_eq!(codes(&after), ["QN", "DN", "STC"]);
    assert_eq!(before["next"], Value::Null);
    let (_, kids) = app.get("/api/v1/units/KCQ/children?as_of=2025-06-01").await;
    assert_eq!(kids, json!({"items": [], "next": null}));

    let (s, renamed) = app
        .post("/api/v1/units/STC/rename", json!({"effective": "2025-03-01", "name": {"vi": "Đảng bộ Sở Tài chính tỉnh", "en": "Department of Finance", "ar": "دائرة المالية"}}))
        .await;
    assert_eq!(s, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"]["ar"], "دائرة المالية");
    let (_, history) = app.get("/api/v1/units/STC/history").await;
    let changes: Vec<_> = history["items"].as_array().unwrap().iter().map(|h| h["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["created", "moved", "renamed"]);
    assert_eq!(history["items"][1]["previous_parent"], "KCQ");
    assert_eq!(history["items"][1]["decision"], "12-QĐ/TU");

    let (_, found) = app.get("/api/v1/units?q=tai%20chinh&as_of=2025-06-01").await;
    assert_eq!(found["items"][0]["code"], "STC");
    let (_, roots) = app.get("/api/v1/units?as_of=2024-01-01").await;
    assert_eq!(codes(&roots), ["QN"]);
    let (_, sub) = app.get("/api/v1/units/QN/subtree?as_of=2024-01-01&depth=1").await;
    assert_eq!(sub["items"].as_array().unwrap().len(), 3);
    assert_eq!(sub["items"][0]["depth"], 0);

    // Dissolve a leaf, then its parent is free to go too once empty.
    let (s, gone) = app.post("/api/v1/units/STC-C1/dissolve", json!({"effective": "2025-06-01"})).await;
    assert_eq!(s, StatusCode::OK, "{gone}");
    assert_eq!(gone["valid_to"], "2025-06-01");
    let (s, _) = app.get("/api/v1/units/STC-C1?as_of=2025-05-31").await;
    assert_eq!(s, StatusCode::OK);
}

async fn pages_with_a_cursor(app: App) {
    for i in 0..12 {
        app.create(&format!("G{i:02}"), "grassroots_cell", Some("QN"), &format!("Chi bộ {i}")).await;
    }
    let mut seen = vec![];
    let mut url = "/api/v1/units/QN/children?as_of=2021-01-01&limit=5".to_string();
    loop {
        let (s, page) = app.get(&url).await;
        assert_eq!(s, StatusCode::OK);
        seen.extend(page["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()));
        match page["next"].as_str() {
            Some(next) => url = format!("/api/v1/units/QN/children?as_of=2021-01-01&limit=5&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 12);
    let (s, body) = app.get("/api/v1/units/QN/children?limit=0").await;
    assert_eq!((s, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_query"));
}

async fn bad_input_gets_its_status_and_changes_nothing(app: App) {
    app.province().await;
    let before = app.state().await;
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        // A cycle: a unit under its own descendant.
        ("/api/v1/units/KCQ/move", json!({"effective": "2024-01-01", "parent": "STC"}), StatusCode::CONFLICT, "cycle"),
        ("/api/v1/units/KCQ/move", json!({"effective": "2024-01-01", "parent": "KCQ"}), StatusCode::CONFLICT, "cycle"),
        // An unknown parent.
        (
            "/api/v1/units",
            json!({"code": "X", "kind": "grassroots_cell", "parent": "NOPE", "valid_from": "2024-01-01", "name": {"vi": "X"}}),
            StatusCode::NOT_FOUND,
            "parent_not_found",
        ),
        (
            "/api/v1/units/STC/move",
            json!({"effective": "2024-01-01", "parent": "NOPE"}),
            StatusCode::NOT_FOUND,
            "parent_not_found",
        ),
        // A kind that may not go there.
        (
            "/api/v1/units",
            json!({"code": "X", "kind": "subordinate_cell", "parent": "QN", "valid_from": "2024-01-01", "name": {"vi": "X"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind_not_allowed",
        ),
        (
            "/api/v1/units/STC-C1/move",
            json!({"effective": "2024-01-01", "parent": "KCQ"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind_not_allowed",
        ),
        (
            "/api/v1/units",
            json!({"code": "X", "kind": "castle", "parent": "QN", "valid_from": "2024-01-01", "name": {"vi": "X"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_kind",
        ),
        // A duplicate code.
        (
            "/api/v1/units",
            json!({"code": "kcq", "kind": "bloc_committee", "parent": "QN", "valid_from": "2024-01-01", "name": {"vi": "X"}}),
            StatusCode::CONFLICT,
            "duplicate_code",
        ),
        // Malformed dates.
        (
            "/api/v1/units/STC/rename",
            json!({"effective": "2024-13-01", "name": {"vi": "X"}}),
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        (
            "/api/v1/units/STC/rename",
            json!({"effective": "01/02/2024", "name": {"vi": "X"}}),
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        // A date outside the unit's life.
        (
            "/api/v1/units/STC/rename",
            json!({"effective": "2019-01-01", "name": {"vi": "X"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_outside_unit",
        ),
        // An unknown field, a missing one, a wrong type.
        (
            "/api/v1/units/STC/rename",
            json!({"effective": "2024-01-01", "name": {"vi": "X"}, "colour": "red"}),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
        ("/api/v1/units/STC/move", json!({"effective": "2024-01-01"}), StatusCode::BAD_REQUEST, "invalid_body"),
        ("/api/v1/units/STC/dissolve", json!({"effective": 20240101}), StatusCode::BAD_REQUEST, "invalid_body"),
        // Invalid names and codes.
        (
            "/api/v1/units",
            json!({"code": "A B", "kind": "grassroots_cell", "parent": "KCQ", "valid_from": "2024-01-01", "name": {"vi": "X"}}),
            StatusCode::BAD_REQUEST,
            "invalid_code",
        ),
        (
            "/api/v1/units",
            json!({"code": "AB", "kind": "grassroots_cell", "parent": "KCQ", "valid_from": "2024-01-01", "name": {"vi": " "}}),
            StatusCode::BAD_REQUEST,
            "invalid_name",
        ),
        // Dissolving a unit with live children; an unknown unit.
        (
            "/api/v1/units/STC/dissolve",
            json!({"effective": "2024-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "has_live_children",
        ),
        ("/api/v1/units/NOPE/dissolve", json!({"effective": "2024-01-01"}), StatusCode::NOT_FOUND, "unit_not_found"),
    ];
    for (path, body, status, code) in cases {
        let (s, answer) = app.post(path, body.clone()).await;
        assert_eq!((s, error_code(&answer)), (status, code), "POST {path} {body} answered {answer}");
        assert!(!answer["error"]["message"].as_str().unwrap().is_empty());
    }
    let (s, answer) = app.post_raw("/api/v1/units", "{\"code\": \"X\",").await;
    assert_eq!((s, error_code(&answer)), (StatusCode::BAD_REQUEST, "invalid_json"), "{answer}");
    let r = app
        .http
        .post(format!("{}/api/v1/units", app.base))
        .bearer_auth(&app.token)
        .body("code=X")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.state().await, before, "a refused request changed the tree");

    let (s, body) = app.get("/api/v1/units/NOPE").await;
    assert_eq!((s, error_code(&body)), (StatusCode::NOT_FOUND, "unit_not_found"));
    let (s, body) = app.get("/api/v1/units/QN?as_of=yesterday").await;
    assert_eq!((s, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_date"));
    assert!(body["error"]["message"].as_str().unwrap().contains("as_of"));
    let (s, body) = app.get("/api/v1/units/QN/subtree?depth=-1").await;
    assert_eq!((s, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_query"));
}

async fn members_search_status_and_counts(app: App) {
    app.province().await;
    let member = |name: &str, born: &str, card: &str| {
        json!({"full_name": name, "sex": "female", "birth_date": born, "admitted_on": "2021-06-01", "card_number": card,
               "occupation": "student", "unit": "STC-C1"})
    };
    let (s, m) = app.post("/api/v1/members", member("Bùi Thụy Anh", "2000-01-01", "3000001")).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["unit"], "STC-C1");
    assert_eq!(m["status"], "probationary");
    assert_eq!(m["categories"], json!(["young", "student", "female"]));
    // Every bad field named at once; nothing created.
    let (s, e) = app
        .post("/api/v1/members", json!({"full_name": "", "sex": "x", "birth_date": "01/02/1990", "admitted_on": "2021-06-01", "unit": "STC-C1"}))
        .await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_member"));
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("full_name") && msg.contains("sex: 'x'") && msg.contains("birth_date: '01/02/1990'"), "{msg}");
    let (s, e) = app.post("/api/v1/members", json!({"full_name": "A", "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2021-06-01", "unit": "STC-C1", "shoe_size": 42})).await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_body"), "{e}");
    let (s, e) = app.post("/api/v1/members", member("Người Khác", "1990-01-01", "3000001")).await;
    assert_eq!((s, error_code(&e)), (StatusCode::CONFLICT, "duplicate_member"));
    // Search as one types.
    for q in ["bui", "bui th", "thuy anh", "BÙI THỤY"] {
        let (_, found) = app.get(&format!("/api/v1/members?unit=QN&q={}", q.replace(' ', "%20"))).await;
        assert_eq!(found["items"][0]["id"], id.as_str(), "{q}");
    }
    // Counts before and after a status change.
    let (_, before) = app.get("/api/v1/units/QN/stats?as_of=2022-01-01").await;
    assert_eq!(
        before,
        json!({"total": 1, "by_status": {"probationary": 1}, "by_category": {"female": 1, "student": 1, "young": 1}})
    );
    let (s, m) = app
        .post(
            &format!("/api/v1/members/{id}/status"),
            json!({"status": "official", "effective": "2022-06-01", "document": "45-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let (_, after) = app.get("/api/v1/units/QN/stats?as_of=2022-06-01").await;
    assert_eq!(after["by_status"], json!({"official": 1}));
    let (_, still) = app.get("/api/v1/units/QN/stats?as_of=2022-05-31").await;
    assert_eq!(still, before);
    let (s, e) =
        app.post(&format!("/api/v1/members/{id}/status"), json!({"status": "alive", "effective": "2023-01-01"})).await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_status"));
    // A correction of the record: counts follow (no longer a student).
    let r = app
        .http
        .put(format!("{}/api/v1/members/{id}", app.base))
        .bearer_auth(&app.token)
        .json(&json!({"full_name": "Bùi Thụy Anh", "sex": "female", "birth_date": "2000-01-01", "admitted_on": "2021-06-01",
                      "official_on": "2022-06-01", "card_number": "3000001", "occupation": "civil_servant"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, now) = app.get("/api/v1/units/QN/stats?as_of=2022-06-01").await;
    assert_eq!(now["by_category"].get("student"), None);
    let (s, e) = app.get("/api/v1/members/12345").await;
    assert_eq!((s, error_code(&e)), (StatusCode::NOT_FOUND, "member_not_found"));
}

async fn imports_and_exports_files(app: App) {
    app.province().await;
    let send = |path: &str, body: Vec<u8>| {
        app.http
            .post(format!("{}{path}", app.base))
            .bearer_auth(&app.token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let bad = "Họ và tên;Giới tính;Ngày sinh;Ngày vào Đảng;Chi bộ\nLê Văn A;Nam;01/01/1990;01/01/2015;STC-C1\nLê Văn B;Nam;31/02/1990;01/01/2015;STC-C1\n";
    let r = send("/api/v1/members/import?unit=STC", bad.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        report["errors"][0],
        json!({"row": 3, "column": "Ngày sinh", "value": "31/02/1990", "reason": "is a day that does not exist", "code": "no_such_day"})
    );
    let (_, stats) = app.get("/api/v1/units/STC/stats").await;
    assert_eq!(stats["total"], 0, "nothing applied");
    // Outside the unit named: refused by row.
    let elsewhere = "full_name,sex,birth_date,admitted_on,unit\nLê Văn C,male,1990-01-01,2015-01-01,DN\n";
    let r = send("/api/v1/members/import?unit=STC", elsewhere.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    assert_eq!((report["errors"][0]["row"].clone(), report["errors"][0]["column"].clone()), (json!(2), json!("unit")));
    // Too large: a clear error.
    let r = send("/api/v1/members/import?unit=STC", vec![b'a'; 65 * 1024 * 1024]).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "too_large");
    // A good file, tried then imported; the export reads back.
    let good = "\u{feff}full_name,sex,birth_date,admitted_on,card_number,unit\r\nLê Văn A,male,1990-01-01,2021-01-01,7000001,STC-C1\r\n";
    let r = send("/api/v1/members/import?unit=STC&dry_run=true", good.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["created"], 1);
    assert_eq!(
        report["preview"],
        json!([{"row": 2, "action": "create", "full_name": "Lê Văn A", "unit": "STC-C1", "member": null}]),
        "the rows a user would confirm"
    );
    assert_eq!(app.get("/api/v1/units/STC/stats").await.1["total"], 0, "a dry run changes nothing");
    let r = send("/api/v1/members/import?unit=STC", good.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/units/STC/stats").await.1["total"], 1);
    let r = app
        .http
        .get(format!("{}/api/v1/members/export?unit=QN", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("members-QN-"));
    let text = r.text().await.unwrap();
    assert!(text.starts_with("\u{feff}\"card_number\",\"national_id\",\"full_name\""), "{text}");
    assert!(text.contains("\"7000001\",\"\",\"Lê Văn A\",\"male\",\"1990-01-01\""), "{text}");
    let r = app
        .http
        .get(format!("{}/api/v1/members/export?unit=QN&format=xlsx", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let bytes = r.bytes().await.unwrap();
    let r = send("/api/v1/members/import?unit=QN", bytes.to_vec()).await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["unchanged"], 1, "the XLSX export imports back unchanged");
    // A Vietnamese office's file: values by their Vietnamese names, in any case, with or
    // without accents, are read as the profile's codes.
    let vi = "Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Nghề nghiệp,Trình độ học vấn,Số thẻ đảng viên,Chi bộ\n\
              Trần Thị B,Nữ,1992-03-04,2020-02-03,Công chức,Đại học,7000002,STC-C1\n\
              Phạm Văn C,NAM,1993-03-04,2020-02-03,vien chuc,thac si,7000003,STC-C1\n";
    let r = send("/api/v1/members/import?unit=STC", vi.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["created"], 2);
    let (_, found) = app.get("/api/v1/members?unit=STC&q=Tran%20Thi%20B").await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let (_, m) = app.get(&format!("/api/v1/members/{id}")).await;
    assert_eq!(
        (&m["record"]["sex"], &m["record"]["occupation"], &m["record"]["education"]),
        (&json!("female"), &json!("civil_servant"), &json!("university"))
    );
    // Exported in Vietnamese: headings and values by their names; and it imports back unchanged.
    let r = app
        .http
        .get(format!("{}/api/v1/members/export?unit=STC&lang=vi", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("\"Họ và tên\""), "{text}");
    assert!(text.contains("\"Trần Thị B\",\"Nữ\",\"1992-03-04\""), "{text}");
    assert!(text.contains("\"Công chức\",\"Đại học\""), "{text}");
    assert!(!text.contains("civil_servant") && !text.contains("probationary"), "{text}");
    let r = send("/api/v1/members/import?unit=STC", text.into_bytes()).await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["unchanged"], 3, "the Vietnamese export imports back unchanged");
    let (s, e) = app.get("/api/v1/members/export?unit=STC&lang=fr").await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_query"));
}

async fn restructures_from_a_mapping_table(app: App) {
    app.province().await;
    app.create("DN-1", "grassroots_cell", Some("DN"), "Chi bộ Công ty Than").await;
    let (s, m) = app
        .post(
            "/api/v1/members",
            json!({"full_name": "Bùi Thụy", "sex": "female", "birth_date": "1995-01-01", "admitted_on": "2021-06-01", "unit": "STC-C1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let before = app.state().await;
    // A mapping that would leave a member in a dissolved cell: recorded, checked, refused.
    let (s, bad) =
        app.post("/api/v1/restructurings", json!({"effective": "2025-07-01", "mapping": "from,to\nSTC-C1,\n"})).await;
    assert_eq!(s, StatusCode::CREATED, "{bad}");
    let (s, report) =
        app.post(&format!("/api/v1/restructurings/{}/check", bad["id"].as_str().unwrap()), json!(null)).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["passed"], false);
    assert_eq!(report["failures"][0]["rule"], "no_member_in_dissolved_unit");
    assert_eq!(report["failures"][0]["member"], m["id"], "a failure names the member by the id as text");
    let (s, e) = app.post(&format!("/api/v1/restructurings/{}/apply", bad["id"].as_str().unwrap()), json!(null)).await;
    assert_eq!((s, error_code(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "check_failed"));
    assert!(e["error"]["message"].as_str().unwrap().contains("STC-C1"), "{e}");
    assert_eq!(app.state().await, before, "a refused draft changes nothing");
    // The blocs merged into a new one.
    let mapping = "from,to,to_name,to_kind,to_parent\nKCQ,KHOI,Đảng bộ Khối mới,bloc_committee,QN\nDN,KHOI,,,\n";
    let (s, r) = app
        .post(
            "/api/v1/restructurings",
            json!({"effective": "2025-07-01", "title": "Hợp nhất hai khối", "mapping": mapping}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["operations"][0]["op"], "create");
    assert_eq!(r["operations"][1]["op"], "merge");
    let id = r["id"].as_str().unwrap();
    let (s, report) = app.post(&format!("/api/v1/restructurings/{id}/apply"), json!(null)).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["applied"], true);
    let (_, stc) = app.get("/api/v1/units/STC?as_of=2025-07-01").await;
    assert_eq!(stc["parent"], "KHOI");
    let (_, stats) = app.get("/api/v1/units/KHOI/stats?as_of=2025-07-01").await;
    assert_eq!(stats["total"], 1);
    let (s, lineage) = app.get("/api/v1/units/KHOI/lineage").await;
    assert_eq!(s, StatusCode::OK);
    let pairs: Vec<(&str, &str)> = lineage
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["from"].as_str().unwrap(), l["relation"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs, [("DN", "merged"), ("KCQ", "merged")]);
    // The new bloc's members in 2024, through its lineage: the sum of its predecessors'.
    let (s, through) = app.get("/api/v1/units/KHOI/stats?as_of=2024-01-01&lineage=true").await;
    assert_eq!((s, through["total"].as_i64()), (StatusCode::OK, Some(1)), "{through}");
    let (s, list) = app.get("/api/v1/restructurings").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    // Undo: every answer as before.
    let (s, undone) = app.post("/api/v1/restructurings/undo", json!(null)).await;
    assert_eq!((s, undone["state"].as_str()), (StatusCode::OK, Some("undone")), "{undone}");
    assert_eq!(app.state().await, before);
    let (s, e) = app.post("/api/v1/restructurings/undo", json!(null)).await;
    assert_eq!((s, error_code(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_undo"));
    // Bad drafts name what is wrong.
    let (s, e) = app
        .post(
            "/api/v1/restructurings",
            json!({"effective": "2025-07-01", "mapping": "from,to,to_kind\nKCQ,NEW,bloc_committee\n"}),
        )
        .await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_mapping"));
    assert!(e["error"]["message"].as_str().unwrap().starts_with("row 2, column to_name"), "{e}");
    let (s, e) = app
        .post(
            "/api/v1/restructurings",
            json!({"effective": "2025-07-01", "operations": [{"op": "merge", "units": ["KCQ"], "into": "KCQ"}]}),
        )
        .await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_operation"), "{e}");
    let (s, e) = app
        .post(
            "/api/v1/restructurings",
            json!({"effective": "2025-07-01", "operations": [{"op": "explode", "unit": "KCQ"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
}

async fn inspects_over_the_api(app: App) {
    use orgwork_domain::access::Role;
    use reqwest::Method;
    app.province().await;
    let (s, m) = app
        .post(
            "/api/v1/members",
            json!({"full_name": "Hoàng Văn Kiểm", "sex": "male", "birth_date": "1980-01-01", "admitted_on": "2021-01-01", "unit": "STC-C1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let member = m["id"].as_str().unwrap().to_string();
    let insp = app.user_with_token("insp", Role::Inspector, "QN").await;
    let c1 = app.user_with_token("sec.c1", Role::Viewer, "STC-C1").await;
    let dn = app.user_with_token("sec.dn", Role::Organizer, "DN").await;
    app.db.store.link_member(&common::actor(), "insp", Some(member.parse().unwrap())).await.unwrap();
    let call = |token: &str, method: Method, path: &str, body: Option<Value>| {
        let (app, token, path) = (&app, token.to_string(), path.to_string());
        async move { common::send(app, &token, method, &path, body).await }
    };
    let (s, p) =
        call(&insp, Method::POST, "/api/v1/inspections/programmes", Some(json!({"body": "QN", "year": 2025}))).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let p = p["id"].as_str().unwrap().to_string();
    let plan_path = format!("/api/v1/inspections/programmes/{p}/inspections");
    let plan = json!({"type": "thematic_supervision", "subjects": ["STC", "DN"], "topic": "Công tác cán bộ",
        "criteria": ["Quy định 105-QĐ/TW"], "from": "2025-04-01", "to": "2025-04-30", "head": "insp"});
    // The inspector is a member of STC-C1: on a team inspecting STC, refused, naming both.
    let (s, e) = call(&insp, Method::POST, &plan_path, Some(plan.clone())).await;
    assert_eq!((s, error_code(&e)), (StatusCode::UNPROCESSABLE_ENTITY, "conflict_of_interest"), "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("Hoàng Văn Kiểm") && message.contains("STC"), "{message}");
    // Bad input: a 4xx naming the field, nothing planned.
    let mut bad = plan.clone();
    bad["from"] = json!("2025-02-30");
    let (s, e) = call(&insp, Method::POST, &plan_path, Some(bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let mut bad = plan.clone();
    bad["colour"] = json!("red");
    let (s, _) = call(&insp, Method::POST, &plan_path, Some(bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let mut bad = plan.clone();
    bad["subjects"] = json!([]);
    let (s, e) = call(&insp, Method::POST, &plan_path, Some(bad)).await;
    assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, "invalid_subjects"));
    let (_, shown) = call(&insp, Method::GET, &format!("/api/v1/inspections/programmes/{p}"), None).await;
    assert!(shown["inspections"].as_array().unwrap().is_empty(), "refusals change nothing");
    let mut kept = plan.clone();
    kept["override_conflict"] = json!("Chuyên gia duy nhất");
    let (s, i) = call(&insp, Method::POST, &plan_path, Some(kept)).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    let conclude = json!({"on": "2025-05-05",
        "findings": [
            {"subject": "STC-C1", "kind": "shortcoming", "text": "Hồ sơ cán bộ chưa cập nhật"},
            {"subject": "DN", "kind": "violation", "severity": "minor", "regulation": "QĐ 105", "text": "Quy trình bổ nhiệm thiếu bước"}],
        "recommendations": [
            {"finding": 1, "addressee": "STC-C1", "text": "Cập nhật hồ sơ", "due": "2025-06-30", "owner": "sec.c1"},
            {"finding": 2, "addressee": "DN", "text": "Rà soát quy trình", "due": "2025-07-31", "owner": "sec.dn"}]});
    let (s, done) = call(&insp, Method::POST, &format!("/api/v1/inspections/{id}/conclude"), Some(conclude)).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    // Each secretary reads what concerns their unit, never the other's.
    let (s, seen) = call(&c1, Method::GET, &format!("/api/v1/inspections/{id}"), None).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["findings"].as_array().unwrap().len(), 1);
    assert_eq!(seen["findings"][0]["subject"]["unit"], "STC-C1");
    assert_eq!(seen["recommendations"][0]["addressee"], "STC-C1");
    assert!(seen["conflicts"].as_array().unwrap().is_empty() && seen["override_reason"].is_null());
    let (_, seen) = call(&dn, Method::GET, &format!("/api/v1/inspections/{id}"), None).await;
    assert_eq!(seen["subjects"], json!([{"unit": "DN", "member": null}]));
    assert_eq!(seen["findings"][0]["subject"]["unit"], "DN");
    let (_, whole) = call(&insp, Method::GET, &format!("/api/v1/inspections/{id}"), None).await;
    assert_eq!(whole["findings"].as_array().unwrap().len(), 2);
    assert_eq!(whole["override_reason"], "Chuyên gia duy nhất");
    // Follow-up: the owner reports; the owner may not verify; the inspector does.
    let rec = whole["recommendations"][1]["id"].as_str().unwrap().to_string();
    let (s, r) = call(
        &dn,
        Method::POST,
        &format!("/api/v1/recommendations/{rec}/done"),
        Some(json!({"on": "2025-07-01", "evidence": "Quyết định 12"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, e) =
        call(&dn, Method::POST, &format!("/api/v1/recommendations/{rec}/verify"), Some(json!({"on": "2025-07-02"})))
            .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an organizer does not verify: {e}");
    let (s, r) = call(
        &insp,
        Method::POST,
        &format!("/api/v1/recommendations/{rec}/verify"),
        Some(json!({"on": "2025-07-02", "accept": false})),
    )
    .await;
    assert_eq!((s, error_code(&r)), (StatusCode::BAD_REQUEST, "invalid_text"), "a rejection says why");
    let (s, r) =
        call(&insp, Method::POST, &format!("/api/v1/recommendations/{rec}/verify"), Some(json!({"on": "2025-07-02"})))
            .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "verified");
    let (_, list) =
        call(&c1, Method::GET, "/api/v1/recommendations?addressee=STC-C1&overdue=true&as_of=2025-07-15", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let (s, _) = call(&c1, Method::GET, "/api/v1/recommendations?addressee=DN", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = call(&c1, Method::GET, &format!("/api/v1/recommendations/{rec}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another unit's recommendation: {e}");
    // Coverage and discipline.
    let (s, cov) =
        call(&insp, Method::GET, "/api/v1/inspections/coverage?body=KCQ&year=2025&never_since=2024", None).await;
    assert_eq!(s, StatusCode::OK, "{cov}");
    assert_eq!(cov["supervised"], json!(["STC"]));
    assert_eq!(cov["never_since"], json!(["KCQ", "STC-C1"]));
    let (s, c) = call(
        &insp,
        Method::POST,
        "/api/v1/discipline",
        Some(json!({"member": member, "measure": "Khai trừ", "body": "STC", "on": "2025-08-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let case = c["id"].as_str().unwrap().to_string();
    let (s, e) = call(
        &insp,
        Method::POST,
        &format!("/api/v1/discipline/{case}/appeal"),
        Some(json!({"on": "2025-08-02", "outcome": "soften"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, c) = call(
        &insp,
        Method::POST,
        &format!("/api/v1/discipline/{case}/issue"),
        Some(json!({"decision": "9-QĐ/ĐU", "on": "2025-08-05"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (_, stats) = app.get("/api/v1/units/STC/stats?as_of=2025-08-05").await;
    assert_eq!(stats["total"], 0, "the expelled member leaves the counts: {stats}");
    let (_, stats) = app.get("/api/v1/units/STC/stats?as_of=2025-08-04").await;
    assert_eq!(stats["total"], 1);
    let (s, e) = call(
        &insp,
        Method::POST,
        &format!("/api/v1/discipline/{case}/issue"),
        Some(json!({"decision": "10-QĐ/ĐU", "on": "2025-08-06"})),
    )
    .await;
    assert_eq!((s, error_code(&e)), (StatusCode::CONFLICT, "case_locked"));
}

/// Congresses over the API: shares from members given and from the register as of a date,
/// a tie left open, a count from CSV ballots with a tie at the last seat, from tallies, and
/// bad input answered 400 with what is wrong.
async fn counts_and_apportions_over_the_api(app: App) {
    app.province().await;
    for (unit, n) in [("STC-C1", 3), ("DN", 3)] {
        for k in 0..n {
            let body = json!({"full_name": format!("Đảng viên {unit} {k}"), "sex": "female", "birth_date": "1980-01-01",
                "admitted_on": "2021-01-01", "unit": unit});
            assert_eq!(app.post("/api/v1/members", body).await.0, StatusCode::CREATED);
        }
    }
    // QN's children: KCQ (3, through STC-C1) and DN (3): one seat is a tie.
    let (s, a) = app
        .post(
            "/api/v1/congresses/apportion",
            json!({"seats": 3, "method": "hamilton", "unit": "QN", "as_of": "2024-01-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let seats: Vec<_> =
        a["allocations"].as_array().unwrap().iter().map(|x| (x["unit"].clone(), x["seats"].clone())).collect();
    assert_eq!(seats, [(json!("DN"), json!(1)), (json!("KCQ"), json!(1))], "{a}");
    assert_eq!(a["ties"], json!([{"units": ["DN", "KCQ"], "seats": 1}]));
    let csv = "unit,members,ignored\nA,47000,x\nB,16000,\nC,15800,\nD,12000,\nE,6100,\nF,3100,\n";
    let (s, a) =
        app.post("/api/v1/congresses/apportion", json!({"seats": 10, "method": "sainte-lague", "csv": csv})).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let seats: Vec<_> = a["allocations"].as_array().unwrap().iter().map(|x| x["seats"].as_u64().unwrap()).collect();
    assert_eq!(seats, [4, 2, 2, 1, 1, 0]);
    assert_eq!((a["method"].as_str(), a["ties"].as_array().map(Vec::len)), (Some("sainte-lague"), Some(0)));
    // B and C have 2 votes each, not more than half of the 5 ballots cast: A alone is elected.
    let ballots = "A,B,C\n1,1,0\n1,0,1\n1,1,0\n0,0,1\n1,,\n";
    let (s, t) = app.post("/api/v1/congresses/count", json!({"seats": 2, "base": "cast", "csv": ballots})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!((t["ballots"].as_u64(), t["valid"].as_u64(), t["base_count"].as_u64()), (Some(5), Some(5), Some(5)));
    assert_eq!(t["elected"], json!(["A"]));
    assert_eq!(t["tied"], json!([]), "2 of 5 ballots is not more than half: {t}");
    let (_, t) = app
        .post("/api/v1/congresses/count", json!({"seats": 2, "base": "present", "present": 3, "csv": ballots}))
        .await;
    assert_eq!(error_code(&t), "invalid_count", "five ballots from three delegates present");
    let tally = json!({"seats": 2, "base": "valid", "cast": 11, "valid": 10,
        "tally": [{"candidate": "A", "votes": 8}, {"candidate": "B", "votes": 6}, {"candidate": "C", "votes": 6}]});
    let (s, t) = app.post("/api/v1/congresses/count", tally).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(
        (t["elected"].clone(), t["tied"].clone(), t["unfilled"].clone()),
        (json!(["A"]), json!(["B", "C"]), json!(1))
    );
    assert_eq!(t["next_round"], json!({"seats": 1, "candidates": ["B", "C"]}));
    // Bad input: named, 400.
    for (path, body, code) in [
        (
            "/api/v1/congresses/apportion",
            json!({"seats": 3, "method": "borda", "units": [{"unit": "A", "members": 1}]}),
            "invalid_apportionment",
        ),
        (
            "/api/v1/congresses/apportion",
            json!({"seats": 1, "method": "dhondt", "min": 1, "units": [{"unit": "A", "members": 1}, {"unit": "B", "members": 1}]}),
            "invalid_apportionment",
        ),
        (
            "/api/v1/congresses/apportion",
            json!({"seats": 2, "method": "dhondt", "csv": "unit,members\nA,x\n"}),
            "invalid_apportionment",
        ),
        ("/api/v1/congresses/count", json!({"seats": 1, "candidates": ["A"], "ballots": [[2]]}), "invalid_count"),
        (
            "/api/v1/congresses/count",
            json!({"seats": 1, "base": "convened", "candidates": ["A"], "ballots": [[1]]}),
            "invalid_count",
        ),
    ] {
        let (s, e) = app.post(path, body).await;
        assert_eq!((s, error_code(&e)), (StatusCode::BAD_REQUEST, code), "{e}");
    }
    let (s, l) = app
        .post(
            "/api/v1/congresses/list-check",
            json!({"seats": 10, "candidates": 14, "floor_support": 31, "present": 100}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    assert_eq!(
        (l["ok"].as_bool(), l["most"].as_u64(), l["floor_nomination_enters"].as_bool()),
        (Some(false), Some(13), Some(true))
    );
    assert_eq!((l["advised_least"].as_u64(), l["advised_most"].as_u64()), (Some(11), Some(11)), "{l}");
}

/// The term's congresses over the API: planned bottom up, the schedule's breaches named, a
/// change mends them, bad input refused with its code and nothing changed.
async fn schedules_congresses_over_the_api(app: App) {
    app.province().await;
    let mut ids = BTreeMap::new();
    for (unit, day, pilot) in
        [("STC-C1", "2025-03-01", true), ("STC", "2025-03-01", false), ("KCQ", "2025-04-01", false)]
    {
        let (s, c) = app
            .post("/api/v1/congresses", json!({"term": "2025-2030", "unit": unit, "planned_on": day, "pilot": pilot}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        assert_eq!((c["status"].as_str(), c["kind"].as_str()), (Some("planned"), Some("members")));
        ids.insert(unit, c["id"].as_str().unwrap().to_string());
    }
    let path = "/api/v1/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30";
    let (s, sched) = app.get(path).await;
    assert_eq!(s, StatusCode::OK, "{sched}");
    let rules: Vec<&str> = sched["breaches"].as_array().unwrap().iter().map(|b| b["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["before_child"], "the committee meets on its cell's day: {sched}");
    assert_eq!(sched["breaches"][0]["child"], "STC-C1");
    let (s, c) =
        app.post(&format!("/api/v1/congresses/{}/change", ids["STC"]), json!({"planned_on": "2025-03-10"})).await;
    assert_eq!((s, c["planned_on"].as_str()), (StatusCode::OK, Some("2025-03-10")), "{c}");
    let (_, sched) = app.get(path).await;
    assert_eq!((sched["passed"].as_bool(), sched["breaches"].clone()), (Some(true), json!([])), "{sched}");
    let (s, c) = app.post(&format!("/api/v1/congresses/{}/hold", ids["STC-C1"]), json!({"on": "2025-03-02"})).await;
    assert_eq!((s, c["status"].as_str()), (StatusCode::OK, Some("held")), "{c}");
    let (_, terms) = app.get("/api/v1/congresses/terms").await;
    assert_eq!(terms["items"], json!([{"code": "2025-2030", "from": 2025, "to": 2030, "congresses": 3}]));
    // Refused: a bad term, a day outside it, a second congress, an unknown field, a change
    // of one held; nothing changed.
    for (body, status, code) in [
        (json!({"term": "2030-2025", "unit": "DN", "planned_on": "2025-03-01"}), 400, "invalid_term"),
        (json!({"term": "2025-2030", "unit": "DN", "planned_on": "2024-03-01"}), 400, "date_outside_term"),
        (json!({"term": "2025-2030", "unit": "KCQ", "planned_on": "2025-05-01"}), 409, "congress_exists"),
        (
            json!({"term": "2025-2030", "unit": "DN", "planned_on": "2025-05-01", "kind": "all"}),
            400,
            "invalid_congress_kind",
        ),
        (json!({"term": "2025-2030", "unit": "DN", "planned_on": "2025-05-01", "seats": 3}), 400, "invalid_body"),
    ] {
        let (s, b) = app.post("/api/v1/congresses", body.clone()).await;
        assert_eq!((s.as_u16(), b["error"]["code"].as_str()), (status, Some(code)), "{body}: {b}");
    }
    let (s, b) = app.post(&format!("/api/v1/congresses/{}/cancel", ids["STC-C1"]), json!({"reason": "x"})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("congress_not_planned")), "{b}");
    let (s, b) = app.get("/api/v1/congresses/12345").await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("congress_not_found")), "{b}");
    let (_, terms) = app.get("/api/v1/congresses/terms").await;
    assert_eq!(terms["items"][0]["congresses"], 3);
    // The bloc's delegates as rows: one absent with a substitute seated, one absent alone.
    let put = |body: Value| {
        let url = format!("{}/api/v1/congresses/{}/delegates", app.base, ids["KCQ"]);
        let req = app.http.put(url).bearer_auth(&app.token).json(&body);
        async move {
            let r = req.send().await.expect("PUT");
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let csv = "name,kind,unit,attendance,replaces\nAn,elected,STC,present,\nBình,elected,STC-C1,absent,\nChi,elected,STC,absent,\nDũng,ex_officio,,present,\nEm,substitute,STC,present,2\n";
    let (s, list) = put(json!({"csv": csv})).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let c = &list["credentials"];
    assert_eq!(
        (c["convened"].as_u64(), c["present"].as_u64(), c["absent"].as_u64()),
        (Some(3), Some(3), Some(1)),
        "{list}"
    );
    let (s, b) = put(json!({"delegates": [{"name": "An", "kind": "guest"}]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let (s, b) = put(json!({"delegates": [{"name": "An", "kind": "elected", "unit": "DN"}]})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_delegate")), "{b}");
    let (_, again) = app.get(&format!("/api/v1/congresses/{}/delegates", ids["KCQ"])).await;
    assert_eq!(again, list, "the refused lists changed nothing");
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| super::spawn_app(backend).await;
    health_profile_and_openapi,
    restructures_from_a_mapping_table,
    creates_reads_and_moves_as_of_dates,
    pages_with_a_cursor,
    bad_input_gets_its_status_and_changes_nothing,
    members_search_status_and_counts,
    imports_and_exports_files,
    inspects_over_the_api,
    counts_and_apportions_over_the_api,
    schedules_congresses_over_the_api,
);
