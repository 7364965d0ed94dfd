//! Every word a page can show is in every locale: the keys the code and the templates name,
//! and an `err-<code>` for every error code the domain, the store and the web layer can give.
//! The sources are read as text, so a key or a code added anywhere without its translations
//! fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            if !p.ends_with("tests") && !p.ends_with("target") {
                files(&p, ext, out);
            }
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// The keys of a locale file (`key = …` at the start of a line).
fn keys(lang: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(format!("crates/orgwork-web/locales/{lang}.ftl"))).unwrap();
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
        .collect()
}

/// The string literal after each occurrence of one of `openers` (spaces and a `(` between
/// allowed), when it is made of `allowed` characters only.
fn literals_after(text: &str, openers: &[&str], allowed: fn(char) -> bool) -> Vec<String> {
    let mut out = vec![];
    for opener in openers {
        let mut rest = text;
        while let Some(i) = rest.find(opener) {
            rest = &rest[i + opener.len()..];
            let tail = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
            if let Some(body) = tail.strip_prefix('"') {
                let lit: String = body.chars().take_while(|c| *c != '"').collect();
                if !lit.is_empty() && lit.chars().all(allowed) {
                    out.push(lit);
                }
            }
        }
    }
    out
}

#[test]
fn every_key_the_pages_name_is_in_every_locale() {
    let mut sources = vec![];
    files(&root().join("crates/orgwork-web/src"), "rs", &mut sources);
    files(&root().join("crates/orgwork-web/templates"), "html", &mut sources);
    let mut used = BTreeSet::new();
    for f in &sources {
        let text = std::fs::read_to_string(f).unwrap();
        let openers = [".t(", ".ta(", ".ta2(", ".tn(", ".tnq(", ".targs("];
        used.extend(literals_after(&text, &openers, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    }
    assert!(used.len() > 150, "the scan finds the keys ({} found)", used.len());
    for lang in ["en", "vi", "ar"] {
        let have = keys(lang);
        let missing: Vec<_> = used.difference(&have).collect();
        assert!(missing.is_empty(), "{lang}.ftl lacks {missing:?}");
    }
}

#[test]
fn the_locales_have_the_same_keys() {
    let en = keys("en");
    for lang in ["vi", "ar"] {
        let other = keys(lang);
        assert_eq!(en.difference(&other).collect::<Vec<_>>(), Vec::<&String>::new(), "{lang} lacks keys of en");
        assert_eq!(other.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "{lang} has keys en lacks");
    }
}

#[test]
fn every_error_code_has_its_words_in_every_locale() {
    let mut sources = vec![];
    for dir in ["crates/orgwork-domain/src", "crates/orgwork-store", "crates/orgwork-web/src"] {
        files(&root().join(dir), "rs", &mut sources);
    }
    let mut codes = BTreeSet::new();
    for f in &sources {
        let text = std::fs::read_to_string(f).unwrap();
        let openers = [
            "Error::invalid(",
            "Error::not_found(",
            "Error::conflict(",
            "Error::rule(",
            "StatusCode::BAD_REQUEST,",
            "StatusCode::NOT_FOUND,",
            "StatusCode::FORBIDDEN,",
            "StatusCode::CONFLICT,",
            "StatusCode::UNPROCESSABLE_ENTITY,",
            "StatusCode::PAYLOAD_TOO_LARGE,",
            "StatusCode::TOO_MANY_REQUESTS,",
            "StatusCode::UNAUTHORIZED,",
            "StatusCode::SERVICE_UNAVAILABLE,",
        ];
        codes.extend(literals_after(&text, &openers, |c| c.is_ascii_lowercase() || c == '_'));
        // The typed ids' not-found codes (`typed_id!(…, "member_not_found", "member")`).
        for line in text.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_uppercase())) {
            if let Some(code) = line.split('"').nth(1).filter(|c| c.ends_with("_not_found")) {
                codes.insert(code.to_string());
            }
        }
    }
    assert!(codes.len() > 60, "the scan finds the codes ({} found)", codes.len());
    for lang in ["en", "vi", "ar"] {
        let have = keys(lang);
        let missing: Vec<_> = codes.iter().filter(|c| !have.contains(&format!("err-{c}"))).collect();
        assert!(missing.is_empty(), "{lang}.ftl lacks err- for {missing:?}");
    }
}

#[test]
fn every_audit_action_has_its_name_in_every_locale() {
    let mut sources = vec![];
    files(&root().join("crates/orgwork-store/sql"), "rs", &mut sources);
    let mut actions = BTreeSet::new();
    for f in &sources {
        let text = std::fs::read_to_string(f).unwrap();
        actions.extend(literals_after(&text, &["action:"], |c| c.is_ascii_lowercase() || c == '_' || c == '.'));
    }
    // An import's preview lines have an action too ("create", "update"): not the audit log's.
    actions.retain(|a| a.contains('.'));
    assert!(actions.len() > 20, "the scan finds the actions ({} found)", actions.len());
    for lang in ["en", "vi", "ar"] {
        let have = keys(lang);
        let missing: Vec<_> =
            actions.iter().filter(|a| !have.contains(&format!("audit-action-{}", a.replace('.', "-")))).collect();
        assert!(missing.is_empty(), "{lang}.ftl lacks audit-action- for {missing:?}");
    }
}
