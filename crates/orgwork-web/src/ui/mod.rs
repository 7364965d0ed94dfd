//! The server-rendered web UI: askama templates, htmx vendored for progressive enhancement,
//! every reading page usable without JavaScript. One module per area, as in `api/`.
//!
//! Every page goes through `Ctx`: the signed-in user (a session cookie), the language (the
//! user's choice, else a cookie, else Accept-Language), and the CSRF token (a double-submit
//! cookie that every form repeats). Access is checked with the same `Caller` as the API.

// Handlers here answer early with a page (a redirect to the login, a 403): `Result<_, Response>`
// is the natural shape, and the size of an axum `Response` is no cost worth boxing away.
#![allow(clippy::result_large_err)]

pub mod admissions;
pub mod audit;
pub mod auth;
pub mod chart;
pub mod congress;
pub mod files;
pub mod home;
pub mod i18n;
pub mod inspection;
pub mod labels;
pub mod members;
pub mod plan;
pub mod restructure;
pub mod structure;
pub mod transfers;

use crate::AppState;
use crate::auth::{Caller, secret_hash};
use crate::error::ApiError;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use i18n::Tr;
use orgwork_domain::access::Role;
use orgwork_store::User;
use std::collections::HashMap;

pub const SESSION_COOKIE: &str = "orgwork_session";
pub const CSRF_COOKIE: &str = "orgwork_csrf";
pub const LANG_COOKIE: &str = "orgwork_lang";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/language", post(auth::language))
        .route("/units", get(structure::tree))
        .route("/units/{code}", get(structure::unit_page))
        .route("/units/{code}/tree", get(structure::tree_fragment))
        .route("/units/{code}/rename", post(structure::rename))
        .route("/units/{code}/move", post(structure::move_unit))
        .route("/units/{code}/dissolve", post(structure::dissolve))
        .route("/units/{code}/create", post(structure::create))
        .route("/units/{code}/members", get(members::list).post(members::create))
        .route("/members/{id}", get(members::page))
        .route("/members/{id}/status", post(members::status))
        .route("/members/{id}/transfer", post(transfers::transfer))
        .route("/members/{id}/edit", post(members::edit))
        .route("/units/{code}/transfers", get(transfers::transfers))
        .route("/transfers/{id}/{verb}", post(transfers::close_transfer))
        .route("/units/{code}/members/export", get(files::export))
        .route(
            "/units/{code}/members/import",
            get(files::import_page)
                .post(files::check)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::files::MAX_UPLOAD)),
        )
        .route("/units/{code}/members/import/confirm", post(files::confirm))
        .route("/units/{code}/members/import/jobs/{id}", get(files::job_page))
        .route("/units/{code}/candidates", get(admissions::page).post(admissions::add))
        .route("/candidates/{id}/{verb}", post(admissions::act))
        .route(
            "/units/{code}/programme",
            get(plan::of_unit)
                .post(plan::create_from_file)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::files::MAX_UPLOAD)),
        )
        .route("/programmes/{id}/export", get(plan::export))
        .route(
            "/programmes/{id}/import",
            post(plan::import_items).layer(axum::extract::DefaultBodyLimit::max(crate::api::files::MAX_UPLOAD)),
        )
        .route("/programmes/{id}", get(plan::page))
        .route("/programmes/{id}/progress", post(plan::progress))
        .route("/programmes/{id}/approve", post(plan::approve))
        .route("/programmes/{id}/amend", post(plan::amend))
        .route("/programmes/{id}/close", post(plan::close))
        .route("/inspections", get(inspection::programme_page))
        .route("/inspections/coverage", get(inspection::coverage))
        .route("/inspections/programmes", post(inspection::create_programme))
        .route("/inspections/programmes/{id}/approve", post(inspection::approve_programme))
        .route("/inspections/programmes/{id}/plan", post(inspection::plan))
        .route("/inspections/{id}", get(inspection::page))
        .route("/inspections/{id}/status", post(inspection::set_status))
        .route("/inspections/{id}/reschedule", post(inspection::reschedule))
        .route("/inspections/{id}/conclude", post(inspection::conclude))
        .route("/inspections/{id}/print/{what}", get(inspection::print))
        .route("/recommendations", get(inspection::follow_up))
        .route("/recommendations/{id}/done", post(inspection::report_done))
        .route("/recommendations/{id}/verify", post(inspection::verify))
        .route("/discipline", get(inspection::cases).post(inspection::open_case))
        .route("/discipline/{id}", get(inspection::case_page))
        .route("/discipline/{id}/issue", post(inspection::issue))
        .route("/discipline/{id}/appeal", post(inspection::appeal))
        .route("/congresses", get(|| async { redirect("/congresses/schedule") }))
        .route("/congresses/schedule", get(congress::schedule_page).post(congress::plan_congress))
        .route("/congresses/{id}", get(congress::congress_page).post(congress::congress_action))
        .route("/congresses/{id}/delegates", post(congress::set_delegates))
        .route("/congresses/{id}/elections", post(congress::election_action))
        .route("/congresses/{id}/apportionment", post(congress::record::apportionment_action))
        .route(
            "/congresses/elections/{id}",
            get(congress::election::election_page).post(congress::election::election_action),
        )
        .route("/congresses/elections/{id}/rounds/{number}", get(congress::election::minutes_page))
        .route("/congresses/apportion", get(congress::apportion_page).post(congress::apportion))
        .route("/congresses/count", get(congress::count_page).post(congress::count))
        .route("/restructurings", get(restructure::list).post(restructure::plan))
        .route("/restructurings/{id}", get(restructure::page))
        .route("/restructurings/{id}/{verb}", post(restructure::act))
        .route("/audit", get(audit::audit_page))
        .route("/assets/{*file}", get(asset))
}

/// The request's context for a page.
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<User>,
    /// The CSRF token the page's forms carry.
    pub csrf: String,
    /// The CSRF cookie the request came with (None: it is being set now).
    pub csrf_cookie: Option<String>,
    /// Is `csrf` bound to the session (signed in) rather than the cookie?
    pub session_bound: bool,
    pub session_hash: Option<String>,
    pub secure: bool,
    /// This page's path and query, to come back to.
    pub here: String,
    pub addr: Option<std::net::IpAddr>,
}

fn cookies(parts: &Parts) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for header in parts.headers.get_all(axum::http::header::COOKIE) {
        if let Ok(text) = header.to_str() {
            for pair in text.split(';') {
                if let Some((k, v)) = pair.trim().split_once('=') {
                    out.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
    }
    out
}

/// A typed id from the path's one segment, for pages: a malformed one is answered with the
/// not-found page of its kind, in the reader's language (the API's twin is `extract::Id`).
pub struct PageId<T>(pub T);

impl<T> FromRequestParts<AppState> for PageId<T>
where
    T: std::str::FromStr<Err = orgwork_domain::Error> + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match text.parse() {
            Ok(id) => Ok(PageId(id)),
            Err(e) => Err(Ctx::from_request_parts(parts, state).await?.api_error_page(ApiError::from(e))),
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = cookies(parts);
        let secure = state.secure_cookies
            || parts.headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
        let session_hash = jar.get(SESSION_COOKIE).filter(|v| !v.is_empty()).map(|v| secret_hash(v));
        let user = match &session_hash {
            Some(h) => state.store.user_by_session(h, chrono::Utc::now()).await.map_err(|e| {
                tracing::error!(error = %e, "reading a session");
                (StatusCode::INTERNAL_SERVER_ERROR, "the database failed").into_response()
            })?,
            None => None,
        };
        let lang = user
            .as_ref()
            .and_then(|u| u.language.clone())
            .or_else(|| jar.get(LANG_COOKIE).cloned())
            .filter(|l| i18n::LANGUAGES.contains(&l.as_str()))
            .or_else(|| {
                parts
                    .headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(i18n::from_accept_language)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "en".to_string());
        let csrf_cookie = jar.get(CSRF_COOKIE).filter(|v| v.len() >= 32).cloned();
        // Signed in, the forms' token is bound to the session: a token and cookie planted in
        // the browser by someone else do not pass. Before, it is the double-submit cookie's.
        let bound = user.as_ref().and(jar.get(SESSION_COOKIE)).map(|secret| csrf_for_session(secret));
        let csrf = bound.clone().or_else(|| csrf_cookie.clone()).unwrap_or_else(crate::auth::new_session_secret);
        let here = parts.uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
        let addr = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(Ctx {
            tr: Tr::new(&lang),
            user,
            csrf,
            csrf_cookie,
            session_bound: bound.is_some(),
            session_hash,
            secure,
            here,
            addr,
        })
    }
}

/// What every page's layout needs.
pub struct Layout {
    pub user: Option<String>,
    pub csrf: String,
    pub here: String,
    pub nav: &'static str,
    pub as_of: String,
    pub can_audit: bool,
}

impl Ctx {
    pub fn layout(&self, nav: &'static str, as_of: chrono::NaiveDate) -> Layout {
        Layout {
            user: self.user.as_ref().map(|u| u.name.clone()),
            csrf: self.csrf.clone(),
            here: self.here.clone(),
            nav,
            as_of: as_of.to_string(),
            can_audit: self.user.as_ref().is_some_and(|u| u.grants.iter().any(|g| g.role == Role::Administrator)),
        }
    }

    /// The signed-in caller, or a redirect to the login page that comes back here.
    pub fn caller(&self) -> Result<Caller, Response> {
        match &self.user {
            Some(user) => Ok(Caller { user: user.clone() }),
            None => Err(redirect(&format!("/login?next={}", urlencode(&self.here)))),
        }
    }

    /// The signed-in caller of a submitted form, once its CSRF token has been checked.
    pub fn form_caller(&self, csrf: &str) -> Result<Caller, Response> {
        let caller = self.caller()?;
        self.check_csrf(csrf)?;
        Ok(caller)
    }

    /// Does a submitted form carry this browser's CSRF token: the session's when signed in,
    /// else the CSRF cookie's?
    pub fn check_csrf(&self, submitted: &str) -> Result<(), Response> {
        let expected = if self.session_bound { Some(&self.csrf) } else { self.csrf_cookie.as_ref() };
        match expected {
            Some(c) if !submitted.is_empty() && constant_time_eq(c.as_bytes(), submitted.as_bytes()) => Ok(()),
            _ => Err(self.error_page(StatusCode::FORBIDDEN, self.tr.t("error-csrf"), None)),
        }
    }

    fn cookie(&self, name: &str, value: &str, extra: &str) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!("{name}={value}; Path=/{extra}{secure}")).unwrap_or(HeaderValue::from_static(""))
    }

    /// Adds the cookies and headers every page response carries.
    pub fn finish(&self, mut response: Response) -> Response {
        let h = response.headers_mut();
        if self.csrf_cookie.is_none() {
            h.append(SET_COOKIE, self.cookie(CSRF_COOKIE, &self.csrf, "; HttpOnly; SameSite=Strict"));
        }
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(CONTENT_LANGUAGE, HeaderValue::from_static(self.tr.lang));
        h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
        response
    }

    pub fn page(&self, status: StatusCode, page: impl Template) -> Response {
        match page.render() {
            Ok(html) => {
                let mut r = (status, html).into_response();
                r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
                self.finish(r)
            }
            Err(e) => {
                tracing::error!(error = %e, "rendering a page");
                (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
            }
        }
    }

    pub fn error_page(&self, status: StatusCode, message: String, detail: Option<String>) -> Response {
        self.page(
            status,
            ErrorPage { tr: self.tr, l: self.layout("", chrono::Local::now().date_naive()), message, detail },
        )
    }

    /// The page for an error of the store or of an access check: what happened, and the
    /// error's own words (`err-<code>`). English pages add the store's sentence, which names
    /// the value; the other languages have no English on them.
    pub fn api_error_page(&self, e: ApiError) -> Response {
        let message = match e.status {
            StatusCode::NOT_FOUND => self.tr.t("error-not-found"),
            StatusCode::FORBIDDEN => self.tr.t("error-forbidden"),
            StatusCode::INTERNAL_SERVER_ERROR => self.tr.t("error-internal"),
            _ => self.tr.error(&e.code).unwrap_or_else(|| self.tr.t("error-bad-request")),
        };
        let detail = match e.status {
            StatusCode::INTERNAL_SERVER_ERROR => None,
            _ if self.tr.lang == "en" => Some(e.message.clone()),
            _ => self.tr.error(&e.code).filter(|words| *words != message),
        };
        self.error_page(e.status, message, detail)
    }

    /// An error as a form or a page's notice says it, in the reader's language: the words of
    /// its code; on English pages followed by the store's sentence, which names the value.
    pub fn error_text(&self, e: &ApiError) -> String {
        error_text(self.tr, e)
    }
}

/// The page that asks before an action that cannot be taken back (applying a restructuring,
/// withdrawing a candidate, receiving a transfer): what will happen, and a form that sends the
/// same fields again with `confirmed=1`. No JavaScript is needed.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub tr: Tr,
    pub l: Layout,
    pub title: String,
    pub lines: Vec<String>,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub back: String,
    pub button: String,
}

impl Ctx {
    /// `ConfirmPage` with this request's layout.
    pub fn confirm_page(
        &self,
        title: String,
        lines: Vec<String>,
        action: String,
        fields: Vec<(String, String)>,
        back: String,
        button: String,
    ) -> Response {
        let l = self.layout("", chrono::Local::now().date_naive());
        self.page(StatusCode::OK, ConfirmPage { tr: self.tr, l, title, lines, action, fields, back, button })
    }
}

/// An error in the reader's language (`Ctx::error_text`).
pub fn error_text(tr: Tr, e: &ApiError) -> String {
    // A reason the locale words: said in full, after the error's own words.
    if let Some(fault) = e.fault.as_ref().filter(|f| tr.lang != "en" && tr.has(&format!("fault-{}", f.code))) {
        let words = tr.error(&e.code).unwrap_or_else(|| tr.t("error-bad-request"));
        return format!("{words}: {}", labels::fault_words(tr, fault));
    }
    match tr.error(&e.code) {
        Some(words) if tr.lang == "en" && words != e.message => format!("{words} ({})", e.message),
        Some(words) => words,
        None if tr.lang == "en" => e.message.clone(),
        None => tr.t("error-bad-request"),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    tr: Tr,
    l: Layout,
    message: String,
    detail: Option<String>,
}

/// A submitted form: its CSRF token and its fields by name.
#[derive(serde::Deserialize)]
pub struct FieldsForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

/// A form that carries the CSRF token (`Submitted` checks it).
pub trait CsrfForm {
    fn csrf(&self) -> &str;
}

/// `CsrfForm` for forms whose token is their `csrf` field.
macro_rules! csrf_forms {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::ui::CsrfForm for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_forms;

csrf_forms!(FieldsForm);

/// A form posted by a signed-in user with this browser's CSRF token: the page's context, the
/// caller and the form, or the answer that refuses it (the login page for a visitor, 403 for a
/// missing or foreign token, axum's own answer for a body that is not the form). Every
/// handler of a form takes one, last among its arguments (it reads the body).
pub struct Submitted<T> {
    pub ctx: Ctx,
    pub caller: Caller,
    pub form: T,
}

impl<T> axum::extract::FromRequest<AppState> for Submitted<T>
where
    T: serde::de::DeserializeOwned + CsrfForm + Send + 'static,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let (parts, body) = req.into_parts();
        let read = axum::extract::Request::from_parts(parts.clone(), body);
        // Read as axum's Form reads it (under the route's body limit), then handed to it.
        let bytes = axum::body::Bytes::from_request(read, state).await.map_err(IntoResponse::into_response)?;
        // A NUL character is %00 in a form (a typed "%00" is sent as %2500): no text keeps one.
        if bytes.windows(3).any(|w| w.eq_ignore_ascii_case(b"%00")) {
            return Err(ctx.api_error_page(crate::extract::nul_refused()));
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Form(form) = axum::Form::<T>::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        let caller = ctx.form_caller(form.csrf())?;
        Ok(Submitted { ctx, caller, form })
    }
}

/// A form field, trimmed; empty when absent.
pub fn field(fields: &HashMap<String, String>, name: &str) -> String {
    let v = fields.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    // A date is typed in the page's order (DD/MM/YYYY on Vietnamese and Arabic pages).
    if is_date_field(name) { orgwork_domain::date::normal_date(&v) } else { v }
}

/// The forms' date fields, by name.
fn is_date_field(name: &str) -> bool {
    name.ends_with("_on") || matches!(name, "birth_date" | "course_done" | "effective" | "valid_from" | "as_of")
}

/// A form field, trimmed; `None` when absent or empty.
pub fn opt_field(fields: &HashMap<String, String>, name: &str) -> Option<String> {
    Some(field(fields, name)).filter(|v| !v.is_empty())
}

/// A form's values and errors, when it is shown again after a refusal.
#[derive(Default)]
pub struct FormState {
    pub form: &'static str,
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
}

impl FormState {
    /// The value of a form's field: as submitted when the form comes back, else its default
    /// (`defaults` keyed `form.field`).
    pub fn val(&self, defaults: &HashMap<String, String>, form: &str, field: &str) -> String {
        if self.form == form {
            return self.values.get(field).cloned().unwrap_or_default();
        }
        defaults.get(&format!("{form}.{field}")).cloned().unwrap_or_default()
    }

    pub fn err(&self, form: &str, field: &str) -> Option<String> {
        (self.form == form).then(|| self.errors.get(field).cloned()).flatten()
    }
}

pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(LOCATION, HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")));
    r
}

/// A local path to go back to after a form: only paths on this site.
/// Where to go after a form (login, language): a path on this site, else the tree. Only a
/// local path passes: one leading `/` not followed by `/` or `\\`, no `\\` anywhere, no control
/// character or white space anywhere (browsers drop a tab or a line end, so `/<tab>/host`
/// becomes `//host`, another site), at most 2,000 bytes. A scheme cannot come first, since the
/// path begins with `/`.
pub fn safe_next(next: &str) -> String {
    let local = next.len() <= 2000
        && next.starts_with('/')
        && !matches!(next.as_bytes().get(1), Some(b'/' | b'\\'))
        && !next.contains('\\')
        && !next.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
        });
    if local { next.to_string() } else { "/".into() }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The forms' CSRF token of a session: derived from its secret (which only the session's
/// browser holds, in an HttpOnly cookie), in a domain of its own so that it tells nothing of
/// the secret or of the hash the database keeps.
fn csrf_for_session(secret: &str) -> String {
    secret_hash(&format!("orgwork csrf\n{secret}"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The vendored static files, built into the binary.
async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "orgwork.css" => (include_bytes!("../../assets/orgwork.css"), "text/css; charset=utf-8"),
        "htmx.min.js" => (include_bytes!("../../assets/htmx.min.js"), "text/javascript; charset=utf-8"),
        "tree.js" => (include_bytes!("../../assets/tree.js"), "text/javascript; charset=utf-8"),
        "fonts/noto-sans-latin-400-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-sans-latin-400-normal.woff2"), "font/woff2")
        }
        "fonts/noto-sans-latin-700-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-sans-latin-700-normal.woff2"), "font/woff2")
        }
        "fonts/noto-sans-vietnamese-400-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-sans-vietnamese-400-normal.woff2"), "font/woff2")
        }
        "fonts/noto-sans-vietnamese-700-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-sans-vietnamese-700-normal.woff2"), "font/woff2")
        }
        "fonts/noto-naskh-arabic-arabic-400-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-naskh-arabic-arabic-400-normal.woff2"), "font/woff2")
        }
        "fonts/noto-naskh-arabic-arabic-700-normal.woff2" => {
            (include_bytes!("../../assets/fonts/noto-naskh-arabic-arabic-700-normal.woff2"), "font/woff2")
        }
        _ => return (StatusCode::NOT_FOUND, "no such file").into_response(),
    };
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(kind).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    r.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    r
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_local_path_is_followed_after_a_form() {
        for ok in ["/units", "/units/QN?as_of=2024-01-01", "/members/12", "/", "/a/b//c", "/x%2F%2Fevil.example"] {
            assert_eq!(safe_next(ok), ok, "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            " /evil.example",
            "/\u{0}/evil.example",
            "/\u{3000}/evil.example",
            "/\u{200b}/evil.example",
            "/\u{feff}/evil.example",
            "/\u{a0}/evil.example",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/units\\..\\",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), "/");
    }
}
