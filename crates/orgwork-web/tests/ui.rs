//! The web UI over plain HTTP, as a browser without JavaScript sees it: login and its cookies,
//! CSRF, languages, the tree opened by links, forms with errors by their fields, scope.

mod common;
use common::{Browser, send, spawn_app};
use orgwork_domain::access::Role;
use reqwest::Method;
use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;
use serde_json::json;

async fn the_ui_without_javascript(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in
        [("KCQ", "bloc_committee", "QN"), ("STC", "grassroots_committee", "KCQ"), ("DN", "bloc_committee", "QN")]
    {
        let r = app
            .http
            .post(format!("{}/api/v1/units", app.base))
            .bearer_auth(&app.token)
            .json(&json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": format!("Đảng bộ {code}")}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    app.user_with_token("secretary", Role::Organizer, "STC").await;

    // Anonymous: sent to the login page, which sets the CSRF cookie.
    let mut b = Browser::new(&app.base);
    let (s, _, loc) = b.get("/units?as_of=2024-01-01", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc.as_deref(), Some("/login?next=/units%3Fas_of%3D2024-01-01"));
    let (s, html, _) = b.get("/login", &[(ACCEPT_LANGUAGE.as_str(), "vi-VN,vi;q=0.9")]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(r#"<html lang="vi" dir="ltr">"#), "Accept-Language chooses Vietnamese");
    let csrf_line = b.set_cookie_lines.iter().find(|l| l.starts_with("orgwork_csrf=")).unwrap();
    assert!(csrf_line.contains("HttpOnly") && csrf_line.contains("SameSite=Strict"), "{csrf_line}");

    // A form without the CSRF token is refused.
    let (s, _, _) = b.post("/login", &[("name", "admin"), ("password", "a long enough password")], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A wrong password.
    let csrf = b.csrf();
    let (s, html, _) =
        b.post("/login", &[("csrf", &csrf), ("name", "admin"), ("password", "wrong password!")], &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(html.contains("role=\"alert\""));
    // The right one: a session cookie, HttpOnly and SameSite=Lax; Secure behind TLS.
    let (s, loc) = b.login("admin").await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/units")));
    let session = b.set_cookie_lines.iter().rev().find(|l| l.starts_with("orgwork_session=")).unwrap().clone();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"),
        "{session}"
    );
    let mut tls = Browser::new(&app.base);
    tls.get("/login", &[]).await;
    let csrf = tls.csrf();
    tls.post(
        "/login",
        &[("csrf", &csrf), ("name", "admin"), ("password", "a long enough password")],
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(tls.set_cookie_lines.iter().any(|l| l.starts_with("orgwork_session=") && l.contains("; Secure")));

    // The tree, opened by links (no JavaScript needed).
    let (s, html, _) = b.get("/units?as_of=2024-01-01", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("/units/KCQ?as_of=2024-01-01") && !html.contains("/units/STC?as_of"),
        "KCQ is closed at first"
    );
    assert!(html.contains("open=QN,KCQ"));
    let (_, html, _) = b.get("/units?as_of=2024-01-01&open=QN,KCQ", &[]).await;
    assert!(html.contains("/units/STC?as_of=2024-01-01"), "opening KCQ shows STC");
    let (_, html, _) = b.get("/units/KCQ/tree?as_of=2024-01-01", &[]).await;
    assert!(html.contains("/units/STC?as_of=2024-01-01") && !html.contains("<html"), "the htmx fragment");
    let (_, html, _) = b.get("/units?q=dang%20bo%20stc&as_of=2024-01-01", &[]).await;
    assert!(html.contains("/units/STC?as_of=2024-01-01"), "search");

    // A form with a bad date: refused with the error by its field, nothing changed.
    let csrf = b.csrf();
    let (s, html, _) =
        b.post("/units/STC/rename", &[("csrf", &csrf), ("effective", "2024-02-30"), ("name_vi", "Tên mới")], &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains(r#"id="rename-effective-error""#) && html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains("Tên mới"), "the form keeps what was typed");
    let (s, _, _) = b.post("/units/STC/rename", &[("effective", "2024-03-01"), ("name_vi", "Tên mới")], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no CSRF token, no change");
    let (_, html, _) = b.get("/units/STC?as_of=2024-06-01", &[]).await;
    assert!(html.contains("Đảng bộ STC") && !html.contains("Tên mới</bdi>"), "nothing was renamed");
    // A right one.
    let (s, _, loc) =
        b.post("/units/STC/rename", &[("csrf", &csrf), ("effective", "2024-03-01"), ("name_vi", "Tên mới")], &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/units/STC?as_of=2024-03-01&done=1")));
    let (_, html, _) = b.get("/units/STC?as_of=2024-03-01", &[]).await;
    assert!(html.contains(r#"<bdi lang="vi">Tên mới</bdi>"#), "a Vietnamese name on an English page says so");

    // The language, kept with the account.
    let (s, _, loc) = b.post("/language", &[("csrf", &csrf), ("lang", "ar"), ("next", "/units")], &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/units")));
    let (_, html, _) = b.get("/units", &[(ACCEPT_LANGUAGE.as_str(), "en")]).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));

    // A secretary: the own subtree only.
    let mut sec = Browser::new(&app.base);
    sec.login("secretary").await;
    let (s, html, _) = sec.get("/units?as_of=2024-06-01", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("/units/STC?") && !html.contains("/units/KCQ?") && !html.contains("/units/DN?"));
    let (s, _, _) = sec.get("/units/DN", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = sec.get("/units/DN/tree", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = sec.get("/audit", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let csrf = sec.csrf();
    let (s, _, _) =
        sec.post("/units/DN/rename", &[("csrf", &csrf), ("effective", "2024-03-01"), ("name_vi", "X")], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = sec.get("/units/NOPE", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Logging out ends the session.
    let (s, _, _) = sec.post("/logout", &[("csrf", &csrf)], &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = sec.get("/units", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

async fn choose_language(b: &mut Browser, token: &str) -> StatusCode {
    b.post("/language", &[("csrf", token), ("lang", "vi"), ("next", "/units")], &[]).await.0
}

/// Signed in, a form's CSRF token is bound to the session: a cookie and token pair planted in
/// the browser by someone else, or another session's token, does not pass.
async fn csrf_is_bound_to_the_session(backend: &str) {
    let app = spawn_app(backend).await;
    app.user_with_token("other", Role::Viewer, "QN").await;
    let mut victim = Browser::new(&app.base);
    victim.login("admin").await;
    let mut attacker = Browser::new(&app.base);
    attacker.get("/login", &[]).await;
    let (cookie, token) = (attacker.csrf_cookie(), attacker.csrf());
    assert_eq!(cookie, token, "before login the token is the cookie's");
    victim.cookies.retain(|(k, _)| k != "orgwork_csrf");
    victim.cookies.push(("orgwork_csrf".into(), cookie));
    assert_eq!(choose_language(&mut victim, &token).await, StatusCode::FORBIDDEN, "a planted pair");
    let mut other = Browser::new(&app.base);
    other.login("other").await;
    assert_eq!(choose_language(&mut victim, &other.csrf()).await, StatusCode::FORBIDDEN, "another session's token");
    let own = victim.csrf();
    assert_eq!(choose_language(&mut victim, &own).await, StatusCode::SEE_OTHER, "the session's own token");
}

/// Every coded value is shown by its name in the reader's language, on the member's page and
/// in the list, and the forms offer the names.
async fn values_are_shown_by_their_names(backend: &str) {
    let app = spawn_app(backend).await;
    let member = json!({"unit": "QN", "joined_on": "2020-01-01",
        "full_name": "Trần Thị Hoa", "sex": "female", "birth_date": "1990-01-01", "admitted_on": "2015-01-01",
        "occupation": "civil_servant", "education": "university", "theory_level": "intermediate"});
    let (s, m) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = m["id"].as_str().unwrap().to_string();
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    for (lang, words) in [
        ("vi", ["Nữ", "Công chức", "Đại học", "Trung cấp"]),
        ("en", ["Female", "Civil servant", "University", "Intermediate"]),
        ("ar", ["أنثى", "موظف حكومي", "جامعي", "متوسط"]),
    ] {
        let csrf = b.csrf();
        b.post("/language", &[("csrf", &csrf), ("lang", lang), ("next", "/units")], &[]).await;
        let (s, html, _) = b.get(&format!("/members/{id}"), &[]).await;
        assert_eq!(s, StatusCode::OK);
        for w in words {
            assert!(html.contains(w), "{lang}: the member's page lacks {w}");
        }
        for code in ["civil_servant", "university", "intermediate", "female"] {
            assert!(!html.contains(&format!(">{code}<")), "{lang}: the member's page shows the code {code}");
        }
        assert!(html.contains(&format!(r#"<option value="civil_servant" selected>{}</option>"#, words[1])), "{lang}");
        let unit =
            if lang == "en" { "Quang Ninh Provincial Party Committee" } else { "Đảng bộ tỉnh Quảng Ninh" };
        // A Vietnamese name on an Arabic page says it is Vietnamese.
        let attr = if lang == "ar" { r#" lang="vi""# } else { "" };
        assert!(
            html.contains(&format!("<bdi{attr}>{unit}</bdi></a> <span class=\"code\">QN</span>")),
            "{lang}: the unit by its name"
        );
        let (_, html, _) = b.get("/units/QN/members", &[]).await;
        assert!(html.contains(words[0]), "{lang}: the list shows the sex by its name");
        assert!(
            html.contains(&format!("<bdi{attr}>{unit}</bdi> <span class=\"code\">QN</span>")),
            "{lang}: the list names the unit"
        );
        assert!(html.contains(&format!(r#"<option value="civil_servant">{}</option>"#, words[1])), "{lang}: {html}");
    }
    // The audit log: newest first, actions by their names, times in the organization's time.
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "vi"), ("next", "/units")], &[]).await;
    let (s, html, _) = b.get("/audit", &[]).await;
    assert_eq!(s, StatusCode::OK);
    let (created, admitted) = (html.find(">thành lập tổ chức<"), html.find(">thêm đảng viên<"));
    assert!(admitted.is_some() && created.is_some() && admitted < created, "newest first, by name: {html}");
    assert!(!html.contains(">member.create<") && html.contains("UTC+07:00"), "{html}");
    assert!(html.contains(&format!(r#"<a href="/members/{id}"><bdi>đảng viên {id}</bdi></a>"#)), "{html}");
    let (s, _, _) = b.get("/members/not-a-number", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a malformed id is a member not found");
}

/// After login, the home page: the user's unit at a glance, every figure a link to its list.
async fn the_home_page_shows_the_unit_at_a_glance(backend: &str) {
    let app = spawn_app(backend).await;
    let unit = json!({"code": "STC", "kind": "grassroots_committee", "parent": "QN", "valid_from": "2020-01-01",
        "name": {"vi": "Đảng bộ Sở Tài chính", "en": "Department of Finance"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    for (name, sex) in [("Trần Thị Hoa", "female"), ("Lê Văn Nam", "male")] {
        let member = json!({"unit": "STC", "joined_on": "2020-01-01", "full_name": name, "sex": sex,
            "birth_date": "1990-01-01", "admitted_on": "2015-01-01"});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await.0, StatusCode::CREATED);
    }
    app.user_with_token("secretary", Role::Organizer, "STC").await;
    let mut b = Browser::new(&app.base);
    let (_, html, _) = b.get("/login", &[]).await;
    assert!(html.contains(r#"name="next" value="/""#), "after login, the home page");
    b.login("secretary").await;
    let (s, html, _) = b.get("/", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Department of Finance at a glance"), "{html}");
    assert!(html.contains(r#"<a href="/units/STC/members">2 members today</a>"#), "{html}");
    // The chart, and its table for screen readers, each row a link to the list it counts.
    assert!(html.contains(r#"<svg class="chart""#) && html.contains(r#"aria-hidden="true""#));
    assert!(html.contains(r#"category=female">Woman</a></th><td>1</td>"#), "{html}");
    assert!(html.contains(r#"<a href="/units/STC/transfers"><bdi>0</bdi></a>"#), "{html}");
    assert!(html.contains("Admitted in"), "{html}");
    // Both were admitted in 2015 and are still probationary: past their probation, flagged
    // here, on the unit's page, in the list and on each member's page.
    assert!(html.contains(r#"probation=over"><bdi>2</bdi></a>"#), "{html}");
    let (_, unit, _) = b.get("/units/STC", &[]).await;
    assert!(unit.contains("2 probationary members are past their probation"), "{unit}");
    let (_, list, _) = b.get("/units/STC/members?probation=over", &[]).await;
    assert!(list.contains("2 members found"), "{list}");
    let (_, list, _) = b.get("/units/STC/members?probation=over&status=official", &[]).await;
    assert!(list.contains("Nothing found"), "{list}");
    let path = "/api/v1/members?unit=STC&probation_over=true";
    let (_, found) = send(&app, &app.token, Method::GET, path, None).await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let (_, member, _) = b.get(&format!("/members/{id}"), &[]).await;
    assert!(member.contains("Probation ended on 1 January 2016"), "{member}");
    assert!(member.contains("None yet.") && member.contains("30 years, on 1 January 2045"), "the next badge: {member}");
    // In Vietnamese, the same figures in its words.
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "vi"), ("next", "/")], &[]).await;
    let (_, html, _) = b.get("/", &[]).await;
    assert!(html.contains("Tổng quan Đảng bộ Sở Tài chính") && html.contains("Đảng viên nữ"), "{html}");
    // The administrator, granted the root, sees the root.
    let mut a = Browser::new(&app.base);
    a.login("admin").await;
    let (_, html, _) = a.get("/", &[]).await;
    assert!(html.contains("Quang Ninh Provincial Party Committee at a glance"), "{html}");
}

/// Withdrawing a candidate is asked first: the page says what will happen and changes nothing
/// until the same form comes back confirmed.
async fn irreversible_actions_ask_first(backend: &str) {
    let app = spawn_app(backend).await;
    let candidate = json!({"unit": "QN", "full_name": "Mạc Thị Ứng", "sex": "female", "birth_date": "2000-03-03",
        "proposed_on": "2024-02-01"});
    let (s, c) = send(&app, &app.token, Method::POST, "/api/v1/candidates", Some(candidate)).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = c["id"].as_str().unwrap().to_string();
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    let csrf = b.csrf();
    // The same person proposed again (accents aside, the birth date written the Vietnamese
    // way) is warned of, and nothing is saved until proposed all the same.
    let again = [
        ("csrf", csrf.as_str()),
        ("full_name", "mac thi ung"),
        ("sex", "female"),
        ("birth_date", "03/03/2000"),
        ("proposed_on", "2024-03-01"),
    ];
    let (s, html, _) = b.post("/units/QN/candidates", &again, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Already in the pipeline") && html.contains("Mạc Thị Ứng, born 3 March 2000"), "{html}");
    assert!(html.contains(r#"name="confirmed" value="1""#) && html.contains("Propose all the same"), "{html}");
    let all = "/api/v1/candidates?unit=QN";
    let count = |v: serde_json::Value| v["items"].as_array().map(Vec::len);
    assert_eq!(count(send(&app, &app.token, Method::GET, all, None).await.1), Some(1), "the warning saves nothing");
    let anyway = [&again[..], &[("confirmed", "1")]].concat();
    let (s, _, loc) = b.post("/units/QN/candidates", &anyway, &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/units/QN/candidates?done=1")));
    assert_eq!(count(send(&app, &app.token, Method::GET, all, None).await.1), Some(2));
    let path = "/api/v1/candidates?unit=QN&waiting=true";
    let waiting = send(&app, &app.token, Method::GET, path, None).await.1["items"].as_array().map(Vec::len);
    assert_eq!(waiting, Some(2));
    let form = [("csrf", csrf.as_str()), ("effective", "2024-09-01"), ("back", "QN")];
    let (s, html, _) = b.post(&format!("/candidates/{id}/withdraw"), &form, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Withdraw Mạc Thị Ứng?") && html.contains(r#"name="confirmed" value="1""#), "{html}");
    let waiting = send(&app, &app.token, Method::GET, path, None).await.1["items"].as_array().map(Vec::len);
    assert_eq!(waiting, Some(2), "asking changes nothing");
    let confirmed = [("csrf", csrf.as_str()), ("effective", "2024-09-01"), ("back", "QN"), ("confirmed", "1")];
    let (s, _, loc) = b.post(&format!("/candidates/{id}/withdraw"), &confirmed, &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/units/QN/candidates?done=1")));
    let waiting = send(&app, &app.token, Method::GET, path, None).await.1["items"].as_array().map(Vec::len);
    assert_eq!(waiting, Some(1));
    // Outside the reader's scope, the one already waiting is not shown: only that someone
    // with what they typed is waiting in another unit.
    let stc = json!({"code": "STC", "kind": "grassroots_committee", "parent": "QN", "valid_from": "2020-01-01", "name": {"vi": "STC"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(stc)).await.0, StatusCode::CREATED);
    let known = json!({"unit": "QN", "full_name": "Lò Văn Kín", "sex": "male", "birth_date": "1999-09-09",
        "national_id": "001099000123", "proposed_on": "2024-02-01"});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/candidates", Some(known)).await.0, StatusCode::CREATED);
    app.user_with_token("sec", Role::Organizer, "STC").await;
    let mut sec = Browser::new(&app.base);
    sec.login("sec").await;
    let csrf = sec.csrf();
    let same_id = [
        ("csrf", csrf.as_str()),
        ("full_name", "Lò Văn Khác"),
        ("sex", "male"),
        ("birth_date", "1990-01-01"),
        ("national_id", "001099000123"),
        ("proposed_on", "2024-03-01"),
    ];
    let (s, html, _) = sec.post("/units/STC/candidates", &same_id, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Someone with what you typed") && html.contains("is waiting in another unit"), "{html}");
    assert!(!html.contains("Kín") && !html.contains("1999"), "nothing of the other record: {html}");
}

/// The link of a page's paging (`rel="next"` or `rel="prev"`), unescaped.
fn link_of(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!(r#"rel="{rel}" href=""#))? + rel.len() + 13;
    let end = html[at..].find('"')? + at;
    Some(html[at..end].replace("&amp;", "&").replace("&#38;", "&"))
}

/// The member list says how many it found and pages back and forward, numbering its pages.
async fn the_member_list_counts_and_pages_both_ways(backend: &str) {
    let app = spawn_app(backend).await;
    for i in 0..120 {
        let member = json!({"unit": "QN", "joined_on": "2020-01-01", "full_name": format!("Lê Văn Số {i:03}"),
            "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2015-01-01"});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await.0, StatusCode::CREATED);
    }
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    let (s, one, _) = b.get("/units/QN/members", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(one.contains("120 members found · Page 1") && link_of(&one, "prev").is_none(), "{one}");
    let two = b.get(&link_of(&one, "next").unwrap(), &[]).await.1;
    assert!(two.contains("120 members found · Page 2") && two.contains("Số 050") && !two.contains("Số 049"), "{two}");
    let three = b.get(&link_of(&two, "next").unwrap(), &[]).await.1;
    assert!(three.contains("Page 3") && three.contains("Số 119") && link_of(&three, "next").is_none(), "{three}");
    assert!(three.contains(">First page</a>"), "{three}");
    let back = b.get(&link_of(&three, "prev").unwrap(), &[]).await.1;
    assert!(back.contains("Page 2") && back.contains("Số 050") && back.contains("Số 099"), "back to page 2");
    let first = b.get(&link_of(&back, "prev").unwrap(), &[]).await.1;
    assert!(first.contains("Page 1") && first.contains("Số 000") && link_of(&first, "prev").is_none());
    // A search counts what it finds, in the reader's language.
    let (_, found, _) = b.get("/units/QN/members?q=so%2011", &[]).await;
    assert!(found.contains("11 members found · Page 1") && link_of(&found, "next").is_none(), "{found}");
    let (_, found, _) = b.get("/units/QN/members?q=van%20so", &[]).await;
    assert!(found.contains("120 members found · Page 1") && link_of(&found, "next").is_some(), "counted past a page");
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "vi"), ("next", "/units")], &[]).await;
    let (_, vi, _) = b.get("/units/QN/members?q=khong%20co%20ai", &[]).await;
    assert!(vi.contains("Không tìm thấy ai"), "{vi}");
}

/// The English messages of the locale file, as fragments a page would show: each value cut at
/// its placeholders, the fragments of two words or more, less those the other locale says
/// the same way (a code, a name).
fn english_fragments(other: &str) -> Vec<String> {
    let read = |lang: &str| {
        let path = format!("{}/locales/{lang}.ftl", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    };
    let values = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                l.split_once(" = ").map(|(_, v)| v.to_string()).or_else(|| {
                    let t = l.trim();
                    // A variant of a plural: `[one] One member`.
                    t.strip_prefix('*')
                        .unwrap_or(t)
                        .strip_prefix('[')
                        .and_then(|v| v.split_once("] "))
                        .map(|(_, v)| v.to_string())
                })
            })
            .collect()
    };
    let theirs: std::collections::BTreeSet<String> = values(&read(other)).into_iter().collect();
    let mut out = std::collections::BTreeSet::new();
    for v in values(&read("en")) {
        if theirs.contains(&v) {
            continue;
        }
        let mut rest = v.as_str();
        let mut pieces = vec![];
        while let Some(i) = rest.find('{') {
            pieces.push(&rest[..i]);
            rest = rest[i..].split_once('}').map_or("", |(_, r)| r);
        }
        pieces.push(rest);
        for p in pieces {
            let p = p.trim_matches(|c: char| !c.is_alphanumeric());
            if p.split_whitespace().count() >= 2 && p.is_ascii() && !theirs.iter().any(|t| t.contains(p)) {
                out.insert(p.to_string());
            }
        }
    }
    out.into_iter().collect()
}

/// A page's text as a reader sees it: no tags, no scripts, entities as characters.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        let end = if rest.starts_with("<script") {
            rest.find("</script>").map(|e| e + 9)
        } else {
            rest.find('>').map(|e| e + 1)
        };
        rest = end.map_or("", |e| &rest[e..]);
    }
    out.push_str(rest);
    out.replace("&#38;", "&").replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"").replace("&#34;", "\"")
}

/// No English on a Vietnamese or Arabic page: every page a user meets, with data, errors and
/// refusals, is searched for the English locale's messages.
async fn vietnamese_and_arabic_pages_carry_no_english(backend: &str) {
    let app = spawn_app(backend).await;
    let unit = json!({"code": "STC", "kind": "grassroots_committee", "parent": "QN", "valid_from": "2020-01-01",
        "name": {"vi": "Đảng bộ Sở Tài chính", "en": "Department of Finance", "ar": "دائرة المالية"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    let member = json!({"unit": "STC", "joined_on": "2020-01-01", "full_name": "Trần Thị Hoa", "sex": "female",
        "birth_date": "1990-01-01", "admitted_on": "2015-01-01", "occupation": "civil_servant"});
    let (_, m) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await;
    let id = m["id"].as_str().unwrap().to_string();
    let candidate = json!({"unit": "STC", "full_name": "Mạc Thị Ứng", "sex": "female", "birth_date": "2000-03-03",
        "proposed_on": "2024-02-01"});
    assert_eq!(
        send(&app, &app.token, Method::POST, "/api/v1/candidates", Some(candidate)).await.0,
        StatusCode::CREATED
    );
    let transfer = json!({"member": id, "to_unit": "QN", "issued_on": "2024-05-01"});
    let (s, t) = send(&app, &app.token, Method::POST, "/api/v1/transfers", Some(transfer)).await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let items = json!([{"code": "1", "title": "Tăng cường kiểm tra", "responsible": "STC", "deadline": "2025-12-31"}]);
    let (s, p) = send(
        &app,
        &app.token,
        Method::POST,
        "/api/v1/programmes",
        Some(json!({"unit": "STC", "year": 2025, "items": items})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let programme = format!("/programmes/{}", p["id"].as_str().unwrap());
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    for lang in ["vi", "ar"] {
        let english = english_fragments(lang);
        assert!(english.iter().any(|f| f == "Date of birth"), "the fragments are read");
        let csrf = b.csrf();
        b.post("/language", &[("csrf", &csrf), ("lang", lang), ("next", "/")], &[]).await;
        let mut pages = vec![];
        for path in [
            "/".to_string(),
            "/units".into(),
            "/units?q=tai%20chinh".into(),
            "/units/STC".into(),
            "/units/STC/members".into(),
            "/units/STC/members?q=khong%20co%20ai".into(),
            "/units/STC/members/import".into(),
            "/units/STC/transfers".into(),
            "/units/QN/transfers".into(),
            "/units/STC/candidates".into(),
            format!("/members/{id}"),
            "/audit".into(),
            "/restructurings".into(),
            "/units/NOPE".into(),
            "/members/12345".into(),
            programme.clone(),
            "/units/STC/programme?year=2031".into(),
        ] {
            let (_, html, _) = b.get(&path, &[]).await;
            pages.push((path, html));
        }
        let csrf = b.csrf();
        // Refusals: a form with faults, an error beside its field.
        let bad = [
            ("csrf", csrf.as_str()),
            ("full_name", ""),
            ("sex", "female"),
            ("birth_date", "31/02/1990"),
            ("admitted_on", "2024-01-01"),
        ];
        let (_, html, _) = b.post("/units/STC/members", &bad, &[]).await;
        pages.push(("a refused admission".into(), html));
        let again = [
            ("csrf", csrf.as_str()),
            ("full_name", "mac thi ung"),
            ("sex", "female"),
            ("birth_date", "03/03/2000"),
            ("proposed_on", "2024-03-01"),
        ];
        let (_, html, _) = b.post("/units/STC/candidates", &again, &[]).await;
        pages.push(("a candidate already waiting".into(), html));
        for (path, html) in &pages {
            let text = visible_text(html);
            let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
            assert!(found.is_empty(), "{lang} {path}: English {found:?} in {text}");
        }
    }
    // The search finds English where there is: the same pages in English.
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "en"), ("next", "/")], &[]).await;
    let english = english_fragments("vi");
    for path in ["/units/STC/members", "/units/NOPE", "/audit"] {
        let text = visible_text(&b.get(path, &[]).await.1);
        assert!(english.iter().filter(|f| text.contains(f.as_str())).count() >= 2, "{path}: {text}");
    }
}

/// A work programme's page: the lint's findings beside their items in the reader's language,
/// approval refused then given from the page, progress reported, the achievement as of a day.
async fn a_work_programme_page(backend: &str) {
    let app = spawn_app(backend).await;
    let unit = json!({"code": "STC", "kind": "grassroots_committee", "parent": "QN", "valid_from": "2020-01-01",
        "name": {"vi": "Đảng bộ Sở Tài chính", "en": "Department of Finance"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    let good = json!({"code": "1", "title": "Kết nạp 10 đảng viên", "responsible": "STC", "indicator": "count",
        "unit": "đảng viên", "baseline": 0, "target": 10, "deadline": "2025-12-31"});
    let vague =
        json!({"code": "2", "title": "Tăng cường công tác kiểm tra", "responsible": "STC", "deadline": "2025-12-31"});
    let body = json!({"unit": "STC", "year": 2025, "theme": "Đột phá", "items": [good, vague]});
    let (s, p) = send(&app, &app.token, Method::POST, "/api/v1/programmes", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    let page = format!("/programmes/{id}");
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    let (s, _, loc) = b.get("/units/STC/programme?year=2025", &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some(page.as_str())));
    let (s, html, _) = b.get(&page, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Work programme of Department of Finance, 2025") && html.contains(">Draft"), "{html}");
    assert!(html.contains(r#"<span class="field-error">Indicator: no indicator"#), "{html}");
    assert!(
        html.contains("Item: &#39;tăng cường&#39; is vague") || html.contains("Item: 'tăng cường' is vague"),
        "{html}"
    );
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "vi"), ("next", "/")], &[]).await;
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("Loại chỉ tiêu: chưa có loại chỉ tiêu"), "{html}");
    // Approval from the page is refused while a fault stands, and changes nothing.
    let approve = [("csrf", csrf.as_str()), ("decision", "01-QĐ/ĐU"), ("on", "15/01/2025")];
    let (s, html, _) = b.post(&format!("{page}/approve"), &approve, &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Chưa thể phê duyệt"), "{html}");
    let items = json!({"items": [{"code": "1", "title": "Kết nạp 10 đảng viên", "responsible": "STC", "indicator": "count",
        "baseline": 0, "target": 10, "deadline": "2025-12-31"}]});
    assert_eq!(
        send(&app, &app.token, Method::PUT, &format!("/api/v1{page}/items"), Some(items)).await.0,
        StatusCode::OK
    );
    let (s, _, loc) = b.post(&format!("{page}/approve"), &approve, &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some(format!("{page}?done=1").as_str())));
    let report = [("csrf", csrf.as_str()), ("item", "1"), ("value", "4"), ("on", "30/06/2025"), ("note", "quý II")];
    let (s, _, _) = b.post(&format!("{page}/progress"), &report, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get(&format!("{page}?as_of=2025-06-30"), &[]).await;
    assert!(
        html.contains("Đã phê duyệt") && html.contains(r#"<strong id="programme-completion">40 %</strong>"#),
        "{html}"
    );
    assert!(html.contains("quý II"), "{html}");
    let (_, html, _) = b.get(&format!("{page}?as_of=2026-01-05"), &[]).await;
    assert!(html.contains("quá hạn"), "past its deadline and not done: {html}");
    // The unit's page: the completion chart with its table, the overdue list.
    let (_, html, _) = b.get("/units/STC?as_of=2025-06-30", &[]).await;
    assert!(html.contains("Chương trình công tác năm 2025") && html.contains(r#"<svg class="chart""#), "{html}");
    assert!(html.contains("<td>40 %</td>") && !html.contains("overdue-list"), "{html}");
    let (_, html, _) = b.get("/units/STC?as_of=2025-12-31", &[]).await;
    assert!(!html.contains("overdue-list"), "due that day, not yet overdue: {html}");
    let (_, html, _) = b.get("/units/QN?as_of=2025-12-31", &[]).await;
    assert!(html.contains("chưa có chương trình") && html.contains("<td>40 %</td>"), "the child's completion: {html}");
    // Amended from the page: the target raised, on the record with its reason.
    let amend = [
        ("csrf", csrf.as_str()),
        ("item", "1"),
        ("target", "20"),
        ("on", "01/07/2025"),
        ("reason", "Nghị quyết bổ sung 05-NQ/ĐU"),
    ];
    let (s, _, loc) = b.post(&format!("{page}/amend"), &amend, &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some(format!("{page}?done=1#history").as_str())));
    let (_, html, _) = b.get(&format!("{page}?as_of=2025-07-01"), &[]).await;
    assert!(html.contains("Mục tiêu: <bdi>10</bdi> → <bdi>20</bdi>") && html.contains("Nghị quyết bổ sung"), "{html}");
    assert!(html.contains(r#"<strong id="programme-completion">20 %</strong>"#), "{html}");
    let empty = [("csrf", csrf.as_str()), ("item", "1"), ("target", "20"), ("on", "01/07/2025"), ("reason", "x")];
    let (s, html, _) = b.post(&format!("{page}/amend"), &empty, &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "an amendment that changes nothing: {html}");
    // Another subtree's organizer does not learn that it exists, on the page or in the API.
    let dn = json!({"code": "DN", "kind": "grassroots_committee", "parent": "QN", "valid_from": "2020-01-01", "name": {"vi": "DN"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(dn)).await.0, StatusCode::CREATED);
    let token = app.user_with_token("elsewhere", Role::Organizer, "DN").await;
    assert_eq!(send(&app, &token, Method::GET, &format!("/api/v1{page}"), None).await.0, StatusCode::NOT_FOUND);
    let mut other = Browser::new(&app.base);
    other.login("elsewhere").await;
    assert_eq!(other.get(&page, &[]).await.0, StatusCode::NOT_FOUND);
    let csrf = other.csrf();
    let amend = [("csrf", csrf.as_str()), ("item", "1"), ("target", "30"), ("on", "01/07/2025"), ("reason", "x")];
    assert_eq!(other.post(&format!("{page}/amend"), &amend, &[]).await.0, StatusCode::NOT_FOUND);
    let (_, history) = send(&app, &app.token, Method::GET, &format!("/api/v1{page}/amendments"), None).await;
    assert_eq!(history["items"].as_array().unwrap().len(), 1, "nothing amended from outside: {history}");
    // Every other page and form of the programme, from outside: not found, nothing changed.
    let before = send(&app, &app.token, Method::GET, &format!("/api/v1{page}"), None).await.1;
    for (path, form) in [
        (format!("{page}/progress"), vec![("item", "1"), ("value", "9"), ("on", "01/08/2025")]),
        (format!("{page}/approve"), vec![("decision", "9"), ("on", "01/08/2025")]),
        (format!("{page}/close"), vec![("on", "31/12/2025"), ("confirmed", "1")]),
    ] {
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form);
        assert_eq!(other.post(&path, &fields, &[]).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(other.get(&format!("{page}/export?format=csv"), &[]).await.0, StatusCode::NOT_FOUND);
    let file =
        "code,title,responsible,indicator,baseline,target,deadline\n1,Kết nạp 3 đảng viên,STC,count,0,3,2026-12-31\n";
    let fields = [("csrf", csrf.as_str()), ("year", "2026")];
    let (s, _, _) = other.post_file(&format!("{page}/import"), &fields, ("file", file.as_bytes())).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = other.post_file("/units/STC/programme", &fields, ("file", file.as_bytes())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The admin's upload makes next year's draft; a file with a fault names it by row and column.
    let admin_csrf = b.csrf();
    let bad = file.replace(",3,2026", ",ba,2026");
    let fields = [("csrf", admin_csrf.as_str()), ("year", "2026")];
    let (s, html, _) = b.post_file("/units/STC/programme", &fields, ("file", bad.as_bytes())).await;
    assert!(s == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Mục tiêu") && html.contains(">ba<"), "{html}");
    let (s, _, loc) = b.post_file("/units/STC/programme", &fields, ("file", file.as_bytes())).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{loc:?}");
    let (_, html, _) = b.get(loc.as_deref().unwrap(), &[]).await;
    assert!(html.contains("Kết nạp 3 đảng viên") && html.contains("năm 2026"), "{html}");
    assert_eq!(other.get("/units/STC/programme?year=2025", &[]).await.0, StatusCode::FORBIDDEN);
    let after = send(&app, &app.token, Method::GET, &format!("/api/v1{page}"), None).await.1;
    assert_eq!(before, after, "nothing changed from outside");
    // A cell responsible for an item reads the programme and reports on that item, no other.
    let cell = json!({"code": "STC-C1", "kind": "subordinate_cell", "parent": "STC", "valid_from": "2020-01-01", "name": {"vi": "Chi bộ 1"}});
    assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(cell)).await.0, StatusCode::CREATED);
    let add = json!({"item": "3", "reason": "Giao chi bộ 1", "on": "2025-07-01", "changes": {"title": "Kết nạp 2 đảng viên",
        "responsible": "STC-C1", "indicator": "count", "baseline": 0, "target": 2, "deadline": "2025-12-31"}});
    let (s, body) = send(&app, &app.token, Method::POST, &format!("/api/v1{page}/amendments"), Some(add)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let token = app.user_with_token("cell", Role::Organizer, "STC-C1").await;
    assert_eq!(send(&app, &token, Method::GET, &format!("/api/v1{page}"), None).await.0, StatusCode::OK);
    let report = |item: &str| Some(json!({"item": item, "value": 1, "on": "2025-08-01"}));
    let progress = format!("/api/v1{page}/progress");
    assert_eq!(send(&app, &token, Method::POST, &progress, report("3")).await.0, StatusCode::CREATED);
    assert_eq!(send(&app, &token, Method::POST, &progress, report("1")).await.0, StatusCode::FORBIDDEN);
    let mut cell_page = Browser::new(&app.base);
    cell_page.login("cell").await;
    let (s, html, _) = cell_page.get(&page, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(r#"<option value="3">"#) && !html.contains(r#"<option value="1">"#), "{html}");
    // Closed from the page, after a page that asks.
    let csrf_admin = b.csrf();
    let close = [("csrf", csrf_admin.as_str()), ("on", "31/12/2025")];
    let (s, html, _) = b.post(&format!("{page}/close"), &close, &[]).await;
    assert!(s == StatusCode::OK && html.contains("Không thể hoàn tác"), "{html}");
    let confirmed = [("csrf", csrf_admin.as_str()), ("on", "2025-12-31"), ("confirmed", "1")];
    let (s, _, _) = b.post(&format!("{page}/close"), &confirmed, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("Đã kết thúc"), "{html}");
    assert!(!html.contains(&format!(r#"action="{page}/amend""#)), "no amendment once closed: {html}");
}

/// A restructuring that dissolves a cell responsible for an open programme item: the check
/// fails naming the item until the draft (from the API) gives it a destination; the draft's
/// page lists the item and who takes it over, in the reader's language.
async fn a_restructuring_hands_programme_items_over(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [("STC", "grassroots_committee", "QN"), ("STC-C1", "subordinate_cell", "STC")] {
        let unit = json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01",
            "name": {"vi": format!("Chi bộ {code}"), "en": format!("Cell {code}")}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    }
    let item = json!({"code": "1", "title": "Kết nạp 3 đảng viên", "responsible": "STC-C1", "indicator": "count",
        "baseline": 0, "target": 3, "deadline": "2026-12-31"});
    let body = json!({"unit": "STC", "year": 2026, "items": [item]});
    let (_, p) = send(&app, &app.token, Method::POST, "/api/v1/programmes", Some(body)).await;
    let id = p["id"].as_str().unwrap().to_string();
    let approve = json!({"decision": "01-QĐ/ĐU", "on": "2026-01-10"});
    let (s, b) = send(&app, &app.token, Method::POST, &format!("/api/v1/programmes/{id}/approve"), Some(approve)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let dissolve = json!([{"op": "dissolve", "unit": "STC-C1"}]);
    let plan = |plan_items: serde_json::Value| json!({"title": "Giải thể chi bộ", "effective": "2026-07-01", "operations": dissolve.clone(), "plan_items": plan_items});
    let (s, r) = send(&app, &app.token, Method::POST, "/api/v1/restructurings", Some(plan(json!([])))).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (_, check) = send(
        &app,
        &app.token,
        Method::POST,
        &format!("/api/v1/restructurings/{}/check", r["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(check["passed"], false, "{check}");
    assert_eq!(check["failures"][0]["rule"], "plan_items_reassigned", "{check}");
    assert_eq!(
        (check["failures"][0]["programme"].as_str(), check["failures"][0]["item"].as_str()),
        (Some(id.as_str()), Some("1"))
    );
    let mut b = Browser::new(&app.base);
    b.login("admin").await;
    let csrf = b.csrf();
    b.post("/language", &[("csrf", &csrf), ("lang", "vi"), ("next", "/")], &[]).await;
    let (_, html, _) = b.get(&format!("/restructurings/{}?check=1", r["id"].as_str().unwrap()), &[]).await;
    assert!(
        html.contains("Mục 1 của chương trình công tác") && html.contains("chưa có: hãy chỉ đơn vị tiếp nhận"),
        "{html}"
    );
    let to = json!([{"programme_unit": "STC", "year": 2026, "item": "1", "to": "STC"}]);
    let (s, r) = send(&app, &app.token, Method::POST, "/api/v1/restructurings", Some(plan(to))).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let rid = r["id"].as_str().unwrap().to_string();
    let (_, html, _) = b.get(&format!("/restructurings/{rid}?check=1"), &[]).await;
    assert!(html.contains("Nhiệm vụ đang thực hiện được chuyển giao") && html.contains("Chi bộ STC (STC)"), "{html}");
    let (_, applied) = send(&app, &app.token, Method::POST, &format!("/api/v1/restructurings/{rid}/apply"), None).await;
    assert_eq!(applied["applied"], true, "{applied}");
    let (_, history) = send(&app, &app.token, Method::GET, &format!("/api/v1/programmes/{id}/amendments"), None).await;
    assert_eq!(history["items"][0]["restructuring"].as_str(), Some(rid.as_str()), "{history}");
    assert_eq!(history["items"][0]["before"]["responsible"], "STC-C1");
    assert_eq!(history["items"][0]["after"]["responsible"], "STC");
}

/// Inspection's pages, from the programme to the verified follow-up, as each role sees them:
/// the inspector plans (a conflict of interest refused beside the form, then overridden),
/// concludes from the form, and verifies; the secretary reports done and sees only their
/// unit's part; another subtree's organizer gets nothing; no English on vi and ar pages.
async fn inspection_pages_from_plan_to_follow_up(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent, en) in [
        ("KCQ", "bloc_committee", "QN", "Agencies Bloc"),
        ("STC", "grassroots_committee", "KCQ", "Department of Finance"),
        ("STC-C1", "subordinate_cell", "STC", "Office cell"),
        ("BAO", "grassroots_cell", "KCQ", "Newspaper"),
    ] {
        let unit = json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01",
            "name": {"vi": format!("Đơn vị {code}"), "en": en}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    }
    let member = json!({"unit": "STC-C1", "full_name": "Lê Thị Kiểm", "sex": "female", "birth_date": "1985-01-01",
        "admitted_on": "2021-01-01"});
    let (_, m) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await;
    let member = m["id"].as_str().unwrap().to_string();
    app.user_with_token("insp", Role::Inspector, "KCQ").await;
    app.user_with_token("head", Role::Inspector, "KCQ").await;
    app.user_with_token("sec", Role::Organizer, "STC-C1").await;
    app.user_with_token("other", Role::Organizer, "BAO").await;
    app.db.store.link_member(&common::actor(), "insp", Some(member.parse().unwrap())).await.unwrap();

    let mut b = Browser::new(&app.base);
    b.login("insp").await;
    let (s, html, _) = b.get("/inspections?unit=KCQ&year=2025", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Draft the 2025 programme"), "{html}");
    let csrf = b.csrf();
    let (s, _, loc) =
        b.post("/inspections/programmes", &[("csrf", &csrf), ("body", "KCQ"), ("year", "2025")], &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/inspections?unit=KCQ&year=2025&done=1")));
    let (_, html, _) = b.get("/inspections?unit=KCQ&year=2025", &[]).await;
    let pid = html.split("/inspections/programmes/").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
    let plan = |extra: &'static str| {
        vec![
            ("type", "finance"),
            ("subjects", "STC"),
            ("topic", "Đảng phí 2024"),
            ("criteria", "Quyết định 342-QĐ/TW"),
            ("from_on", "2025-03-01"),
            ("to_on", "2025-03-31"),
            ("head", "head"),
            ("members", "insp"),
            ("override_conflict", extra),
        ]
    };
    let mut form = plan("");
    form.push(("csrf", &csrf));
    let (s, html, _) = b.post(&format!("/inspections/programmes/{pid}/plan"), &form, &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("A team member belongs to a subject") && html.contains("Lê Thị Kiểm"), "{html}");
    assert!(html.contains(r#"value="Đảng phí 2024""#), "the form keeps what was typed");
    let mut form = plan("Chuyên gia duy nhất");
    form.push(("csrf", &csrf));
    let (s, _, loc) = b.post(&format!("/inspections/programmes/{pid}/plan"), &form, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let page = loc.unwrap().split('?').next().unwrap().to_string();
    let id = page.trim_start_matches("/inspections/").to_string();
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("Conflicts of interest overridden") && html.contains("Chuyên gia duy nhất"), "{html}");
    let conclude = [
        ("csrf", csrf.as_str()),
        ("concluded_on", "2025-04-02"),
        ("f1_subject", "STC-C1"),
        ("f1_kind", "violation"),
        ("f1_severity", "minor"),
        ("f1_regulation", "QĐ 342, mục 4"),
        ("f1_text", "Thu đảng phí chậm"),
        ("f2_subject", "BAO"),
        ("f2_kind", "shortcoming"),
        ("f2_text", ""),
        ("r1_finding", "1"),
        ("r1_addressee", "STC-C1"),
        ("r1_text", "Thu đảng phí hằng tháng"),
        ("r1_due_on", "2025-06-30"),
        ("r1_owner", "sec"),
    ];
    let (s, _, loc) = b.post(&format!("{page}/conclude"), &conclude, &[]).await;
    assert_eq!((s, loc.as_deref()), (StatusCode::SEE_OTHER, Some(format!("{page}?done=1").as_str())));
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("Concluded") && html.contains("Thu đảng phí hằng tháng"), "{html}");
    assert!(!html.contains("/conclude"), "a concluded inspection offers no conclusion form");
    for doc in ["decision", "conclusion"] {
        let (s, html, _) = b.get(&format!("{page}/print/{doc}"), &[]).await;
        assert_eq!(s, StatusCode::OK, "{doc}");
        assert!(html.contains("Thu đảng phí") || doc == "decision", "{html}");
    }
    let rec = app.db.store.inspection(id.parse().unwrap()).await.unwrap().recommendations[0].id.to_string();

    // The secretary reports it done; the inspector verifies it.
    let mut sec = Browser::new(&app.base);
    sec.login("sec").await;
    let (s, html, _) = sec.get(&page, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Thu đảng phí chậm") && !html.contains("Chuyên gia duy nhất"), "only their part: {html}");
    let (_, html, _) = sec.get("/recommendations", &[]).await;
    assert!(html.contains("Thu đảng phí hằng tháng") && html.contains("Report done"), "{html}");
    let c = sec.csrf();
    let done =
        [("csrf", c.as_str()), ("evidence", "Biên bản 5"), ("done_on", "2025-05-02"), ("back", "/recommendations")];
    let (s, _, loc) = sec.post(&format!("/recommendations/{rec}/done"), &done, &[]).await;
    assert_eq!((s, loc), (StatusCode::SEE_OTHER, Some(format!("/recommendations?done=1#rec-{rec}"))));
    let verify = [("csrf", c.as_str()), ("verified_on", "2025-05-03"), ("accept", "yes")];
    let (s, _, _) = sec.post(&format!("/recommendations/{rec}/verify"), &verify, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an organizer does not verify");
    let verify = [("csrf", csrf.as_str()), ("verified_on", "2025-05-03"), ("accept", "yes")];
    let (s, _, _) = b.post(&format!("/recommendations/{rec}/verify"), &verify, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get("/recommendations?unit=KCQ&view=all", &[]).await;
    assert!(html.contains("Verified"), "{html}");
    let (s, html, _) = sec.get("/inspections", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "who inspects nothing goes to the follow-up: {html}");

    // Discipline from the pages.
    let open = [
        ("csrf", csrf.as_str()),
        ("body", "KCQ"),
        ("against", "unit"),
        ("target", "BAO"),
        ("member_measure", "reprimand"),
        ("unit_measure", "warning"),
        ("opened_on", "2025-05-10"),
        ("reason", "Báo cáo chậm"),
    ];
    let (s, _, loc) = b.post("/discipline", &open, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let case = loc.unwrap().split('?').next().unwrap().to_string();
    let issue = [("csrf", csrf.as_str()), ("decision", "03-QĐ/ĐUK"), ("issued_on", "2025-05-12")];
    assert_eq!(b.post(&format!("{case}/issue"), &issue, &[]).await.0, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get(&case, &[]).await;
    assert!(html.contains("Decision issued") && html.contains("03-QĐ/ĐUK"), "{html}");
    let (_, html, _) = b.get("/inspections/coverage?unit=KCQ&year=2025&since=2024", &[]).await;
    assert!(html.contains("cover-inspected") && html.contains("Not covered since 2024"), "{html}");

    // Another subtree's organizer: nothing of it.
    let mut other = Browser::new(&app.base);
    other.login("other").await;
    for path in [page.clone(), format!("{page}/print/conclusion")] {
        assert_eq!(other.get(&path, &[]).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    // The case against their own organization they do read.
    assert_eq!(other.get(&case, &[]).await.0, StatusCode::OK);
    let mut sec_case = Browser::new(&app.base);
    sec_case.login("sec").await;
    assert_eq!(sec_case.get(&case, &[]).await.0, StatusCode::NOT_FOUND, "another unit's case");
    assert_eq!(other.get("/inspections?unit=KCQ&year=2025", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(other.get("/inspections/coverage?unit=KCQ&year=2025", &[]).await.0, StatusCode::FORBIDDEN);
    let oc = other.csrf();
    let done = [("csrf", oc.as_str()), ("evidence", "x"), ("done_on", "2025-05-02")];
    assert_eq!(other.post(&format!("/recommendations/{rec}/done"), &done, &[]).await.0, StatusCode::NOT_FOUND);
    let again = [("csrf", oc.as_str()), ("status", "cancelled"), ("status_on", "2025-05-02"), ("reason", "x")];
    assert_eq!(other.post(&format!("{page}/status"), &again, &[]).await.0, StatusCode::NOT_FOUND);
    let plan_other = [("csrf", oc.as_str()), ("type", "finance"), ("subjects", "BAO")];
    assert_eq!(
        other.post(&format!("/inspections/programmes/{pid}/plan"), &plan_other, &[]).await.0,
        StatusCode::NOT_FOUND
    );

    // In Vietnamese and Arabic, no English on any of these pages.
    for lang in ["vi", "ar"] {
        let english = english_fragments(lang);
        let c = b.csrf();
        b.post("/language", &[("csrf", &c), ("lang", lang), ("next", "/")], &[]).await;
        for path in [
            "/".to_string(),
            "/inspections?unit=KCQ&year=2025".into(),
            "/inspections?unit=KCQ&year=2026".into(),
            page.clone(),
            format!("{page}/print/decision"),
            format!("{page}/print/conclusion"),
            "/recommendations?unit=KCQ&view=all".into(),
            "/discipline?unit=KCQ&year=2025".into(),
            case.clone(),
            "/inspections/coverage?unit=KCQ&year=2025".into(),
        ] {
            let (s, html, _) = b.get(&path, &[]).await;
            assert_eq!(s, StatusCode::OK, "{lang} {path}");
            let text = visible_text(&html);
            let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
            assert!(found.is_empty(), "{lang} {path}: English {found:?} in {text}");
        }
        let mut form = plan("");
        let c = b.csrf();
        form.push(("csrf", &c));
        let (_, html, _) = b.post(&format!("/inspections/programmes/{pid}/plan"), &form, &[]).await;
        let text = visible_text(&html);
        let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
        assert!(found.is_empty(), "{lang} a refused plan: English {found:?} in {text}");
    }
}

/// Congress pages: shares a bloc's delegates from the register with a tie left open, counts
/// a round from ballots with a tie at the last seat into minutes, refuses bad input beside
/// the form, and shows no English on Vietnamese and Arabic pages; another subtree's organizer
/// cannot read the bloc's counts through it.
async fn congress_pages_apportion_and_count(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [
        ("KCQ", "bloc_committee", "QN"),
        ("STC", "grassroots_committee", "KCQ"),
        ("BAO", "grassroots_cell", "KCQ"),
        ("DN", "bloc_committee", "QN"),
    ] {
        let unit = json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01",
            "name": {"vi": format!("Đảng bộ {code}"), "en": format!("Unit {code}")}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    }
    for unit in ["STC", "STC", "BAO", "BAO"] {
        let member = json!({"unit": unit, "full_name": "Lê Thị Bầu", "sex": "female", "birth_date": "1985-01-01",
            "admitted_on": "2021-01-01"});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await.0, StatusCode::CREATED);
    }
    app.user_with_token("org", Role::Organizer, "KCQ").await;
    app.user_with_token("other", Role::Organizer, "DN").await;
    let mut b = Browser::new(&app.base);
    b.login("org").await;
    let (s, html, _) = b.get("/congresses/apportion", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Apportionment of delegates") && html.contains("Huntington-Hill"), "{html}");
    let csrf = b.csrf();
    let form = |seats: &'static str, csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("method", "dhondt".into()),
            ("seats", seats.into()),
            ("unit", "KCQ".into()),
            ("as_of", "2024-01-01".into()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| f;
    let f = post(form("3", &csrf));
    let fr: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (s, html, _) = b.post("/congresses/apportion", &fr, &[]).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"apportionment-ties\"") && html.contains("contend for 1 seat(s)"), "{html}");
    let f = post(form("4", &csrf));
    let fr: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, html, _) = b.post("/congresses/apportion", &fr, &[]).await;
    assert!(html.contains("id=\"apportionment-unique\""), "{html}");
    let bad = [("csrf", csrf.as_str()), ("method", "dhondt"), ("seats", "many"), ("csv", "unit,members\nA,1\n")];
    let (s, html, _) = b.post("/congresses/apportion", &bad, &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("role=\"alert\""), "{html}");
    let ballots = "An,Bình,Chi\n1,1,0\n1,0,1\n1,1,1\n0,1,1\n1,0,0\n";
    let count = [("csrf", csrf.as_str()), ("seats", "2"), ("base", "valid"), ("issued", "5"), ("ballots", ballots)];
    let (s, html, _) = b.post("/congresses/count", &count, &[]).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    // An 3, Bình 2, Chi 2 of 4 valid: An elected; Bình and Chi do not pass (2 is not more than half).
    assert!(html.contains("Minutes of the count") && html.contains("id=\"count-elected\"><bdi>An</bdi>"), "{html}");
    assert!(html.contains("a further round with Bình, Chi"), "{html}");
    let (s, html, _) = b
        .post(
            "/congresses/count",
            &[("csrf", csrf.as_str()), ("seats", "1"), ("base", "convened"), ("ballots", ballots)],
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{html}");
    // Another subtree's organizer computes from figures they bring, not from KCQ's register.
    let mut o = Browser::new(&app.base);
    o.login("other").await;
    let oc = o.csrf();
    let f = post(form("3", &oc));
    let fr: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(o.post("/congresses/apportion", &fr, &[]).await.0, StatusCode::FORBIDDEN);
    // Signed out: to the login page.
    let mut anon = Browser::new(&app.base);
    assert_eq!(anon.get("/congresses/count", &[]).await.0, StatusCode::SEE_OTHER);
    for lang in ["vi", "ar"] {
        let english = english_fragments(lang);
        let c = b.csrf();
        b.post("/language", &[("csrf", &c), ("lang", lang), ("next", "/")], &[]).await;
        let c = b.csrf();
        let f = post(form("3", &c));
        let fr: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let count = [("csrf", c.as_str()), ("seats", "2"), ("base", "valid"), ("issued", "5"), ("ballots", ballots)];
        for (what, (s, html, _)) in [
            ("apportion", b.get("/congresses/apportion", &[]).await),
            ("count", b.get("/congresses/count", &[]).await),
            ("apportioned", b.post("/congresses/apportion", &fr, &[]).await),
            ("counted", b.post("/congresses/count", &count, &[]).await),
        ] {
            assert_eq!(s, StatusCode::OK, "{lang} {what}");
            let text = visible_text(&html);
            let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
            assert!(found.is_empty(), "{lang} {what}: English {found:?} in {text}");
        }
    }
}

/// The term's schedule page: an organizer plans bottom up from the page, sees a breach named,
/// records a congress held and one cancelled; another subtree's organizer is refused; the
/// page carries no English in vi and ar.
async fn congress_schedule_page(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [
        ("KCQ", "bloc_committee", "QN"),
        ("STC", "grassroots_committee", "KCQ"),
        ("BAO", "grassroots_cell", "KCQ"),
        ("DN", "bloc_committee", "QN"),
    ] {
        let unit = json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01",
            "name": {"vi": format!("Đảng bộ {code}"), "en": format!("Unit {code}")}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    }
    app.user_with_token("org", Role::Organizer, "KCQ").await;
    app.user_with_token("other", Role::Organizer, "DN").await;
    let mut b = Browser::new(&app.base);
    b.login("org").await;
    let (s, html, _) = b.get("/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30", &[]).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"plan-form\""), "an organizer may plan: {html}");
    let csrf = b.csrf();
    for (unit, day, pilot) in [("STC", "2025-03-01", "1"), ("BAO", "2025-03-01", "0"), ("KCQ", "2025-03-20", "0")] {
        let form = [
            ("csrf", csrf.as_str()),
            ("term", "2025-2030"),
            ("unit", unit),
            ("planned_on", day),
            ("kind", "members"),
            ("pilot", pilot),
            ("back_unit", "KCQ"),
            ("back_as_of", "2025-06-30"),
        ];
        let (s, html, _) = b.post("/congresses/schedule", &form, &[]).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{unit}: {html}");
    }
    let (_, html, _) = b.get("/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30", &[]).await;
    assert!(html.contains("id=\"schedule-breaches\""), "{html}");
    assert!(html.contains("Unit BAO (BAO) meets on 1 March 2025, not after the pilot Unit STC (STC)"), "{html}");
    assert!(html.contains("class=\"timeline-dot status-planned pilot\""), "{html}");
    // The home page's section: three planned, one breach.
    let (_, home, _) = b.get("/", &[]).await;
    let at = home.find("Congresses of the term 2025-2030").expect("the home page's congress section");
    let part = &home[at..];
    assert!(part.contains("Planned") && part.contains("Breaches of the schedule"), "{part}");
    // Refused on the page, nothing planned: a second congress of a unit.
    let again = [
        ("csrf", csrf.as_str()),
        ("term", "2025-2030"),
        ("unit", "KCQ"),
        ("planned_on", "2025-04-01"),
        ("kind", "members"),
        ("back_unit", "KCQ"),
        ("back_as_of", "2025-06-30"),
    ];
    let (s, html, _) = b.post("/congresses/schedule", &again, &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("id=\"schedule-error\"") && html.contains("a congress in that term already"), "{html}");
    // Held and cancelled from their rows.
    let id_of = |html: &str, unit: &str| {
        let at = html.find(&format!("<span class=\"code\">{unit}</span>")).unwrap();
        let row = html[..at].rfind("id=\"congress-").unwrap();
        html[row + 13..].split('"').next().unwrap().to_string()
    };
    let (stc, bao) = (id_of(&html, "STC"), id_of(&html, "BAO"));
    let hold = [
        ("csrf", csrf.as_str()),
        ("action", "hold"),
        ("held_on", "2025-03-01"),
        ("back_term", "2025-2030"),
        ("back_unit", "KCQ"),
        ("back_as_of", "2025-06-30"),
    ];
    assert_eq!(b.post(&format!("/congresses/{stc}"), &hold, &[]).await.0, StatusCode::SEE_OTHER);
    let cancel = [
        ("csrf", csrf.as_str()),
        ("action", "cancel"),
        ("reason", "Giải thể"),
        ("back_term", "2025-2030"),
        ("back_unit", "KCQ"),
        ("back_as_of", "2025-06-30"),
    ];
    assert_eq!(b.post(&format!("/congresses/{bao}"), &cancel, &[]).await.0, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get("/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30", &[]).await;
    assert!(html.contains("status-held") && html.contains("Cancelled"), "{html}");
    assert!(
        html.contains("Unit BAO (BAO), below Unit KCQ (KCQ) on 20 March 2025, has no congress in the term."),
        "{html}"
    );
    // The bloc's congress page: its delegates pasted as rows, the credentials counted.
    let kcq = id_of(&html, "KCQ");
    let rows = "name,kind,unit,attendance,replaces\nAn,elected,STC,present,\nBình,elected,STC,absent,\nChi,ex_officio,,present,\nDũng,substitute,BAO,present,2\n";
    let (s, page, _) =
        b.post(&format!("/congresses/{kcq}/delegates"), &[("csrf", csrf.as_str()), ("csv", rows)], &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (s, page, _) = b.get(&format!("/congresses/{kcq}"), &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<dt>Convened</dt><dd>3</dd>") && page.contains("seated for delegate 2"), "{page}");
    // An election opened from the page, its candidates pasted: Dũng from the floor with 1 of
    // the 3 present enters (more than 30 %), Em with none does not.
    let open = [("csrf", csrf.as_str()), ("title", "Ban Chấp hành Đảng bộ Khối"), ("seats", "2")];
    assert_eq!(b.post(&format!("/congresses/{kcq}/elections"), &open, &[]).await.0, StatusCode::SEE_OTHER);
    let (_, page, _) = b.get(&format!("/congresses/{kcq}"), &[]).await;
    let at = page.find("id=\"election-").expect("the election's section");
    let eid = page[at + 13..].split('"').next().unwrap().to_string();
    let cands = "name,nomination,support,withdrawn\nAn,list,,\nBình,list,,yes\nDũng,floor,1,\nEm,floor,0,\n";
    let form = [("csrf", csrf.as_str()), ("election", eid.as_str()), ("csv", cands)];
    assert_eq!(b.post(&format!("/congresses/{kcq}/elections"), &form, &[]).await.0, StatusCode::SEE_OTHER);
    let (_, page, _) = b.get(&format!("/congresses/{kcq}"), &[]).await;
    assert!(page.contains("1 of 3 present support it, more than the share needed; it enters"), "{page}");
    assert!(page.contains("0 of 3 present support it, not more than the share needed"), "{page}");
    assert!(page.contains("2 seat(s); 2 on the ballot.") && page.contains("outside the surplus rule"), "{page}");
    let bad = "name,kind\nAn,guest\n";
    let (s, page, _) =
        b.post(&format!("/congresses/{kcq}/delegates"), &[("csrf", csrf.as_str()), ("csv", bad)], &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"delegates-error\"") && page.contains("An,guest"), "the rows are kept: {page}");
    // Another subtree's organizer: refused to read, to hold, to plan.
    let mut o = Browser::new(&app.base);
    o.login("other").await;
    let (s, _, _) = o.get("/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let oc = o.csrf();
    assert_eq!(o.get(&format!("/congresses/{kcq}"), &[]).await.0, StatusCode::NOT_FOUND);
    let open = [("csrf", oc.as_str()), ("title", "Ban"), ("seats", "1")];
    assert_eq!(o.post(&format!("/congresses/{kcq}/elections"), &open, &[]).await.0, StatusCode::NOT_FOUND);
    let rows = [("csrf", oc.as_str()), ("csv", "name,kind\nAn,elected\n")];
    assert_eq!(o.post(&format!("/congresses/{kcq}/delegates"), &rows, &[]).await.0, StatusCode::NOT_FOUND);
    let hold = [
        ("csrf", oc.as_str()),
        ("action", "hold"),
        ("held_on", "2025-03-20"),
        ("back_term", "2025-2030"),
        ("back_unit", "DN"),
        ("back_as_of", "2025-06-30"),
    ];
    assert_eq!(o.post(&format!("/congresses/{kcq}"), &hold, &[]).await.0, StatusCode::NOT_FOUND);
    let plan = [
        ("csrf", oc.as_str()),
        ("term", "2025-2030"),
        ("unit", "STC"),
        ("planned_on", "2025-04-01"),
        ("kind", "members"),
        ("back_unit", "DN"),
        ("back_as_of", "2025-06-30"),
    ];
    assert_eq!(o.post("/congresses/schedule", &plan, &[]).await.0, StatusCode::FORBIDDEN);
    for lang in ["vi", "ar"] {
        let english = english_fragments(lang);
        let c = b.csrf();
        b.post("/language", &[("csrf", &c), ("lang", lang), ("next", "/")], &[]).await;
        for path in
            ["/congresses/schedule?term=2025-2030&unit=KCQ&as_of=2025-06-30".to_string(), format!("/congresses/{kcq}")]
        {
            let (s, html, _) = b.get(&path, &[]).await;
            assert_eq!(s, StatusCode::OK, "{lang} {path}");
            let text = visible_text(&html);
            let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
            assert!(found.is_empty(), "{lang} {path}: English {found:?} in {text}");
        }
    }
}

/// An election's rounds from its page: the first opened from the list, ballots entered one
/// by one (one invalid), the count leaving the seat to a second round, tallies there, the
/// minutes; a viewer reads them once published; another subtree learns nothing.
async fn election_rounds_pages(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [
        ("KCQ", "bloc_committee", "QN"),
        ("STC", "grassroots_committee", "KCQ"),
        ("BAO", "grassroots_cell", "KCQ"),
        ("DN", "bloc_committee", "QN"),
    ] {
        let unit = json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01",
            "name": {"vi": format!("Đảng bộ {code}"), "en": format!("Unit {code}")}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(unit)).await.0, StatusCode::CREATED);
    }
    app.user_with_token("org", Role::Organizer, "KCQ").await;
    app.user_with_token("view", Role::Viewer, "KCQ").await;
    app.user_with_token("other", Role::Organizer, "DN").await;
    for (unit, name) in [("STC", "Trần Thị Hoa"), ("BAO", "Lê Văn Nam")] {
        let member = json!({"unit": unit, "joined_on": "2020-01-01", "full_name": name, "sex": "female",
            "birth_date": "1990-01-01", "admitted_on": "2015-01-01"});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/members", Some(member)).await.0, StatusCode::CREATED);
    }
    let body = json!({"term": "2025-2030", "unit": "KCQ", "planned_on": "2025-05-20", "kind": "delegates"});
    let (s, c) = send(&app, &app.token, Method::POST, "/api/v1/congresses", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_str().unwrap().to_string();
    let delegates = json!({"csv": "name,kind,unit,attendance\nAn,elected,STC,present\nBình,elected,STC,present\nChi,ex_officio,,present\n"});
    let path = format!("/api/v1/congresses/{cid}/delegates");
    assert_eq!(send(&app, &app.token, Method::PUT, &path, Some(delegates)).await.0, StatusCode::OK);
    let path = format!("/api/v1/congresses/{cid}/elections");
    let (s, e) =
        send(&app, &app.token, Method::POST, &path, Some(json!({"title": "Ủy ban Kiểm tra", "seats": 1}))).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let eid = e["id"].as_str().unwrap().to_string();
    let list = json!({"csv": "name\nAn\nBình\n"});
    let path = format!("/api/v1/congresses/elections/{eid}/candidates");
    assert_eq!(send(&app, &app.token, Method::PUT, &path, Some(list)).await.0, StatusCode::OK);

    let page = format!("/congresses/elections/{eid}");
    let mut b = Browser::new(&app.base);
    b.login("org").await;
    let (s, html, _) = b.get(&format!("/congresses/{cid}"), &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("href=\"{page}\"")), "the congress page links the election: {html}");
    assert!(html.contains("id=\"no-apportionment\"") && html.contains("id=\"apportion-record-form\""), "{html}");
    // The bloc's delegates shared on the record: one member each, three seats by D'Hondt; the
    // third is tied, and the organizer decides it with the reason.
    let csrf0 = b.csrf();
    let congress = format!("/congresses/{cid}/apportionment");
    // A NUL character in a form's text is refused before any handler reads it.
    let nul = [("csrf", csrf0.as_str()), ("action", "decide"), ("tie", "1"), ("reason", "x\u{0}")];
    let (s, html, _) = b.post(&congress, &nul, &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("NUL character"), "{html}");
    let record =
        [("csrf", csrf0.as_str()), ("action", "record"), ("method", "dhondt"), ("seats", "3"), ("as_of", "01/01/2024")];
    let (s, html, _) = b.post(&congress, &record, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, html, _) = b.get(&format!("/congresses/{cid}"), &[]).await;
    assert!(html.contains("id=\"tie-1\"") && html.contains("1 seat(s) wait for a person&#39;s decision."), "{html}");
    let decide =
        [("csrf", csrf0.as_str()), ("action", "decide"), ("tie", "1"), ("unit:BAO", "1"), ("reason", "Bốc thăm")];
    let (s, html, _) = b.post(&congress, &decide, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, html, _) = b.get(&format!("/congresses/{cid}"), &[]).await;
    assert!(html.contains("Decided by org: Unit BAO (BAO). Reason: Bốc thăm"), "{html}");
    assert!(!html.contains("id=\"apportionment-open\""), "{html}");
    let (s, html, _) = b.post(&congress, &decide, &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{html}");
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("id=\"open-round-form\"") && html.contains("No round is opened yet."), "{html}");
    let csrf = b.csrf();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut f = vec![("csrf", csrf.clone())];
        f.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        f
    };
    let send_form = async |b: &mut Browser, f: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post(&page, &f, &[]).await
    };
    assert_eq!(send_form(&mut b, post(vec![("action", "open")])).await.0, StatusCode::SEE_OTHER);
    // Three ballots, one per delegate present: An; Bình; both (invalid for one seat).
    for keep in [vec![("keep0", "1")], vec![("keep1", "1")], vec![("keep0", "1"), ("keep1", "1")]] {
        let mut f = vec![("action", "ballot"), ("round", "1")];
        f.extend(keep);
        assert_eq!(send_form(&mut b, post(f)).await.0, StatusCode::SEE_OTHER);
    }
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("3 ballot(s) entered."), "{html}");
    let (s, html, _) = send_form(&mut b, post(vec![("action", "ballot"), ("round", "1"), ("keep0", "1")])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("id=\"election-error\"") && html.contains("3 delegates present"), "{html}");
    let (s, _, _) = send_form(&mut b, post(vec![("action", "count"), ("round", "1"), ("issued", "3")])).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get(&page, &[]).await;
    assert!(html.contains("Round 1: 1 seat(s), 2 on the ballot; counted"), "{html}");
    assert!(html.contains("1 seat(s) unfilled: a further round with An, Bình."), "{html}");
    assert!(html.contains("id=\"tally-form-2\""), "round two opened: {html}");
    // Round two by tallies: An 2 of the 3 convened.
    let f = vec![("action", "tally"), ("round", "2"), ("cast", "3"), ("valid", "3"), ("votes0", "2"), ("votes1", "1")];
    assert_eq!(send_form(&mut b, post(f)).await.0, StatusCode::SEE_OTHER);
    assert_eq!(send_form(&mut b, post(vec![("action", "count"), ("round", "2")])).await.0, StatusCode::SEE_OTHER);
    let (_, html, _) = b.get(&page, &[]).await;
    let at = html.find("id=\"round-2\"").unwrap();
    assert!(html[at..].contains("<dd class=\"round-elected\"><bdi>An</bdi></dd>"), "{html}");
    assert!(html.contains("id=\"publish-form\""), "{html}");
    let minutes = format!("/congresses/elections/{eid}/rounds/2");
    let (s, doc, _) = b.get(&minutes, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc.contains("Minutes of the count, round 2") && doc.contains("id=\"minutes-elected\""), "{doc}");
    assert!(doc.contains("<dt>Votes needed (more than half of the base)</dt><dd>2</dd>"), "{doc}");

    // A viewer of the bloc: the list, not the rounds, until the results are published.
    let mut v = Browser::new(&app.base);
    v.login("view").await;
    let (s, html, _) = v.get(&page, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"results-hidden\"") && !html.contains("id=\"round-1\""), "{html}");
    let (_, html, _) = v.get(&format!("/congresses/{cid}"), &[]).await;
    assert!(html.contains("id=\"tie-1\"") && !html.contains("id=\"apportion-record-form\""), "{html}");
    let (_, html, _) = v.get(&page, &[]).await;
    assert!(!html.contains("id=\"open-round-form\""));
    assert_eq!(v.get(&minutes, &[]).await.0, StatusCode::FORBIDDEN);
    let vc = v.csrf();
    let (s, _, _) = v.post(&page, &[("csrf", vc.as_str()), ("action", "publish")], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a viewer does not publish");
    assert_eq!(send_form(&mut b, post(vec![("action", "publish")])).await.0, StatusCode::SEE_OTHER);
    let (_, html, _) = v.get(&page, &[]).await;
    assert!(html.contains("id=\"round-2\"") && !html.contains("id=\"ballot-form"), "{html}");
    assert_eq!(v.get(&minutes, &[]).await.0, StatusCode::OK);
    // Another subtree's organizer: nothing.
    let mut o = Browser::new(&app.base);
    o.login("other").await;
    assert_eq!(o.get(&page, &[]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(o.get(&minutes, &[]).await.0, StatusCode::NOT_FOUND);
    let oc = o.csrf();
    assert_eq!(o.post(&page, &[("csrf", oc.as_str()), ("action", "publish")], &[]).await.0, StatusCode::NOT_FOUND);
    let decide = [("csrf", oc.as_str()), ("action", "decide"), ("tie", "1"), ("unit:STC", "1"), ("reason", "x")];
    assert_eq!(o.post(&congress, &decide, &[]).await.0, StatusCode::NOT_FOUND);
    for lang in ["vi", "ar"] {
        let english = english_fragments(lang);
        let c = b.csrf();
        b.post("/language", &[("csrf", &c), ("lang", lang), ("next", "/")], &[]).await;
        for path in [page.clone(), minutes.clone(), format!("/congresses/{cid}")] {
            let (s, html, _) = b.get(&path, &[]).await;
            assert_eq!(s, StatusCode::OK, "{lang} {path}");
            let text = visible_text(&html);
            let found: Vec<&String> = english.iter().filter(|f| text.contains(f.as_str())).collect();
            assert!(found.is_empty(), "{lang} {path}: English {found:?} in {text}");
        }
    }
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| backend;
    congress_schedule_page,
    election_rounds_pages,
    irreversible_actions_ask_first,
    the_member_list_counts_and_pages_both_ways,
    vietnamese_and_arabic_pages_carry_no_english,
    a_work_programme_page,
    a_restructuring_hands_programme_items_over,
    the_home_page_shows_the_unit_at_a_glance,
    the_ui_without_javascript,
    csrf_is_bound_to_the_session,
    values_are_shown_by_their_names,
    inspection_pages_from_plan_to_follow_up,
    congress_pages_apportion_and_count,
);
