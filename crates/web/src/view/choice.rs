//! Form controls: an option of a select list, and the value of a checkbox.

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// What a browser sends for a checkbox: `on` when it is ticked, nothing when it is not.
pub fn checkbox(ticked: bool) -> String {
    if ticked { "on".into() } else { String::new() }
}
