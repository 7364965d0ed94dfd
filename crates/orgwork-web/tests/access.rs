//! Access to every endpoint: one table of (user, method, path, body) and the expected status,
//! run on both backends. The table must name every operation of the OpenAPI document, and
//! every operation is also tried without a token: an endpoint added without an access check
//! makes this suite fail.

mod common;
use common::{send, spawn_app};
use orgwork_domain::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Served without authentication.
const PUBLIC: [(&str, &str); 2] = [("get", "/healthz"), ("get", "/api/v1/openapi.json")];

struct Row {
    user: &'static str,
    method: Method,
    /// The OpenAPI path of the operation.
    template: &'static str,
    /// The concrete request path.
    path: &'static str,
    body: Option<Value>,
    status: u16,
}

fn row(
    user: &'static str,
    method: Method,
    template: &'static str,
    path: &'static str,
    body: Option<Value>,
    status: u16,
) -> Row {
    Row { user, method, template, path, body, status }
}

/// The table. Users: admin (administrator of QN), org (organizer of KCQ), insp, plan, view
/// (inspector, planner, viewer of KCQ), other (organizer of DN, another subtree). Rows run in
/// order; the writes that succeed change the tree the later rows see.
fn table() -> Vec<Row> {
    use Method as M;
    let cell = |code: &str, parent: &str| json!({"code": code, "kind": "subordinate_cell", "parent": parent, "valid_from": "2021-01-01", "name": {"vi": code}});
    let mut t = vec![];
    for u in ["admin", "org", "insp", "plan", "view", "other"] {
        t.push(row(u, M::GET, "/api/v1/profile", "/api/v1/profile", None, 200));
        t.push(row(u, M::GET, "/api/v1/units", "/api/v1/units?q=s", None, 200));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 403)] {
        for (template, path) in [
            ("/api/v1/units/{code}", "/api/v1/units/STC"),
            ("/api/v1/units/{code}/children", "/api/v1/units/STC/children"),
            ("/api/v1/units/{code}/ancestors", "/api/v1/units/STC/ancestors"),
            ("/api/v1/units/{code}/subtree", "/api/v1/units/STC/subtree"),
            ("/api/v1/units/{code}/history", "/api/v1/units/STC/history"),
        ] {
            t.push(row(u, M::GET, template, path, None, status));
        }
    }
    // Creating under STC: organizers and administrators of its subtree only.
    for (u, code, status) in [
        ("view", "C-V", 403),
        ("insp", "C-I", 403),
        ("plan", "C-P", 403),
        ("other", "C-O", 403),
        ("org", "C-ORG", 201),
        ("admin", "C-ADM", 201),
    ] {
        t.push(row(u, M::POST, "/api/v1/units", "/api/v1/units", Some(cell(code, "STC")), status));
    }
    // A root may be created by an administrator of a whole tree only.
    let root = json!({"code": "NEWROOT", "kind": "provincial_committee", "valid_from": "2021-01-01", "name": {"vi": "Tỉnh mới"}});
    t.push(row("org", M::POST, "/api/v1/units", "/api/v1/units", Some(root.clone()), 403));
    t.push(row("admin", M::POST, "/api/v1/units", "/api/v1/units", Some(root), 201));
    let rename = |d: &str, vi: &str| Some(json!({"effective": d, "name": {"vi": vi}}));
    for (u, d, status) in [
        ("view", "2022-01-01", 403),
        ("plan", "2022-01-01", 403),
        ("insp", "2022-01-01", 403),
        ("other", "2022-01-01", 403),
        ("org", "2022-01-01", 200),
        ("admin", "2022-02-01", 200),
    ] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/units/{code}/rename",
            "/api/v1/units/STC/rename",
            rename(d, &format!("Sở {u}")),
            status,
        ));
    }
    // Members: records for administrators, organizers and inspectors of the subtree; others do
    // not learn that a member exists (404). Counts for every role of the subtree.
    let member = |name: &str, card: &str| {
        Some(json!({"full_name": name, "sex": "female", "birth_date": "1990-01-01", "admitted_on": "2021-06-01",
                    "card_number": card, "unit": "STC"}))
    };
    for (u, card, status) in [
        ("view", "2000001", 403),
        ("plan", "2000002", 403),
        ("insp", "2000003", 403),
        ("other", "2000004", 403),
        ("org", "2000005", 201),
        ("admin", "2000006", 201),
    ] {
        t.push(row(u, M::POST, "/api/v1/members", "/api/v1/members", member(&format!("Người {u}"), card), status));
    }
    for (u, list, one) in [
        ("admin", 200, 200),
        ("org", 200, 200),
        ("insp", 200, 200),
        ("plan", 403, 404),
        ("view", 403, 404),
        ("other", 403, 404),
    ] {
        t.push(row(u, M::GET, "/api/v1/members", "/api/v1/members?unit=STC&q=nguoi", None, list));
        t.push(row(u, M::GET, "/api/v1/members/{id}", "/api/v1/members/{member}", None, one));
    }
    let record = Some(
        json!({"full_name": "Bùi Thụy", "sex": "female", "birth_date": "1995-01-01", "admitted_on": "2021-06-01", "hometown": "Hạ Long"}),
    );
    for (u, status) in [("view", 404), ("plan", 404), ("other", 404), ("insp", 403), ("org", 200)] {
        t.push(row(u, M::PUT, "/api/v1/members/{id}", "/api/v1/members/{member}", record.clone(), status));
    }
    let official = Some(json!({"status": "official", "effective": "2022-06-01"}));
    for (u, status) in [("view", 404), ("plan", 404), ("other", 404), ("insp", 403), ("org", 200)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/members/{id}/status",
            "/api/v1/members/{member}/status",
            official.clone(),
            status,
        ));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/units/{code}/stats", "/api/v1/units/STC/stats?as_of=2022-01-01", None, status));
    }
    // Candidates: organizers of the unit propose, admit and withdraw; readers of members see
    // them; a year's admission figures for every role of the subtree.
    let cand = |name: &str| {
        Some(
            json!({"unit": "STC", "full_name": name, "sex": "male", "birth_date": "2000-01-01", "proposed_on": "2022-01-10"}),
        )
    };
    for (u, status) in [("view", 403), ("plan", 403), ("insp", 403), ("other", 403), ("org", 201)] {
        t.push(row(u, M::POST, "/api/v1/candidates", "/api/v1/candidates", cand(&format!("Ứng viên {u}")), status));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 403), ("view", 403), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/candidates", "/api/v1/candidates?unit=STC", None, status));
    }
    let admit = Some(json!({"admitted_on": "2022-02-01"}));
    for (u, status) in [("view", 404), ("plan", 404), ("other", 404), ("insp", 403)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/candidates/{id}/admit",
            "/api/v1/candidates/{candidate}/admit",
            admit.clone(),
            status,
        ));
        t.push(row(
            u,
            M::POST,
            "/api/v1/candidates/{id}/withdraw",
            "/api/v1/candidates/{candidate}/withdraw",
            Some(json!({"effective": "2022-02-01"})),
            status,
        ));
    }
    t.push(row("org", M::POST, "/api/v1/candidates/{id}/admit", "/api/v1/candidates/{candidate}/admit", admit, 200));
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 403)] {
        t.push(row(
            u,
            M::GET,
            "/api/v1/units/{code}/admissions",
            "/api/v1/units/STC/admissions?year=2022",
            None,
            status,
        ));
    }
    // Work programmes (P is the setup's draft of STC for 2022): planners draft, amend and
    // approve; organizers and planners report progress; every role of the subtree reads.
    let items = json!([{"code": "1", "title": "Kết nạp 5 đảng viên", "responsible": "STC", "indicator": "count",
        "baseline": 0, "target": 5, "deadline": "2022-12-31"}]);
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/programmes", "/api/v1/programmes?unit=STC&year=2022", None, status));
    }
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 403), ("plan", 201)] {
        let body = Some(json!({"unit": "STC", "year": 2023, "items": items.clone()}));
        t.push(row(u, M::POST, "/api/v1/programmes", "/api/v1/programmes", body, status));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        t.push(row(u, M::GET, "/api/v1/programmes/{id}", "/api/v1/programmes/{programme}", None, status));
        t.push(row(u, M::GET, "/api/v1/programmes/{id}/lint", "/api/v1/programmes/{programme}/lint", None, status));
    }
    let approve = Some(json!({"decision": "01-QĐ/ĐU", "on": "2022-01-15"}));
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 404), ("plan", 200)] {
        let body = Some(json!({"items": items.clone()}));
        t.push(row(u, M::PUT, "/api/v1/programmes/{id}/items", "/api/v1/programmes/{programme}/items", body, status));
    }
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 404), ("plan", 200)] {
        let path = "/api/v1/programmes/{programme}/approve";
        t.push(row(u, M::POST, "/api/v1/programmes/{id}/approve", path, approve.clone(), status));
    }
    // Next year's draft (2023 has the planner's already, made above: 409 for the planner).
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 404), ("plan", 409)] {
        t.push(row(u, M::POST, "/api/v1/programmes/{id}/copy", "/api/v1/programmes/{programme}/copy", None, status));
    }
    let report = Some(json!({"item": "1", "value": 2, "on": "2022-06-30"}));
    for (u, status) in [("view", 403), ("insp", 403), ("other", 404), ("org", 201), ("plan", 201)] {
        let path = "/api/v1/programmes/{programme}/progress";
        t.push(row(u, M::POST, "/api/v1/programmes/{id}/progress", path, report.clone(), status));
    }
    let amend =
        Some(json!({"item": "1", "changes": {"target": 6}, "on": "2022-06-30", "reason": "Nghị quyết bổ sung"}));
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 404), ("plan", 201)] {
        let path = "/api/v1/programmes/{programme}/amendments";
        t.push(row(u, M::POST, "/api/v1/programmes/{id}/amendments", path, amend.clone(), status));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        let path = "/api/v1/programmes/{programme}/amendments";
        t.push(row(u, M::GET, "/api/v1/programmes/{id}/amendments", path, None, status));
    }
    let close = Some(json!({"on": "2022-12-31"}));
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 404), ("plan", 200)] {
        let path = "/api/v1/programmes/{programme}/close";
        t.push(row(u, M::POST, "/api/v1/programmes/{id}/close", path, close.clone(), status));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        let path = "/api/v1/programmes/{programme}/export?format=xlsx";
        t.push(row(u, M::GET, "/api/v1/programmes/{id}/export", path, None, status));
    }
    let plan_file = Some(Value::String(
        "code,title,responsible,indicator,baseline,target,deadline\n1,Kết nạp 3 đảng viên,STC,count,0,3,2024-12-31\n"
            .into(),
    ));
    for (u, status) in [("view", 403), ("insp", 403), ("org", 403), ("other", 403), ("plan", 201)] {
        let path = "/api/v1/programmes/import?unit=STC&year=2024";
        t.push(row(u, M::POST, "/api/v1/programmes/import", path, plan_file.clone(), status));
    }
    // Congresses: computing from figures one brings is open to every signed-in user; sharing
    // a unit's delegates from the register reads its children's counts, as its structure.
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 403)] {
        let body = Some(json!({"seats": 5, "method": "hamilton", "unit": "KCQ", "as_of": "2023-01-01"}));
        t.push(row(u, M::POST, "/api/v1/congresses/apportion", "/api/v1/congresses/apportion", body, status));
    }
    for u in ["admin", "org", "insp", "plan", "view", "other"] {
        let body = Some(
            json!({"seats": 3, "method": "dhondt", "units": [{"unit": "A", "members": 10}, {"unit": "B", "members": 5}]}),
        );
        t.push(row(u, M::POST, "/api/v1/congresses/apportion", "/api/v1/congresses/apportion", body, 200));
        let body =
            Some(json!({"seats": 1, "base": "valid", "candidates": ["A", "B"], "ballots": [[1, 0], [0, 1], [1, 0]]}));
        t.push(row(u, M::POST, "/api/v1/congresses/count", "/api/v1/congresses/count", body, 200));
        let body = Some(json!({"seats": 10, "candidates": 12, "floor_support": 31, "present": 100}));
        t.push(row(u, M::POST, "/api/v1/congresses/list-check", "/api/v1/congresses/list-check", body, 200));
    }
    // Congresses on the record ({congress} is the setup's of STC, {congress2} of KCQ): every
    // role of the subtree reads them and the schedule; organizers plan, change, hold and
    // cancel; another subtree does not learn that one exists (404).
    for u in ["admin", "org", "insp", "plan", "view", "other"] {
        t.push(row(u, M::GET, "/api/v1/congresses/terms", "/api/v1/congresses/terms", None, 200));
    }
    for (u, read, write) in [
        ("admin", 200, 200),
        ("org", 200, 200),
        ("insp", 200, 403),
        ("plan", 200, 403),
        ("view", 200, 403),
        ("other", 403, 404),
    ] {
        let path = "/api/v1/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30";
        t.push(row(u, M::GET, "/api/v1/congresses/schedule", path, None, read));
        let one = if read == 200 { 200 } else { 404 };
        t.push(row(u, M::GET, "/api/v1/congresses/{id}", "/api/v1/congresses/{congress}", None, one));
        if u != "admin" {
            let body = Some(json!({"planned_on": "2025-04-05"}));
            let path = "/api/v1/congresses/{congress}/change";
            t.push(row(u, M::POST, "/api/v1/congresses/{id}/change", path, body, write));
        }
    }
    for (u, read, write, created) in [
        ("admin", 200, 200, 201),
        ("org", 200, 200, 201),
        ("insp", 200, 403, 403),
        ("view", 200, 403, 403),
        ("other", 404, 404, 404),
    ] {
        let path = "/api/v1/congresses/{congress}/elections";
        t.push(row(u, M::GET, "/api/v1/congresses/{id}/elections", path, None, read));
        let body = Some(json!({"title": format!("Ban Chấp hành {u}"), "seats": 3}));
        t.push(row(u, M::POST, "/api/v1/congresses/{id}/elections", path, body, created));
        let path = "/api/v1/congresses/elections/{election}";
        t.push(row(u, M::GET, "/api/v1/congresses/elections/{id}", path, None, read));
        let body =
            Some(json!({"candidates": [{"name": "An", "nomination": "list"}, {"name": "Bình", "nomination": "list"}]}));
        let path = "/api/v1/congresses/elections/{election}/candidates";
        t.push(row(u, M::PUT, "/api/v1/congresses/elections/{id}/candidates", path, body, write));
    }
    for (u, read, write) in
        [("admin", 200, 200), ("org", 200, 200), ("insp", 200, 403), ("view", 200, 403), ("other", 404, 404)]
    {
        let path = "/api/v1/congresses/{congress}/delegates";
        t.push(row(u, M::GET, "/api/v1/congresses/{id}/delegates", path, None, read));
        let body = Some(
            json!({"delegates": [{"name": "Bùi Thụy", "kind": "elected", "unit": "STC", "attendance": "present"}]}),
        );
        t.push(row(u, M::PUT, "/api/v1/congresses/{id}/delegates", path, body, write));
    }
    for (u, status) in [("view", 403), ("insp", 403), ("plan", 403), ("other", 403), ("org", 201)] {
        let body = Some(json!({"term": "2025-2030", "unit": "C-ORG", "planned_on": "2025-03-01", "pilot": true}));
        t.push(row(u, M::POST, "/api/v1/congresses", "/api/v1/congresses", body, status));
    }
    let body = Some(json!({"term": "2025-2030", "unit": "QN", "planned_on": "2025-09-01", "kind": "delegates"}));
    t.push(row("org", M::POST, "/api/v1/congresses", "/api/v1/congresses", body.clone(), 403));
    t.push(row("admin", M::POST, "/api/v1/congresses", "/api/v1/congresses", body, 201));
    // A congress's apportionment ({congress2}, the bloc's congress of delegates): organizers
    // record it and decide its ties; every reader of the congress reads it.
    let a = "/api/v1/congresses/{congress2}/apportionment";
    let template = "/api/v1/congresses/{id}/apportionment";
    for (u, status) in [("insp", 403), ("view", 403), ("other", 404), ("org", 200)] {
        let body = Some(json!({"method": "dhondt", "seats": 5, "ex_officio": 1, "as_of": "2024-01-01"}));
        t.push(row(u, M::PUT, template, a, body, status));
        let body = Some(json!({"tie": 99, "units": ["STC"], "reason": "Bốc thăm"}));
        let path = "/api/v1/congresses/{congress2}/apportionment/decisions";
        let decided = if status == 200 { 400 } else { status };
        t.push(row(u, M::POST, "/api/v1/congresses/{id}/apportionment/decisions", path, body, decided));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        t.push(row(u, M::GET, template, a, None, status));
    }
    for (u, status) in [("view", 403), ("plan", 403), ("other", 404), ("org", 200)] {
        let body = Some(json!({"on": "2025-04-05"}));
        t.push(row(u, M::POST, "/api/v1/congresses/{id}/hold", "/api/v1/congresses/{congress}/hold", body, status));
        let body = Some(json!({"reason": "Sáp nhập"}));
        let path = "/api/v1/congresses/{congress2}/cancel";
        t.push(row(u, M::POST, "/api/v1/congresses/{id}/cancel", path, body, status));
    }
    // An election's rounds ({election2}: the setup's 1 seat, An and Bình on the list; one
    // delegate present by now): organizers of the unit open, enter, count and publish; other
    // readers read the rounds once published (403 before), another subtree learns nothing.
    let r = "/api/v1/congresses/elections/{election2}/rounds";
    let rounds = "/api/v1/congresses/elections/{id}/rounds";
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 403), ("view", 403), ("other", 404)] {
        t.push(row(u, M::GET, rounds, r, None, status));
    }
    for (u, status) in [("insp", 403), ("view", 403), ("other", 404), ("org", 201), ("admin", 409)] {
        t.push(row(u, M::POST, rounds, r, None, status));
    }
    for (u, status) in [("insp", 403), ("view", 403), ("other", 404), ("org", 200)] {
        let template = "/api/v1/congresses/elections/{id}/rounds/{number}/ballots";
        let path = "/api/v1/congresses/elections/{election2}/rounds/1/ballots";
        t.push(row(u, M::POST, template, path, Some(json!({"kept": ["An"]})), status));
        t.push(row(u, M::PUT, template, path, Some(json!({"csv": "Bình,An\n0,1\n"})), status));
        let body = json!({"cast": 1, "valid": 1, "votes": [{"candidate": "An", "votes": 1}, {"candidate": "Bình", "votes": 0}]});
        let tally = "/api/v1/congresses/elections/{election2}/rounds/1/tally";
        t.push(row(u, M::PUT, "/api/v1/congresses/elections/{id}/rounds/{number}/tally", tally, Some(body), status));
    }
    for (u, status) in [("insp", 403), ("view", 403), ("other", 404), ("org", 200), ("admin", 409)] {
        let count = "/api/v1/congresses/elections/{election2}/rounds/1/count";
        let template = "/api/v1/congresses/elections/{id}/rounds/{number}/count";
        t.push(row(u, M::POST, template, count, Some(json!({"issued": 1})), status));
    }
    for (u, status) in [("insp", 403), ("view", 403), ("other", 404), ("org", 200)] {
        let path = "/api/v1/congresses/elections/{election2}/publish";
        t.push(row(u, M::POST, "/api/v1/congresses/elections/{id}/publish", path, None, status));
    }
    for (u, status) in [("insp", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        t.push(row(u, M::GET, rounds, r, None, status));
    }
    // Inspection (IP is the setup's programme of KCQ for 2022; I its inspection of STC,
    // concluded with R, a recommendation to STC owned by plan; C a case against a member of
    // STC): inspectors plan, run and decide; organizers report follow-up; whoever sees a unit
    // an inspection concerns reads that part of it.
    for (u, status) in [("admin", 200), ("insp", 200), ("org", 403), ("plan", 403), ("view", 403), ("other", 403)] {
        let path = "/api/v1/inspections/programmes?body=KCQ&year=2022";
        t.push(row(u, M::GET, "/api/v1/inspections/programmes", path, None, status));
        let path = "/api/v1/inspections/coverage?body=KCQ&year=2022&never_since=2020";
        t.push(row(u, M::GET, "/api/v1/inspections/coverage", path, None, status));
        t.push(row(u, M::GET, "/api/v1/recommendations", "/api/v1/recommendations?body=KCQ", None, status));
    }
    for (u, status) in [("view", 403), ("org", 403), ("plan", 403), ("other", 403), ("insp", 201)] {
        let body = Some(json!({"body": "KCQ", "year": 2023}));
        t.push(row(u, M::POST, "/api/v1/inspections/programmes", "/api/v1/inspections/programmes", body, status));
    }
    for (u, status) in [("admin", 200), ("insp", 200), ("org", 404), ("plan", 404), ("view", 404), ("other", 404)] {
        let path = "/api/v1/inspections/programmes/{iprog}";
        t.push(row(u, M::GET, "/api/v1/inspections/programmes/{id}", path, None, status));
        let path = "/api/v1/inspections/programmes/{iprog}/amendments";
        t.push(row(u, M::GET, "/api/v1/inspections/programmes/{id}/amendments", path, None, status));
    }
    let planned = Some(json!({"type": "regular_supervision", "subjects": ["STC"], "topic": "Sinh hoạt chi bộ",
        "from": "2022-05-01", "to": "2022-05-31", "head": "insp"}));
    for (u, status) in [("view", 404), ("org", 404), ("other", 404), ("insp", 201)] {
        let path = "/api/v1/inspections/programmes/{iprog}/inspections";
        t.push(row(u, M::POST, "/api/v1/inspections/programmes/{id}/inspections", path, planned.clone(), status));
    }
    let approve = Some(json!({"decision": "01-QĐ/UBKT", "on": "2022-01-10"}));
    for (u, status) in [("view", 404), ("org", 404), ("other", 404), ("insp", 200)] {
        let path = "/api/v1/inspections/programmes/{iprog}/approve";
        t.push(row(u, M::POST, "/api/v1/inspections/programmes/{id}/approve", path, approve.clone(), status));
    }
    for (u, status) in [("admin", 200), ("insp", 200), ("org", 200), ("plan", 200), ("view", 200), ("other", 404)] {
        t.push(row(u, M::GET, "/api/v1/inspections/{id}", "/api/v1/inspections/{inspection}", None, status));
        let path = "/api/v1/recommendations/{rec}";
        t.push(row(u, M::GET, "/api/v1/recommendations/{id}", path, None, status));
    }
    for (u, status) in [("org", 200), ("view", 200), ("other", 403)] {
        let path = "/api/v1/recommendations?addressee=STC&overdue=true&as_of=2022-12-31";
        t.push(row(u, M::GET, "/api/v1/recommendations", path, None, status));
    }
    // The setup's inspection is concluded: locked (409) for the inspector.
    let status_body = Some(json!({"status": "cancelled", "on": "2022-06-01", "reason": "trùng lịch"}));
    let conclude = Some(json!({"on": "2022-06-01", "findings": []}));
    let reschedule = Some(json!({"from": "2022-07-01", "to": "2022-07-20", "reason": "trùng lịch"}));
    for (u, status) in [("view", 403), ("org", 403), ("other", 404), ("insp", 409)] {
        let path = "/api/v1/inspections/{inspection}/status";
        t.push(row(u, M::POST, "/api/v1/inspections/{id}/status", path, status_body.clone(), status));
        let path = "/api/v1/inspections/{inspection}/conclude";
        t.push(row(u, M::POST, "/api/v1/inspections/{id}/conclude", path, conclude.clone(), status));
        let path = "/api/v1/inspections/{inspection}/reschedule";
        t.push(row(u, M::POST, "/api/v1/inspections/{id}/reschedule", path, reschedule.clone(), status));
    }
    let done = Some(json!({"on": "2022-06-01", "evidence": "Biên bản 3"}));
    for (u, status) in [("view", 403), ("insp", 403), ("other", 404), ("org", 200)] {
        let path = "/api/v1/recommendations/{rec}/done";
        t.push(row(u, M::POST, "/api/v1/recommendations/{id}/done", path, done.clone(), status));
    }
    let verify = Some(json!({"on": "2022-06-02"}));
    for (u, status) in [("view", 403), ("org", 403), ("other", 404), ("insp", 200)] {
        let path = "/api/v1/recommendations/{rec}/verify";
        t.push(row(u, M::POST, "/api/v1/recommendations/{id}/verify", path, verify.clone(), status));
    }
    for (u, status) in [("admin", 200), ("insp", 200), ("org", 200), ("plan", 403), ("view", 403), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/discipline", "/api/v1/discipline?unit=KCQ&year=2022", None, status));
    }
    let open = Some(json!({"member": "{member}", "measure": "reprimand", "body": "KCQ", "on": "2022-03-01"}));
    for (u, status) in [("view", 403), ("org", 403), ("plan", 403), ("other", 403), ("insp", 201)] {
        t.push(row(u, M::POST, "/api/v1/discipline", "/api/v1/discipline", open.clone(), status));
    }
    for (u, status) in [("admin", 200), ("insp", 200), ("org", 200), ("plan", 404), ("view", 404), ("other", 404)] {
        t.push(row(u, M::GET, "/api/v1/discipline/{id}", "/api/v1/discipline/{case}", None, status));
    }
    let issue = Some(json!({"decision": "02-QĐ/ĐU", "on": "2022-03-05"}));
    for (u, status) in [("view", 404), ("org", 403), ("other", 404), ("insp", 200)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/discipline/{id}/issue",
            "/api/v1/discipline/{case}/issue",
            issue.clone(),
            status,
        ));
    }
    // An appeal is decided by the body above KCQ: QN's inspectors or administrators.
    let appeal = Some(json!({"on": "2022-04-01", "outcome": "keep"}));
    for (u, status) in [("view", 404), ("org", 403), ("other", 404), ("insp", 403), ("admin", 200)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/discipline/{id}/appeal",
            "/api/v1/discipline/{case}/appeal",
            appeal.clone(),
            status,
        ));
    }
    // Import and export of members: organizers import; those who read members export.
    let file = Some(Value::String(
        "full_name,sex,birth_date,admitted_on,card_number\nPhan Văn Tệp,male,1990-01-01,2021-06-01,2000100\n".into(),
    ));
    for (u, status) in [("view", 403), ("plan", 403), ("insp", 403), ("other", 403), ("org", 200)] {
        t.push(row(u, M::POST, "/api/v1/members/import", "/api/v1/members/import?unit=STC", file.clone(), status));
    }
    for (u, status) in [("admin", 200), ("org", 200), ("insp", 200), ("plan", 403), ("view", 403), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/members/export", "/api/v1/members/export?unit=STC", None, status));
    }
    // Transfers: issued by the sender's organizers; seen from either side; accepted by the
    // receiver's (T is the setup's transfer of a member from STC to DN).
    let issue = Some(json!({"member": "{member}", "to_unit": "DN", "issued_on": "2022-07-01"}));
    for (u, status) in [("view", 404), ("plan", 404), ("other", 404), ("insp", 403), ("org", 201)] {
        t.push(row(u, M::POST, "/api/v1/transfers", "/api/v1/transfers", issue.clone(), status));
    }
    for (u, list, one) in [
        ("admin", 200, 200),
        ("org", 200, 200),
        ("insp", 200, 200),
        ("plan", 403, 404),
        ("view", 403, 404),
        ("other", 403, 200),
    ] {
        t.push(row(u, M::GET, "/api/v1/transfers", "/api/v1/transfers?unit=STC&pending=true", None, list));
        t.push(row(u, M::GET, "/api/v1/transfers/{id}", "/api/v1/transfers/{transfer}", None, one));
    }
    let close = Some(json!({"effective": "2022-08-01"}));
    for (u, status) in [("view", 404), ("plan", 404), ("other", 403)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/transfers/{id}/cancel",
            "/api/v1/transfers/{transfer}/cancel",
            close.clone(),
            status,
        ));
    }
    for (u, status) in [("view", 404), ("insp", 403), ("org", 403), ("other", 200)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/transfers/{id}/accept",
            "/api/v1/transfers/{transfer}/accept",
            close.clone(),
            status,
        ));
    }
    // Moving needs both the unit and the new parent in scope.
    let to = |parent: &str, d: &str| Some(json!({"effective": d, "parent": parent}));
    t.push(row(
        "view",
        M::POST,
        "/api/v1/units/{code}/move",
        "/api/v1/units/C-ORG/move",
        to("C-ADM", "2023-01-01"),
        403,
    ));
    t.push(row("org", M::POST, "/api/v1/units/{code}/move", "/api/v1/units/STC/move", to("DN", "2023-01-01"), 403));
    t.push(row("other", M::POST, "/api/v1/units/{code}/move", "/api/v1/units/STC/move", to("DN", "2023-01-01"), 403));
    t.push(row("admin", M::POST, "/api/v1/units/{code}/move", "/api/v1/units/STC/move", to("DN", "2023-01-01"), 200));
    // STC is now under DN: the KCQ organizer has lost it, the DN organizer has gained it.
    t.push(row("org", M::GET, "/api/v1/units/{code}", "/api/v1/units/STC", None, 403));
    t.push(row("other", M::GET, "/api/v1/units/{code}", "/api/v1/units/STC", None, 200));
    t.push(row("org", M::GET, "/api/v1/units/{code}", "/api/v1/units/STC?as_of=2022-06-01", None, 200));
    let end = |d: &str| Some(json!({"effective": d}));
    t.push(row(
        "view",
        M::POST,
        "/api/v1/units/{code}/dissolve",
        "/api/v1/units/C-ADM/dissolve",
        end("2024-01-01"),
        403,
    ));
    t.push(row(
        "org",
        M::POST,
        "/api/v1/units/{code}/dissolve",
        "/api/v1/units/C-ADM/dissolve",
        end("2024-01-01"),
        403,
    ));
    t.push(row(
        "other",
        M::POST,
        "/api/v1/units/{code}/dissolve",
        "/api/v1/units/C-ADM/dissolve",
        end("2024-01-01"),
        200,
    ));
    // Restructurings (STC is now under DN): every unit a draft names must be in scope; reading
    // to see and check it, changing the structure and the members to plan, apply or undo it.
    let plan = Some(json!({"title": "Đổi tên", "effective": "2030-01-01",
        "operations": [{"op": "rename", "unit": "STC", "names": {"vi": "Sở Tài chính mới"}}]}));
    for (u, status) in [("view", 403), ("plan", 403), ("insp", 403), ("org", 403), ("other", 201)] {
        t.push(row(u, M::POST, "/api/v1/restructurings", "/api/v1/restructurings", plan.clone(), status));
    }
    for u in ["admin", "org", "insp", "plan", "view", "other"] {
        t.push(row(u, M::GET, "/api/v1/restructurings", "/api/v1/restructurings", None, 200));
    }
    for (u, status) in [("admin", 200), ("org", 403), ("insp", 403), ("plan", 403), ("view", 403), ("other", 200)] {
        t.push(row(u, M::GET, "/api/v1/restructurings/{id}", "/api/v1/restructurings/{restructuring}", None, status));
        t.push(row(
            u,
            M::POST,
            "/api/v1/restructurings/{id}/check",
            "/api/v1/restructurings/{restructuring}/check",
            None,
            status,
        ));
        t.push(row(u, M::GET, "/api/v1/units/{code}/lineage", "/api/v1/units/STC/lineage", None, status));
    }
    for (u, status) in [("view", 403), ("org", 403), ("other", 200)] {
        t.push(row(
            u,
            M::POST,
            "/api/v1/restructurings/{id}/apply",
            "/api/v1/restructurings/{restructuring}/apply",
            None,
            status,
        ));
    }
    for (u, status) in [("view", 403), ("org", 403), ("other", 200)] {
        t.push(row(u, M::POST, "/api/v1/restructurings/undo", "/api/v1/restructurings/undo", None, status));
    }
    // The audit log: administrators only; the whole log for administrators of a whole tree.
    for (u, status) in [("admin", 200), ("org", 403), ("insp", 403), ("plan", 403), ("view", 403), ("other", 403)] {
        t.push(row(u, M::GET, "/api/v1/audit", "/api/v1/audit?unit=KCQ", None, status));
        t.push(row(u, M::GET, "/api/v1/audit", "/api/v1/audit", None, status));
    }
    t
}

async fn every_endpoint_checks_its_caller(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in
        [("KCQ", "bloc_committee", "QN"), ("DN", "bloc_committee", "QN"), ("STC", "grassroots_committee", "KCQ")]
    {
        let (s, b) = send(
            &app,
            &app.token,
            Method::POST,
            "/api/v1/units",
            Some(
                json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": code}}),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    let (s, m) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/members",
        Some(json!({"full_name": "Bùi Thụy", "sex": "female", "birth_date": "1995-01-01", "admitted_on": "2021-06-01", "unit": "STC"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let member_id = m["id"].as_str().unwrap().to_string();
    let (_, m2) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/members",
        Some(json!({"full_name": "Đỗ Văn Hai", "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2021-06-01", "unit": "STC"})),
    )
    .await;
    let (s, tr) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/transfers",
        Some(json!({"member": m2["id"], "to_unit": "DN", "issued_on": "2022-07-01", "document": "9-QĐ"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{tr}");
    let transfer_id = tr["id"].as_str().unwrap().to_string();
    let (s, c) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/candidates",
        Some(json!({"unit": "STC", "full_name": "Ứng Viên Một", "sex": "female", "birth_date": "2001-01-01", "proposed_on": "2022-01-05"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let candidate_id = c["id"].as_str().unwrap().to_string();
    let (s, r) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/restructurings",
        Some(json!({"title": "Đổi tên Sở", "effective": "2030-01-01",
            "operations": [{"op": "rename", "unit": "STC", "names": {"vi": "Sở Tài chính"}}]})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let restructuring_id = r["id"].as_str().unwrap().to_string();
    let (s, p) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/programmes",
        Some(json!({"unit": "STC", "year": 2022, "theme": "Đột phá"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let programme_id = p["id"].as_str().unwrap().to_string();
    let mut tokens = BTreeMap::new();
    tokens.insert("admin", app.token.clone());
    for (name, role, unit) in [
        ("org", Role::Organizer, "KCQ"),
        ("insp", Role::Inspector, "KCQ"),
        ("plan", Role::Planner, "KCQ"),
        ("view", Role::Viewer, "KCQ"),
        ("other", Role::Organizer, "DN"),
    ] {
        tokens.insert(name, app.user_with_token(name, role, unit).await);
    }
    let (s, ip) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/inspections/programmes",
        Some(json!({"body": "KCQ", "year": 2022})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{ip}");
    let iprog_id = ip["id"].as_str().unwrap().to_string();
    let (s, ins) = send(
        &app,
        &app.token,
        Method::POST,
        &format!("/api/v1/inspections/programmes/{iprog_id}/inspections"),
        Some(json!({"type": "finance", "subjects": ["STC"], "topic": "Đảng phí", "from": "2022-03-01",
            "to": "2022-03-31", "head": "insp"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{ins}");
    let inspection_id = ins["id"].as_str().unwrap().to_string();
    let (s, done) = send(
        &app,
        &app.token,
        Method::POST,
        &format!("/api/v1/inspections/{inspection_id}/conclude"),
        Some(json!({"on": "2022-04-01", "findings": [{"subject": "STC", "kind": "shortcoming", "text": "Sổ sách chậm"}],
            "recommendations": [{"finding": 1, "addressee": "STC", "text": "Cập nhật sổ", "due": "2022-05-31", "owner": "plan"}]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let rec_id = done["recommendations"][0]["id"].as_str().unwrap().to_string();
    let (s, case) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/discipline",
        Some(json!({"member": member_id, "measure": "warning", "body": "KCQ", "on": "2022-02-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let case_id = case["id"].as_str().unwrap().to_string();
    let mut congress_ids = vec![];
    for (unit, day, kind) in [("STC", "2025-04-01", "members"), ("KCQ", "2025-06-01", "delegates")] {
        let body = json!({"term": "2025-2030", "unit": unit, "planned_on": day, "kind": kind});
        let (s, c) = send(&app, &app.token, Method::POST, "/api/v1/congresses", Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        congress_ids.push(c["id"].as_str().unwrap().to_string());
    }
    let body = json!({"title": "Ban Chấp hành", "seats": 5});
    let path = format!("/api/v1/congresses/{}/elections", congress_ids[0]);
    let (s, e) = send(&app, &app.token, Method::POST, &path, Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let election_id = e["id"].as_str().unwrap().to_string();
    let body = json!({"title": "Ủy ban Kiểm tra", "seats": 1});
    let (s, e) = send(&app, &app.token, Method::POST, &path, Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let election2_id = e["id"].as_str().unwrap().to_string();
    let body = json!({"candidates": [{"name": "An", "nomination": "list"}, {"name": "Bình", "nomination": "list"}]});
    let path = format!("/api/v1/congresses/elections/{election2_id}/candidates");
    let (s, e) = send(&app, &app.token, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{e}");

    // The table covers every operation of the API.
    let (_, doc) = send(&app, "", Method::GET, "/api/v1/openapi.json", None).await;
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.clone(), path.clone()));
        }
    }
    let table = table();
    let covered: BTreeSet<_> =
        table.iter().map(|r| (r.method.as_str().to_lowercase(), r.template.to_string())).collect();
    for (method, path) in &operations {
        if PUBLIC.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        assert!(covered.contains(&(method.clone(), path.clone())), "{method} {path} has no row in the access table");
        // Without a token, and with a bad one: 401.
        let concrete = path.replace("{code}", "STC").replace("{id}", &member_id).replace("{number}", "1");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body = (method == Method::POST).then(|| json!({}));
        for token in ["", "ow_nope.not-a-token"] {
            let (s, b) = send(&app, token, method.clone(), &concrete, body.clone()).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{method} {concrete} with token '{token}' answered {b}");
            assert_eq!(b["error"]["code"], "unauthenticated");
        }
    }
    for (method, path) in PUBLIC {
        let (s, _) = send(&app, "", Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), path, None).await;
        assert_eq!(s, StatusCode::OK, "{path} is public");
    }

    for r in &table {
        let path = r
            .path
            .replace("{member}", &member_id)
            .replace("{transfer}", &transfer_id)
            .replace("{candidate}", &candidate_id)
            .replace("{restructuring}", &restructuring_id)
            .replace("{programme}", &programme_id)
            .replace("{iprog}", &iprog_id)
            .replace("{inspection}", &inspection_id)
            .replace("{rec}", &rec_id)
            .replace("{case}", &case_id)
            .replace("{congress}", &congress_ids[0])
            .replace("{congress2}", &congress_ids[1])
            .replace("{election2}", &election2_id)
            .replace("{election}", &election_id);
        let body =
            r.body.clone().map(|b| serde_json::from_str(&b.to_string().replace("{member}", &member_id)).unwrap());
        let (s, b) = send(&app, &tokens[r.user], r.method.clone(), &path, body).await;
        assert_eq!(
            s.as_u16(),
            r.status,
            "{} {} {} as {} answered {b}",
            r.method,
            r.path,
            r.body.clone().unwrap_or_default(),
            r.user
        );
        if s == StatusCode::FORBIDDEN {
            let code = b["error"]["code"].as_str().unwrap();
            assert!(["out_of_scope", "forbidden", "results_not_published"].contains(&code), "{b}");
        }
        if s == StatusCode::NOT_FOUND && r.template.starts_with("/api/v1/members") {
            assert_eq!(b["error"]["code"], "member_not_found", "{b}");
        }
        if s == StatusCode::NOT_FOUND && r.template.starts_with("/api/v1/candidates/") {
            assert_eq!(b["error"]["code"], "candidate_not_found", "{b}");
        }
        if s == StatusCode::NOT_FOUND && r.template.starts_with("/api/v1/programmes/") {
            assert_eq!(b["error"]["code"], "programme_not_found", "{b}");
        }
        if s == StatusCode::NOT_FOUND && r.template.starts_with("/api/v1/congresses/{id}") {
            assert_eq!(b["error"]["code"], "congress_not_found", "{b}");
        }
        if s == StatusCode::NOT_FOUND && r.template.starts_with("/api/v1/transfers/") {
            assert_eq!(b["error"]["code"], "transfer_not_found", "{b}");
        }
    }

    // Lists and searches show only what the caller may see.
    let (_, roots) = send(&app, &tokens["view"], Method::GET, "/api/v1/units", None).await;
    assert_eq!(
        roots["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect::<Vec<_>>(),
        ["KCQ"]
    );
    let (_, found) = send(&app, &tokens["other"], Method::GET, "/api/v1/units?q=c-", None).await;
    let codes: Vec<_> = found["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["C-ORG"], "the DN organizer sees the cells now under DN, and no other");
    let (_, found) = send(&app, &tokens["view"], Method::GET, "/api/v1/units?q=c-", None).await;
    assert!(found["items"].as_array().unwrap().is_empty(), "{found}");
    // A revoked token no longer works.
    let (_, all) = send(&app, &tokens["admin"], Method::GET, "/api/v1/audit?limit=1000", None).await;
    assert!(all["items"].as_array().unwrap().iter().any(|e| e["action"] == "unit.move" && e["actor"] == "admin"));
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| backend;
    every_endpoint_checks_its_caller,
);
