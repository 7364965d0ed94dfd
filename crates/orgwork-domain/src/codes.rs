//! Code lists: the values a field may hold (a member's sex, education, occupation…), each a
//! stable code with its name in the three languages and the other words people write for it.
//!
//! A value is stored as its code and shown by its name in the reader's language. What people
//! type or import is read as the code, or as any name or synonym in any of the languages,
//! without regard to case, accents or the spaces and underscores between words: "Công chức",
//! "cong chuc", "Civil servant" and `civil_servant` are one value.

use crate::profile::LocalizedText;
use crate::text::fold;
use serde::{Deserialize, Serialize};

/// A value of a code list, as a record holds it: made only by `CodeList::resolve` (what a
/// person wrote, read as one of the list's values) or from what the store kept
/// (`Code::from_stored`), so a record's coded field cannot hold a word the list lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Code(String);

impl Code {
    /// A code as the store kept it (it was resolved when it was written).
    pub fn from_stored(code: impl Into<String>) -> Code {
        Code(code.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// One value of a code list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct CodeEntry {
    pub code: String,
    /// Its name in each language (Vietnamese required; the others fall back to it).
    pub name: LocalizedText,
    /// Other words read as this value (abbreviations, older spellings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
}

impl<'de> Deserialize<'de> for CodeEntry {
    /// A bare code (`"male"`, named by itself), or `{ code, name = { vi, en, ar }, synonyms }`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            code: String,
            name: LocalizedText,
            #[serde(default)]
            synonyms: Vec<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Code(String),
            Full(Full),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("a code list's value is a code, or { code, name = { vi, en, ar }, synonyms }")
        })? {
            Raw::Code(code) => {
                Ok(CodeEntry { name: LocalizedText { vi: code.clone(), en: None, ar: None }, code, synonyms: vec![] })
            }
            Raw::Full(f) => Ok(CodeEntry { code: f.code, name: f.name, synonyms: f.synonyms }),
        }
    }
}

/// The values a field may hold. An empty list allows any text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CodeList(pub Vec<CodeEntry>);

/// How a written value is compared: folded (case and accents), with `_`, `-` and runs of
/// spaces as one space.
fn key(text: &str) -> String {
    fold(&text.replace(['_', '-'], " ")).trim().to_string()
}

impl CodeList {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn entries(&self) -> &[CodeEntry] {
        &self.0
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|e| e.code.as_str())
    }

    pub fn contains(&self, code: &str) -> bool {
        self.0.iter().any(|e| e.code == code)
    }

    /// The value a written text means: its code, or any of its names or synonyms.
    pub fn resolve(&self, text: &str) -> Option<&CodeEntry> {
        let k = key(text);
        if k.is_empty() {
            return None;
        }
        self.0.iter().find(|e| e.code == text.trim()).or_else(|| self.0.iter().find(|e| words(e).any(|w| key(w) == k)))
    }

    /// The name of a code in a language; a code the list does not hold is shown as written.
    pub fn label<'a>(&'a self, code: &'a str, lang: &str) -> &'a str {
        match self.0.iter().find(|e| e.code == code) {
            Some(e) => match lang {
                "en" => e.name.en.as_deref().unwrap_or(&e.name.vi),
                "ar" => e.name.ar.as_deref().unwrap_or(&e.name.vi),
                _ => &e.name.vi,
            },
            None => code,
        }
    }

    /// The list's shape: codes are identifiers used once, and no word means two values.
    pub fn check(&self) -> Result<(), String> {
        let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
        for e in &self.0 {
            if e.code.is_empty()
                || e.code.len() > 64
                || !e.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
            {
                return Err(format!("'{}' is not a code (lower-case letters, digits, '_' and '-')", e.code));
            }
            if e.name.vi.trim().is_empty() {
                return Err(format!("code '{}' has an empty Vietnamese name (vi)", e.code));
            }
            for w in words(e) {
                let k = key(w);
                if k.is_empty() {
                    return Err(format!("code '{}' has an empty synonym", e.code));
                }
                match seen.get(&k) {
                    Some(other) if *other != e.code => {
                        return Err(format!("'{w}' names both '{other}' and '{}'", e.code));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(k, &e.code);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Every word that means the entry: its code, names and synonyms.
fn words(e: &CodeEntry) -> impl Iterator<Item = &str> {
    std::iter::once(e.code.as_str())
        .chain(std::iter::once(e.name.vi.as_str()))
        .chain(e.name.en.as_deref())
        .chain(e.name.ar.as_deref())
        .chain(e.synonyms.iter().map(String::as_str))
}

impl From<Vec<&str>> for CodeList {
    /// A list of bare codes (each named by itself).
    fn from(codes: Vec<&str>) -> CodeList {
        CodeList(
            codes
                .into_iter()
                .map(|c| CodeEntry {
                    code: c.to_string(),
                    name: LocalizedText { vi: c.to_string(), en: None, ar: None },
                    synonyms: vec![],
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occupations() -> CodeList {
        toml::from_str::<std::collections::HashMap<String, CodeList>>(
            r#"list = [
                { code = "civil_servant", name = { vi = "Công chức", en = "Civil servant", ar = "موظف حكومي" } },
                { code = "student", name = { vi = "Sinh viên", en = "Student" }, synonyms = ["Học sinh, sinh viên", "HSSV"] },
                "other",
            ]"#,
        )
        .unwrap()
        .remove("list")
        .unwrap()
    }

    #[test]
    fn a_value_is_read_from_its_code_or_any_name_without_case_or_accents() {
        let l = occupations();
        for text in ["civil_servant", "Công chức", "CONG CHUC", "cong_chuc", "civil servant", "موظف حكومي"]
        {
            assert_eq!(l.resolve(text).map(|e| e.code.as_str()), Some("civil_servant"), "{text}");
        }
        assert_eq!(l.resolve("hssv").unwrap().code, "student");
        assert_eq!(l.resolve(" other ").unwrap().code, "other");
        assert!(l.resolve("farmer").is_none());
        assert!(l.resolve("").is_none());
    }

    #[test]
    fn a_code_is_shown_by_its_name_in_the_language_or_the_vietnamese_one() {
        let l = occupations();
        assert_eq!(l.label("civil_servant", "en"), "Civil servant");
        assert_eq!(l.label("civil_servant", "ar"), "موظف حكومي");
        assert_eq!(l.label("student", "ar"), "Sinh viên");
        assert_eq!(l.label("other", "vi"), "other");
        assert_eq!(l.label("unknown", "en"), "unknown");
    }

    #[test]
    fn a_word_meaning_two_values_is_refused() {
        assert!(occupations().check().is_ok());
        let mut l = occupations();
        l.0[1].synonyms.push("cong chuc".into());
        assert_eq!(l.check().unwrap_err(), "'cong chuc' names both 'civil_servant' and 'student'");
        let bad: CodeList = vec!["Not A Code"].into();
        assert!(bad.check().is_err());
    }
}
