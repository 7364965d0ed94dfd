//! Logging in and out, and choosing the language. Login is rate-limited per account and per
//! address; sessions are cookies (HttpOnly, SameSite=Lax, Secure under TLS) whose secret is
//! stored only as a hash.

use super::{Ctx, LANG_COOKIE, Layout, SESSION_COOKIE, i18n::Tr, redirect, safe_next};
use crate::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Failed logins allowed in a window, per account and per address.
pub struct LoginLimiter {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl LoginLimiter {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        LoginLimiter { window, per_account, per_address, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(account: &str, addr: Option<IpAddr>) -> [(String, bool); 2] {
        [
            (format!("account:{account}"), true),
            (format!("address:{}", addr.map(|a| a.to_string()).unwrap_or_default()), false),
        ]
    }

    /// Minutes to wait, when the account or the address has failed too often.
    pub fn blocked(&self, account: &str, addr: Option<IpAddr>) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for (key, is_account) in Self::keys(account, addr) {
            let list = map.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < self.window);
            let limit = if is_account { self.per_account } else { self.per_address };
            if list.len() >= limit
                && let Some(first) = list.first()
            {
                let left = self.window.saturating_sub(now.duration_since(*first));
                let minutes = left.as_secs().div_ceil(60).max(1);
                wait = Some(wait.map_or(minutes, |w: u64| w.max(minutes)));
            }
        }
        wait
    }

    pub fn failed(&self, account: &str, addr: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, _) in Self::keys(account, addr) {
            map.entry(key).or_default().push(Instant::now());
        }
    }

    pub fn succeeded(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("account:{account}"));
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    l: Layout,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.user.is_some() {
        return redirect(&safe_next(q.next.as_deref().unwrap_or("/units")));
    }
    let next = safe_next(q.next.as_deref().unwrap_or("/units"));
    ctx.page(
        StatusCode::OK,
        LoginPage { tr: ctx.tr, l: ctx.layout("", today()), next, name: String::new(), error: None },
    )
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(State(state): State<AppState>, ctx: Ctx, Form(f): Form<LoginForm>) -> Response {
    if let Err(r) = ctx.check_csrf(&f.csrf) {
        return r;
    }
    let name = f.name.trim().to_string();
    let next = safe_next(&f.next);
    let again = |status: StatusCode, error: String| {
        ctx.page(
            status,
            LoginPage {
                tr: ctx.tr,
                l: ctx.layout("", today()),
                next: next.clone(),
                name: name.clone(),
                error: Some(error),
            },
        )
    };
    if let Some(minutes) = state.limiter.blocked(&name, ctx.addr) {
        return again(StatusCode::TOO_MANY_REQUESTS, ctx.tr.tn("login-rate-limited", minutes as usize));
    }
    let credentials = match state.store.credentials(&name).await {
        Ok(c) => c,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let ok = match &credentials {
        Some(c) if !c.user.disabled => crate::auth::verify_password(f.password, c.password_hash.clone()).await,
        _ => {
            // Spend the time of a real check, so that timing does not tell which names exist.
            let _ = crate::auth::hash_password(f.password).await;
            false
        }
    };
    let Some(user) = credentials.filter(|_| ok).map(|c| c.user) else {
        state.limiter.failed(&name, ctx.addr);
        return again(StatusCode::UNAUTHORIZED, ctx.tr.t("login-failed"));
    };
    state.limiter.succeeded(&name);
    let secret = crate::auth::new_session_secret();
    let expires = chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    if let Err(e) = state.store.create_session(user.id, &crate::auth::secret_hash(&secret), expires).await {
        return ctx.api_error_page(e.into());
    }
    let mut r = redirect(&next);
    let max_age = SESSION_HOURS * 3600;
    r.headers_mut().append(
        SET_COOKIE,
        ctx.cookie(SESSION_COOKIE, &secret, &format!("; HttpOnly; SameSite=Lax; Max-Age={max_age}")),
    );
    ctx.finish(r)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = ctx.check_csrf(&f.csrf) {
        return r;
    }
    if let Some(h) = &ctx.session_hash
        && let Err(e) = state.store.delete_session(h).await
    {
        return ctx.api_error_page(e.into());
    }
    let mut r = redirect("/login");
    r.headers_mut().append(SET_COOKIE, ctx.cookie(SESSION_COOKIE, "", "; HttpOnly; SameSite=Lax; Max-Age=0"));
    ctx.finish(r)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    #[serde(default)]
    next: String,
}

/// Chooses the UI language: kept with the account when signed in, and in a cookie.
pub async fn language(State(state): State<AppState>, ctx: Ctx, Form(f): Form<LanguageForm>) -> Response {
    if let Err(r) = ctx.check_csrf(&f.csrf) {
        return r;
    }
    let lang = match orgwork_domain::access::parse_language(&f.lang) {
        Ok(l) => l,
        Err(e) => return ctx.error_page(StatusCode::BAD_REQUEST, ctx.tr.t("error-bad-request"), Some(e.message)),
    };
    if let Some(user) = &ctx.user
        && let Err(e) = state.store.set_language(&orgwork_store::Actor::user(user.id, &user.name), user.id, lang).await
    {
        return ctx.api_error_page(e.into());
    }
    let mut r = redirect(&safe_next(&f.next));
    r.headers_mut().append(SET_COOKIE, ctx.cookie(LANG_COOKIE, lang, "; SameSite=Lax; Max-Age=31536000"));
    ctx.finish(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_blocks_an_account_and_an_address() {
        let l = LoginLimiter::new(Duration::from_secs(600), 3, 5);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(l.blocked("ann", Some(a)), None);
            l.failed("ann", Some(a));
        }
        assert_eq!(l.blocked("ann", Some(b)), Some(10), "the account is blocked from any address");
        assert_eq!(l.blocked("bob", Some(a)), None);
        l.failed("bob", Some(a));
        l.failed("cat", Some(a));
        assert!(l.blocked("dan", Some(a)).is_some(), "the address is blocked for any account");
        assert_eq!(l.blocked("dan", Some(b)), None);
        l.succeeded("ann");
        assert_eq!(l.blocked("ann", Some(b)), None);
    }
}
