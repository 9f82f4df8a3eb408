//! OFX reader, for both OFX 1.x (SGML: a `KEY:VALUE` header, leaf elements without closing
//! tags) and OFX 2.x (XML).
//!
//! A hand-written tag scanner covers both: every `<TAG>` opens an element whose value is the
//! text up to the next `<`; aggregates (`STMTTRN`, `BANKACCTFROM`…) are closed by `</TAG>` in
//! both dialects, leaf closing tags (XML only) are ignored. No DTD is read and no entity is
//! expanded: `<!DOCTYPE` and `<!ENTITY` are refused, the five predefined entities and
//! numeric character references are decoded, anything else is kept as written (SGML files
//! often hold a bare `&`).

use super::scan::{
    LineCounter, as_iban, find_ascii_ci, line_of, parse_ofx_amount, parse_ofx_date, refuse_doctype,
};
use super::{BankError, Statement, StatementLine, code};
use std::borrow::Cow;
use time::Date;

/// Parses an OFX 1.x or 2.x bank or credit-card statement.
///
/// | field | from |
/// |---|---|
/// | `iban` | `BANKACCTFROM/ACCTID` (or `CCACCTFROM/ACCTID`) when it is a valid IBAN |
/// | `currency` | `CURDEF` |
/// | `closing_cents` | `LEDGERBAL/BALAMT` |
/// | `opening_cents` | never (OFX has no opening balance) |
///
/// One [`StatementLine`] per `STMTTRN`: `DTPOSTED` → `booked_on`, `DTAVAIL` → `value_on`,
/// `TRNAMT` (signed, `.` or `,` decimal mark) → `amount_cents`, `MEMO` (else `NAME`) →
/// `label`, `NAME` (or `PAYEE/NAME`) → `counterparty`, `CHECKNUM` (else `REFNUM`) →
/// `reference`, `FITID` → `bank_ref`.
///
/// Encoding: UTF-8 when the header says so (`ENCODING:UTF-8`, `encoding="UTF-8"`), else
/// Windows-1252 when it names 1252 or ISO-8859-1/latin-1, else UTF-8 when the bytes are valid
/// UTF-8 and Windows-1252 otherwise.
///
/// Errors: `bank_xml_doctype`, `bank_encoding`, `bank_not_ofx`, `bank_ofx_malformed`,
/// `bank_multiple_accounts`, `bank_amount`, `bank_date`.
pub fn parse_ofx(bytes: &[u8]) -> Result<Statement, BankError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    refuse_doctype(bytes)?;
    let text = decode(bytes)?;
    let body_start = find_ascii_ci(text.as_bytes(), b"<OFX>")
        .ok_or_else(|| BankError::new(code::NOT_OFX, None, "no <OFX> element"))?;
    let mut reader = Ofx::new(&text);
    let mut pos = body_start;
    let bytes = text.as_bytes();
    while let Some(rel) = bytes[pos..].iter().position(|&b| b == b'<') {
        let open = pos + rel;
        let Some(close_rel) = bytes[open..].iter().position(|&b| b == b'>') else {
            return Err(BankError::at(
                code::OFX_MALFORMED,
                line_of(bytes, open),
                "unclosed tag at end of file",
            ));
        };
        let close = open + close_rel;
        let inner = &text[open + 1..close];
        pos = close + 1;
        if let Some(skip) = skip_special(&text, open, inner) {
            pos = skip;
            continue;
        }
        let value_end = bytes[pos..]
            .iter()
            .position(|&b| b == b'<')
            .map_or(bytes.len(), |r| pos + r);
        let value = &text[pos..value_end];
        if let Some(name) = inner.strip_prefix('/') {
            reader.close(&name.trim().to_ascii_uppercase(), open)?;
        } else {
            let self_closing = inner.ends_with('/');
            let name = inner
                .trim_end_matches('/')
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            reader.open(&name, value, open)?;
            if self_closing {
                reader.close(&name, open)?;
            }
        }
    }
    reader.finish()
}

/// Comments, processing instructions and CDATA are skipped: returns where scanning resumes.
fn skip_special(text: &str, open: usize, inner: &str) -> Option<usize> {
    let find_after = |needle: &str| {
        text[open..]
            .find(needle)
            .map_or(text.len(), |r| open + r + needle.len())
    };
    if inner.starts_with("!--") {
        Some(find_after("-->"))
    } else if inner.starts_with("![CDATA[") {
        Some(find_after("]]>"))
    } else if inner.starts_with('?') || inner.starts_with('!') {
        Some(open + inner.len() + 2)
    } else {
        None
    }
}

/// Decodes the file per its header (see [`parse_ofx`]).
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, BankError> {
    let head = &bytes[..bytes.len().min(1024)];
    let says = |needle: &[u8]| find_ascii_ci(head, needle).is_some();
    let declared_utf8 =
        says(b"ENCODING:UTF-8") || says(b"ENCODING=\"UTF-8\"") || says(b"ENCODING='UTF-8'");
    let declared_latin = says(b"CHARSET:1252")
        || says(b"CHARSET:ISO-8859-1")
        || says(b"CHARSET:8859-1")
        || says(b"CHARSET:LATIN")
        || says(b"ENCODING=\"WINDOWS-1252\"")
        || says(b"ENCODING=\"ISO-8859-1\"");
    match std::str::from_utf8(bytes) {
        Ok(text) if !declared_latin || text.is_ascii() => Ok(Cow::Borrowed(text)),
        Err(e) if declared_utf8 => Err(BankError::at(
            code::ENCODING,
            line_of(bytes, e.valid_up_to()),
            "the OFX header declares UTF-8 but the bytes are not UTF-8",
        )),
        _ => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0),
    }
}

/// A `STMTTRN` being read.
#[derive(Default)]
struct Txn {
    line: usize,
    posted: Option<String>,
    avail: Option<String>,
    amount: Option<String>,
    fitid: Option<String>,
    name: Option<String>,
    payee_name: Option<String>,
    memo: Option<String>,
    checknum: Option<String>,
    refnum: Option<String>,
}

struct Ofx<'t> {
    lines: LineCounter<'t>,
    result: Statement,
    /// `ACCTID` of the first statement, to detect files with several accounts.
    account: Option<String>,
    in_account: bool,
    in_ledger: bool,
    in_payee: bool,
    txn: Option<Txn>,
    /// `</OFX>` seen: the file is complete.
    closed: bool,
}

impl<'t> Ofx<'t> {
    fn new(text: &'t str) -> Self {
        Ofx {
            lines: LineCounter::new(text.as_bytes()),
            result: Statement::default(),
            account: None,
            in_account: false,
            in_ledger: false,
            in_payee: false,
            txn: None,
            closed: false,
        }
    }

    fn open(&mut self, name: &str, raw_value: &str, at: usize) -> Result<(), BankError> {
        if name == "STMTTRN" {
            if self.txn.is_some() {
                return Err(self.malformed(at, "<STMTTRN> inside an unclosed <STMTTRN>"));
            }
            self.txn = Some(Txn {
                line: self.lines.line_at(at),
                ..Txn::default()
            });
            return Ok(());
        }
        match name {
            "BANKACCTFROM" | "CCACCTFROM" if self.txn.is_none() => self.in_account = true,
            "LEDGERBAL" => self.in_ledger = true,
            "PAYEE" => self.in_payee = true,
            _ => {}
        }
        let Some(value) = leaf_value(raw_value) else {
            return Ok(());
        };
        if let Some(txn) = &mut self.txn {
            let slot = match name {
                "DTPOSTED" => &mut txn.posted,
                "DTAVAIL" => &mut txn.avail,
                "TRNAMT" => &mut txn.amount,
                "FITID" => &mut txn.fitid,
                "NAME" if self.in_payee => &mut txn.payee_name,
                "NAME" => &mut txn.name,
                "MEMO" => &mut txn.memo,
                "CHECKNUM" => &mut txn.checknum,
                "REFNUM" => &mut txn.refnum,
                _ => return Ok(()),
            };
            *slot = Some(value);
            return Ok(());
        }
        match name {
            "ACCTID" if self.in_account => {
                let id = value.replace(' ', "").to_ascii_uppercase();
                match &self.account {
                    Some(known) if *known != id => {
                        return Err(BankError::at(
                            code::MULTIPLE_ACCOUNTS,
                            self.lines.line_at(at),
                            format!("statements of accounts {known} and {id} in one file"),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.result.iban = as_iban(&id);
                        self.account = Some(id);
                    }
                }
            }
            "CURDEF" => self.result.currency = Some(value.to_ascii_uppercase()),
            "BALAMT" if self.in_ledger => {
                let cents = parse_ofx_amount(&value).ok_or_else(|| {
                    BankError::at(
                        code::AMOUNT,
                        self.lines.line_at(at),
                        format!("BALAMT {value:?}"),
                    )
                })?;
                self.result.closing_cents = Some(cents);
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str, at: usize) -> Result<(), BankError> {
        match name {
            "BANKACCTFROM" | "CCACCTFROM" if self.txn.is_none() => self.in_account = false,
            "LEDGERBAL" => self.in_ledger = false,
            "PAYEE" => self.in_payee = false,
            "OFX" => self.closed = true,
            "STMTTRN" => {
                let txn = self
                    .txn
                    .take()
                    .ok_or_else(|| self.malformed(at, "</STMTTRN> without <STMTTRN>"))?;
                let line = finish_txn(txn)?;
                self.result.lines.push(line);
            }
            _ => {}
        }
        Ok(())
    }

    fn malformed(&mut self, at: usize, detail: &str) -> BankError {
        BankError::at(code::OFX_MALFORMED, self.lines.line_at(at), detail)
    }

    fn finish(mut self) -> Result<Statement, BankError> {
        if let Some(txn) = &self.txn {
            return Err(BankError::at(
                code::OFX_MALFORMED,
                txn.line,
                "<STMTTRN> never closed (truncated file?)",
            ));
        }
        if !self.closed {
            let last = self.lines.line_at(usize::MAX);
            return Err(BankError::at(
                code::OFX_MALFORMED,
                last,
                "the file ends before </OFX> (truncated file?)",
            ));
        }
        Ok(self.result)
    }
}

fn finish_txn(t: Txn) -> Result<StatementLine, BankError> {
    let date = |raw: &Option<String>, what: &str| -> Result<Option<Date>, BankError> {
        match raw {
            None => Ok(None),
            Some(s) => parse_ofx_date(s)
                .map(Some)
                .ok_or_else(|| BankError::at(code::DATE, t.line, format!("{what} {s:?}"))),
        }
    };
    let booked_on = date(&t.posted, "DTPOSTED")?
        .ok_or_else(|| BankError::at(code::DATE, t.line, "STMTTRN without DTPOSTED"))?;
    let value_on = date(&t.avail, "DTAVAIL")?;
    let raw_amount = t
        .amount
        .as_deref()
        .ok_or_else(|| BankError::at(code::AMOUNT, t.line, "STMTTRN without TRNAMT"))?;
    let amount_cents = parse_ofx_amount(raw_amount).ok_or_else(|| {
        BankError::at(
            code::AMOUNT,
            t.line,
            format!("TRNAMT {raw_amount:?} (at most two decimals)"),
        )
    })?;
    let counterparty = t.payee_name.or(t.name);
    let label = t
        .memo
        .or_else(|| counterparty.clone())
        .unwrap_or_else(|| "—".to_owned());
    Ok(StatementLine {
        source_line: t.line,
        booked_on,
        value_on,
        amount_cents,
        label,
        counterparty,
        reference: t.checknum.or(t.refnum),
        bank_ref: t.fitid,
    })
}

/// The value of a leaf element: entity-decoded, whitespace collapsed; `None` when empty.
fn leaf_value(raw: &str) -> Option<String> {
    let decoded = if raw.contains('&') {
        Cow::Owned(decode_entities(raw))
    } else {
        Cow::Borrowed(raw)
    };
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Decodes `&lt; &gt; &amp; &apos; &quot;` and `&#NN;`/`&#xNN;`; leaves anything else as written.
fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "quot" => Some('"'),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32).filter(|c| *c != '\0')
                }),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("M&amp;S &#233;t&#xE9; &nbsp; A&B; &"),
            "M&S été &nbsp; A&B; &"
        );
    }
}
