//! Why a value or a row is refused, said so that each reader gets it in their language: a
//! stable code, the values its wording needs, and the English wording that the API and the
//! command line give. The web pages word it from their locale files (`fault-<code>`, with the
//! same values as Fluent variables); a test there fails for a code without its key.

use std::fmt;

/// A reason for refusing a value: its code and the values its wording needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

/// Every fault's English wording; `{name}` is the value of the argument `name`.
pub const ENGLISH: &[(&str, &str)] = &[
    ("required", "is required"),
    ("required_one_of", "is required ({allowed})"),
    ("too_long", "is not a text of at most {max} characters"),
    ("not_one_of", "is not one of {allowed}"),
    ("not_a_date", "is not a date (write YYYY-MM-DD or DD/MM/YYYY)"),
    ("no_such_day", "is a day that does not exist"),
    ("not_digits", "is not {min} to {max} digits"),
    ("not_a_number", "is not a number"),
    ("not_an_email", "is not an e-mail address"),
    ("under_18", "is before the member turned 18 (born {born})"),
    ("implausible_birth", "is not a plausible date of birth"),
    ("official_not_after", "is not after the admission ({admitted})"),
    ("file_empty", "the file is empty"),
    ("column_twice", "column {n} is given twice"),
    ("unknown_column", "is not a column orgwork knows (see the export's headings)"),
    ("column_required", "this column is required"),
    ("not_a_unit_code", "is not a unit code"),
    ("status_not_member", "is not probationary or official"),
    ("status_disagrees", "does not agree with the date made official"),
    ("row_twice", "is on row {first} too"),
    ("no_unit", "no unit: give a unit column or a default unit"),
    ("hidden_member", "is a member's outside the units you may see: such a row cannot be imported here"),
    (
        "left_member",
        "is a member's who belongs to no unit now (transferred out, or no longer a member): an import cannot change them",
    ),
    ("member_elsewhere", "member {member} belongs to {unit}: a transfer moves members, an import does not"),
    ("number_taken", "belongs to member {member} already"),
    ("unit_dissolved", "is dissolved; a member cannot join it"),
    ("unit_unknown", "is not a unit on {day}"),
    ("unit_not_writable", "is not a unit under {unit} that you may change"),
    ("unit_not_yours", "is not a unit you may change"),
    (
        "counted_before_scope",
        "the member would be counted in {unit} from {joins}, but {unit} is yours to change only from {from} (it lay outside your units before)",
    ),
    ("refused", "{message}"),
    // A restructuring's operations: which one, and why.
    ("op_taken_apart", "operation {n} ({op}): unit {unit} is already taken apart by operation {first}"),
    ("op_own_parent", "operation {n} ({op}): unit {unit} cannot be its own parent"),
    ("op_created_twice", "operation {n} ({op}): unit {unit} is created twice"),
    ("op_listed_twice", "operation {n} ({op}): a unit is listed twice"),
    ("op_merge_alone", "operation {n} ({op}): a merge needs at least one unit besides the one that remains"),
    ("op_split_parts", "operation {n} ({op}): a split needs at least two parts"),
    ("op_unit_two_parts", "operation {n} ({op}): a unit takes two parts"),
    ("op_one_rest", "operation {n} ({op}): only one part may take the rest"),
    ("op_child_two_parts", "operation {n} ({op}): child {child} is given to two parts"),
    ("op_member_two_parts", "operation {n} ({op}): member {member} is given to two parts"),
    ("op_into_itself", "operation {n} ({op}): unit {unit} cannot be dissolved into itself"),
    ("op_refused", "operation {n} ({op}): {message}"),
    // A mapping table's rows: which row and column, and why.
    ("map_refused", "row {row}, column {column} ('{value}'): {message}"),
    ("map_mapped_twice", "row {row}, column {column} ('{value}'): unit {unit} is already mapped on row {first}"),
    (
        "map_no_destination",
        "row {row}, column {column} ('{value}'): give the unit it goes to, or leave to_name, to_kind and to_parent empty to dissolve it",
    ),
    ("map_disagrees", "row {row}, column {column} ('{value}'): row {first} gives '{other}' for the same unit"),
    (
        "map_survivor_kind",
        "row {row}, column {column} ('{value}'): {unit} survives and keeps its kind; leave to_kind empty",
    ),
    ("map_new_needs", "row {row}, column {column} ('{value}'): {unit} is a new unit: give {missing}"),
    ("map_unknown_column", "mapping: unknown column '{column}' (the columns are {columns})"),
    ("map_parent_cycle", "to_parent: the new units {units} are each other's parents"),
    // A work programme's lint: why an item cannot be counted.
    ("plan_code_twice", "the code is given to two items"),
    ("plan_no_such_parent", "names no other item of the programme ({parent})"),
    ("plan_no_title", "the item has no title"),
    ("plan_no_responsible", "no responsible unit"),
    ("plan_responsible_outside", "{unit} is not a unit of the programme's subtree on {day}, the deadline"),
    ("plan_no_deadline", "no deadline"),
    ("plan_deadline_outside", "the deadline is not in {year}, the programme's year"),
    ("plan_no_indicator", "no indicator: say whether it is a count, a percent or a milestone"),
    ("plan_no_target", "a count or a percent needs a target"),
    ("plan_percent_range", "a percent target lies between 0 and 100, not {target}"),
    ("plan_target_below_baseline", "higher is better, but the target {target} is below the baseline {baseline}"),
    ("plan_target_above_baseline", "lower is better, but the target {target} is above the baseline {baseline}"),
    ("plan_weight_not_positive", "the weight must be more than 0"),
    ("plan_carries_out_nothing", "{item} is no item of the parent unit's programme"),
    ("plan_vague", "'{word}' is vague and the title has no number or date: say how much, by when"),
];

impl Fault {
    pub fn new(code: &'static str) -> Fault {
        debug_assert!(ENGLISH.iter().any(|(c, _)| *c == code), "fault {code} has no wording");
        Fault { code, args: vec![] }
    }

    /// The fault with the value `name` for its wording.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Fault {
        self.args.push((name, value.to_string()));
        self
    }

    /// The value of an argument, if given.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The English wording, its arguments filled in.
    pub fn english(&self) -> String {
        let template = ENGLISH.iter().find(|(c, _)| *c == self.code).map(|(_, t)| *t).unwrap_or(self.code);
        let mut out = template.to_string();
        for (name, value) in &self.args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_worded_with_its_values() {
        assert_eq!(Fault::new("too_long").with("max", 200).english(), "is not a text of at most 200 characters");
        assert_eq!(Fault::new("required").to_string(), "is required");
        assert_eq!(Fault::new("row_twice").with("first", 3).arg("first"), Some("3"));
    }

    #[test]
    fn codes_are_used_once() {
        let mut codes: Vec<&str> = ENGLISH.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ENGLISH.len());
    }
}
