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

/// Failed logins allowed in a window. Three counts, so that nobody can lock a real user out by
/// failing in their name from elsewhere: per address and account name (`per_pair`, the usual
/// guessing), per address (`per_address`, one address trying many names) and per account from
/// every address together (`per_account`, many addresses guessing one name: high enough that a
/// lock-out takes many addresses, each held to its own count). An IPv6 address counts by its
/// /64. Entries expire with the window and the map holds at most `ceiling` of them (the oldest
/// go first), so the limiter's memory is bounded whatever is sent; names longer than a user
/// name can be are refused before any state is kept (`MAX_NAME`).
pub struct LoginLimiter {
    window: Duration,
    per_pair: usize,
    per_address: usize,
    per_account: usize,
    ceiling: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

/// The longest name a login is tried with: a user name has at most 64 characters.
pub const MAX_NAME: usize = 64;

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(Duration::from_secs(15 * 60), 5, 20, 100, 100_000)
    }
}

impl LoginLimiter {
    pub fn new(window: Duration, per_pair: usize, per_address: usize, per_account: usize, ceiling: usize) -> Self {
        LoginLimiter { window, per_pair, per_address, per_account, ceiling, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(&self, account: &str, addr: Option<IpAddr>) -> [(String, usize); 3] {
        let addr = match addr {
            Some(IpAddr::V6(a)) => {
                let s = a.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Some(a) => a.to_string(),
            None => String::new(),
        };
        [
            (format!("pair:{addr} {account}"), self.per_pair),
            (format!("address:{addr}"), self.per_address),
            (format!("account:{account}"), self.per_account),
        ]
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Minutes to wait, when the address, the account from this address, or the account from
    /// everywhere has failed too often. Keeps no state.
    pub fn blocked(&self, account: &str, addr: Option<IpAddr>) -> Option<u64> {
        let now = Instant::now();
        let map = self.lock();
        let mut wait = None;
        for (key, limit) in self.keys(account, addr) {
            let Some(list) = map.get(&key) else { continue };
            let live: Vec<&Instant> = list.iter().filter(|t| now.duration_since(**t) < self.window).collect();
            if live.len() >= limit
                && let Some(first) = live.first()
            {
                let left = self.window.saturating_sub(now.duration_since(**first));
                let minutes = left.as_secs().div_ceil(60).max(1);
                wait = Some(wait.map_or(minutes, |w: u64| w.max(minutes)));
            }
        }
        wait
    }

    pub fn failed(&self, account: &str, addr: Option<IpAddr>) {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() + 3 > self.ceiling {
            map.retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        while map.len() + 3 > self.ceiling {
            let oldest = map.iter().min_by_key(|(_, list)| list.last().copied()).map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        for (key, limit) in self.keys(account, addr) {
            let list = map.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < self.window);
            list.push(now);
            // Only the last `limit` failures matter.
            if list.len() > limit {
                list.drain(..list.len() - limit);
            }
        }
    }

    pub fn succeeded(&self, account: &str, addr: Option<IpAddr>) {
        let mut map = self.lock();
        let [(pair, _), _, _] = self.keys(account, addr);
        map.remove(&pair);
    }

    /// How many entries the limiter holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        return redirect(&safe_next(q.next.as_deref().unwrap_or("/")));
    }
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    ctx.page(
        StatusCode::OK,
        LoginPage { tr: ctx.tr, l: ctx.layout("", today()), next, name: String::new(), error: None },
    )
}

use crate::auth::today;

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
    if name.chars().count() > MAX_NAME {
        // No user has such a name: refused as a wrong password is, and nothing is kept.
        let _ = crate::auth::hash_password(String::new()).await;
        return again(StatusCode::UNAUTHORIZED, ctx.tr.t("login-failed"));
    }
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
    state.limiter.succeeded(&name, ctx.addr);
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
        Err(e) => return ctx.api_error_page(e.into()),
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
    fn the_limiter_blocks_a_name_from_an_address_an_address_and_a_name_from_everywhere() {
        let l = LoginLimiter::new(Duration::from_secs(600), 3, 5, 8, 1000);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(l.blocked("ann", Some(a)), None);
            l.failed("ann", Some(a));
        }
        assert_eq!(l.blocked("ann", Some(a)), Some(10), "the name is blocked from that address");
        assert_eq!(l.blocked("ann", Some(b)), None, "the real user, elsewhere, is not locked out");
        l.failed("bob", Some(a));
        l.failed("cat", Some(a));
        assert!(l.blocked("dan", Some(a)).is_some(), "the address is blocked for any name");
        assert_eq!(l.blocked("dan", Some(b)), None);
        for k in 0..8 {
            let addr: IpAddr = format!("10.1.0.{k}").parse().unwrap();
            l.failed("eve", Some(addr));
        }
        assert!(l.blocked("eve", Some(b)).is_some(), "many addresses guessing one name");
        l.succeeded("ann", Some(a));
        assert_eq!(l.blocked("ann", Some(b)), None);
        let v6 = |s: &str| -> IpAddr { s.parse().unwrap() };
        for k in 0..5 {
            l.failed(&format!("x{k}"), Some(v6(&format!("2001:db8::{k}"))));
        }
        assert!(l.blocked("y", Some(v6("2001:db8::ffff"))).is_some(), "an IPv6 /64 counts as one address");
    }

    #[test]
    fn the_limiter_keeps_no_state_for_a_look_and_is_bounded() {
        let l = LoginLimiter::new(Duration::from_secs(600), 3, 5, 8, 300);
        assert_eq!(l.blocked("ann", None), None);
        assert!(l.is_empty(), "asking keeps nothing");
        for k in 0..10_000u32 {
            let addr = IpAddr::from(k.to_be_bytes());
            l.failed(&format!("name{k}"), Some(addr));
        }
        assert!(l.len() <= 300, "{}", l.len());
        let last = IpAddr::from(9_999u32.to_be_bytes());
        for _ in 0..3 {
            l.failed("name9999", Some(last));
        }
        assert!(l.blocked("name9999", Some(last)).is_some(), "the newest failures are kept");
    }
}
