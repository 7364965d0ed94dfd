//! The test server: the real application on port 0, on a fresh database holding one root unit
//! (QN, a provincial committee, from 2020-01-01) and its administrator, with a token.

#![allow(dead_code)]

use orgwork_domain::access::Role;
use orgwork_domain::structure::{Names, UnitCode};
use orgwork_store::{Actor, NewUnit, NewUser};
use orgwork_store_tests::TestDb;
use orgwork_web::AppState;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode};

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    /// The token of `admin`, administrator of QN.
    pub token: String,
    pub db: TestDb,
}

pub fn actor() -> Actor {
    Actor { user_id: None, name: "test".into() }
}

pub async fn spawn_app(backend: &str) -> App {
    let db = TestDb::new(backend).await;
    db.store
        .create_unit(
            &actor(),
            NewUnit {
                code: UnitCode::parse("QN").unwrap(),
                names: Names::parse("Đảng bộ tỉnh Quảng Ninh", Some("Quang Ninh Provincial Party Committee"), None)
                    .unwrap(),
                kind: "provincial_committee".into(),
                parent: None,
                valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                decision: None,
            },
        )
        .await
        .expect("the root");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(db.store.clone());
    tokio::spawn(async move { orgwork_web::serve(listener, state).await });
    let mut app = App { base: format!("http://{addr}"), http: reqwest::Client::new(), token: String::new(), db };
    app.token = app.user_with_token("admin", Role::Administrator, "QN").await;
    app
}

impl App {
    /// A new user with a role on a unit, and a token for them.
    pub async fn user_with_token(&self, name: &str, role: Role, unit: &str) -> String {
        let store = &self.db.store;
        let hash = orgwork_web::auth::hash_password("a long enough password".into()).await.unwrap();
        store
            .create_user(
                &actor(),
                NewUser { name: name.into(), password_hash: hash, role, unit: UnitCode::parse(unit).unwrap() },
            )
            .await
            .expect("a test user");
        let (id, token) = orgwork_web::auth::new_token();
        store.create_token(&actor(), name, &id, &orgwork_web::auth::secret_hash(&token)).await.unwrap();
        token
    }
}

/// An API request with a token (none when empty): a `Value::String` body is sent as CSV, any
/// other as JSON. The status and the JSON answer (or its text as a string).
pub async fn send(
    app: &App,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    use serde_json::Value;
    let mut req = app.http.request(method, format!("{}{path}", app.base));
    if !token.is_empty() {
        req = req.bearer_auth(token);
    }
    match body {
        Some(Value::String(text)) => req = req.header("content-type", "text/csv").body(text),
        Some(b) => req = req.json(&b),
        None => {}
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A browser without JavaScript: keeps cookies, follows no redirect.
pub struct Browser {
    pub http: Client,
    pub base: String,
    pub cookies: Vec<(String, String)>,
    pub set_cookie_lines: Vec<String>,
    /// The CSRF token of the last page that had a form.
    pub token: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let http = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: base.to_string(), cookies: vec![], set_cookie_lines: vec![], token: None }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub fn keep(&mut self, r: &reqwest::Response) {
        for h in r.headers().get_all(SET_COOKIE) {
            let line = h.to_str().unwrap().to_string();
            let (k, v) = line.split(';').next().unwrap().split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() {
                self.cookies.push((k.to_string(), v.to_string()));
            }
            self.set_cookie_lines.push(line);
        }
    }

    pub async fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String, Option<String>) {
        let mut req = self.http.get(format!("{}{path}", self.base)).header(COOKIE, self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        self.keep(&r);
        let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_string());
        let (status, text) = (r.status(), r.text().await.unwrap());
        self.remember_token(&text);
        (status, text, location)
    }

    pub async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let mut req = self.http.post(format!("{}{path}", self.base)).header(COOKIE, self.cookie_header()).form(form);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        self.keep(&r);
        let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_string());
        let (status, text) = (r.status(), r.text().await.unwrap());
        self.remember_token(&text);
        (status, text, location)
    }

    /// A form with a file (`multipart/form-data`), as a browser sends an upload.
    pub async fn post_file(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> (StatusCode, String, Option<String>) {
        let boundary = "orgwork-test-boundary-7f3a";
        let mut body = Vec::new();
        for (k, v) in form {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
        }
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"file.csv\"\r\nContent-Type: text/csv\r\n\r\n",
                file.0
            )
            .bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header(reqwest::header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep(&r);
        let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_string());
        let (status, text) = (r.status(), r.text().await.unwrap());
        self.remember_token(&text);
        (status, text, location)
    }

    fn remember_token(&mut self, html: &str) {
        let mark = r#"name="csrf" value=""#;
        if let Some(at) = html.find(mark) {
            let rest = &html[at + mark.len()..];
            self.token = rest.split('"').next().map(str::to_string);
        }
    }

    /// The CSRF token the forms carry: the last page's (bound to the session once signed in).
    pub fn csrf(&self) -> String {
        self.token.clone().expect("a page with a form")
    }

    /// The CSRF cookie.
    pub fn csrf_cookie(&self) -> String {
        self.cookies.iter().find(|(k, _)| k == "orgwork_csrf").map(|(_, v)| v.clone()).expect("a CSRF cookie")
    }

    pub async fn login(&mut self, name: &str) -> (StatusCode, Option<String>) {
        self.get("/login", &[]).await;
        let csrf = self.csrf();
        let (s, _, loc) = self
            .post(
                "/login",
                &[("csrf", &csrf), ("name", name), ("password", "a long enough password"), ("next", "/units")],
                &[],
            )
            .await;
        // The page after login carries the session's token.
        self.get("/units", &[]).await;
        (s, loc)
    }
}
