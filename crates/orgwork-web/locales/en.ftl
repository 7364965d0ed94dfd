app-name = orgwork
skip-to-content = Skip to the content
nav-structure = Structure
nav-audit = Audit log
language = Language
lang-en = English
lang-vi = Tiếng Việt
lang-ar = العربية
signed-in-as = Signed in as { $name }
logout = Log out
login-title = Log in
user-name = User name
password = Password
log-in = Log in
login-failed = The user name or the password is wrong, or the account is disabled.
login-rate-limited = Too many failed attempts. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
as-of = As of
show = Show
search = Search units
search-hint = Code or name; accents are ignored
search-results = { $count ->
    [0] No unit matches “{ $query }”.
    [one] One unit matches “{ $query }”.
   *[other] { $count } units match “{ $query }”.
}
tree-title = The tree of units
tree-show-children = Show the units under { $name }
tree-empty = No unit of your scope exists on this date.
unit-code = Code
unit-name = Name
unit-name-vi = Name in Vietnamese
unit-name-en = Name in English
unit-name-ar = Name in Arabic
unit-kind = Kind
unit-parent = Parent
unit-life = Life
unit-from = since { $date }
unit-between = { $from } – { $to } (dissolved)
unit-path = Path to the root
unit-children = { $count ->
    [0] No unit under it
    [one] One unit under it
   *[other] { $count } units under it
}
unit-history = History
unit-audit = Audit entries
unit-not-live = This unit does not exist on { $date }; it is shown as it last was.
history-date = Date
history-change = Change
history-decision = Decision
history-created = Created as { $name } under { $parent }
history-created-root = Created as { $name }
history-renamed = Renamed from { $old } to { $new }
history-moved = Moved from { $old } to { $new }
history-dissolved = Dissolved
form-create = Create a unit under this one
form-rename = Rename
form-move = Move under another unit
form-dissolve = Dissolve
form-effective = Effective date
form-valid-from = First day
form-new-parent = Code of the new parent
form-decision = Decision number (optional)
form-submit-create = Create
form-submit-rename = Rename
form-submit-move = Move
form-submit-dissolve = Dissolve
form-dissolve-hint = The effective date is the first day on which the unit no longer exists. A unit with live units under it cannot be dissolved.
form-done = Saved.
audit-when = Recorded
audit-actor = By
audit-action = Action
audit-target = Target
audit-verify-hint = Each entry is chained to the one before by a SHA-256 hash; orgwork audit verify checks the chain.
error-title = Something is wrong
error-not-found = There is no such page or unit.
error-forbidden = This is outside what your role lets you see or change.
error-bad-request = The request could not be understood.
error-csrf = The form expired or did not come from this site. Reload the page and try again.
error-internal = The server failed. Nothing was changed.
back-home = Back to the tree
role-administrator = administrator
role-organizer = organizer
role-inspector = inspector
role-planner = planner
role-viewer = viewer
err-invalid_date = Write the date as a day of the calendar (YYYY-MM-DD).
err-invalid_code = A code is 1 to 40 letters, digits, “-”, “_” or “.”.
err-invalid_name = The Vietnamese name is required (at most 300 characters).
err-invalid_decision = A decision number has at most 100 characters.
err-unit_not_found = There is no unit with this code on that date.
err-parent_not_found = There is no unit with this code.
err-parent_not_live = That unit does not exist for the whole of this unit's life from that date.
err-kind_not_allowed = A unit of this kind may not sit under a unit of that kind.
err-unknown_kind = This is not a kind of unit of the profile.
err-cycle = A unit cannot be placed under itself or under a unit below it.
err-duplicate_code = A live unit already has this code.
err-date_outside_unit = The date is outside the unit's life.
err-date_not_after_last_change = The unit changed on or after that date already; a change must come after its last one.
err-has_live_children = Units still live under it: move or dissolve them first.
err-no_change = Nothing would change.
err-out_of_scope = That unit is outside your scope.
err-forbidden = Your role does not allow this.

nav-members = Members
members-title = Members of { $unit }
members-count = { $count ->
    [0] No member
    [one] One member
   *[other] { $count } members
}
members-none = No member matches.
members-filter-status = Status
members-filter-category = Category
members-any = Any
members-next = Next page
members-add = Admit a member
member-name = Full name
member-born = Date of birth
member-sex = Sex
member-unit = Unit
member-status = Status
member-card = Card number
member-national-id = National ID
member-admitted = Admitted
member-official = Made official
member-ethnicity = Ethnicity
member-religion = Religion
member-hometown = Hometown
member-occupation = Occupation
member-education = Education
member-theory = Political theory
member-categories = Categories
member-joined = First day in the unit
member-document = Document (optional)
member-memberships = Units
member-statuses = Statuses
member-badges = Badges of party age
member-change-status = Change the status
member-not-member = Not a member on this date.
member-from-to = { $from } – { $to }
member-since = since { $from }
stats-title = Members on { $date }
stats-total = In all
status-probationary = probationary
status-official = official
status-transferred_out = transferred out
status-deceased = deceased
status-expelled = expelled
status-removed = removed
status-resigned = resigned
sex-male = male
sex-female = female
err-invalid_member = Some fields are wrong; see below.
err-duplicate_member = Another member already has this card number or national ID.
err-member_not_found = There is no such member.
err-not_a_member = The member no longer belongs to the organization.
err-invalid_status = This is not a status.
err-invalid_status_change = This status cannot be set this way.
err-has_members = Members still belong to it: transfer them first.
err-date_before_admission = The first day in the unit is before the admission.
err-unit_dissolved = That unit is dissolved.
members-search = Search members
members-search-hint = Any part of a name, accents ignored; or a card number or national ID
