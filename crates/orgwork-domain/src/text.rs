//! Text folding for search: a name and a query fold the same way, so that `bui thuy` finds
//! "Bùi Thụy", `dang` finds "Đặng", and Arabic matches whatever its hamza, alef and vowel marks.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` in Unicode normal form C (composed: "ệ" one character, as Vietnamese keyboards
/// write it). Most text is already so, which the quick check tells without composing it again.
pub fn nfc(text: &str) -> String {
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_string(),
        _ => text.nfc().collect(),
    }
}

/// Folds text for matching: lower case, Vietnamese diacritics dropped (đ→d), Arabic alef forms,
/// alef maqsura, ta marbuta, tatweel and tashkeel normalized, runs of spaces collapsed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue; // Latin diacritics and Arabic tashkeel (U+064B–U+065F, U+0670) alike
        }
        let mapped = match c {
            // Ð/ð (eth) stands in for Đ/đ in text converted from old Vietnamese encodings.
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            '\u{0640}' => continue, // tatweel
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.extend(mapped.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The sort key of a name in Vietnamese order (ICU's Vietnamese collation: "Ân" before
/// "Bình", "Dương" before "Đặng", tones after letters): byte-wise comparison of keys is the
/// language's order, so a database can order by the key. Keys are derived data: recompute
/// them when the collation data changes.
pub fn sort_key(text: &str) -> Vec<u8> {
    use icu_collator::options::{CollatorOptions, Strength};
    use icu_collator::{Collator, CollatorBorrowed};
    use std::sync::OnceLock;
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    let collator = COLLATOR.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        let locale: icu_locale_core::Locale = "vi".parse().ok()?;
        Collator::try_new(locale.into(), options).ok()
    });
    let mut key = Vec::new();
    match collator {
        Some(c) => {
            let text: String = text
                .chars()
                .map(|ch| match ch {
                    'Ð' => 'Đ',
                    'ð' => 'đ',
                    other => other,
                })
                .collect();
            let _ = c.write_sort_key_to(&text, &mut key);
        }
        None => key.extend_from_slice(fold(text).as_bytes()),
    }
    key
}

/// The longest search a user may type, in characters: a name, a card number or an ID is far
/// shorter, and a pattern of tens of thousands of characters only costs the database.
pub const MAX_QUERY: usize = 400;

/// A search text no longer than `MAX_QUERY` characters.
pub fn check_query(field: &str, query: &str) -> crate::Result<()> {
    let n = query.chars().count();
    if n > MAX_QUERY {
        return Err(crate::Error::invalid(
            "invalid_query",
            format!("{field}: {n} characters; a search takes at most {MAX_QUERY}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{fold, nfc, sort_key};

    #[test]
    fn nfc_composes_what_is_decomposed_and_keeps_what_is_not() {
        // "Nguyễn Thị Ánh" typed with combining marks (e + circumflex + tilde, A + acute).
        let decomposed = "Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh";
        assert_eq!(nfc(decomposed), "Nguyễn Thị Ánh");
        assert_ne!(decomposed, "Nguyễn Thị Ánh");
        assert_eq!(nfc("Nguyễn Thị Ánh"), "Nguyễn Thị Ánh");
        assert_eq!(nfc("محمد"), "محمد");
        // Out of canonical order: the quick check says "maybe" or "no", and the marks are put in order.
        assert_eq!(nfc("a\u{323}\u{302}"), nfc("a\u{302}\u{323}"));
    }

    #[test]
    fn names_sort_in_vietnamese_order() {
        let mut names = vec![
            "Đặng Văn Bình",
            "Dương Thị Lan",
            "Bùi Thụy",
            "Ân Văn Hòa",
            "Anh Văn Tú",
            "Ðinh Văn A",
            "Đào Hồng Hoa",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            ["Anh Văn Tú", "Ân Văn Hòa", "Bùi Thụy", "Dương Thị Lan", "Đào Hồng Hoa", "Đặng Văn Bình", "Ðinh Văn A"]
        );
    }

    #[test]
    fn vietnamese_folds_to_plain_letters() {
        assert_eq!(fold("Bùi Thụy"), "bui thuy");
        assert_eq!(fold("ĐẶNG  Văn\tĐức"), "dang van duc");
        assert_eq!(fold("Sở Tài nguyên và Môi trường"), "so tai nguyen va moi truong");
        // Decomposed input (NFD) folds like composed input (NFC).
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Quảng Ninh").collect();
        assert_eq!(fold(&nfd), fold("Quảng Ninh"));
    }

    #[test]
    fn arabic_folds_hamza_alef_ta_marbuta_and_tashkeel() {
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("إسلام"), fold("اسلام"));
        assert_eq!(fold("فاطمة"), fold("فاطمه"));
        assert_eq!(fold("مُحَمَّد"), fold("محمد"));
        assert_eq!(fold("مـحـمـد"), fold("محمد"));
        assert_eq!(fold("مصطفى"), fold("مصطفي"));
    }
}
