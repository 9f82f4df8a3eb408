//! Bank statements (issue 7, point 6): import CAMT.053, OFX or CSV (with the cooperative's saved
//! column mapping), skip lines already imported, propose matches with open invoices, confirm
//! them in bulk (each becomes a payment and its bank entry), or book a line to an account.
//! A file is imported whole or not at all; a batch of confirmations likewise.

use super::post_in;
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::Permission;
use essaim_domain::ids::SaleDocId;
use essaim_domain::ledger::account::{AccountNumber, JournalRole, takes_analytic};
use essaim_domain::ledger::entry::Aux;
use essaim_domain::ledger::matching::{BankFacts, Candidate, Index};
use essaim_domain::ledger::posting;
use essaim_domain::selling::payment::PaymentMode;
use essaim_exchange::bank::{
    self as parse, AmountColumns, CsvEncoding, CsvMapping, DateFormat, Detected, Statement,
};
use essaim_storage::books::{self as store, BankLineRecord, CsvMappingRecord, NewBankLine};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The largest statement accepted (a year of a busy account is far below).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub import_id: i64,
    pub format: &'static str,
    pub lines: usize,
    pub new_lines: u64,
    pub duplicates: u64,
}

fn mapping_of(r: &CsvMappingRecord) -> Option<CsvMapping> {
    let amount = match (&r.amount_column, &r.debit_column, &r.credit_column) {
        (Some(a), _, _) if !a.is_empty() => AmountColumns::Single(a.clone()),
        (_, Some(d), Some(c)) => AmountColumns::DebitCredit {
            debit: d.clone(),
            credit: c.clone(),
        },
        _ => return None,
    };
    Some(CsvMapping {
        separator: match r.separator.as_str() {
            "tab" => b'\t',
            s => *s.as_bytes().first()?,
        },
        encoding: CsvEncoding::parse(&r.encoding)?,
        skip_rows: usize::try_from(r.skip_rows).ok()?,
        date_column: r.date_column.clone(),
        date_format: DateFormat::parse(&r.date_format)?,
        amount,
        label_column: r.label_column.clone(),
        reference_column: r.reference_column.clone().filter(|c| !c.is_empty()),
        decimal_comma: r.decimal_comma,
    })
}

/// Fingerprints identify a line across imports: the bank's own id when it gives one, otherwise
/// its content and its rank among identical lines of the same file (two equal fees on one day).
fn fingerprints(st: &Statement) -> Vec<String> {
    let iban = st.iban.as_deref().unwrap_or("");
    let mut seen: HashMap<String, usize> = HashMap::new();
    st.lines
        .iter()
        .map(|l| {
            let raw = match &l.bank_ref {
                Some(r) if !r.is_empty() => format!("ref|{iban}|{r}"),
                _ => {
                    let base = format!(
                        "line|{iban}|{}|{}|{}|{}",
                        l.booked_on,
                        l.amount_cents,
                        l.label,
                        l.reference.as_deref().unwrap_or("")
                    );
                    let n = seen.entry(base.clone()).or_insert(0);
                    *n += 1;
                    format!("{base}|{n}")
                }
            };
            hex::encode(Sha256::digest(raw.as_bytes()))
        })
        .collect()
}

/// Reads a statement file and stores its new lines in the queue (`books.manage`).
pub async fn import(
    app: &App,
    actor: &CoopActor,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportSummary, AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    let summary = import_in(
        &mut tx,
        actor.cooperative,
        file_name,
        bytes,
        Some(actor.user().id),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.bank_import",
        ("bank_import", summary.import_id.to_string()),
        json!({ "file": file_name, "lines": summary.lines, "duplicates": summary.duplicates }),
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

pub(crate) async fn import_in(
    tx: &mut essaim_storage::Tx,
    coop: essaim_domain::ids::CooperativeId,
    file_name: &str,
    bytes: &[u8],
    by: Option<essaim_domain::ids::UserId>,
    now: time::OffsetDateTime,
) -> Result<ImportSummary, AppError> {
    if bytes.is_empty() {
        return Err(AppError::BadFile {
            code: "bank_empty",
            line: None,
        });
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::field("file", "file_too_large"));
    }
    let bad = |e: parse::BankError| AppError::BadFile {
        code: e.code,
        line: e.line,
    };
    let (format, st) = match parse::detect(bytes) {
        Detected::Camt053 => ("camt053", parse::parse_camt053(bytes).map_err(bad)?),
        Detected::Ofx => ("ofx", parse::parse_ofx(bytes).map_err(bad)?),
        Detected::Csv => {
            let mapping = store::csv_mapping(tx, coop)
                .await?
                .as_ref()
                .and_then(mapping_of)
                .ok_or(AppError::BadFile {
                    code: "bank_csv_mapping_missing",
                    line: None,
                })?;
            ("csv", parse::parse_csv(bytes, &mapping).map_err(bad)?)
        }
    };
    if st.lines.is_empty() {
        return Err(AppError::BadFile {
            code: "bank_empty",
            line: None,
        });
    }
    let prints = fingerprints(&st);
    let lines: Vec<NewBankLine> = st
        .lines
        .iter()
        .zip(prints)
        .map(|(l, fingerprint)| NewBankLine {
            booked_on: l.booked_on,
            value_on: l.value_on,
            amount_cents: l.amount_cents,
            label: l.label.clone(),
            counterparty: l.counterparty.clone(),
            reference: l.reference.clone(),
            bank_ref: l.bank_ref.clone(),
            fingerprint,
        })
        .collect();
    let import_id =
        store::insert_import(tx, coop, file_name, format, st.iban.as_deref(), by, now).await?;
    let new_lines = store::insert_bank_lines(tx, coop, import_id, &lines).await?;
    let duplicates = lines.len() as u64 - new_lines;
    store::finish_import(
        tx,
        import_id,
        i64::try_from(new_lines).unwrap_or(i64::MAX),
        i64::try_from(duplicates).unwrap_or(i64::MAX),
    )
    .await?;
    Ok(ImportSummary {
        import_id,
        format,
        lines: lines.len(),
        new_lines,
        duplicates,
    })
}

/// A proposal for a queued line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub sale_doc_id: i64,
    pub number: String,
    pub customer_name: String,
    pub outstanding_cents: i64,
    pub score: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedLine {
    pub line: BankLineRecord,
    pub proposals: Vec<Match>,
}

/// The lines waiting in the queue, each with up to three proposals, and how many wait.
pub async fn queue(
    app: &App,
    actor: &CoopActor,
    limit: i64,
    offset: i64,
) -> Result<(Vec<QueuedLine>, i64), AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let (lines, count) =
        store::bank_lines(&mut tx, actor.cooperative, "open", limit, offset).await?;
    let open = store::open_invoices(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let candidates: Vec<Candidate> = open
        .iter()
        .map(|o| Candidate {
            id: o.sale_doc_id,
            number: o.number.clone(),
            party: o.customer_name.clone(),
            due_cents: o.outstanding_cents,
        })
        .collect();
    let index = Index::new(&candidates);
    let queued = lines
        .into_iter()
        .map(|line| {
            let facts = BankFacts {
                amount_cents: line.amount_cents,
                label: line.label.clone(),
                counterparty: line.counterparty.clone(),
                reference: line.reference.clone(),
            };
            let proposals = if line.amount_cents > 0 {
                index
                    .propose(&facts, 3)
                    .into_iter()
                    .map(|p| {
                        let o = &open[p.candidate];
                        Match {
                            sale_doc_id: o.sale_doc_id,
                            number: o.number.clone(),
                            customer_name: o.customer_name.clone(),
                            outstanding_cents: o.outstanding_cents,
                            score: p.score,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            QueuedLine { line, proposals }
        })
        .collect();
    Ok((queued, count))
}

/// Confirms matches in one transaction: each line becomes a payment of its invoice (posted in the
/// bank journal) and leaves the queue. Any refusal leaves everything as it was.
pub async fn confirm(
    app: &App,
    actor: &CoopActor,
    pairs: &[(i64, i64)],
) -> Result<usize, AppError> {
    actor.require(Permission::BooksManage)?;
    actor.require(Permission::PaymentRecord)?;
    if pairs.is_empty() {
        return Err(AppError::field("matches", "nothing_selected"));
    }
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    for (i, (line_id, doc_id)) in pairs.iter().enumerate() {
        let line = store::bank_line(&mut tx, actor.cooperative, *line_id)
            .await?
            .ok_or(AppError::NotFound("bank line"))?;
        let mut e = FieldErrors::new();
        if line.state != "open" {
            e.add_row(i, "line", "bank_line_settled");
            return Err(e.into());
        }
        let doc = essaim_storage::sale::doc(&mut tx, actor.cooperative, SaleDocId::new(*doc_id))
            .await?
            .ok_or(AppError::NotFound("invoice"))?;
        let outstanding = doc.grand_total_cents - doc.paid_cents - doc.credited_cents;
        if doc.state != "issued" || doc.kind == "credit_note" || doc.kind == "quote" {
            e.add_row(i, "invoice", "payment_needs_issued_invoice");
        } else if line.amount_cents <= 0 || line.amount_cents > outstanding {
            e.add_row(i, "invoice", "payment_exceeds_due");
        } else if line.booked_on < doc.doc_date {
            e.add_row(i, "invoice", "paid_before_invoice");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let reference = line
            .reference
            .clone()
            .unwrap_or_else(|| line.label.chars().take(140).collect());
        let (payment_id, entry_id) = crate::selling::docs::pay_in(
            &mut tx,
            actor.cooperative,
            SaleDocId::new(*doc_id),
            line.booked_on,
            line.amount_cents,
            PaymentMode::Transfer,
            Some(&reference),
            actor.user().id,
            now,
        )
        .await?;
        if !store::settle_bank_line(
            &mut tx,
            actor.cooperative,
            *line_id,
            "matched",
            entry_id,
            Some((*doc_id, payment_id)),
        )
        .await?
        {
            return Err(AppError::field("line", "bank_line_settled"));
        }
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.bank_confirm",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "matches": pairs.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(pairs.len())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct BookInput {
    pub account: String,
    pub analytic: String,
    pub label: String,
}

/// Books a queued line straight to an account (bank fees, a transfer with no document): a bank
/// entry of the line's amount against the account.
pub async fn book(
    app: &App,
    actor: &CoopActor,
    line_id: i64,
    input: &BookInput,
) -> Result<i64, AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let line = store::bank_line(&mut tx, actor.cooperative, line_id)
        .await?
        .ok_or(AppError::NotFound("bank line"))?;
    if line.state != "open" {
        return Err(AppError::field("line", "bank_line_settled"));
    }
    let mut e = FieldErrors::new();
    let account = e.check("account", AccountNumber::parse(&input.account));
    let known = match &account {
        Some(a) => store::account(&mut tx, actor.cooperative, a.as_str()).await?,
        None => None,
    };
    if account.is_some() && known.as_ref().is_none_or(|k| k.archived) {
        e.add("account", "account_unknown");
    }
    let analytic = match input.analytic.trim() {
        "" => None,
        a => Some(a.to_uppercase()),
    };
    if let Some(a) = &account
        && takes_analytic(a.as_str())
        && analytic.is_none()
    {
        e.add("analytic", "entry_analytic_required");
    }
    let (Some(account), true) = (account, e.is_empty()) else {
        return Err(e.into());
    };
    let label = match input.label.trim() {
        "" => line.label.chars().take(120).collect::<String>(),
        l => l.chars().take(120).collect(),
    };
    let reference = format!("REL-{line_id}");
    let draft = posting::bank_line_entry(
        line.booked_on,
        &reference,
        &label,
        line.amount_cents,
        account.as_str(),
        None::<&Aux>,
        analytic.as_deref(),
    );
    let entry = post_in(
        &mut tx,
        actor.cooperative,
        JournalRole::Bank,
        ("bank_line", Some(line_id)),
        draft,
        Some(actor.user().id),
        app.clock.now(),
    )
    .await?;
    if !store::settle_bank_line(&mut tx, actor.cooperative, line_id, "booked", entry, None).await? {
        return Err(AppError::field("line", "bank_line_settled"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.bank_book",
        ("bank_line", line_id.to_string()),
        json!({ "account": account.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsvMappingInput {
    pub separator: String,
    pub encoding: String,
    pub skip_rows: String,
    pub date_column: String,
    pub date_format: String,
    pub amount_column: String,
    pub debit_column: String,
    pub credit_column: String,
    pub label_column: String,
    pub reference_column: String,
    #[serde(deserialize_with = "essaim_domain::input::tick")]
    pub decimal_comma: bool,
}

pub async fn csv_mapping(
    app: &App,
    actor: &CoopActor,
) -> Result<Option<CsvMappingRecord>, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let m = store::csv_mapping(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(m)
}

/// Saves how the cooperative's bank writes its CSV statements.
pub async fn save_csv_mapping(
    app: &App,
    actor: &CoopActor,
    input: &CsvMappingInput,
) -> Result<(), AppError> {
    actor.require(Permission::BooksManage)?;
    let mut e = FieldErrors::new();
    let sep = match input.separator.trim() {
        ";" | "," | "tab" | "|" => input.separator.trim().to_owned(),
        _ => {
            e.add("separator", "csv_separator");
            String::new()
        }
    };
    if CsvEncoding::parse(input.encoding.trim()).is_none() {
        e.add("encoding", "csv_encoding");
    }
    if DateFormat::parse(input.date_format.trim()).is_none() {
        e.add("date_format", "csv_date_format");
    }
    let skip_rows = input.skip_rows.trim();
    let skip_rows = if skip_rows.is_empty() {
        Ok(0)
    } else {
        skip_rows.parse::<i64>()
    };
    let skip_rows = match skip_rows {
        Ok(n) if (0..=50).contains(&n) => n,
        _ => {
            e.add("skip_rows", "csv_skip_rows");
            0
        }
    };
    let need = |e: &mut FieldErrors, f: &'static str, v: &str| {
        if v.trim().is_empty() {
            e.add(f, "required");
        }
    };
    need(&mut e, "date_column", &input.date_column);
    need(&mut e, "label_column", &input.label_column);
    let single = !input.amount_column.trim().is_empty();
    if !single && (input.debit_column.trim().is_empty() || input.credit_column.trim().is_empty()) {
        e.add("amount_column", "csv_amount_columns");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let record = CsvMappingRecord {
        separator: sep,
        encoding: input.encoding.trim().to_owned(),
        skip_rows,
        date_column: input.date_column.trim().to_owned(),
        date_format: input.date_format.trim().to_owned(),
        amount_column: opt(&input.amount_column),
        debit_column: if single {
            None
        } else {
            opt(&input.debit_column)
        },
        credit_column: if single {
            None
        } else {
            opt(&input.credit_column)
        },
        label_column: input.label_column.trim().to_owned(),
        reference_column: opt(&input.reference_column),
        decimal_comma: input.decimal_comma,
    };
    let mut tx = app.store.begin().await?;
    store::save_csv_mapping(&mut tx, actor.cooperative, &record).await?;
    tx.commit().await?;
    Ok(())
}

/// CLI: imports a statement file for a cooperative (the operator runs the binary).
pub async fn import_for_cli(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportSummary, AppError> {
    let mut tx = app.store.begin().await?;
    let summary = import_in(&mut tx, coop, file_name, bytes, None, app.clock.now()).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Demo: the bank statement of the last days, waiting in the queue: transfers paying some of the
/// most recent open invoices (number and amount in the text), a partial payment, bank fees and a
/// transfer nobody can match yet.
pub(crate) async fn demo_statement(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
) -> Result<usize, AppError> {
    use essaim_exchange::bank::StatementLine;
    let today = app.clock.today();
    let mut tx = app.store.begin().await?;
    let mut open = store::open_invoices(&mut tx, coop).await?;
    open.sort_by(|a, b| {
        b.doc_date
            .cmp(&a.doc_date)
            .then(b.sale_doc_id.cmp(&a.sale_doc_id))
    });
    let line = |i: usize, cents: i64, label: String, party: Option<String>| StatementLine {
        source_line: 0,
        booked_on: today,
        value_on: Some(today),
        amount_cents: cents,
        label,
        counterparty: party,
        reference: None,
        bank_ref: Some(format!("DEMO-{today}-{i}")),
    };
    let mut lines = Vec::new();
    for (i, o) in open.iter().take(5).enumerate() {
        let cents = if i == 4 {
            o.outstanding_cents / 2
        } else {
            o.outstanding_cents
        };
        lines.push(line(
            i,
            cents,
            format!(
                "VIR SEPA {} FACT {}",
                o.customer_name.to_uppercase(),
                o.number
            ),
            Some(o.customer_name.to_uppercase()),
        ));
    }
    lines.push(line(10, -1_250, "FRAIS TENUE DE COMPTE".into(), None));
    lines.push(line(11, -490, "COTISATION CARTE BUSINESS".into(), None));
    lines.push(line(
        12,
        25_000,
        "VIR SEPA ASSOCIATION DES AMIS DU QUARTIER DON".into(),
        Some("ASSOCIATION DES AMIS DU QUARTIER".into()),
    ));
    let statement = essaim_exchange::bank::Statement {
        iban: Some("FR7630006000011234567890189".into()),
        currency: Some("EUR".into()),
        opening_cents: None,
        closing_cents: None,
        lines,
    };
    let xml = essaim_exchange::bank::write_camt053(&statement, &format!("DEMO-{today}"));
    let s = import_in(
        &mut tx,
        coop,
        &format!("releve-{today}.xml"),
        xml.as_bytes(),
        None,
        app.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(s.lines)
}
