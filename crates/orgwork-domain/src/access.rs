//! Users' roles and what each may do. A role is granted on a unit and holds for that unit's
//! subtree; whether a unit lies in the subtree is a question for the store (it depends on the
//! tree as of a date), what a role permits is answered here.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in the subtree, including users and the audit log.
    Administrator,
    /// Keeps the structure and the member register of the subtree.
    Organizer,
    /// Inspection and supervision of the subtree (reads the structure and the members).
    Inspector,
    /// Work programmes of the subtree (reads the structure).
    Planner,
    /// Reads the subtree's structure and counts (not members' records).
    Viewer,
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadStructure,
    WriteStructure,
    ReadAudit,
    ManageUsers,
    /// Read members' records (personal data): administrators, organizers, inspectors.
    ReadMembers,
    /// Admit members and change their records and statuses.
    WriteMembers,
    /// Draft, amend and approve work programmes: administrators, planners.
    WritePlans,
    /// Report progress on a work programme's items: administrators, organizers, planners.
    ReportProgress,
    /// Read the inspection programmes, inspections, findings and disciplinary cases of the
    /// subtree: administrators, inspectors.
    ReadInspections,
    /// Plan, carry out and conclude inspections, verify recommendations, decide disciplinary
    /// cases: administrators, inspectors.
    WriteInspections,
    /// Report a recommendation addressed to a unit of the subtree done: administrators,
    /// organizers (and the recommendation's owner, wherever they stand).
    ReportFollowUp,
    /// Plan a unit's congresses, record them held or cancelled, and enter their results:
    /// administrators, organizers.
    WriteCongresses,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Administrator, Role::Organizer, Role::Inspector, Role::Planner, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Organizer => "organizer",
            Role::Inspector => "inspector",
            Role::Planner => "planner",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(value: &str) -> Result<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value.trim()).ok_or_else(|| {
            Error::invalid(
                "invalid_role",
                format!("role: '{value}' is not a role (administrator, organizer, inspector, planner, viewer)"),
            )
        })
    }

    pub fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Administrator => true,
            Role::Organizer => {
                matches!(
                    p,
                    ReadStructure
                        | WriteStructure
                        | ReadMembers
                        | WriteMembers
                        | ReportProgress
                        | ReportFollowUp
                        | WriteCongresses
                )
            }
            Role::Inspector => matches!(p, ReadStructure | ReadMembers | ReadInspections | WriteInspections),
            Role::Planner => matches!(p, ReadStructure | WritePlans | ReportProgress),
            Role::Viewer => matches!(p, ReadStructure),
        }
    }
}

/// A user name: 2 to 64 characters, lower-case letters, digits, '.', '_', '-'.
pub fn parse_user_name(value: &str) -> Result<String> {
    let v = value.trim();
    let ok = (2..=64).contains(&v.len())
        && v.as_bytes()[0].is_ascii_alphanumeric()
        && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(v.to_string())
    } else {
        Err(Error::invalid(
            "invalid_user_name",
            format!("name: '{value}' is not a user name (2 to 64 lower-case letters, digits, '.', '_' or '-')"),
        ))
    }
}

/// A password: at least 10 characters, at most 200.
pub fn check_password(value: &str) -> Result<()> {
    let n = value.chars().count();
    if n < 10 {
        return Err(Error::invalid("weak_password", "password: at least 10 characters are needed"));
    }
    if n > 200 {
        return Err(Error::invalid("invalid_password", "password: at most 200 characters"));
    }
    Ok(())
}

/// The languages of the UI.
pub const LANGUAGES: [&str; 3] = ["en", "vi", "ar"];

pub fn parse_language(value: &str) -> Result<&'static str> {
    LANGUAGES
        .into_iter()
        .find(|l| *l == value.trim())
        .ok_or_else(|| Error::invalid("invalid_language", format!("language: '{value}' is not one of en, vi, ar")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_permit_what_they_should() {
        assert!(Role::Administrator.permits(Permission::ManageUsers));
        assert!(Role::Organizer.permits(Permission::WriteStructure));
        assert!(!Role::Organizer.permits(Permission::ReadAudit));
        for r in [Role::Inspector, Role::Planner, Role::Viewer] {
            assert!(r.permits(Permission::ReadStructure));
            assert!(!r.permits(Permission::WriteStructure));
        }
        assert_eq!(Role::parse("viewer").unwrap(), Role::Viewer);
        assert_eq!(Role::parse("king").unwrap_err().code, "invalid_role");
    }

    #[test]
    fn user_names_and_passwords_are_checked() {
        assert_eq!(parse_user_name(" secretary.stc ").unwrap(), "secretary.stc");
        assert!(parse_user_name("Ann").is_err());
        assert!(parse_user_name("a").is_err());
        assert_eq!(check_password("short").unwrap_err().code, "weak_password");
        assert!(check_password("long enough pass").is_ok());
    }
}
