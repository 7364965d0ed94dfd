//! Who is calling, and may they? Passwords (argon2), API tokens, and the scope check every
//! endpoint and page makes: a role granted on a unit holds for that unit's subtree, judged on
//! the tree as of the date the request is about.

use crate::AppState;
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use base64::Engine;
use chrono::NaiveDate;
use orgwork_domain::access::{Permission, Role};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Actor, Store, User};
use sha2::{Digest, Sha256};

/// Hashes a password with argon2 (default parameters), off the async workers.
pub async fn hash_password(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks a password against its argon2 hash, off the async workers.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// SHA-256 (hex) of a secret: tokens and session ids are stored only so.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn random_text(bytes: usize) -> String {
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A new API token: `(public id, whole token)`. The token is `<id>.<secret>`; only its hash
/// is kept.
pub fn new_token() -> (String, String) {
    let id = format!("ow_{}", random_text(6).replace(['-', '_'], "x"));
    let token = format!("{id}.{}", random_text(32));
    (id, token)
}

/// A new session id (a secret for the cookie).
pub fn new_session_secret() -> String {
    random_text(32)
}

/// Today, by the server's clock: the far end of the days a write's scope is judged on.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.name)
    }

    /// May the caller do `what` on `unit`, judged on the tree as of `on`? 404 when the unit
    /// does not exist, 403 when it lies outside every grant that permits `what`.
    pub async fn require(
        &self,
        store: &dyn Store,
        what: Permission,
        unit: &UnitCode,
        on: NaiveDate,
    ) -> Result<(), ApiError> {
        let path = store.path_ids(unit, on).await?;
        self.require_path(what, unit, &path)
    }

    /// May the caller do `what` on `unit` on every day from `from` to today (from today to
    /// `from` for a change planned ahead)? A write holds from its effective date on, so a unit
    /// that was in the caller's scope on that date and has been moved out of it since (or the
    /// other way round) is refused: judged on the date in the request alone, a backdated write
    /// would reach into another committee's subtree. 404 / 403 as `require`.
    pub async fn require_from(
        &self,
        store: &dyn Store,
        what: Permission,
        unit: &UnitCode,
        from: NaiveDate,
    ) -> Result<(), ApiError> {
        // A change dated past the profile's horizon is refused (422) before anything is read.
        orgwork_domain::date::check_horizon("date", from, today(), store.profile().horizon_years)?;
        self.require_span(store, what, unit, from, today()).await
    }

    /// As `require_from`, over the days from `from` to `to` (in either order).
    pub async fn require_span(
        &self,
        store: &dyn Store,
        what: Permission,
        unit: &UnitCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(), ApiError> {
        self.require_paths(what, unit, &store.paths_over(unit, from, to).await?)
    }

    /// `require_path` on each of the unit's paths over a span of days (`paths_over`); a path
    /// after the first refused names the day it starts.
    pub fn require_paths(
        &self,
        what: Permission,
        unit: &UnitCode,
        paths: &[(NaiveDate, Vec<i64>)],
    ) -> Result<(), ApiError> {
        let first = paths.first().map(|(day, _)| *day);
        for (day, path) in paths {
            self.require_path(what, unit, path).map_err(|e| match Some(*day) == first {
                true => e,
                // In scope on the date asked about, not on a later (or earlier) day it reaches.
                false => ApiError::new(
                    StatusCode::FORBIDDEN,
                    &e.code,
                    format!("unit {unit} is outside the units you may change from {day}, a day this change reaches"),
                ),
            })?;
        }
        Ok(())
    }

    /// As `require_from`, for a change of the structure dated `effective`: a unit that does
    /// not exist on any of those days is judged where it stands today, so that the change
    /// itself can say what is wrong with its date (422) rather than a 404.
    pub async fn require_change(
        &self,
        store: &dyn Store,
        unit: &UnitCode,
        effective: NaiveDate,
    ) -> Result<(), ApiError> {
        match self.require_from(store, Permission::WriteStructure, unit, effective).await {
            Err(e) if e.status == StatusCode::NOT_FOUND => {
                let latest = store.history(unit).await?.last().map(|h| h.effective).unwrap_or(effective);
                self.require_span(store, Permission::WriteStructure, unit, latest, today().max(latest)).await
            }
            other => other,
        }
    }

    pub fn require_path(&self, what: Permission, unit: &UnitCode, path: &[i64]) -> Result<(), ApiError> {
        let in_scope: Vec<&orgwork_store::Grant> =
            self.user.grants.iter().filter(|g| path.contains(&g.unit_id)).collect();
        if in_scope.iter().any(|g| g.role.permits(what)) {
            return Ok(());
        }
        if in_scope.is_empty() {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "out_of_scope",
                format!("unit {unit} is outside the units you may see"),
            ))
        } else {
            let roles: Vec<_> = in_scope.iter().map(|g| g.role.as_str()).collect();
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("your role ({}) on unit {unit} does not allow this", roles.join(", ")),
            ))
        }
    }

    /// The units (store keys) at the top of the caller's scope for `what`; `None` when one of
    /// them is a root on `on`, so the scope is the whole of that tree and no filter is needed
    /// for a single-tree organization.
    pub async fn tops(&self, store: &dyn Store, what: Permission, on: NaiveDate) -> Result<Option<Vec<i64>>, ApiError> {
        let mut tops = vec![];
        for g in self.user.grants.iter().filter(|g| g.role.permits(what)) {
            match store.path_ids(&g.unit, on).await {
                Ok(path) if path.len() == 1 => return Ok(None),
                Ok(_) => tops.push(g.unit_id),
                Err(orgwork_store::StoreError::Domain(_)) => {} // not live then
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Some(tops))
    }

    /// Is the caller an administrator at a root (of the whole tree) on `on`?
    pub async fn is_root_administrator(&self, store: &dyn Store, on: NaiveDate) -> Result<bool, ApiError> {
        for g in self.user.grants.iter().filter(|g| g.role == Role::Administrator) {
            if let Ok(path) = store.path_ids(&g.unit, on).await
                && path.len() == 1
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The caller of an API request, from `Authorization: Bearer <token>`; 401 without a valid one.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthenticated = |why: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", why.to_string());
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| unauthenticated("this endpoint needs an API token: send Authorization: Bearer <token>"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthenticated("the Authorization header must be Bearer <token>"))?;
        let user = state
            .store
            .user_by_token(&secret_hash(token))
            .await?
            .ok_or_else(|| unauthenticated("the token is not valid (unknown, revoked, or its user is disabled)"))?;
        Ok(ApiCaller(Caller { user }))
    }
}
