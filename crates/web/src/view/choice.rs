//! An option of a select list.

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// The people of a select list (referents), by account; `selected` is the chosen account's id.
pub fn people(list: &[(essaim_domain::ids::UserId, String)], selected: &str) -> Vec<Choice> {
    list.iter()
        .map(|(id, name)| {
            let id = id.get().to_string();
            let chosen = id == selected;
            Choice::new(id, name.clone(), chosen)
        })
        .collect()
}
