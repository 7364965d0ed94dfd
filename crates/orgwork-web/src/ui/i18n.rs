//! The UI's languages: English, Vietnamese and Arabic, from Fluent catalogues kept in
//! `locales/`. Plural forms come from CLDR through Fluent (Arabic has six). Dates and numbers
//! are written the way each language writes them.

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use std::sync::OnceLock;

pub const LANGUAGES: [&str; 3] = ["en", "vi", "ar"];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<&'static str, Bundle> {
    static BUNDLES: OnceLock<HashMap<&'static str, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let sources = [
            ("en", include_str!("../../locales/en.ftl")),
            ("vi", include_str!("../../locales/vi.ftl")),
            ("ar", include_str!("../../locales/ar.ftl")),
        ];
        sources
            .into_iter()
            .map(|(lang, text)| {
                let resource = FluentResource::try_new(text.to_string())
                    .unwrap_or_else(|(_, errors)| panic!("locales/{lang}.ftl does not parse: {errors:?}"));
                let id: unic_langid::LanguageIdentifier = lang.parse().expect("a language identifier");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No invisible isolation marks around placeables: pages set `dir` and wrap
                // user-provided names in <bdi> themselves.
                bundle.set_use_isolating(false);
                bundle.add_resource(resource).unwrap_or_else(|e| panic!("locales/{lang}.ftl: {e:?}"));
                (lang, bundle)
            })
            .collect()
    })
}

/// The messages of one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: &'static str,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_AR: [&str; 12] =
    ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];

impl Tr {
    pub fn new(lang: &str) -> Tr {
        let lang = LANGUAGES.into_iter().find(|l| *l == lang).unwrap_or("en");
        Tr { lang }
    }

    pub fn dir(&self) -> &'static str {
        if self.lang == "ar" { "rtl" } else { "ltr" }
    }

    /// ` lang="…"` for a name or value written in another language than the page (told by
    /// its script: Arabic letters, or Vietnamese ones), so that screen readers and fonts take
    /// it in its own language; nothing when it is in the page's, or cannot be told.
    pub fn lang_attr(&self, text: &str) -> &'static str {
        let written = if text.chars().any(|c| matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')) {
            "ar"
        } else if text.chars().any(is_vietnamese_letter) {
            "vi"
        } else {
            return "";
        };
        match (written == self.lang, written) {
            (true, _) => "",
            (false, "ar") => r#" lang="ar""#,
            (false, _) => r#" lang="vi""#,
        }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = &bundles()[self.lang];
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = vec![];
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// A message.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// A message with one named argument.
    pub fn ta(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.format(key, Some(&args))
    }

    /// A message with two named arguments.
    pub fn ta2(&self, key: &str, n1: &str, v1: &str, n2: &str, v2: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(n1.to_string(), FluentValue::from(v1.to_string()));
        args.set(n2.to_string(), FluentValue::from(v2.to_string()));
        self.format(key, Some(&args))
    }

    /// A message with any named arguments.
    pub fn targs(&self, key: &str, pairs: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in pairs {
            args.set(name.to_string(), FluentValue::from(value.to_string()));
        }
        self.format(key, Some(&args))
    }

    /// A message chosen by a count (`$count`), with the language's plural rules.
    pub fn tn(&self, key: &str, count: usize) -> String {
        self.tnq(key, count, "")
    }

    /// A counted message with a `$query` too.
    pub fn tnq(&self, key: &str, count: usize, query: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        args.set("minutes", FluentValue::from(count));
        args.set("query", FluentValue::from(query.to_string()));
        let text = self.format(key, Some(&args));
        // Fluent writes numbers plainly; write them the language's way.
        text.replace(&count.to_string(), &self.number(count as i64))
    }

    /// A date the way the language writes it.
    pub fn date(&self, d: NaiveDate) -> String {
        let m = d.month0() as usize;
        match self.lang {
            "vi" => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            "ar" => format!("{} {} {}", d.day(), MONTHS_AR[m], d.year()),
            _ => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
        }
    }

    /// A month of a year the way the language writes it (an axis's label).
    pub fn month_year(&self, d: NaiveDate) -> String {
        let m = d.month0() as usize;
        match self.lang {
            "vi" => format!("{:02}/{}", d.month(), d.year()),
            "ar" => format!("{} {}", MONTHS_AR[m], d.year()),
            _ => format!("{} {}", &MONTHS_EN[m][..3], d.year()),
        }
    }

    /// A date (YYYY-MM-DD) as a form field shows it for typing: DD/MM/YYYY on Vietnamese and
    /// Arabic pages, as it is on English ones; anything else as it is (a value sent back).
    pub fn date_input(&self, value: impl AsRef<str>) -> String {
        let value = value.as_ref();
        match (self.lang, NaiveDate::parse_from_str(value, "%Y-%m-%d")) {
            ("vi" | "ar", Ok(d)) if value.len() == 10 => d.format("%d/%m/%Y").to_string(),
            _ => value.to_string(),
        }
    }

    /// A whole number with the language's thousands separator.
    pub fn number(&self, n: i64) -> String {
        let sep = match self.lang {
            "vi" => '.',
            "ar" => '\u{066C}',
            _ => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// The name of a role.
    pub fn role(&self, role: &str) -> String {
        self.t(&format!("role-{role}"))
    }

    /// Does the catalogue have the message?
    pub fn has(&self, key: &str) -> bool {
        bundles()[self.lang].get_message(key).is_some_and(|m| m.value().is_some())
    }

    /// The message for an error code, if the catalogue has one.
    pub fn error(&self, code: &str) -> Option<String> {
        let key = format!("err-{code}");
        self.has(&key).then(|| self.t(&key))
    }
}

/// The best of our languages for an `Accept-Language` header, by its q-values.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut best: Option<(&'static str, f32)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(lang) = LANGUAGES.into_iter().find(|l| *l == primary)
            && q > 0.0
            && best.is_none_or(|(_, bq)| q > bq)
        {
            best = Some((lang, q));
        }
    }
    best.map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let keys = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" = "))
                .map(|l| l.split(" = ").next().unwrap().to_string())
                .collect()
        };
        let en = keys(include_str!("../../locales/en.ftl"));
        for (lang, text) in [("vi", include_str!("../../locales/vi.ftl")), ("ar", include_str!("../../locales/ar.ftl"))]
        {
            let other = keys(text);
            for k in &en {
                assert!(other.contains(k), "{lang}.ftl lacks {k}");
            }
            assert_eq!(en.len(), other.len(), "{lang}.ftl has keys that en.ftl lacks");
        }
        for lang in LANGUAGES {
            let tr = Tr::new(lang);
            for k in &en {
                assert_ne!(&tr.t(k), k, "{lang}: {k} does not format");
            }
        }
    }

    #[test]
    fn arabic_has_six_plural_forms() {
        let tr = Tr::new("ar");
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100].into_iter().map(|n| tr.tn("unit-children", n)).collect();
        let distinct: std::collections::BTreeSet<_> = forms.iter().collect();
        assert_eq!(distinct.len(), 6, "{forms:?}");
        assert_eq!(forms[1], "وحدة تابعة واحدة");
        assert!(forms[3].starts_with('3'));
        let en = Tr::new("en");
        assert_eq!(en.tn("unit-children", 1), "One unit under it");
        assert_eq!(en.tn("unit-children", 1234), "1,234 units under it");
        assert_eq!(Tr::new("vi").tn("unit-children", 1234), "1.234 tổ chức trực thuộc");
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let d = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        assert_eq!(Tr::new("en").date(d), "30 December 2024");
        assert_eq!(Tr::new("vi").date(d), "30/12/2024");
        assert_eq!(Tr::new("ar").date(d), "30 ديسمبر 2024");
        assert_eq!(Tr::new("vi").number(5_700_000), "5.700.000");
        assert_eq!(Tr::new("en").number(-1234), "-1,234");
        assert_eq!(Tr::new("en").number(999), "999");
    }

    #[test]
    fn accept_language_picks_the_best_we_have() {
        assert_eq!(from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"), Some("vi"));
        assert_eq!(from_accept_language("fr-FR, ar;q=0.5, en;q=0.4"), Some("ar"));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("en;q=0.2, vi;q=0.9"), Some("vi"));
    }
}

/// A letter that Vietnamese writes and English does not: đ, the horned and breved vowels, and
/// the vowels with a tone mark.
fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        'đ' | 'Đ'
            | 'ă'
            | 'Ă'
            | 'â'
            | 'Â'
            | 'ê'
            | 'Ê'
            | 'ô'
            | 'Ô'
            | 'ơ'
            | 'Ơ'
            | 'ư'
            | 'Ư'
            | 'à'
            | 'á'
            | 'ã'
            | 'è'
            | 'é'
            | 'ì'
            | 'í'
            | 'ò'
            | 'ó'
            | 'õ'
            | 'ù'
            | 'ú'
            | 'ý'
            | 'À'
            | 'Á'
            | 'Ã'
            | 'È'
            | 'É'
            | 'Ì'
            | 'Í'
            | 'Ò'
            | 'Ó'
            | 'Õ'
            | 'Ù'
            | 'Ú'
            | 'Ý'
            | 'ĩ'
            | 'Ĩ'
            | 'ũ'
            | 'Ũ'
            | '\u{1EA0}'..='\u{1EF9}'
    )
}

#[cfg(test)]
mod lang_tests {
    use super::Tr;

    #[test]
    fn dates_are_typed_in_the_pages_order() {
        assert_eq!(Tr::new("vi").date_input("2026-02-01"), "01/02/2026");
        assert_eq!(Tr::new("ar").date_input("2026-02-01"), "01/02/2026");
        assert_eq!(Tr::new("en").date_input("2026-02-01"), "2026-02-01");
        assert_eq!(Tr::new("vi").date_input("31/02/2026"), "31/02/2026", "a value sent back stays");
    }

    #[test]
    fn names_in_another_language_say_which() {
        let (en, vi, ar) = (Tr::new("en"), Tr::new("vi"), Tr::new("ar"));
        assert_eq!(en.lang_attr("Đảng bộ tỉnh Quảng Ninh"), r#" lang="vi""#);
        assert_eq!(en.lang_attr("Lê Văn Nam"), r#" lang="vi""#);
        assert_eq!(ar.lang_attr("Trần Thị Hoa"), r#" lang="vi""#);
        assert_eq!(en.lang_attr("أحمد محمد"), r#" lang="ar""#);
        assert_eq!(vi.lang_attr("أحمد محمد"), r#" lang="ar""#);
        assert_eq!(vi.lang_attr("Đảng bộ tỉnh Quảng Ninh"), "");
        assert_eq!(ar.lang_attr("أحمد محمد"), "");
        assert_eq!(en.lang_attr("Department of Finance"), "", "plain Latin letters cannot be told");
    }
}
