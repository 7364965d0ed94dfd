//! Charts drawn on the server as SVG: no JavaScript, no assets, readable when printed. A chart
//! is a picture for the eye; the page puts its table beside it for screen readers (the SVG is
//! `aria-hidden`) and for whoever wants the figures.
//!
//! One helper, `bars`, serves every module: a horizontal bar per figure, each a link to its
//! list. In a right-to-left language the bars grow from the right.

use std::fmt::Write;

/// A bar: its label, its value, and the list it links to.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub href: Option<String>,
}

/// Text safe inside SVG (XML) markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as SVG markup: a row per bar, its label above the bar and its value
/// (written by `number`) at the bar's end. `rtl` mirrors it.
pub fn bars(bars: &[Bar], rtl: bool, number: impl Fn(i64) -> String) -> String {
    scaled_bars(bars, rtl, None, number)
}

/// Bars scaled to `full` (100 for percentages) rather than to the longest.
pub fn scaled_bars(bars: &[Bar], rtl: bool, full: Option<i64>, number: impl Fn(i64) -> String) -> String {
    const WIDTH: i64 = 480;
    const ROW: i64 = 44;
    const BAR: i64 = 16;
    let height = ROW * bars.len().max(1) as i64;
    let max = full.unwrap_or_else(|| bars.iter().map(|b| b.value).max().unwrap_or(0)).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" aria-hidden="true" focusable="false"{}>"#,
        if rtl { r#" direction="rtl""# } else { "" }
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i as i64 * ROW;
        // The longest bar leaves room for its value after it.
        let len = if b.value <= 0 { 0 } else { (b.value.min(max) * (WIDTH - 80) / max).max(2) };
        let (x, label_x, value_x, anchor) =
            if rtl { (WIDTH - len, WIDTH, WIDTH - len - 6, "start") } else { (0, 0, len + 6, "start") };
        if let Some(href) = &b.href {
            let _ = write!(svg, r#"<a href="{}">"#, escape(href));
        }
        let _ = write!(
            svg,
            r#"<text x="{label_x}" y="{}" class="chart-label" text-anchor="{anchor}">{}</text><rect x="{x}" y="{}" width="{len}" height="{BAR}" class="chart-bar" rx="2"/><text x="{value_x}" y="{}" class="chart-value" text-anchor="{anchor}">{}</text>"#,
            y + 14,
            escape(&b.label),
            y + 20,
            y + 33,
            escape(&number(b.value)),
        );
        if b.href.is_some() {
            svg.push_str("</a>");
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: i64) -> Bar {
        Bar { label: label.into(), value, href: Some(format!("/x?c={label}&y=1")) }
    }

    #[test]
    fn bars_are_proportional_and_their_text_escaped() {
        let svg = bars(&[bar("women", 200), bar("<young>", 100), bar("none", 0)], false, |n| n.to_string());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"width="400""#), "the largest bar is full length: {svg}");
        assert!(svg.contains(r#"width="200""#), "half the value, half the length");
        assert!(svg.contains(r#"width="0""#), "a zero is drawn as nothing");
        assert!(svg.contains("&lt;young&gt;") && !svg.contains("<young>"));
        assert!(svg.contains(r#"href="/x?c=women&amp;y=1""#));
        assert!(svg.contains(r#"aria-hidden="true""#), "the table beside it is for screen readers");
    }

    #[test]
    fn in_a_right_to_left_language_bars_grow_from_the_right() {
        let svg = bars(&[bar("a", 10)], true, |n| n.to_string());
        assert!(svg.contains(r#"direction="rtl""#));
        assert!(svg.contains(r#"<rect x="80" y="20" width="400""#), "{svg}");
    }

    #[test]
    fn an_empty_chart_is_still_a_picture() {
        let svg = bars(&[], false, |n| n.to_string());
        assert!(svg.contains(r#"viewBox="0 0 480 44""#));
    }
}
