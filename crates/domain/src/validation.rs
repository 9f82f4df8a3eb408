//! Field-level validation errors: which field, and a stable code that the UI turns into a sentence
//! in the reader's language (the message catalogs live with the web layer).

/// One invalid field. `code` is a stable key such as `siret_checksum`, translated by the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    /// The 0-based row of a repeated group (the lines of an invoice), when the field is in one.
    pub row: Option<usize>,
}

impl FieldError {
    /// The field's name as an API reports it: `siren`, `lines[2].quantity`.
    pub fn path(&self) -> String {
        match self.row {
            Some(r) => format!("lines[{r}].{}", self.field),
            None => self.field.to_owned(),
        }
    }
}

/// Every invalid field of one input, so a form can show all errors at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError {
            field,
            code,
            row: None,
        });
    }
    /// An error on a field of one row of a repeated group.
    pub fn add_row(&mut self, row: usize, field: &'static str, code: &'static str) {
        self.0.push(FieldError {
            field,
            code,
            row: Some(row),
        });
    }
    pub fn for_row(&self, row: usize, field: &str) -> Option<&FieldError> {
        self.0
            .iter()
            .find(|e| e.row == Some(row) && e.field == field)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.row.is_none() && e.field == field)
    }
    /// Records the error of `result` under `field` and returns its value, if any.
    pub fn check<T, E: Into<&'static str>>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.into());
                None
            }
        }
    }
    /// `Ok(value)` when no error was recorded.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, FieldErrors> {
        match value {
            Some(v) if self.is_empty() => Ok(v),
            _ => Err(self),
        }
    }
    pub fn single(field: &'static str, code: &'static str) -> Self {
        Self(vec![FieldError {
            field,
            code,
            row: None,
        }])
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.path(), e.code))
            .collect();
        write!(f, "invalid input ({})", parts.join(", "))
    }
}
impl std::error::Error for FieldErrors {}

/// A required, trimmed, bounded text.
pub fn required_text(input: &str, max_chars: usize) -> Result<String, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        Err("required")
    } else if t.chars().count() > max_chars {
        Err("too_long")
    } else {
        Ok(t.to_owned())
    }
}

/// An optional, trimmed, bounded text: empty becomes `None`.
pub fn optional_text(input: &str, max_chars: usize) -> Result<Option<String>, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        Ok(None)
    } else if t.chars().count() > max_chars {
        Err("too_long")
    } else {
        Ok(Some(t.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(required_text("  Coop  ", 10), Ok("Coop".to_owned()));
        assert_eq!(required_text("   ", 10), Err("required"));
        assert_eq!(required_text("ééééé", 4), Err("too_long"));
        assert_eq!(optional_text(" ", 4), Ok(None));
    }

    #[test]
    fn finish_fails_when_any_field_failed() {
        let mut errors = FieldErrors::new();
        let a = errors.check("a", Ok::<_, &'static str>(1));
        let b = errors.check("b", Err::<i32, _>("required"));
        assert_eq!(a, Some(1));
        assert!(b.is_none());
        assert_eq!(errors.clone().finish(Some(())), Err(errors));
    }
}
