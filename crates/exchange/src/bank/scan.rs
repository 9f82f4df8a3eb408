//! Small scanning helpers shared by the parsers: line numbers, the DOCTYPE guard, amounts,
//! dates and IBANs. Amounts are read digit by digit into cents, never through a float.

use super::{BankError, code};
use time::{Date, Month};

/// The 1-based line of byte `pos` in `bytes`.
pub(crate) fn line_of(bytes: &[u8], pos: usize) -> usize {
    1 + bytes[..pos.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Line numbers for increasing byte positions, counting each byte once.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `pos`; falls back to a full count if `pos` goes backwards.
    pub(crate) fn line_at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.bytes.len());
        if pos < self.pos {
            return line_of(self.bytes, pos);
        }
        self.line += self.bytes[self.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = pos;
        self.line
    }
}

/// Position of `needle` (ASCII) in `hay`, ignoring ASCII case.
pub(crate) fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle.first()?.to_ascii_lowercase();
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i].to_ascii_lowercase() == first
            && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// Refuses markup declarations that could define entities: `<!DOCTYPE` and `<!ENTITY`,
/// anywhere in the file (even inside comments: such a file has nothing to do in a bank
/// statement). This is what makes entity expansion and external entities impossible.
/// Where the first `<!DOCTYPE` or `<!ENTITY` declaration starts, and which: XML files from
/// outside are refused with one (no entity expansion, no external entity).
pub(crate) fn find_declaration(bytes: &[u8]) -> Option<(usize, &'static str)> {
    let mut from = 0;
    while let Some(rel) = bytes[from..].windows(2).position(|w| w == b"<!") {
        let at = from + rel;
        let rest = &bytes[at + 2..];
        for keyword in ["DOCTYPE", "ENTITY"] {
            let k = keyword.as_bytes();
            if rest.len() >= k.len() && rest[..k.len()].eq_ignore_ascii_case(k) {
                return Some((at, keyword));
            }
        }
        from = at + 2;
    }
    None
}

pub(crate) fn refuse_doctype(bytes: &[u8]) -> Result<(), BankError> {
    match find_declaration(bytes) {
        Some((at, keyword)) => Err(BankError::at(
            code::XML_DOCTYPE,
            line_of(bytes, at),
            format!("<!{keyword}> declarations are not accepted"),
        )),
        None => Ok(()),
    }
}

/// Cents from integer and fraction digits (ASCII digits only). Fraction digits beyond the
/// second must be zeros (`12.500` is 12.50; `12.345` is refused).
fn cents_of(int: &[u8], frac: &[u8]) -> Option<i64> {
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for &d in int {
        value = value.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    if frac.len() > 2 && frac[2..].iter().any(|&d| d != b'0') {
        return None;
    }
    let tenths = frac.first().map_or(0, |d| d - b'0');
    let hundredths = frac.get(1).map_or(0, |d| d - b'0');
    value
        .checked_mul(100)?
        .checked_add(i64::from(tenths * 10 + hundredths))
}

/// Splits `s` at its single decimal mark (`.` or `,` as allowed) into digits; `None` when any
/// other character appears.
fn split_decimal(s: &[u8], marks: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut int = Vec::with_capacity(s.len());
    let mut frac = Vec::new();
    let mut seen_mark = false;
    for &b in s {
        if b.is_ascii_digit() {
            if seen_mark { frac.push(b) } else { int.push(b) }
        } else if marks.contains(&b) && !seen_mark {
            seen_mark = true;
        } else {
            return None;
        }
    }
    Some((int, frac))
}

/// An unsigned ISO 20022 amount (`1234.5`, `0.05`): digits and an optional `.`.
pub(crate) fn parse_xml_amount(s: &str) -> Option<i64> {
    let (int, frac) = split_decimal(s.trim().as_bytes(), b".")?;
    cents_of(&int, &frac)
}

/// An OFX amount: optional sign, digits, optional `.` or `,` decimal mark.
pub(crate) fn parse_ofx_amount(s: &str) -> Option<i64> {
    let s = s.trim();
    let (negative, digits) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let (int, frac) = split_decimal(digits, b".,")?;
    let cents = cents_of(&int, &frac)?;
    Some(if negative { -cents } else { cents })
}

/// A human-written amount from a bank's CSV export (see [`super::CsvMapping::decimal_comma`]):
/// `1 234,56`, `-12,50`, `12,50-`, `(12,50)`, `+3,00 €`, `1,234.56`. `Ok(None)` for an empty
/// cell.
pub(crate) fn parse_csv_amount(cell: &str, decimal_comma: bool) -> Result<Option<i64>, ()> {
    let cleaned: String = cell.replace('€', "");
    let mut s = cleaned.trim_matches(is_space);
    if s.is_empty() {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim_matches(is_space);
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start_matches(is_space);
    } else if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.trim_end_matches(is_space);
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start_matches(is_space);
    }
    let (decimal, other) = if decimal_comma {
        (',', '.')
    } else {
        ('.', ',')
    };
    // Integer part in groups separated by thousands separators, then an optional fraction.
    let (int_part, frac_part) = match s.split_once(decimal) {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if frac_part.chars().any(|c| !c.is_ascii_digit()) {
        return Err(());
    }
    let mut int = Vec::with_capacity(int_part.len());
    for (i, group) in int_part
        .split(|c: char| c == other || c == '\'' || is_space(c))
        .enumerate()
    {
        let grouped = i > 0;
        if group.is_empty()
            || (grouped && group.len() != 3)
            || !group.bytes().all(|b| b.is_ascii_digit())
        {
            // "1 234" is fine, "12,5" read with a decimal point is not.
            if !(i == 0 && group.is_empty() && !frac_part.is_empty() && int_part.is_empty()) {
                return Err(());
            }
        }
        int.extend_from_slice(group.as_bytes());
    }
    if s.contains(decimal) && frac_part.is_empty() {
        return Err(());
    }
    let cents = cents_of(&int, frac_part.as_bytes()).ok_or(())?;
    Ok(Some(if negative { -cents } else { cents }))
}

/// Spaces that may appear in or around numbers: ASCII space and tab, no-break space, narrow
/// no-break space, thin space, figure space.
fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}'
    )
}

fn date_of(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')),
    )
}

/// `YYYY-MM-DD`, possibly followed by a time (`2026-03-15T10:00:00+01:00`).
pub(crate) fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    if b.len() < 10
        || b[4] != b'-'
        || b[7] != b'-'
        || (b.len() > 10 && !matches!(b[10], b'T' | b' ' | b'Z' | b'+' | b'-'))
    {
        return None;
    }
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    date_of(
        year,
        u8::try_from(number(&b[5..7])?).ok()?,
        u8::try_from(number(&b[8..10])?).ok()?,
    )
}

/// OFX `YYYYMMDD[HHMMSS[.XXX]][[gmt offset:tz name]]`: the first eight digits.
pub(crate) fn parse_ofx_date(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    if b.len() < 8 || (b.len() > 8 && !(b[8].is_ascii_digit() || b[8] == b'[')) {
        return None;
    }
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    date_of(
        year,
        u8::try_from(number(&b[4..6])?).ok()?,
        u8::try_from(number(&b[6..8])?).ok()?,
    )
}

/// A date in one of the CSV layouts; day and month may have one digit, a two-digit year
/// means 20YY; a time after a space or `T` is ignored.
pub(crate) fn parse_csv_date(s: &str, format: super::DateFormat) -> Option<Date> {
    use super::DateFormat;
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let sep = match format {
        DateFormat::DmySlash => '/',
        DateFormat::Iso | DateFormat::DmyDash => '-',
        DateFormat::DmyDot => '.',
    };
    let mut parts = s.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = if format == DateFormat::Iso {
        (a, b, c)
    } else {
        (c, b, a)
    };
    if m.len() > 2 || d.len() > 2 || !(y.len() == 4 || y.len() == 2) {
        return None;
    }
    let mut year = i32::try_from(number(y.as_bytes())?).ok()?;
    if y.len() == 2 {
        year += 2000;
    }
    date_of(
        year,
        u8::try_from(number(m.as_bytes())?).ok()?,
        u8::try_from(number(d.as_bytes())?).ok()?,
    )
}

/// `s` without spaces, upper-cased, when it is a well-formed IBAN (country code, check
/// digits, 11 to 30 alphanumerics, ISO 7064 mod 97 = 1).
pub(crate) fn as_iban(s: &str) -> Option<String> {
    let iban: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = iban.as_bytes();
    let shape = (15..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return None;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    (rem == 1).then_some(iban)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::DateFormat;
    use time::macros::date;

    #[test]
    fn xml_amounts() {
        assert_eq!(parse_xml_amount("1234.56"), Some(123_456));
        assert_eq!(parse_xml_amount(" 0.5 "), Some(50));
        assert_eq!(parse_xml_amount("12"), Some(1200));
        assert_eq!(parse_xml_amount("12.500"), Some(1250));
        assert_eq!(parse_xml_amount("12.345"), None);
        assert_eq!(parse_xml_amount("-12.00"), None);
        assert_eq!(parse_xml_amount("1,5"), None);
        assert_eq!(parse_xml_amount(""), None);
        assert_eq!(parse_xml_amount("99999999999999999999"), None);
    }

    #[test]
    fn ofx_amounts() {
        assert_eq!(parse_ofx_amount("-12.5"), Some(-1250));
        assert_eq!(parse_ofx_amount("+1200,00"), Some(120_000));
        assert_eq!(parse_ofx_amount("0.05"), Some(5));
        assert_eq!(parse_ofx_amount("1.2.3"), None);
        assert_eq!(parse_ofx_amount("abc"), None);
    }

    #[test]
    fn csv_amounts() {
        let fr = |s| parse_csv_amount(s, true);
        let en = |s| parse_csv_amount(s, false);
        assert_eq!(fr("1 234,56"), Ok(Some(123_456)));
        assert_eq!(fr("1\u{A0}234,56 €"), Ok(Some(123_456)));
        assert_eq!(fr("1\u{202F}234\u{202F}567,89"), Ok(Some(123_456_789)));
        assert_eq!(fr("1.234,56"), Ok(Some(123_456)));
        assert_eq!(fr("-12,50"), Ok(Some(-1250)));
        assert_eq!(fr("12,50-"), Ok(Some(-1250)));
        assert_eq!(fr("(12,50)"), Ok(Some(-1250)));
        assert_eq!(fr("+3"), Ok(Some(300)));
        assert_eq!(fr(",5"), Ok(Some(50)));
        assert_eq!(fr("  "), Ok(None));
        assert_eq!(fr("12,345"), Err(()));
        assert_eq!(fr("12,"), Err(()));
        assert_eq!(fr("1 23,00"), Err(()));
        assert_eq!(fr("abc"), Err(()));
        assert_eq!(en("1,234.56"), Ok(Some(123_456)));
        assert_eq!(en("1234.56"), Ok(Some(123_456)));
        assert_eq!(
            en("12,5"),
            Err(()),
            "a decimal comma read as thousands separator"
        );
        assert_eq!(en("-0.05"), Ok(Some(-5)));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_iso_date("2026-03-15"), Some(date!(2026 - 03 - 15)));
        assert_eq!(
            parse_iso_date("2026-03-15T10:22:00+01:00"),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date("15/03/2026"), None);
        assert_eq!(parse_ofx_date("20260315"), Some(date!(2026 - 03 - 15)));
        assert_eq!(
            parse_ofx_date("20260315120000.000[+1:CET]"),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(parse_ofx_date("2026031"), None);
        assert_eq!(
            parse_csv_date("15/03/2026", DateFormat::DmySlash),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(
            parse_csv_date("5/3/26", DateFormat::DmySlash),
            Some(date!(2026 - 03 - 05))
        );
        assert_eq!(
            parse_csv_date("15.03.2026 10:00", DateFormat::DmyDot),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(
            parse_csv_date("15-03-2026", DateFormat::DmyDash),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(
            parse_csv_date("2026-03-15", DateFormat::Iso),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(parse_csv_date("2026-03-15", DateFormat::DmyDash), None);
        assert_eq!(parse_csv_date("32/01/2026", DateFormat::DmySlash), None);
    }

    #[test]
    fn ibans() {
        assert_eq!(
            as_iban("FR76 3000 6000 0112 3456 7890 189").as_deref(),
            Some("FR7630006000011234567890189")
        );
        assert_eq!(as_iban("FR7630006000011234567890188"), None);
        assert_eq!(as_iban("00012345678"), None);
    }

    #[test]
    fn doctype_guard_finds_the_line() {
        let err = refuse_doctype(b"<?xml version=\"1.0\"?>\n<!doctype x>\n<x/>").unwrap_err();
        assert_eq!((err.code, err.line), (code::XML_DOCTYPE, Some(2)));
        assert!(refuse_doctype(b"<a><!-- ok --><![CDATA[x]]></a>").is_ok());
    }

    #[test]
    fn line_counter_is_incremental() {
        let bytes = b"a\nb\nc\nd";
        let mut lines = LineCounter::new(bytes);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(6), 4);
        assert_eq!(lines.line_at(3), 2);
        assert_eq!(lines.line_at(100), 4);
    }
}
