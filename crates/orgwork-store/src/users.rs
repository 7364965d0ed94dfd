//! Users, their scoped roles, API tokens and sessions.

use super::*;

/// A role on a unit, holding for its subtree. `unit_id` is the store's key of the unit: the
/// grant follows the unit, whatever its code or place later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    #[serde(skip)]
    pub unit_id: i64,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct User {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    /// The UI language the user chose (en, vi, ar), if any.
    pub language: Option<String>,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

/// A user with the hash of their password, for logging in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub unit: UnitCode,
}

/// An API token as listed (the secret itself is shown once, at creation, and never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// Users, their grants, API tokens and login sessions. Secrets are stored only as hashes.
#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn credentials(&self, name: &str) -> Result<Option<Credentials>>;
    async fn user_by_id(&self, id: i64) -> Result<Option<User>>;
    async fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<User>;
    async fn set_password_hash(&self, actor: &Actor, name: &str, password_hash: &str) -> Result<()>;
    async fn set_language(&self, actor: &Actor, user_id: i64, language: &str) -> Result<()>;
    /// Records a token (`id` public, `secret_hash` the SHA-256 of the whole token).
    async fn create_token(&self, actor: &Actor, user: &str, id: &str, secret_hash: &str) -> Result<TokenInfo>;
    async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<TokenInfo>;
    async fn tokens(&self) -> Result<Vec<TokenInfo>>;
    /// The enabled user holding the unrevoked token with this hash.
    async fn user_by_token(&self, secret_hash: &str) -> Result<Option<User>>;
    async fn create_session(&self, user_id: i64, secret_hash: &str, expires_at: DateTime<Utc>) -> Result<()>;
    /// The enabled user of the unexpired session with this hash.
    async fn user_by_session(&self, secret_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    async fn delete_session(&self, secret_hash: &str) -> Result<()>;
    /// Links a user to the member record of the person they are (none to unlink): the
    /// conflict-of-interest check of inspection teams reads it.
    async fn link_member(&self, actor: &Actor, name: &str, member: Option<MemberId>) -> Result<()>;
    /// The member record a user is linked to.
    async fn linked_member(&self, user_id: i64) -> Result<Option<MemberId>>;
}
