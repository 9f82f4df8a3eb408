//! Legal numbers of invoices and credit notes (INV-10…13) and quote numbers (INV-30), from a
//! template the cooperative chooses: `{YYYY}-{SEQ:4}` (one series per year), `F{YY}-{ACTIVITY}-{SEQ:3}`
//! (one series per year and activity, INV-11), `{SEQ:6}` (a single series). The series key holds
//! exactly the placeholders the template uses, so every number of a series looks alike and two
//! series never produce the same number. The counter itself lives in storage (STACK.md).

/// A validated numbering template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberTemplate {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year4,
    Year2,
    Activity,
    Seq(usize),
}

/// INV-13: numbers are ASCII and at most 20 characters.
pub const NUMBER_MAX_CHARS: usize = 20;

impl NumberTemplate {
    /// `longest_activity_code` is the length of the longest analytic code in the cooperative, so
    /// a template is refused when one of its numbers would exceed 20 characters (INV-13); the
    /// printed number is checked again at validation.
    pub fn parse(
        input: &str,
        longest_activity_code: usize,
    ) -> Result<NumberTemplate, &'static str> {
        let t = input.trim();
        if t.is_empty() {
            return Err("required");
        }
        let mut parts = Vec::new();
        let mut rest = t;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or("number_template_format")?;
                let token = &after[..end];
                rest = &after[end + 1..];
                parts.push(match token {
                    "YYYY" => Part::Year4,
                    "YY" => Part::Year2,
                    "ACTIVITY" => Part::Activity,
                    "SEQ" => Part::Seq(1),
                    _ => match token
                        .strip_prefix("SEQ:")
                        .and_then(|w| w.parse::<usize>().ok())
                    {
                        Some(w) if (1..=8).contains(&w) => Part::Seq(w),
                        _ => return Err("number_template_format"),
                    },
                });
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let lit = &rest[..end];
                if !lit
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'))
                {
                    return Err("number_template_chars");
                }
                parts.push(Part::Literal(lit.to_owned()));
                rest = &rest[end..];
            }
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        if seqs != 1 {
            return Err("number_template_seq");
        }
        let template = NumberTemplate { parts };
        if template.longest(longest_activity_code) > NUMBER_MAX_CHARS {
            return Err("number_template_too_long");
        }
        Ok(template)
    }

    /// The longest number this template can print while the sequence fits its width (+1 digit).
    fn longest(&self, activity: usize) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(l) => l.len(),
                Part::Year4 => 4,
                Part::Year2 => 2,
                Part::Activity => activity,
                Part::Seq(w) => (*w).max(5),
            })
            .sum()
    }

    pub fn uses_activity(&self) -> bool {
        self.parts.contains(&Part::Activity)
    }
    pub fn uses_year(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Year4 | Part::Year2))
    }

    /// The series a document belongs to: `kind` ("invoice", "quote") plus the year and activity
    /// when the template uses them.
    pub fn series(&self, kind: &str, year: i32, activity_code: &str) -> String {
        let mut key = kind.to_owned();
        if self.uses_year() {
            key.push(':');
            key.push_str(&year.to_string());
        }
        if self.uses_activity() {
            key.push(':');
            key.push_str(activity_code);
        }
        key
    }

    /// The number printed for `seq` in that year and activity.
    pub fn format(&self, year: i32, activity_code: &str, seq: i64) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Literal(l) => out.push_str(l),
                Part::Year4 => out.push_str(&format!("{year:04}")),
                Part::Year2 => out.push_str(&format!("{:02}", year.rem_euclid(100))),
                Part::Activity => out.push_str(activity_code),
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }

    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(l) => l.clone(),
                Part::Year4 => "{YYYY}".into(),
                Part::Year2 => "{YY}".into(),
                Part::Activity => "{ACTIVITY}".into(),
                Part::Seq(w) => format!("{{SEQ:{w}}}"),
            })
            .collect()
    }
}

/// The defaults of a new cooperative: one invoice series per year, one quote series per year.
pub const DEFAULT_INVOICE_TEMPLATE: &str = "F{YYYY}-{SEQ:5}";
pub const DEFAULT_QUOTE_TEMPLATE: &str = "D{YYYY}-{SEQ:5}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inv_11_a_per_activity_template_numbers_each_series_apart() {
        let t = NumberTemplate::parse("{YYYY}-{ACTIVITY}-{SEQ:04}", 6).unwrap();
        assert_eq!(t.series("invoice", 2026, "BOIS"), "invoice:2026:BOIS");
        assert_eq!(t.format(2026, "BOIS", 7), "2026-BOIS-0007");
        assert!(t.uses_activity() && t.uses_year());
    }

    #[test]
    fn inv_10_a_global_template_has_one_series() {
        let t = NumberTemplate::parse("FA{SEQ:6}", 6).unwrap();
        assert_eq!(t.series("invoice", 2026, "X"), "invoice");
        assert_eq!(t.series("invoice", 2027, "Y"), "invoice");
        assert_eq!(t.format(2027, "Y", 123), "FA000123");
    }

    #[test]
    fn inv_13_templates_are_ascii_and_short() {
        assert_eq!(
            NumberTemplate::parse("Facture n°{SEQ}", 6),
            Err("number_template_chars")
        );
        assert_eq!(
            NumberTemplate::parse("{YYYY}", 6),
            Err("number_template_seq")
        );
        assert_eq!(
            NumberTemplate::parse("{SEQ}{SEQ}", 6),
            Err("number_template_seq")
        );
        assert_eq!(
            NumberTemplate::parse("{FOO}{SEQ}", 6),
            Err("number_template_format")
        );
        assert_eq!(
            NumberTemplate::parse("{YYYY}-{ACTIVITY}-{SEQ:4}", 12),
            Err("number_template_too_long")
        );
        let t = NumberTemplate::parse(DEFAULT_INVOICE_TEMPLATE, 12).unwrap();
        assert_eq!(t.text(), DEFAULT_INVOICE_TEMPLATE);
        assert_eq!(t.format(2026, "", 42), "F2026-00042");
    }
}
