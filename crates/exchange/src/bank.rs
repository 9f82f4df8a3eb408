//! Bank-statement parsers: ISO 20022 camt.053, OFX (1.x SGML and 2.x XML) and CSV exports
//! described by a [`CsvMapping`].
//!
//! Every parser takes the whole file as bytes and returns either the whole [`Statement`] or a
//! [`BankError`]: never a partial statement. Errors carry a stable `code` (the list is
//! [`error_codes`]; the application turns codes into French messages), the 1-based line of
//! the file where the problem was found when there is one, and an English `detail` for logs.
//!
//! Security: the XML inputs (camt, OFX 2) are refused when they contain a DOCTYPE or an
//! entity declaration, which rules out entity expansion ("billion laughs") and external
//! entities; references to entities other than the five predefined ones are errors. Nothing
//! is ever fetched or expanded.

use time::Date;

mod camt;
mod camt_write;
mod csv_import;
mod ofx;
pub(crate) mod scan;

pub use camt::parse_camt053;
pub use camt_write::write_camt053;
pub use csv_import::parse_csv;
pub use ofx::parse_ofx;

/// One movement on the bank account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    /// 1-based line of the file where this transaction starts.
    pub source_line: usize,
    /// Booking date.
    pub booked_on: Date,
    /// Value date, when the file gives one.
    pub value_on: Option<Date>,
    /// Signed amount in cents: > 0 money in (credit on the account), < 0 money out.
    pub amount_cents: i64,
    /// Description / remittance text; never empty (falls back to the counterparty, then "—").
    pub label: String,
    /// Debtor (money in) or creditor (money out) name.
    pub counterparty: Option<String>,
    /// End-to-end id, structured or unstructured remittance reference, check number.
    pub reference: Option<String>,
    /// The bank's own unique id of the movement (camt `AcctSvcrRef` or `NtryRef`, OFX `FITID`).
    pub bank_ref: Option<String>,
}

/// A parsed statement: the account, its balances when the file states them, the movements in
/// file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statement {
    /// IBAN of the account (spaces removed, upper case), when the file gives one.
    pub iban: Option<String>,
    /// ISO 4217 currency of the account.
    pub currency: Option<String>,
    /// Opening balance in cents (signed: negative = overdrawn).
    pub opening_cents: Option<i64>,
    /// Closing balance in cents (signed).
    pub closing_cents: Option<i64>,
    /// The movements, in file order.
    pub lines: Vec<StatementLine>,
}

/// Why a statement could not be read. `code` is one of [`error_codes`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}{}: {detail}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
pub struct BankError {
    /// 1-based line of the file, when the problem is located.
    pub line: Option<usize>,
    /// Stable machine code, one of [`error_codes`].
    pub code: &'static str,
    /// English detail for logs and support (not for end users).
    pub detail: String,
}

impl BankError {
    pub(crate) fn new(code: &'static str, line: Option<usize>, detail: impl Into<String>) -> Self {
        BankError {
            line,
            code,
            detail: detail.into(),
        }
    }

    pub(crate) fn at(code: &'static str, line: usize, detail: impl Into<String>) -> Self {
        Self::new(code, Some(line), detail)
    }
}

/// The error codes, as constants (see [`error_codes`] for their meaning).
pub mod code {
    /// The bytes are not valid in the file's encoding (UTF-8 declared or required).
    pub const ENCODING: &str = "bank_encoding";
    /// The XML document has a DOCTYPE or an entity declaration (refused for safety).
    pub const XML_DOCTYPE: &str = "bank_xml_doctype";
    /// The XML document uses an entity other than the five predefined ones.
    pub const XML_ENTITY: &str = "bank_xml_entity";
    /// The XML document is not well-formed (syntax error, mismatched tags, truncated).
    pub const XML_MALFORMED: &str = "bank_xml_malformed";
    /// Well-formed XML, but not an ISO 20022 camt.053 statement.
    pub const NOT_CAMT053: &str = "bank_not_camt053";
    /// Not an OFX file (no `<OFX>` element).
    pub const NOT_OFX: &str = "bank_not_ofx";
    /// An OFX file whose structure is broken (unclosed transaction, truncated file).
    pub const OFX_MALFORMED: &str = "bank_ofx_malformed";
    /// The file holds statements of several accounts: import them one account at a time.
    pub const MULTIPLE_ACCOUNTS: &str = "bank_multiple_accounts";
    /// An amount is missing, unreadable or has more than two decimals.
    pub const AMOUNT: &str = "bank_amount";
    /// A date is missing or unreadable.
    pub const DATE: &str = "bank_date";
    /// A CSV row has a different number of fields from the header row.
    pub const CSV_FIELDS: &str = "bank_csv_fields";
    /// A column named in the CSV mapping is not in the header row.
    pub const COLUMN_UNKNOWN: &str = "bank_column_unknown";
    /// The CSV file has no header row or no data row.
    pub const EMPTY: &str = "bank_empty";
    /// The CSV mapping itself is unusable (separator is a quote or a line end).
    pub const MAPPING: &str = "bank_mapping";
}

/// Every error code the parsers can return, for the application's message catalogue.
///
/// | code | meaning |
/// |---|---|
/// | `bank_encoding` | bytes invalid in the file's encoding (UTF-8 declared or required) |
/// | `bank_xml_doctype` | XML with a DOCTYPE or entity declaration, refused for safety |
/// | `bank_xml_entity` | XML referencing an entity other than `&lt; &gt; &amp; &apos; &quot;` |
/// | `bank_xml_malformed` | XML not well-formed or truncated |
/// | `bank_not_camt053` | well-formed XML that is not a camt.053 bank-to-customer statement |
/// | `bank_not_ofx` | no OFX content |
/// | `bank_ofx_malformed` | OFX with an unclosed or truncated transaction block |
/// | `bank_multiple_accounts` | several accounts in one file |
/// | `bank_amount` | amount missing, unreadable or with more than two decimals |
/// | `bank_date` | date missing or unreadable |
/// | `bank_csv_fields` | a CSV row with a different field count than the header |
/// | `bank_column_unknown` | a mapped CSV column absent from the header (detail = the column) |
/// | `bank_empty` | CSV without header or without data rows |
/// | `bank_mapping` | unusable CSV mapping (separator) |
pub fn error_codes() -> &'static [&'static str] {
    &[
        code::ENCODING,
        code::XML_DOCTYPE,
        code::XML_ENTITY,
        code::XML_MALFORMED,
        code::NOT_CAMT053,
        code::NOT_OFX,
        code::OFX_MALFORMED,
        code::MULTIPLE_ACCOUNTS,
        code::AMOUNT,
        code::DATE,
        code::CSV_FIELDS,
        code::COLUMN_UNKNOWN,
        code::EMPTY,
        code::MAPPING,
    ]
}

/// The kind of a statement file, guessed from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// XML that is not OFX: parse with [`parse_camt053`].
    Camt053,
    /// OFX 1.x (SGML header) or 2.x (XML with an `<?OFX …?>` header or an `<OFX>` root).
    Ofx,
    /// Anything else: parse with [`parse_csv`] and a mapping.
    Csv,
}

/// Guesses the kind of a statement file. Cheap: looks at the first 64 KiB at most. The guess
/// only picks a parser; the parser still checks the content.
pub fn detect(bytes: &[u8]) -> Detected {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if scan::find_ascii_ci(head, b"OFXHEADER").is_some()
        || scan::find_ascii_ci(head, b"<OFX>").is_some()
    {
        return Detected::Ofx;
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Detected::Camt053,
        _ => Detected::Csv,
    }
}

/// How the text of a CSV file is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 (a leading BOM is ignored).
    Utf8,
    /// Windows-1252, the usual "ANSI" export of French banks.
    Windows1252,
    /// ISO-8859-15 (latin-9).
    Iso885915,
}

impl CsvEncoding {
    /// The stored code: `utf-8`, `windows-1252` or `iso-8859-15`.
    pub fn code(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "utf-8",
            CsvEncoding::Windows1252 => "windows-1252",
            CsvEncoding::Iso885915 => "iso-8859-15",
        }
    }

    /// Reads a code written by [`CsvEncoding::code`] (case-insensitive; `utf8`, `cp1252` and
    /// `latin-9`/`latin9` accepted too).
    pub fn parse(code: &str) -> Option<CsvEncoding> {
        match code.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(CsvEncoding::Utf8),
            "windows-1252" | "cp1252" => Some(CsvEncoding::Windows1252),
            "iso-8859-15" | "latin-9" | "latin9" => Some(CsvEncoding::Iso885915),
            _ => None,
        }
    }
}

/// How dates are written in a CSV file. Day and month may have one digit; a two-digit year
/// means 20YY; anything after the date (a time) is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// `DD/MM/YYYY`
    DmySlash,
    /// `YYYY-MM-DD`
    Iso,
    /// `DD-MM-YYYY`
    DmyDash,
    /// `DD.MM.YYYY`
    DmyDot,
}

impl DateFormat {
    /// The stored code: the pattern itself, e.g. `DD/MM/YYYY`.
    pub fn code(self) -> &'static str {
        match self {
            DateFormat::DmySlash => "DD/MM/YYYY",
            DateFormat::Iso => "YYYY-MM-DD",
            DateFormat::DmyDash => "DD-MM-YYYY",
            DateFormat::DmyDot => "DD.MM.YYYY",
        }
    }

    /// Reads a code written by [`DateFormat::code`] (case-insensitive).
    pub fn parse(code: &str) -> Option<DateFormat> {
        match code.trim().to_ascii_uppercase().as_str() {
            "DD/MM/YYYY" => Some(DateFormat::DmySlash),
            "YYYY-MM-DD" => Some(DateFormat::Iso),
            "DD-MM-YYYY" => Some(DateFormat::DmyDash),
            "DD.MM.YYYY" => Some(DateFormat::DmyDot),
            _ => None,
        }
    }
}

/// Where a CSV file keeps its amounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountColumns {
    /// One signed column: > 0 money in, < 0 money out.
    Single(String),
    /// Two columns. The debit column is money out whatever its sign (banks write `12,50` or
    /// `-12,50`); the credit column is money in.
    DebitCredit {
        /// Column of money out.
        debit: String,
        /// Column of money in.
        credit: String,
    },
}

/// How to read one bank's CSV export. Columns are named by their header (compared trimmed,
/// ignoring case and accents: `Libellé` matches `LIBELLE`) or by 1-based position (`#2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvMapping {
    /// Field separator: `b';'`, `b','`, `b'\t'`…
    pub separator: u8,
    /// Text encoding of the file.
    pub encoding: CsvEncoding,
    /// Physical lines before the header row (bank preambles: account number, period…).
    pub skip_rows: usize,
    /// Column of the booking date.
    pub date_column: String,
    /// How dates are written.
    pub date_format: DateFormat,
    /// Column(s) of the amount.
    pub amount: AmountColumns,
    /// Column of the label.
    pub label_column: String,
    /// Column of a reference, if any.
    pub reference_column: Option<String>,
    /// `true`: `1 234,56` (decimal comma); `false`: `1234.56`. Spaces, no-break spaces and the
    /// other separator are accepted as thousands separators (groups of three digits); a leading
    /// or trailing `-` or parentheses mean negative; `€` is ignored.
    pub decimal_comma: bool,
}
