//! The audit log's hash chain. Each entry's hash covers its own fields and the previous
//! entry's hash, so altering, removing or reordering an entry breaks every hash after it.
//! The chain's head (its last entry's number and hash) is signed with a key the server keeps
//! outside the database (`head_mac`): cutting the newest entries, or rehashing the whole
//! chain after an edit, no longer fits the signed head.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The hash format of the entries written now: every column of the entry (format 1, before
/// migration 0014, left `unit_id` out).
pub const FORMAT: i64 = 2;

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
    pub unit_id: Option<i64>,
    /// 1 or 2 (`FORMAT`); the format is itself hashed from 2 on.
    pub format: i64,
}

/// SHA-256 (hex) of the previous hash and the entry's fields, each length-prefixed so that
/// no two different entries hash the same bytes.
pub fn entry_hash(prev_hash: &str, e: &EntryFields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = e.seq.to_string();
    let (format, unit) = (e.format.to_string(), e.unit_id.map(|u| u.to_string()));
    let mut parts = vec![
        Some(prev_hash),
        Some(seq.as_str()),
        Some(e.at),
        Some(e.actor),
        Some(e.action),
        Some(e.target),
        e.before,
        e.after,
    ];
    if e.format >= 2 {
        parts.extend([Some(format.as_str()), unit.as_deref()]);
    }
    for part in parts {
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

/// The signature (HMAC-SHA256, hex) of a chain's head: its last entry's number and hash.
pub fn head_mac(key: &[u8], seq: i64, hash: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("orgwork audit head\n{seq}\n{hash}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Does `mac` sign this head with `key`? (In constant time.)
pub fn head_signed(key: &[u8], seq: i64, hash: &str, mac: &str) -> bool {
    let expected = head_mac(key, seq, hash);
    expected.len() == mac.len() && expected.bytes().zip(mac.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
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
            unit_id: Some(7),
            format: FORMAT,
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
        assert_ne!(base, entry_hash(GENESIS, &EntryFields { unit_id: None, ..e("admin", None) }), "unit_id");
        assert_ne!(base, entry_hash(GENESIS, &EntryFields { format: 1, ..e("admin", None) }), "the format");
    }

    #[test]
    fn a_head_is_signed_by_its_key_alone() {
        let mac = head_mac(b"the key", 12, "abc");
        assert!(head_signed(b"the key", 12, "abc", &mac));
        assert!(!head_signed(b"another key", 12, "abc", &mac));
        assert!(!head_signed(b"the key", 11, "abc", &mac));
        assert!(!head_signed(b"the key", 12, "abd", &mac));
        assert!(!head_signed(b"the key", 12, "abc", ""));
    }
}
