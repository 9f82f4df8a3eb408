//! CSV bank exports, read through a [`CsvMapping`].

use super::scan::{LineCounter, line_of, parse_csv_amount, parse_csv_date};
use super::{AmountColumns, BankError, CsvEncoding, CsvMapping, Statement, StatementLine, code};
use std::borrow::Cow;

/// Parses a CSV bank export described by `mapping`.
///
/// - The text is decoded per `mapping.encoding` (a UTF-8 BOM is ignored); bytes that are not
///   UTF-8 when the mapping says UTF-8 give `bank_encoding` at the first bad line.
/// - `skip_rows` physical lines are skipped, then comes the header row; every mapped column
///   must be in it (`bank_column_unknown`, detail = the column as mapped).
/// - Each data row gives one [`StatementLine`] (`source_line` = its line in the file); rows
///   whose fields are all empty and blank lines at the end are ignored; a row with a different
///   field count gives `bank_csv_fields`.
/// - Dates per `mapping.date_format` (`bank_date`), amounts per `mapping.decimal_comma`
///   (`bank_amount`, also when a row has no amount at all). An empty label becomes "—".
/// - A file without a header or without data rows gives `bank_empty`.
///
/// CSV exports carry no IBAN, currency or balances: those stay `None`.
pub fn parse_csv(bytes: &[u8], mapping: &CsvMapping) -> Result<Statement, BankError> {
    if matches!(mapping.separator, b'"' | b'\n' | b'\r') || !mapping.separator.is_ascii() {
        return Err(BankError::new(
            code::MAPPING,
            None,
            format!("unusable separator {:?}", mapping.separator as char),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = decode(bytes, mapping.encoding)?;
    let (body, skipped) = skip_lines(&text, mapping.skip_rows);
    let body = trim_blank_tail(body);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(mapping.separator)
        .has_headers(false)
        .flexible(false)
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let mut lines_of = RecordLines {
        body: body.as_bytes(),
        counter: LineCounter::new(body.as_bytes()),
        skipped,
    };
    let header = match records.next() {
        None => return Err(BankError::at(code::EMPTY, skipped + 1, "no header row")),
        Some(record) => record.map_err(|e| csv_error(&e, &mut lines_of))?,
    };
    let header_line = lines_of.line(header.position());
    let columns = Columns::resolve(&header, mapping, header_line)?;
    let mut lines = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_error(&e, &mut lines_of))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = lines_of.line(record.position());
        lines.push(columns.read(&record, mapping, line)?);
    }
    if lines.is_empty() {
        return Err(BankError::at(
            code::EMPTY,
            header_line,
            "no data row after the header",
        ));
    }
    Ok(Statement {
        lines,
        ..Statement::default()
    })
}

/// File lines of CSV records.
///
/// The csv crate's own line count lags by one after a CRLF (it counts the `\n` when it starts
/// the next record), so the line is computed from the record's byte offset instead, skipping
/// the line end the offset may still point at.
struct RecordLines<'b> {
    body: &'b [u8],
    counter: LineCounter<'b>,
    skipped: usize,
}

impl RecordLines<'_> {
    fn line(&mut self, position: Option<&csv::Position>) -> usize {
        let Some(position) = position else {
            return self.skipped + 1;
        };
        let mut at = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.body.len());
        while matches!(self.body.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.skipped + self.counter.line_at(at)
    }
}

fn decode(bytes: &[u8], encoding: CsvEncoding) -> Result<Cow<'_, str>, BankError> {
    match encoding {
        CsvEncoding::Utf8 => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
            BankError::at(
                code::ENCODING,
                line_of(bytes, e.valid_up_to()),
                "the file is not UTF-8: choose Windows-1252 or ISO-8859-15 in the mapping",
            )
        }),
        CsvEncoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0),
        CsvEncoding::Iso885915 => Ok(encoding_rs::ISO_8859_15
            .decode_without_bom_handling(bytes)
            .0),
    }
}

/// The text after `n` physical lines, and how many lines were actually skipped.
fn skip_lines(text: &str, n: usize) -> (&str, usize) {
    let mut rest = text;
    for skipped in 0..n {
        match rest.find('\n') {
            Some(i) => rest = &rest[i + 1..],
            None => return ("", skipped + usize::from(!rest.is_empty())),
        }
    }
    (rest, n)
}

/// `body` without its trailing whitespace-only lines.
fn trim_blank_tail(body: &str) -> &str {
    let mut end = body.len();
    loop {
        let start = body[..end].rfind('\n').map_or(0, |i| i + 1);
        if !body[start..end].trim().is_empty() {
            return &body[..end];
        }
        if start == 0 {
            return "";
        }
        end = start - 1;
    }
}

fn csv_error(e: &csv::Error, lines: &mut RecordLines<'_>) -> BankError {
    let line = e.position().map(|p| lines.line(Some(p)));
    let detail = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header row has {expected_len}")
        }
        _ => e.to_string(),
    };
    BankError::new(code::CSV_FIELDS, line, detail)
}

/// Column name comparison key: trimmed, lower-case, accents removed, inner spaces collapsed.
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.trim_matches('\u{FEFF}').split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
                'ç' => out.push('c'),
                'è' | 'é' | 'ê' | 'ë' => out.push('e'),
                'ì' | 'í' | 'î' | 'ï' => out.push('i'),
                'ñ' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
                'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
                'ý' | 'ÿ' => out.push('y'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                '°' | 'º' => out.push('o'),
                _ => out.push(c),
            }
        }
    }
    out
}

/// Where each mapped column is, as 0-based indexes into a record.
struct Columns {
    date: usize,
    amount: AmountAt,
    label: usize,
    reference: Option<usize>,
}

enum AmountAt {
    Single(usize),
    DebitCredit { debit: usize, credit: usize },
}

impl Columns {
    fn resolve(
        header: &csv::StringRecord,
        mapping: &CsvMapping,
        line: usize,
    ) -> Result<Columns, BankError> {
        let names: Vec<String> = header.iter().map(fold).collect();
        let find = |wanted: &str| -> Result<usize, BankError> {
            let unknown = || BankError::at(code::COLUMN_UNKNOWN, line, wanted.to_owned());
            if let Some(n) = wanted.trim().strip_prefix('#') {
                let index: usize = n.trim().parse().map_err(|_| unknown())?;
                return if (1..=names.len()).contains(&index) {
                    Ok(index - 1)
                } else {
                    Err(unknown())
                };
            }
            let key = fold(wanted);
            names.iter().position(|n| *n == key).ok_or_else(unknown)
        };
        Ok(Columns {
            date: find(&mapping.date_column)?,
            amount: match &mapping.amount {
                AmountColumns::Single(c) => AmountAt::Single(find(c)?),
                AmountColumns::DebitCredit { debit, credit } => AmountAt::DebitCredit {
                    debit: find(debit)?,
                    credit: find(credit)?,
                },
            },
            label: find(&mapping.label_column)?,
            reference: mapping.reference_column.as_deref().map(find).transpose()?,
        })
    }

    fn read(
        &self,
        record: &csv::StringRecord,
        mapping: &CsvMapping,
        line: usize,
    ) -> Result<StatementLine, BankError> {
        let cell = |i: usize| record.get(i).unwrap_or("");
        let raw_date = cell(self.date);
        let booked_on = parse_csv_date(raw_date, mapping.date_format).ok_or_else(|| {
            BankError::at(
                code::DATE,
                line,
                format!(
                    "date {:?} is not {}",
                    raw_date.trim(),
                    mapping.date_format.code()
                ),
            )
        })?;
        let amount = |i: usize| {
            parse_csv_amount(cell(i), mapping.decimal_comma).map_err(|()| {
                BankError::at(code::AMOUNT, line, format!("amount {:?}", cell(i).trim()))
            })
        };
        let amount_cents = match self.amount {
            AmountAt::Single(i) => amount(i)?,
            AmountAt::DebitCredit { debit, credit } => match (amount(debit)?, amount(credit)?) {
                (None, None) => None,
                // Money out whatever the sign written in the debit column.
                (d, c) => Some(
                    c.unwrap_or(0)
                        .checked_sub(d.map_or(0, i64::abs))
                        .ok_or_else(|| BankError::at(code::AMOUNT, line, "amount out of range"))?,
                ),
            },
        }
        .ok_or_else(|| BankError::at(code::AMOUNT, line, "no amount on this row"))?;
        let label = one_line(cell(self.label)).unwrap_or_else(|| "—".to_owned());
        Ok(StatementLine {
            source_line: line,
            booked_on,
            value_on: None,
            amount_cents,
            label,
            counterparty: None,
            reference: self.reference.and_then(|i| one_line(cell(i))),
            bank_ref: None,
        })
    }
}

/// Trimmed text with whitespace runs collapsed; `None` when empty.
fn one_line(s: &str) -> Option<String> {
    let out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_spaces() {
        assert_eq!(fold("  Libellé  de l'opération "), "libelle de l'operation");
        assert_eq!(fold("\u{FEFF}DÉBIT"), "debit");
        assert_eq!(fold("N° pièce"), "no piece");
    }

    #[test]
    fn skipping_and_trimming_lines() {
        assert_eq!(skip_lines("a\nb\nc", 2), ("c", 2));
        assert_eq!(skip_lines("a\nb", 5), ("", 2));
        assert_eq!(trim_blank_tail("a;b\r\n1;2\r\n\r\n  \r\n"), "a;b\r\n1;2\r");
        assert_eq!(trim_blank_tail("\n \n"), "");
    }
}
