//! The audit log's hash chain. Each entry's hash covers its own fields and the previous
//! entry's hash, so altering, removing or reordering an entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry as stored (JSON as its stored text).
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// SHA-256 (hex) of the previous hash and the entry's fields, each length-prefixed so that
/// no two different entries hash the same bytes.
pub fn entry_hash(prev_hash: &str, e: &EntryFields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = e.seq.to_string();
    for part in [
        Some(prev_hash),
        Some(seq.as_str()),
        Some(e.at),
        Some(e.actor),
        Some(e.action),
        Some(e.target),
        e.before,
        e.after,
    ] {
        match part {
            Some(p) => {
                h.update((p.len() as u64).to_be_bytes());
                h.update(p.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e<'a>(actor: &'a str, before: Option<&'a str>) -> EntryFields<'a> {
        EntryFields {
            seq: 1,
            at: "2025-01-01T00:00:00.000Z",
            actor,
            action: "unit.rename",
            target: "QN",
            before,
            after: Some("{}"),
        }
    }

    #[test]
    fn any_change_of_a_field_changes_the_hash() {
        let base = entry_hash(GENESIS, &e("admin", None));
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash(GENESIS, &e("admin2", None)));
        assert_ne!(base, entry_hash(GENESIS, &e("admin", Some(""))));
        assert_ne!(base, entry_hash(&base, &e("admin", None)));
        assert_eq!(base, entry_hash(GENESIS, &e("admin", None)));
    }
}
