//! Readable output for people, `--json` for scripts.

use orgwork_domain::structure::{HistoryEntry, Unit};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn life(u: &Unit) -> String {
    match u.valid_to {
        Some(end) => format!("{} – {} (dissolved)", u.valid_from, end),
        None => format!("from {}", u.valid_from),
    }
}

/// One line per unit: code, kind, Vietnamese name (English in brackets).
pub fn unit_line(u: &Unit) -> String {
    let en = u.name.en.as_deref().map(|e| format!(" [{e}]")).unwrap_or_default();
    format!("{:<20} {:<22} {}{}", u.code, u.kind, u.name.vi, en)
}

pub fn unit_block(u: &Unit, path: &[Unit]) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}  {}\n", u.code, u.name.vi));
    if let Some(en) = &u.name.en {
        s.push_str(&format!("  English: {en}\n"));
    }
    if let Some(ar) = &u.name.ar {
        s.push_str(&format!("  Arabic:  {ar}\n"));
    }
    s.push_str(&format!("  kind:    {}\n", u.kind));
    s.push_str(&format!("  parent:  {}\n", u.parent.as_ref().map(|p| p.as_str()).unwrap_or("(none: a root)")));
    s.push_str(&format!("  life:    {}\n", life(u)));
    if !path.is_empty() {
        let p: Vec<_> = path.iter().map(|a| a.code.as_str()).collect();
        s.push_str(&format!("  path:    {} > {}\n", p.join(" > "), u.code));
    }
    s
}

pub fn history_line(h: &HistoryEntry) -> String {
    let what = match h.change {
        orgwork_domain::structure::Change::Created => format!(
            "created as {} ({}) under {}",
            h.name.vi,
            h.kind,
            h.parent.as_ref().map(|p| p.as_str()).unwrap_or("no parent")
        ),
        orgwork_domain::structure::Change::Renamed => {
            format!("renamed from {} to {}", h.previous_name.as_ref().map(|n| n.vi.as_str()).unwrap_or("?"), h.name.vi)
        }
        orgwork_domain::structure::Change::Moved => format!(
            "moved from under {} to under {}",
            h.previous_parent.as_ref().map(|p| p.as_str()).unwrap_or("no parent"),
            h.parent.as_ref().map(|p| p.as_str()).unwrap_or("no parent")
        ),
        orgwork_domain::structure::Change::Dissolved => "dissolved".to_string(),
    };
    let decision = h.decision.as_deref().map(|d| format!("  (decision {d})")).unwrap_or_default();
    format!("{}  {what}{decision}", h.effective)
}
