//! The audit log: entries, the chain's check and its signed head.

use super::*;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    /// When it was recorded (UTC, RFC 3339).
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

/// The outcome of checking the audit log's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub entries: i64,
    /// The first entry that does not fit the chain (or its signed head), and why.
    pub first_broken: Option<(i64, String)>,
    /// The signed head the chain was checked up to, when the store has the audit key and the
    /// head is signed with it.
    pub signed_head: Option<AuditHead>,
    /// Why the chain could not be checked against a signed head (no key; a head not signed
    /// yet), when it could not.
    pub unanchored: Option<String>,
}

/// The head of the audit chain, signed: its last entry's number and hash, and the HMAC of
/// both with the server's audit key. Printed by `orgwork audit head` for keeping elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
    pub mac: String,
}

/// The append-only audit log, chained by SHA-256.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries about the units of a subtree (or all), from a date on, oldest first.
    async fn audit(&self, unit: Option<&UnitCode>, since: Option<NaiveDate>, page: Page) -> Result<Paged<AuditEntry>>;
    /// The entries about the units of a subtree (or all), newest first (the cursor is the last
    /// entry's number: the next page holds the entries before it).
    async fn latest_audit(&self, unit: Option<&UnitCode>, page: Page) -> Result<Paged<AuditEntry>>;
    /// Recomputes the whole chain, and checks it against its signed head.
    async fn verify_audit(&self) -> Result<AuditCheck>;
    /// The head as stored (signed or not: `mac` is empty while it is not).
    async fn audit_head(&self) -> Result<AuditHead>;
    /// Signs the chain's head as it stands, whatever was signed before: for a log written
    /// before its head was kept signed, once `audit verify` has found it intact. Every write
    /// after signs its new head itself, and only over a head that was signed and still fits.
    async fn sign_audit_head(&self) -> Result<AuditHead>;
}
