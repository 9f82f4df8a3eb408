//! An option of a select list.

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}
