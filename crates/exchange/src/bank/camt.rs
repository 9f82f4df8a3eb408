//! ISO 20022 camt.053 (`BkToCstmrStmt`) reader, versions .001.02 to .001.08.
//!
//! A single streaming pass with quick-xml over the borrowed input: the open elements are kept
//! as a stack of [`Tag`]s (local names only, namespaces ignored, so every version matches the
//! same paths) and each element's text is handled when it closes.

use super::scan::{LineCounter, line_of, parse_iso_date, parse_xml_amount, refuse_doctype};
use super::{BankError, Statement, StatementLine, code};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use time::Date;

/// Parses an ISO 20022 camt.053 bank-to-customer statement.
///
/// Read from each `Stmt`: `Acct/Id/IBAN`, `Acct/Ccy` (else the `Ccy` of the first amount), the
/// opening balance (`Bal` of type `OPBD`, else `PRCD`) and the closing balance (`CLBD`), signed
/// by `CdtDbtInd`. One [`StatementLine`] per `Ntry`:
///
/// | field | from |
/// |---|---|
/// | `amount_cents` | `Amt`, negative when `CdtDbtInd` = `DBIT` |
/// | `booked_on` | `BookgDt/Dt` or `BookgDt/DtTm` (else the value date) |
/// | `value_on` | `ValDt/Dt` or `ValDt/DtTm` |
/// | `bank_ref` | `AcctSvcrRef`, else `NtryRef`, else `TxDtls/Refs/AcctSvcrRef` |
/// | `label` | `TxDtls/RmtInf/Ustrd` (all, joined), else `AddtlTxInf`, else `AddtlNtryInf`, else the structured reference, else the counterparty, else "—" |
/// | `reference` | `RmtInf/Strd/CdtrRefInf/Ref`, else `Refs/EndToEndId` (unless `NOTPROVIDED`), else `Refs/ChqNb` |
/// | `counterparty` | money in: `RltdPties/Dbtr/Nm` or `Dbtr/Pty/Nm`; money out: the same under `Cdtr` |
///
/// A file with several `Stmt` of one account (several days) gives one statement: the first
/// opening balance, the last closing balance, all entries. Several accounts are refused
/// (`bank_multiple_accounts`).
///
/// Errors: `bank_encoding` (not UTF-8), `bank_xml_doctype`, `bank_xml_entity`,
/// `bank_xml_malformed` (with the line; truncated files included), `bank_not_camt053`,
/// `bank_amount`, `bank_date`, `bank_multiple_accounts`.
pub fn parse_camt053(bytes: &[u8]) -> Result<Statement, BankError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    refuse_doctype(bytes)?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        BankError::at(
            code::ENCODING,
            line_of(bytes, e.valid_up_to()),
            "camt.053 files must be UTF-8",
        )
    })?;
    let mut reader = Reader::from_str(text);
    let mut camt = Camt::new(bytes);
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            BankError::at(code::XML_MALFORMED, line_of(bytes, at), e.to_string())
        })?;
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(e) => camt.start(&e, pos)?,
            Event::Empty(e) => {
                camt.start(&e, pos)?;
                camt.end(pos)?;
            }
            Event::End(_) => camt.end(pos)?,
            Event::Text(t) => camt.text.push_str(&t.xml10_content()),
            Event::CData(t) => camt.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let bad =
                    |detail: String| BankError::at(code::XML_ENTITY, line_of(bytes, pos), detail);
                match r.resolve_char_ref() {
                    Ok(Some(c)) => camt.text.push(c),
                    Err(e) => return Err(bad(format!("&{};: {e}", &*r))),
                    Ok(None) => match predefined_entity(&r) {
                        Some(c) => camt.text.push(c),
                        None => return Err(bad(format!("undeclared entity &{};", &*r))),
                    },
                }
            }
            Event::DocType(_) => {
                return Err(BankError::at(
                    code::XML_DOCTYPE,
                    line_of(bytes, pos),
                    "DOCTYPE not accepted",
                ));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    camt.finish(bytes.len())
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// The elements whose position matters; everything else is [`Tag::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Document,
    BkToCstmrStmt,
    Stmt,
    Acct,
    Id,
    Iban,
    Ccy,
    Bal,
    Tp,
    CdOrPrtry,
    Cd,
    Amt,
    CdtDbtInd,
    Dt,
    DtTm,
    Ntry,
    BookgDt,
    ValDt,
    AcctSvcrRef,
    NtryRef,
    AddtlNtryInf,
    NtryDtls,
    TxDtls,
    Refs,
    EndToEndId,
    ChqNb,
    RmtInf,
    Ustrd,
    Strd,
    CdtrRefInf,
    Ref,
    RltdPties,
    Dbtr,
    Cdtr,
    Pty,
    Nm,
    AddtlTxInf,
    Other,
}

impl Tag {
    fn of(local_name: &str) -> Tag {
        match local_name {
            "Document" => Tag::Document,
            "BkToCstmrStmt" => Tag::BkToCstmrStmt,
            "Stmt" => Tag::Stmt,
            "Acct" => Tag::Acct,
            "Id" => Tag::Id,
            "IBAN" => Tag::Iban,
            "Ccy" => Tag::Ccy,
            "Bal" => Tag::Bal,
            "Tp" => Tag::Tp,
            "CdOrPrtry" => Tag::CdOrPrtry,
            "Cd" => Tag::Cd,
            "Amt" => Tag::Amt,
            "CdtDbtInd" => Tag::CdtDbtInd,
            "Dt" => Tag::Dt,
            "DtTm" => Tag::DtTm,
            "Ntry" => Tag::Ntry,
            "BookgDt" => Tag::BookgDt,
            "ValDt" => Tag::ValDt,
            "AcctSvcrRef" => Tag::AcctSvcrRef,
            "NtryRef" => Tag::NtryRef,
            "AddtlNtryInf" => Tag::AddtlNtryInf,
            "NtryDtls" => Tag::NtryDtls,
            "TxDtls" => Tag::TxDtls,
            "Refs" => Tag::Refs,
            "EndToEndId" => Tag::EndToEndId,
            "ChqNb" => Tag::ChqNb,
            "RmtInf" => Tag::RmtInf,
            "Ustrd" => Tag::Ustrd,
            "Strd" => Tag::Strd,
            "CdtrRefInf" => Tag::CdtrRefInf,
            "Ref" => Tag::Ref,
            "RltdPties" => Tag::RltdPties,
            "Dbtr" => Tag::Dbtr,
            "Cdtr" => Tag::Cdtr,
            "Pty" => Tag::Pty,
            "Nm" => Tag::Nm,
            "AddtlTxInf" => Tag::AddtlTxInf,
            _ => Tag::Other,
        }
    }
}

/// Depth of `Stmt` in the stack: `Document/BkToCstmrStmt/Stmt`.
const STMT_DEPTH: usize = 3;

/// One `Bal` being read.
#[derive(Default)]
struct Balance {
    code: Option<String>,
    amount: Option<i64>,
    debit: Option<bool>,
    line: usize,
}

/// One `Stmt` being read.
#[derive(Default)]
struct StmtAcc {
    iban: Option<String>,
    currency: Option<String>,
    first_amount_currency: Option<String>,
    opbd: Option<i64>,
    prcd: Option<i64>,
    clbd: Option<i64>,
}

/// One `Ntry` being read.
#[derive(Default)]
struct Entry {
    line: usize,
    amount: Option<i64>,
    debit: Option<bool>,
    booked_on: Option<Date>,
    value_on: Option<Date>,
    acct_svcr_ref: Option<String>,
    ntry_ref: Option<String>,
    addtl_ntry_inf: Option<String>,
    ustrd: Vec<String>,
    strd_ref: Option<String>,
    end_to_end: Option<String>,
    check_number: Option<String>,
    tx_acct_svcr_ref: Option<String>,
    debtor: Option<String>,
    creditor: Option<String>,
    addtl_tx_inf: Option<String>,
}

struct Camt<'b> {
    lines: LineCounter<'b>,
    stack: Vec<Tag>,
    /// Text of the innermost open element since its start tag.
    text: String,
    statements: usize,
    result: Statement,
    stmt: StmtAcc,
    balance: Balance,
    entry: Entry,
}

impl<'b> Camt<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Camt {
            lines: LineCounter::new(bytes),
            stack: Vec::with_capacity(16),
            text: String::new(),
            statements: 0,
            result: Statement::default(),
            stmt: StmtAcc::default(),
            balance: Balance::default(),
            entry: Entry::default(),
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize) -> Result<(), BankError> {
        let tag = Tag::of(e.local_name().into_inner());
        self.text.clear();
        match (self.stack.as_slice(), tag) {
            ([], Tag::Document) | ([Tag::Document], Tag::BkToCstmrStmt) => {}
            ([], _) | ([Tag::Document], _) => {
                let line = self.lines.line_at(pos);
                return Err(BankError::at(
                    code::NOT_CAMT053,
                    line,
                    format!("<{}> is not Document/BkToCstmrStmt", e.name().into_inner()),
                ));
            }
            _ => {}
        }
        self.stack.push(tag);
        let Some(rel) = self.stack.get(STMT_DEPTH..) else {
            return Ok(());
        };
        if self.stack[STMT_DEPTH - 1] != Tag::Stmt {
            return Ok(());
        }
        match rel {
            [Tag::Ntry] => {
                self.entry = Entry {
                    line: self.lines.line_at(pos),
                    ..Entry::default()
                };
            }
            [Tag::Bal] => {
                self.balance = Balance {
                    line: self.lines.line_at(pos),
                    ..Balance::default()
                };
            }
            [Tag::Bal | Tag::Ntry, Tag::Amt] if self.stmt.first_amount_currency.is_none() => {
                if let Ok(Some(ccy)) = e.try_get_attribute("Ccy") {
                    self.stmt.first_amount_currency = ccy
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()
                        .and_then(|v| clean(&v));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, pos: usize) -> Result<(), BankError> {
        let text = std::mem::take(&mut self.text);
        let result = self.close(&text, pos);
        // Keep the buffer's capacity for the next element.
        self.text = text;
        self.text.clear();
        self.stack.pop();
        result
    }

    /// Handles the end of the innermost open element, whose text is `text`.
    fn close(&mut self, text: &str, pos: usize) -> Result<(), BankError> {
        use Tag::*;
        if self.stack.len() < STMT_DEPTH || self.stack[STMT_DEPTH - 1] != Stmt {
            return Ok(());
        }
        let rel = &self.stack[STMT_DEPTH..];
        let e = &mut self.entry;
        match rel {
            [] => self.finish_stmt(pos)?,
            [Acct, Id, Iban] => {
                self.stmt.iban = clean(text).map(|s| s.replace(' ', "").to_ascii_uppercase())
            }
            [Acct, Ccy] => self.stmt.currency = clean(text),
            [Bal, Tp, CdOrPrtry, Cd] => self.balance.code = clean(text),
            [Bal, Amt] => self.balance.amount = Some(amount(text, &mut self.lines, pos)?),
            [Bal, CdtDbtInd] => self.balance.debit = Some(debit(text, &mut self.lines, pos)?),
            [Bal] => self.finish_balance()?,
            [Ntry, Amt] => e.amount = Some(amount(text, &mut self.lines, pos)?),
            [Ntry, CdtDbtInd] => e.debit = Some(debit(text, &mut self.lines, pos)?),
            [Ntry, BookgDt, Dt | DtTm] => e.booked_on = Some(date(text, &mut self.lines, pos)?),
            [Ntry, ValDt, Dt | DtTm] => e.value_on = Some(date(text, &mut self.lines, pos)?),
            [Ntry, AcctSvcrRef] => e.acct_svcr_ref = clean(text),
            [Ntry, NtryRef] => e.ntry_ref = clean(text),
            [Ntry, AddtlNtryInf] => e.addtl_ntry_inf = clean(text),
            [Ntry, NtryDtls, TxDtls, tx @ ..] => match tx {
                [RmtInf, Ustrd] => e.ustrd.extend(clean(text)),
                [RmtInf, Strd, CdtrRefInf, Ref] => first(&mut e.strd_ref, text),
                [Refs, EndToEndId] if !text.trim().eq_ignore_ascii_case("NOTPROVIDED") => {
                    first(&mut e.end_to_end, text)
                }
                [Refs, ChqNb] => first(&mut e.check_number, text),
                [Refs, AcctSvcrRef] => first(&mut e.tx_acct_svcr_ref, text),
                [RltdPties, Dbtr, Nm] | [RltdPties, Dbtr, Pty, Nm] => first(&mut e.debtor, text),
                [RltdPties, Cdtr, Nm] | [RltdPties, Cdtr, Pty, Nm] => first(&mut e.creditor, text),
                [AddtlTxInf] => first(&mut e.addtl_tx_inf, text),
                _ => {}
            },
            [Ntry] => self.finish_entry()?,
            _ => {}
        }
        Ok(())
    }

    fn finish_balance(&mut self) -> Result<(), BankError> {
        let b = std::mem::take(&mut self.balance);
        let slot = match b.code.as_deref() {
            Some("OPBD") => &mut self.stmt.opbd,
            Some("PRCD") => &mut self.stmt.prcd,
            Some("CLBD") => &mut self.stmt.clbd,
            _ => return Ok(()),
        };
        let amount = b
            .amount
            .ok_or_else(|| BankError::at(code::AMOUNT, b.line, "balance without Amt"))?;
        let debit = b
            .debit
            .ok_or_else(|| BankError::at(code::AMOUNT, b.line, "balance without CdtDbtInd"))?;
        *slot = Some(if debit { -amount } else { amount });
        Ok(())
    }

    fn finish_entry(&mut self) -> Result<(), BankError> {
        let e = std::mem::take(&mut self.entry);
        let amount = e
            .amount
            .ok_or_else(|| BankError::at(code::AMOUNT, e.line, "entry without Amt"))?;
        let debit = e
            .debit
            .ok_or_else(|| BankError::at(code::AMOUNT, e.line, "entry without CdtDbtInd"))?;
        let booked_on = e
            .booked_on
            .or(e.value_on)
            .ok_or_else(|| BankError::at(code::DATE, e.line, "entry without BookgDt nor ValDt"))?;
        let counterparty = if debit { e.creditor } else { e.debtor };
        let label = if e.ustrd.is_empty() {
            None
        } else {
            Some(e.ustrd.join(" "))
        }
        .or(e.addtl_tx_inf)
        .or(e.addtl_ntry_inf)
        .or_else(|| e.strd_ref.clone())
        .or_else(|| counterparty.clone())
        .unwrap_or_else(|| "—".to_owned());
        self.result.lines.push(StatementLine {
            source_line: e.line,
            booked_on,
            value_on: e.value_on,
            amount_cents: if debit { -amount } else { amount },
            label,
            counterparty,
            reference: e.strd_ref.or(e.end_to_end).or(e.check_number),
            bank_ref: e.acct_svcr_ref.or(e.ntry_ref).or(e.tx_acct_svcr_ref),
        });
        Ok(())
    }

    fn finish_stmt(&mut self, pos: usize) -> Result<(), BankError> {
        let s = std::mem::take(&mut self.stmt);
        self.statements += 1;
        let r = &mut self.result;
        if let (Some(known), Some(this)) = (&r.iban, &s.iban)
            && known != this
        {
            return Err(BankError::at(
                code::MULTIPLE_ACCOUNTS,
                self.lines.line_at(pos),
                format!("statements of {known} and {this} in one file"),
            ));
        }
        r.iban = r.iban.take().or(s.iban);
        r.currency = r.currency.take().or(s.currency).or(s.first_amount_currency);
        if self.statements == 1 {
            r.opening_cents = s.opbd.or(s.prcd);
        }
        if s.clbd.is_some() {
            r.closing_cents = s.clbd;
        }
        Ok(())
    }

    fn finish(mut self, len: usize) -> Result<Statement, BankError> {
        let last_line = self.lines.line_at(len);
        if let Some(open) = self.stack.last() {
            return Err(BankError::at(
                code::XML_MALFORMED,
                last_line,
                format!("the document ends inside <{open:?}> (truncated file?)"),
            ));
        }
        if self.statements == 0 {
            return Err(BankError::at(
                code::NOT_CAMT053,
                last_line,
                "no BkToCstmrStmt/Stmt element",
            ));
        }
        Ok(self.result)
    }
}

/// Trimmed text with inner runs of whitespace collapsed to one space; `None` when empty.
fn clean(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Keeps the first non-empty value.
fn first(slot: &mut Option<String>, text: &str) {
    if slot.is_none() {
        *slot = clean(text);
    }
}

fn amount(text: &str, lines: &mut LineCounter<'_>, pos: usize) -> Result<i64, BankError> {
    parse_xml_amount(text).ok_or_else(|| {
        BankError::at(
            code::AMOUNT,
            lines.line_at(pos),
            format!("amount {:?} (at most two decimals)", text.trim()),
        )
    })
}

fn date(text: &str, lines: &mut LineCounter<'_>, pos: usize) -> Result<Date, BankError> {
    parse_iso_date(text).ok_or_else(|| {
        BankError::at(
            code::DATE,
            lines.line_at(pos),
            format!("date {:?}", text.trim()),
        )
    })
}

/// `true` for `DBIT`, `false` for `CRDT`.
fn debit(text: &str, lines: &mut LineCounter<'_>, pos: usize) -> Result<bool, BankError> {
    match text.trim() {
        "DBIT" => Ok(true),
        "CRDT" => Ok(false),
        other => Err(BankError::at(
            code::AMOUNT,
            lines.line_at(pos),
            format!("CdtDbtInd {other:?}"),
        )),
    }
}
