//! Inspection, supervision and discipline: the states of a planned inspection, the conflict of
//! interest of a team, a conclusion's findings and recommendations (read from a file), the
//! follow-up's four-eyes rule, the ladders of disciplinary measures and their appeals, and the
//! coverage of a body's subtree. Pure functions: the store loads the facts and calls them.

use crate::profile::InspectionRules;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most subjects, team members, findings and recommendations one inspection holds, and the
/// longest text.
pub const MAX_SUBJECTS: usize = 200;
pub const MAX_TEAM: usize = 50;
pub const MAX_FINDINGS: usize = 500;
pub const MAX_TEXT: usize = 4000;

/// Where a planned inspection or supervision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    Planned,
    InProgress,
    Concluded,
    Deferred,
    Cancelled,
}

impl InspectionStatus {
    pub const ALL: [InspectionStatus; 5] = [
        InspectionStatus::Planned,
        InspectionStatus::InProgress,
        InspectionStatus::Concluded,
        InspectionStatus::Deferred,
        InspectionStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionStatus::Planned => "planned",
            InspectionStatus::InProgress => "in_progress",
            InspectionStatus::Concluded => "concluded",
            InspectionStatus::Deferred => "deferred",
            InspectionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<InspectionStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether it is still to be carried out (planned, under way or put off): what a
    /// restructuring must find a unit for.
    pub fn is_open(self) -> bool {
        matches!(self, InspectionStatus::Planned | InspectionStatus::InProgress | InspectionStatus::Deferred)
    }

    /// Whether it was carried out, at least begun: what the coverage counts.
    pub fn counts_as_done(self) -> bool {
        matches!(self, InspectionStatus::InProgress | InspectionStatus::Concluded)
    }
}

/// Whether an inspection may go from one status to another: planned → in progress →
/// concluded; planned or deferred → deferred (again) or cancelled, with a reason; deferred →
/// planned (taken up again); in progress → cancelled. A concluded or cancelled one is final.
pub fn check_transition(from: InspectionStatus, to: InspectionStatus) -> Result<()> {
    use InspectionStatus::*;
    let ok = matches!(
        (from, to),
        (Planned, InProgress)
            | (InProgress, Concluded)
            | (Planned, Deferred)
            | (Deferred, Deferred)
            | (Deferred, Planned)
            | (Planned, Cancelled)
            | (Deferred, Cancelled)
            | (InProgress, Cancelled)
    );
    if ok {
        Ok(())
    } else {
        let code =
            if matches!(from, Concluded | Cancelled) { "inspection_locked" } else { "invalid_inspection_status" };
        Err(Error::conflict(code, format!("status: an inspection {} cannot become {}", from.as_str(), to.as_str())))
    }
}

/// A planned window: within the programme's year, from on or before to.
pub fn check_window(year: i32, from: NaiveDate, to: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    if to < from {
        return Err(Error::invalid("invalid_window", format!("to: {to} is before from {from}")));
    }
    if from.year() != year || to.year() != year {
        return Err(Error::invalid(
            "invalid_window",
            format!("from, to: the window {from} – {to} is not within the programme's year {year}"),
        ));
    }
    Ok(())
}

/// A text a user gives: trimmed, not empty when `required`, at most `MAX_TEXT` characters.
pub fn check_text(field: &str, text: &str, required: bool) -> Result<String> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err(Error::invalid("invalid_text", format!("{field}: is required")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(Error::invalid("invalid_text", format!("{field}: over {MAX_TEXT} characters")));
    }
    Ok(t.to_string())
}

/// A subject as the conflict check sees it: the units it stands for over the window (a unit
/// subject: itself; a member subject: the units the member belonged to), and the member.
#[derive(Debug, Clone)]
pub struct SubjectFacts {
    /// How the subject is named in a refusal (a unit's code, a member's name and id).
    pub label: String,
    pub units: Vec<i64>,
    pub member: Option<i64>,
}

/// A team member as the conflict check sees them: the user, the member record they are
/// linked to, and every path (unit and its ancestors, ids) of the units that member belonged
/// to on some day of the window.
#[derive(Debug, Clone)]
pub struct TeamFacts {
    pub user: String,
    pub member: Option<i64>,
    pub member_label: String,
    pub paths: Vec<Vec<i64>>,
}

/// A conflict of interest: a team member whose member record belongs to a subject's subtree
/// during the window (or who is the subject).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub user: String,
    pub member: String,
    pub subject: String,
}

/// Every conflict of interest of a team with its subjects.
pub fn conflicts(team: &[TeamFacts], subjects: &[SubjectFacts]) -> Vec<Conflict> {
    let mut out = Vec::new();
    for t in team {
        let Some(m) = t.member else { continue };
        for s in subjects {
            let same = s.member == Some(m);
            let under = t.paths.iter().any(|p| p.iter().any(|u| s.units.contains(u)));
            if same || under {
                out.push(Conflict { user: t.user.clone(), member: t.member_label.clone(), subject: s.label.clone() });
            }
        }
    }
    out
}

/// The refusal of a team with conflicts of interest, naming each member and subject.
pub fn conflict_error(found: &[Conflict]) -> Error {
    let all = found
        .iter()
        .map(|c| format!("{} (member {}) belongs to {}", c.user, c.member, c.subject))
        .collect::<Vec<_>>()
        .join("; ");
    Error::rule(
        "conflict_of_interest",
        format!("team: {all}; record an override with its reason to keep them on the team"),
    )
}

/// What a finding records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Violation,
    Shortcoming,
    GoodPractice,
}

impl FindingKind {
    pub const ALL: [FindingKind; 3] = [FindingKind::Violation, FindingKind::Shortcoming, FindingKind::GoodPractice];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Violation => "violation",
            FindingKind::Shortcoming => "shortcoming",
            FindingKind::GoodPractice => "good_practice",
        }
    }

    pub fn parse(text: &str) -> Option<FindingKind> {
        let t = text.trim().to_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == t)
    }
}

/// A finding as written in a conclusion (its subject a unit's code, or `member:ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    pub subject: String,
    pub kind: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub regulation: Option<String>,
    pub text: String,
    /// The id of an earlier finding this one repeats.
    #[serde(default)]
    pub repeat_of: Option<String>,
}

/// A recommendation as written in a conclusion: `finding` is its finding's place, from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecommendationInput {
    #[serde(default)]
    pub finding: Option<usize>,
    pub addressee: String,
    pub text: String,
    pub due: NaiveDate,
    /// The user who owns it (reports it done).
    pub owner: String,
}

/// A conclusion: its findings and recommendations, as the file (`[[finding]]`,
/// `[[recommendation]]`) or the API's body gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConclusionInput {
    #[serde(default, rename = "finding", alias = "findings")]
    pub findings: Vec<FindingInput>,
    #[serde(default, rename = "recommendation", alias = "recommendations")]
    pub recommendations: Vec<RecommendationInput>,
}

/// A finding checked against the profile: its kind and severity codes.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFinding {
    pub subject: String,
    pub kind: FindingKind,
    pub severity: Option<String>,
    pub regulation: Option<String>,
    pub text: String,
    pub repeat_of: Option<String>,
}

/// Reads a conclusion file (TOML).
pub fn read_conclusion(text: &str) -> Result<ConclusionInput> {
    toml::from_str(text).map_err(|e| Error::invalid("invalid_conclusion", format!("findings: {}", e.message().trim())))
}

/// Checks a conclusion: kinds and severities of the profile, texts bounded, each
/// recommendation's finding one of the findings, due dates on or after the conclusion.
pub fn check_conclusion(
    rules: &InspectionRules,
    input: &ConclusionInput,
    on: NaiveDate,
) -> Result<Vec<CheckedFinding>> {
    if input.findings.len() > MAX_FINDINGS || input.recommendations.len() > MAX_FINDINGS {
        return Err(Error::invalid("invalid_conclusion", format!("findings: at most {MAX_FINDINGS} of each")));
    }
    let mut out = Vec::new();
    for (i, f) in input.findings.iter().enumerate() {
        let at = format!("finding {}", i + 1);
        let kind = FindingKind::parse(&f.kind).ok_or_else(|| {
            Error::invalid(
                "invalid_finding",
                format!("{at}: kind '{}' is not one of violation, shortcoming, good_practice", f.kind),
            )
        })?;
        let severity = match f.severity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(rules.severities.resolve(s).map(|e| e.code.clone()).ok_or_else(|| {
                Error::invalid(
                    "invalid_finding",
                    format!(
                        "{at}: severity '{s}' is not one of {}",
                        rules.severities.codes().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?),
        };
        if kind == FindingKind::Violation && severity.is_none() && !rules.severities.is_empty() {
            return Err(Error::invalid("invalid_finding", format!("{at}: a violation needs its severity")));
        }
        let subject = f.subject.trim();
        if subject.is_empty() || subject.chars().count() > 100 {
            return Err(Error::invalid("invalid_finding", format!("{at}: subject is required (a unit's code)")));
        }
        out.push(CheckedFinding {
            subject: subject.to_string(),
            kind,
            severity,
            regulation: f
                .regulation
                .as_deref()
                .map(|r| check_text(&format!("{at}: regulation"), r, false))
                .transpose()?
                .filter(|r| !r.is_empty()),
            text: check_text(&format!("{at}: text"), &f.text, true)?,
            repeat_of: f.repeat_of.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string),
        });
    }
    for (i, r) in input.recommendations.iter().enumerate() {
        let at = format!("recommendation {}", i + 1);
        if let Some(n) = r.finding
            && (n == 0 || n > input.findings.len())
        {
            return Err(Error::invalid(
                "invalid_recommendation",
                format!("{at}: finding {n} is not one of the {} findings (counted from 1)", input.findings.len()),
            ));
        }
        check_text(&format!("{at}: text"), &r.text, true)?;
        if r.due < on {
            return Err(Error::invalid(
                "invalid_recommendation",
                format!("{at}: due {} is before the conclusion's day {on}", r.due),
            ));
        }
        if r.addressee.trim().is_empty() || r.owner.trim().is_empty() {
            return Err(Error::invalid("invalid_recommendation", format!("{at}: addressee and owner are required")));
        }
    }
    Ok(out)
}

/// Where a recommendation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecommendationStatus {
    /// Not yet reported done (or its verification rejected).
    Open,
    /// Reported done, awaiting verification.
    Done,
    /// Verified: closed.
    Verified,
}

impl RecommendationStatus {
    pub const ALL: [RecommendationStatus; 3] =
        [RecommendationStatus::Open, RecommendationStatus::Done, RecommendationStatus::Verified];

    pub fn as_str(self) -> &'static str {
        match self {
            RecommendationStatus::Open => "open",
            RecommendationStatus::Done => "done",
            RecommendationStatus::Verified => "verified",
        }
    }

    pub fn parse(text: &str) -> Option<RecommendationStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Overdue: past its due day and not verified.
pub fn is_overdue(status: RecommendationStatus, due: NaiveDate, as_of: NaiveDate) -> bool {
    status != RecommendationStatus::Verified && due < as_of
}

/// A report that a recommendation is done: only while open.
pub fn check_done(status: RecommendationStatus) -> Result<()> {
    match status {
        RecommendationStatus::Open => Ok(()),
        s => Err(Error::conflict(
            "invalid_recommendation_status",
            format!("status: the recommendation is {} already", s.as_str()),
        )),
    }
}

/// A verification (or its rejection): only of a recommendation reported done, by someone who
/// is neither its owner nor the one who reported it.
pub fn check_verifier(status: RecommendationStatus, owner: &str, reporter: Option<&str>, verifier: &str) -> Result<()> {
    if status != RecommendationStatus::Done {
        return Err(Error::conflict(
            "invalid_recommendation_status",
            format!("status: the recommendation is {}, not reported done", status.as_str()),
        ));
    }
    if verifier == owner {
        return Err(Error::rule(
            "verifier_not_independent",
            format!("verifier: {verifier} owns the recommendation; another user must verify it"),
        ));
    }
    if reporter == Some(verifier) {
        return Err(Error::rule(
            "verifier_not_independent",
            format!("verifier: {verifier} reported it done; another user must verify it"),
        ));
    }
    Ok(())
}

/// Whom a disciplinary case is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Against {
    Member,
    Unit,
}

impl Against {
    pub fn as_str(self) -> &'static str {
        match self {
            Against::Member => "member",
            Against::Unit => "unit",
        }
    }
}

/// The ladder of measures for whom a case is against.
pub fn ladder(rules: &InspectionRules, against: Against) -> &crate::codes::CodeList {
    match against {
        Against::Member => &rules.member_measures,
        Against::Unit => &rules.unit_measures,
    }
}

/// A measure read from what a person wrote (its code or any of its names), on its ladder.
pub fn resolve_measure(rules: &InspectionRules, against: Against, text: &str) -> Result<String> {
    let list = ladder(rules, against);
    list.resolve(text).map(|e| e.code.clone()).ok_or_else(|| {
        Error::invalid(
            "invalid_measure",
            format!(
                "measure: '{text}' is not a measure for a {} ({})",
                against.as_str(),
                list.codes().collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Opened, the measure proposed: not yet decided.
    Open,
    /// The decision issued: locked; it changes only by appeal.
    Issued,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Issued => "issued",
        }
    }

    pub fn parse(text: &str) -> Option<CaseStatus> {
        match text {
            "open" => Some(CaseStatus::Open),
            "issued" => Some(CaseStatus::Issued),
            _ => None,
        }
    }
}

/// What the body deciding an appeal decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    Keep,
    Lighten,
    Raise,
    Annul,
}

impl AppealOutcome {
    pub const ALL: [AppealOutcome; 4] =
        [AppealOutcome::Keep, AppealOutcome::Lighten, AppealOutcome::Raise, AppealOutcome::Annul];

    pub fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Keep => "keep",
            AppealOutcome::Lighten => "lighten",
            AppealOutcome::Raise => "raise",
            AppealOutcome::Annul => "annul",
        }
    }

    pub fn parse(text: &str) -> Result<AppealOutcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == text.trim()).ok_or_else(|| {
            Error::invalid("invalid_outcome", format!("outcome: '{text}' is not one of keep, lighten, raise, annul"))
        })
    }
}

/// The measure an appeal leaves: kept; lightened or raised to the measure given (which must
/// lie below, or above, the one appealed on its ladder), or one step when none is given;
/// annulled (none). `current` is none when an earlier appeal annulled it.
pub fn appeal_measure(
    list: &crate::codes::CodeList,
    current: Option<&str>,
    outcome: AppealOutcome,
    given: Option<&str>,
) -> Result<Option<String>> {
    let codes: Vec<&str> = list.codes().collect();
    let Some(current) = current else {
        return Err(Error::conflict(
            "measure_annulled",
            "measure: the measure was annulled already; nothing is left to appeal",
        ));
    };
    let at = codes
        .iter()
        .position(|c| *c == current)
        .ok_or_else(|| Error::invalid("invalid_measure", format!("measure: '{current}' is not on the ladder")))?;
    let given_at = match given.map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(g) => {
            let code = list.resolve(g).map(|e| e.code.as_str()).ok_or_else(|| {
                Error::invalid("invalid_measure", format!("measure: '{g}' is not one of {}", codes.join(", ")))
            })?;
            Some(codes.iter().position(|c| *c == code).unwrap_or(at))
        }
    };
    match outcome {
        AppealOutcome::Keep => match given_at {
            Some(g) if g != at => Err(Error::invalid(
                "invalid_measure",
                format!("measure: keeping the measure {current} cannot name another ({})", codes[g]),
            )),
            _ => Ok(Some(current.to_string())),
        },
        AppealOutcome::Annul => Ok(None),
        AppealOutcome::Lighten => {
            let to = match given_at {
                Some(g) => g,
                None if at == 0 => {
                    return Err(Error::rule(
                        "invalid_measure",
                        format!("measure: {current} is the lightest measure; annul it instead"),
                    ));
                }
                None => at - 1,
            };
            if to >= at {
                return Err(Error::rule(
                    "invalid_measure",
                    format!("measure: {} is not lighter than {current}", codes[to]),
                ));
            }
            Ok(Some(codes[to].to_string()))
        }
        AppealOutcome::Raise => {
            let to = match given_at {
                Some(g) => g,
                None if at + 1 >= codes.len() => {
                    return Err(Error::rule("invalid_measure", format!("measure: {current} is the heaviest measure")));
                }
                None => at + 1,
            };
            if to <= at {
                return Err(Error::rule(
                    "invalid_measure",
                    format!("measure: {} is not heavier than {current}", codes[to]),
                ));
            }
            Ok(Some(codes[to].to_string()))
        }
    }
}

/// A unit of the body's subtree in the coverage: its code, and whether an inspection or a
/// supervision carried out in the year had it (or one of its members) as subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Covered {
    pub unit: String,
    pub inspected: bool,
    pub supervised: bool,
    /// The last year it was inspected or supervised, if ever.
    pub last_year: Option<i32>,
}

/// The coverage of a subtree: the units inspected in the year, those supervised (a unit can
/// be both), those neither, and those not inspected nor supervised in any year from
/// `never_since` to the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub inspected: Vec<String>,
    pub supervised: Vec<String>,
    pub neither: Vec<String>,
    pub never_since: Vec<String>,
}

/// The coverage of a year from the units of the subtree (in their order) and, for each unit,
/// the years it was inspected and supervised (from done inspections' windows).
pub fn coverage(
    units: &[String],
    done: &BTreeMap<String, (BTreeSet<i32>, BTreeSet<i32>)>,
    year: i32,
    never_since: Option<i32>,
) -> (Coverage, Vec<Covered>) {
    let mut c = Coverage::default();
    let mut rows = Vec::with_capacity(units.len());
    let empty = (BTreeSet::new(), BTreeSet::new());
    for u in units {
        let (ins, sup) = done.get(u).unwrap_or(&empty);
        let inspected = ins.contains(&year);
        let supervised = sup.contains(&year);
        if inspected {
            c.inspected.push(u.clone());
        }
        if supervised {
            c.supervised.push(u.clone());
        }
        if !inspected && !supervised {
            c.neither.push(u.clone());
        }
        if let Some(since) = never_since {
            let any = ins.range(since..=year).next().is_some() || sup.range(since..=year).next().is_some();
            if !any {
                c.never_since.push(u.clone());
            }
        }
        let last_year = ins.range(..=year).next_back().max(sup.range(..=year).next_back()).copied();
        rows.push(Covered { unit: u.clone(), inspected, supervised, last_year });
    }
    (c, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn rules() -> InspectionRules {
        Profile::default_profile().inspection
    }

    #[test]
    fn statuses_move_forward_and_concluded_is_final() {
        use InspectionStatus::*;
        assert!(check_transition(Planned, InProgress).is_ok());
        assert!(check_transition(InProgress, Concluded).is_ok());
        assert!(check_transition(Deferred, Planned).is_ok());
        assert_eq!(check_transition(Concluded, InProgress).unwrap_err().code, "inspection_locked");
        assert_eq!(check_transition(Planned, Concluded).unwrap_err().code, "invalid_inspection_status");
        assert!(Deferred.is_open() && !Cancelled.is_open() && Concluded.counts_as_done() && !Planned.counts_as_done());
    }

    #[test]
    fn windows_lie_in_the_year() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_window(2025, d("2025-03-01"), d("2025-03-31")).is_ok());
        assert!(check_window(2025, d("2025-03-01"), d("2025-02-01")).is_err());
        assert!(check_window(2025, d("2024-12-01"), d("2025-01-10")).is_err());
    }

    #[test]
    fn a_team_member_in_a_subjects_subtree_is_a_conflict() {
        let team = vec![
            TeamFacts {
                user: "ann".into(),
                member: Some(7),
                member_label: "Ann (7)".into(),
                paths: vec![vec![3, 2, 1]],
            },
            TeamFacts { user: "bob".into(), member: Some(8), member_label: "Bob (8)".into(), paths: vec![vec![5, 1]] },
            TeamFacts { user: "cy".into(), member: None, member_label: String::new(), paths: vec![] },
        ];
        let subjects = vec![SubjectFacts { label: "U2".into(), units: vec![2], member: None }];
        let found = conflicts(&team, &subjects);
        assert_eq!(found, vec![Conflict { user: "ann".into(), member: "Ann (7)".into(), subject: "U2".into() }]);
        let e = conflict_error(&found);
        assert_eq!(e.code, "conflict_of_interest");
        assert!(e.message.contains("ann") && e.message.contains("U2"));
        // A member subject: the same person is a conflict wherever they stand.
        let who = vec![SubjectFacts { label: "member 8".into(), units: vec![9], member: Some(8) }];
        assert_eq!(conflicts(&team, &who).len(), 1);
    }

    #[test]
    fn conclusions_are_read_and_checked() {
        let text = r#"
[[finding]]
subject = "QN-KCQ"
kind = "violation"
severity = "serious"
regulation = "Quy định 22-QĐ/TW"
text = "Dues collected late"

[[recommendation]]
finding = 1
addressee = "QN-KCQ"
text = "Collect the dues monthly"
due = "2025-06-30"
owner = "secretary.kcq"
"#;
        let c = read_conclusion(text).unwrap();
        let on = "2025-04-01".parse().unwrap();
        let f = check_conclusion(&rules(), &c, on).unwrap();
        assert_eq!(f[0].kind, FindingKind::Violation);
        assert_eq!(f[0].severity.as_deref(), Some("serious"));
        // Vietnamese names of a severity are read too.
        let mut vi = c.clone();
        vi.findings[0].severity = Some("Nghiêm trọng".into());
        assert_eq!(check_conclusion(&rules(), &vi, on).unwrap()[0].severity.as_deref(), Some("serious"));
        let mut bad = c.clone();
        bad.recommendations[0].finding = Some(2);
        assert_eq!(check_conclusion(&rules(), &bad, on).unwrap_err().code, "invalid_recommendation");
        let mut bad = c.clone();
        bad.findings[0].kind = "crime".into();
        assert_eq!(check_conclusion(&rules(), &bad, on).unwrap_err().code, "invalid_finding");
        let mut bad = c;
        bad.findings[0].severity = None;
        assert!(check_conclusion(&rules(), &bad, on).is_err(), "a violation needs a severity");
        assert_eq!(read_conclusion("[[finding]]\nsubjekt = 1").unwrap_err().code, "invalid_conclusion");
    }

    #[test]
    fn only_someone_else_verifies() {
        use RecommendationStatus::*;
        assert!(check_verifier(Done, "ann", Some("bob"), "cy").is_ok());
        assert_eq!(check_verifier(Done, "ann", Some("bob"), "ann").unwrap_err().code, "verifier_not_independent");
        assert_eq!(check_verifier(Done, "ann", Some("bob"), "bob").unwrap_err().code, "verifier_not_independent");
        assert_eq!(check_verifier(Open, "ann", None, "cy").unwrap_err().code, "invalid_recommendation_status");
        assert!(check_done(Open).is_ok() && check_done(Verified).is_err());
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(is_overdue(Done, d("2025-01-01"), d("2025-01-02")));
        assert!(!is_overdue(Verified, d("2025-01-01"), d("2025-01-02")));
        assert!(!is_overdue(Open, d("2025-01-01"), d("2025-01-01")));
    }

    #[test]
    fn appeals_move_along_the_ladder() {
        let r = rules();
        let l = &r.member_measures;
        assert_eq!(appeal_measure(l, Some("warning"), AppealOutcome::Keep, None).unwrap().as_deref(), Some("warning"));
        assert_eq!(
            appeal_measure(l, Some("warning"), AppealOutcome::Lighten, None).unwrap().as_deref(),
            Some("reprimand")
        );
        assert_eq!(
            appeal_measure(l, Some("warning"), AppealOutcome::Raise, None).unwrap().as_deref(),
            Some("dismissal")
        );
        assert_eq!(
            appeal_measure(l, Some("warning"), AppealOutcome::Raise, Some("Khai trừ")).unwrap().as_deref(),
            Some("expulsion")
        );
        assert_eq!(appeal_measure(l, Some("warning"), AppealOutcome::Annul, None).unwrap(), None);
        assert!(appeal_measure(l, Some("warning"), AppealOutcome::Raise, Some("reprimand")).is_err());
        assert!(appeal_measure(l, Some("warning"), AppealOutcome::Lighten, Some("expulsion")).is_err());
        assert!(appeal_measure(l, Some("reprimand"), AppealOutcome::Lighten, None).is_err());
        assert!(appeal_measure(l, Some("expulsion"), AppealOutcome::Raise, None).is_err());
        assert_eq!(appeal_measure(l, None, AppealOutcome::Keep, None).unwrap_err().code, "measure_annulled");
        assert_eq!(resolve_measure(&r, Against::Unit, "Giải tán").unwrap(), "dissolution");
        assert!(resolve_measure(&r, Against::Unit, "expulsion").is_err());
    }

    #[test]
    fn coverage_sorts_units_by_what_they_had() {
        let units: Vec<String> = ["A", "B", "C", "D"].into_iter().map(String::from).collect();
        let mut done = BTreeMap::new();
        done.insert("A".to_string(), (BTreeSet::from([2025]), BTreeSet::new()));
        done.insert("B".to_string(), (BTreeSet::new(), BTreeSet::from([2025])));
        done.insert("C".to_string(), (BTreeSet::from([2022]), BTreeSet::from([2025])));
        let (c, rows) = coverage(&units, &done, 2025, Some(2023));
        assert_eq!(c.inspected, vec!["A"]);
        assert_eq!(c.supervised, vec!["B", "C"]);
        assert_eq!(c.neither, vec!["D"]);
        assert_eq!(c.never_since, vec!["D"]);
        let (c, rows2) = coverage(&units, &done, 2024, Some(2020));
        assert_eq!(c.neither, units);
        assert_eq!(c.never_since, vec!["A", "B", "D"]);
        assert_eq!(rows[2].last_year, Some(2025));
        assert_eq!(rows2[2].last_year, Some(2022));
    }
}
