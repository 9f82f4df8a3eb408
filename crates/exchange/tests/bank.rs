//! Bank-statement parsers against fixture files (tests/fixtures) and hostile inputs.

use essaim_exchange::bank::{
    AmountColumns, BankError, CsvEncoding, CsvMapping, DateFormat, Detected, Statement, code,
    detect, error_codes, parse_camt053, parse_csv, parse_ofx,
};
use time::macros::date;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
        .as_slice()
    };
}

fn err_of(result: Result<Statement, BankError>) -> BankError {
    match result {
        Ok(s) => panic!("expected an error, got {s:?}"),
        Err(e) => {
            assert!(
                error_codes().contains(&e.code),
                "{} is listed in error_codes()",
                e.code
            );
            e
        }
    }
}

// ---------------------------------------------------------------- camt.053

#[test]
fn camt_v02_statement() {
    let s = parse_camt053(fixture!("camt053_v02.xml")).unwrap();
    assert_eq!(s.iban.as_deref(), Some("FR7630006000011234567890189"));
    assert_eq!(s.currency.as_deref(), Some("EUR"));
    assert_eq!(s.opening_cents, Some(1_523_045));
    assert_eq!(s.closing_cents, Some(1_621_500));
    assert_eq!(s.lines.len(), 3);
    let total: i64 = s.lines.iter().map(|l| l.amount_cents).sum();
    assert_eq!(s.opening_cents.unwrap() + total, s.closing_cents.unwrap());

    let credit = &s.lines[0];
    assert_eq!(credit.source_line, 54);
    assert_eq!(credit.booked_on, date!(2026 - 03 - 10));
    assert_eq!(credit.value_on, Some(date!(2026 - 03 - 10)));
    assert_eq!(credit.amount_cents, 120_000);
    assert_eq!(credit.label, "Facture 2026-AB-0042 merci & à bientôt");
    assert_eq!(credit.counterparty.as_deref(), Some("ACME SAS"));
    assert_eq!(credit.reference.as_deref(), Some("ACME-PAY-0042"));
    assert_eq!(credit.bank_ref.as_deref(), Some("2026031000123456"));

    let debit = &s.lines[1];
    assert_eq!(debit.source_line, 103);
    assert_eq!(debit.amount_cents, -21_550);
    assert_eq!(debit.value_on, Some(date!(2026 - 03 - 14)));
    assert_eq!(debit.label, "PRLV SEPA EDF FACTURE MARS 2026");
    assert_eq!(
        debit.counterparty.as_deref(),
        Some("EDF"),
        "the creditor when money goes out"
    );
    assert_eq!(debit.reference, None, "NOTPROVIDED is no reference");

    let structured = &s.lines[2];
    assert_eq!(structured.source_line, 133);
    assert_eq!(structured.amount_cents, 5);
    assert_eq!(structured.value_on, None);
    assert_eq!(structured.reference.as_deref(), Some("RF18539007547034"));
    assert_eq!(
        structured.counterparty.as_deref(),
        Some("Coopérative Les Abeilles")
    );
    assert_eq!(
        structured.label, "RF18539007547034",
        "no Ustrd nor AddtlNtryInf: the structured reference"
    );
}

#[test]
fn camt_v08_with_prefixed_namespace() {
    let s = parse_camt053(fixture!("camt053_v08.xml")).unwrap();
    assert_eq!(s.iban.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(
        s.currency.as_deref(),
        Some("EUR"),
        "from the first Amt/@Ccy when Acct/Ccy is absent"
    );
    assert_eq!(s.opening_cents, Some(-10_000), "PRCD, debit");
    assert_eq!(s.closing_cents, Some(25_000));
    assert_eq!(s.lines.len(), 2);
    let sub = &s.lines[0];
    assert_eq!(sub.source_line, 10);
    assert_eq!(sub.booked_on, date!(2026 - 05 - 01), "from BookgDt/DtTm");
    assert_eq!(
        sub.counterparty.as_deref(),
        Some("Marie Dupont"),
        "Dbtr/Pty/Nm"
    );
    assert_eq!(sub.reference.as_deref(), Some("E2E-SUB-2026-07"));
    assert_eq!(sub.label, "Souscription parts sociales");
    let cheque = &s.lines[1];
    assert_eq!(cheque.amount_cents, -5_000);
    assert_eq!(cheque.counterparty.as_deref(), Some("Imprimerie Gutenberg"));
    assert_eq!(cheque.reference.as_deref(), Some("0001234"), "check number");
    assert_eq!(cheque.label, "CHEQUE 0001234", "AddtlNtryInf as fallback");
    assert_eq!(cheque.bank_ref, None);
}

#[test]
fn camt_billion_laughs_is_refused() {
    let e = err_of(parse_camt053(fixture!("billion_laughs.xml")));
    assert_eq!((e.code, e.line), (code::XML_DOCTYPE, Some(2)));
}

#[test]
fn camt_external_entity_is_refused() {
    let e = err_of(parse_camt053(fixture!("external_entity.xml")));
    assert_eq!((e.code, e.line), (code::XML_DOCTYPE, Some(2)));
}

#[test]
fn camt_undeclared_entity_is_an_error() {
    let xml = fixture_text("camt053_v02.xml").replace("merci &amp;", "merci &nbsp;");
    let e = err_of(parse_camt053(xml.as_bytes()));
    assert_eq!((e.code, e.line), (code::XML_ENTITY, Some(97)));
}

#[test]
fn camt_truncated_is_malformed_with_a_line() {
    let e = err_of(parse_camt053(fixture!("camt053_truncated.xml")));
    assert_eq!(e.code, code::XML_MALFORMED);
    assert_eq!(e.line, Some(93));
    // Cut in the middle of a tag.
    let cut = &fixture!("camt053_v02.xml")[..2390];
    let e = err_of(parse_camt053(cut));
    assert_eq!(e.code, code::XML_MALFORMED);
    assert!(e.line.is_some());
}

#[test]
fn camt_mismatched_tags_are_malformed() {
    let xml = fixture_text("camt053_v02.xml").replace(
        "</NtryRef>\n        <Amt Ccy=\"EUR\">215.50",
        "</NtryRf>\n        <Amt Ccy=\"EUR\">215.50",
    );
    let e = err_of(parse_camt053(xml.as_bytes()));
    assert_eq!((e.code, e.line), (code::XML_MALFORMED, Some(104)));
}

#[test]
fn camt_amount_and_date_errors_carry_the_line() {
    let xml = fixture_text("camt053_v02.xml").replace(">215.50<", ">215.505<");
    let e = err_of(parse_camt053(xml.as_bytes()));
    assert_eq!((e.code, e.line), (code::AMOUNT, Some(105)));
    let xml = fixture_text("camt053_v02.xml").replace(
        ">1200.00</Amt>\n        <CdtDbtInd>",
        ">12O0.00</Amt>\n        <CdtDbtInd>",
    );
    let e = err_of(parse_camt053(xml.as_bytes()));
    assert_eq!((e.code, e.line), (code::AMOUNT, Some(56)));
    let xml = fixture_text("camt053_v02.xml").replace("<Dt>2026-03-15</Dt>", "<Dt>15/03/2026</Dt>");
    let e = err_of(parse_camt053(xml.as_bytes()));
    assert_eq!((e.code, e.line), (code::DATE, Some(109)));
}

#[test]
fn camt_other_documents_are_not_camt053() {
    let e = err_of(parse_camt053(b"<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\">\n<BkToCstmrAcctRpt/></Document>"));
    assert_eq!((e.code, e.line), (code::NOT_CAMT053, Some(3)));
    let e = err_of(parse_camt053(b"<html><body/></html>"));
    assert_eq!(e.code, code::NOT_CAMT053);
    let e = err_of(parse_camt053(b""));
    assert_eq!(e.code, code::NOT_CAMT053);
    let e = err_of(parse_camt053(fixture!("bank_en_utf8.csv")));
    assert_eq!(e.code, code::NOT_CAMT053);
}

#[test]
fn camt_not_utf8_is_an_encoding_error() {
    let mut bytes = fixture!("camt053_v02.xml").to_vec();
    let at = bytes.windows(4).position(|w| w == b"EDF<").unwrap();
    bytes[at] = 0xC9;
    let e = err_of(parse_camt053(&bytes));
    assert_eq!((e.code, e.line), (code::ENCODING, Some(123)));
}

#[test]
fn camt_several_accounts_are_refused() {
    let xml = fixture_text("camt053_v02.xml");
    let start = xml.find("<Stmt>").unwrap();
    let end = xml.find("</Stmt>").unwrap() + "</Stmt>".len();
    let other = xml[start..end].replace("FR7630006000011234567890189", "DE89370400440532013000");
    let doubled = format!("{}{}{}", &xml[..end], other, &xml[end..]);
    let e = err_of(parse_camt053(doubled.as_bytes()));
    assert_eq!(e.code, code::MULTIPLE_ACCOUNTS);
    // Same account twice (two days): one statement, first opening, last closing.
    let again = xml[start..end].replace(
        "<Amt Ccy=\"EUR\">16215.00</Amt>",
        "<Amt Ccy=\"EUR\">17415.00</Amt>",
    );
    let two_days = format!("{}{}{}", &xml[..end], again, &xml[end..]);
    let s = parse_camt053(two_days.as_bytes()).unwrap();
    assert_eq!(
        (s.lines.len(), s.opening_cents, s.closing_cents),
        (6, Some(1_523_045), Some(1_741_500))
    );
}

/// A camt.053 with `n` entries, built in memory.
fn big_camt(n: usize) -> String {
    let mut xml = String::with_capacity(n * 700 + 1000);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n\
         <BkToCstmrStmt><GrpHdr><MsgId>BIG</MsgId></GrpHdr><Stmt><Id>BIG</Id>\n\
         <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\n",
    );
    for i in 0..n {
        let (ind, name) = if i % 3 == 0 {
            ("DBIT", "Cdtr")
        } else {
            ("CRDT", "Dbtr")
        };
        xml.push_str(&format!(
            "<Ntry><NtryRef>{i}</NtryRef><Amt Ccy=\"EUR\">{}.{:02}</Amt><CdtDbtInd>{ind}</CdtDbtInd>\
             <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-{:02}-{:02}</Dt></BookgDt><ValDt><Dt>2026-01-01</Dt></ValDt>\
             <AcctSvcrRef>REF{i:08}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>\
             <RltdPties><{name}><Pty><Nm>Partner {i}</Nm></Pty></{name}></RltdPties>\
             <RmtInf><Ustrd>Invoice {i} &amp; co</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n",
            i % 5000,
            i % 100,
            i % 12 + 1,
            i % 28 + 1,
        ));
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    xml
}

#[test]
fn camt_with_10000_entries() {
    let xml = big_camt(10_000);
    let started = std::time::Instant::now();
    let s = parse_camt053(xml.as_bytes()).unwrap();
    eprintln!(
        "parsed {} entries ({} KiB) in {:?}",
        s.lines.len(),
        xml.len() / 1024,
        started.elapsed()
    );
    assert_eq!(s.lines.len(), 10_000);
    assert_eq!(s.lines[9_999].source_line, 10_004);
    assert_eq!(s.lines[3].counterparty.as_deref(), Some("Partner 3"));
    assert_eq!(s.lines[3].label, "Invoice 3 & co");
}

// ---------------------------------------------------------------- OFX

#[test]
fn ofx_102_sgml_in_windows_1252() {
    let s = parse_ofx(fixture!("ofx102_sgml.ofx")).unwrap();
    assert_eq!(s.iban, None, "a French account number is not an IBAN");
    assert_eq!(s.currency.as_deref(), Some("EUR"));
    assert_eq!((s.opening_cents, s.closing_cents), (None, Some(250_710)));
    assert_eq!(s.lines.len(), 3);
    let card = &s.lines[0];
    assert_eq!(card.source_line, 40);
    assert_eq!(card.booked_on, date!(2026 - 03 - 05));
    assert_eq!(card.amount_cents, -4_290, "decimal comma");
    assert_eq!(card.label, "CARTE 04/03 SNCF PARIS GARE DE LYON café");
    assert_eq!(card.counterparty.as_deref(), Some("CB SNCF"));
    assert_eq!(card.bank_ref.as_deref(), Some("3000600001202603050001"));
    let cheque = &s.lines[1];
    assert_eq!(cheque.source_line, 49);
    assert_eq!(cheque.booked_on, date!(2026 - 03 - 12));
    assert_eq!(cheque.value_on, Some(date!(2026 - 03 - 13)));
    assert_eq!(cheque.reference.as_deref(), Some("8812345"));
    assert_eq!(cheque.label, "CHEQUE 8812345", "NAME when there is no MEMO");
    let transfer = &s.lines[2];
    assert_eq!(transfer.amount_cents, 120_000);
    assert_eq!(transfer.reference.as_deref(), Some("2026-AB-0042"));
    assert_eq!(
        transfer.counterparty.as_deref(),
        Some("VIR M&S SARL"),
        "a bare & is kept"
    );
    assert_eq!(transfer.label, "FACTURE 2026-AB-0042 & ACOMPTE");
}

#[test]
fn ofx_220_xml() {
    let s = parse_ofx(fixture!("ofx220.ofx")).unwrap();
    assert_eq!(s.iban.as_deref(), Some("FR7630006000011234567890189"));
    assert_eq!(s.closing_cents, Some(-12_055), "LEDGERBAL, not AVAILBAL");
    assert_eq!(s.lines.len(), 2);
    let orange = &s.lines[0];
    assert_eq!(orange.source_line, 25);
    assert_eq!(orange.amount_cents, -8_999);
    assert_eq!(
        orange.counterparty.as_deref(),
        Some("Orange SA"),
        "PAYEE/NAME"
    );
    assert_eq!(orange.label, "Prélèvement Orange — avril");
    let grant = &s.lines[1];
    assert_eq!(grant.booked_on, date!(2026 - 04 - 15));
    assert_eq!(grant.label, "Subvention Région <ESS>");
    assert_eq!(grant.bank_ref.as_deref(), Some("APR-0002"));
}

#[test]
fn ofx_hostile_and_broken_files() {
    let e = err_of(parse_ofx(b"<?xml version=\"1.0\"?>\n<!DOCTYPE OFX [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<OFX>&x;</OFX>"));
    assert_eq!((e.code, e.line), (code::XML_DOCTYPE, Some(2)));
    let e = err_of(parse_ofx(fixture!("billion_laughs.xml")));
    assert_eq!(e.code, code::XML_DOCTYPE);
    let e = err_of(parse_ofx(b"date;amount\n"));
    assert_eq!(e.code, code::NOT_OFX);
    let sgml = fixture!("ofx102_sgml.ofx");
    let cut = sgml
        .windows(13)
        .position(|w| w == b"<MEMO>FACTURE")
        .unwrap();
    let e = err_of(parse_ofx(&sgml[..cut]));
    assert_eq!(
        (e.code, e.line),
        (code::OFX_MALFORMED, Some(58)),
        "truncated inside the last STMTTRN"
    );
    let e = err_of(parse_ofx(&sgml[..sgml.len() - 30]));
    assert_eq!(e.code, code::OFX_MALFORMED, "truncated before </OFX>");
    let text = String::from_utf8_lossy(sgml).replace("<TRNAMT>-150.00", "<TRNAMT>-150.001");
    let e = err_of(parse_ofx(text.as_bytes()));
    assert_eq!((e.code, e.line), (code::AMOUNT, Some(49)));
    let text = String::from_utf8_lossy(sgml).replace("<DTPOSTED>20260320", "<DTPOSTED>2026-03-20");
    let e = err_of(parse_ofx(text.as_bytes()));
    assert_eq!((e.code, e.line), (code::DATE, Some(58)));
    let two = String::from_utf8_lossy(sgml).replacen(
        "<STMTRS>",
        "<STMTRS><BANKACCTFROM><ACCTID>999</BANKACCTFROM></STMTRS><STMTRS>",
        1,
    );
    let e = err_of(parse_ofx(two.as_bytes()));
    assert_eq!(e.code, code::MULTIPLE_ACCOUNTS);
    let utf8_declared = String::from_utf8_lossy(fixture!("ofx220.ofx"))
        .into_owned()
        .into_bytes();
    let mut bad = utf8_declared.clone();
    let at = bad.windows(6).position(|w| w == b"Orange").unwrap();
    bad[at] = 0xFF;
    let e = err_of(parse_ofx(&bad));
    assert_eq!((e.code, e.line), (code::ENCODING, Some(31)));
}

// ---------------------------------------------------------------- CSV

fn french_mapping() -> CsvMapping {
    CsvMapping {
        separator: b';',
        encoding: CsvEncoding::Windows1252,
        skip_rows: 3,
        date_column: "date".into(),
        date_format: DateFormat::DmySlash,
        amount: AmountColumns::DebitCredit {
            debit: "DEBIT".into(),
            credit: "Crédit".into(),
        },
        label_column: " Libelle ".into(),
        reference_column: None,
        decimal_comma: true,
    }
}

fn english_mapping() -> CsvMapping {
    CsvMapping {
        separator: b',',
        encoding: CsvEncoding::Utf8,
        skip_rows: 0,
        date_column: "Date".into(),
        date_format: DateFormat::Iso,
        amount: AmountColumns::Single("#2".into()),
        label_column: "description".into(),
        reference_column: Some("reference".into()),
        decimal_comma: false,
    }
}

#[test]
fn csv_french_bank_export() {
    let s = parse_csv(fixture!("bank_fr_cp1252.csv"), &french_mapping()).unwrap();
    let got: Vec<(usize, time::Date, i64, &str)> = s
        .lines
        .iter()
        .map(|l| (l.source_line, l.booked_on, l.amount_cents, l.label.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (5, date!(2026 - 03 - 02), -123_456, "PRLV SEPA URSSAF"),
            (
                6,
                date!(2026 - 03 - 05),
                120_000,
                "VIR SEPA RECU /DE ACME « facture 42 »"
            ),
            (7, date!(2026 - 03 - 10), -450, "CB CAFÉ DU COIN; PARIS"),
            (8, date!(2026 - 03 - 15), -800, "FRAIS TENUE DE COMPTE €"),
        ]
    );
    assert_eq!(
        (s.iban, s.opening_cents, s.closing_cents),
        (None, None, None)
    );
}

#[test]
fn csv_utf8_export_with_bom() {
    let s = parse_csv(fixture!("bank_en_utf8.csv"), &english_mapping()).unwrap();
    assert_eq!(s.lines.len(), 3);
    assert_eq!(s.lines[0].amount_cents, -1_230);
    assert_eq!(s.lines[0].label, "Coffee beans – Brazil");
    assert_eq!(s.lines[0].reference.as_deref(), Some("INV-77"));
    assert_eq!(s.lines[1].amount_cents, 125_000);
    assert_eq!(s.lines[1].label, "Client payment, ACME");
    assert_eq!(s.lines[1].reference, None);
    assert_eq!((s.lines[2].source_line, s.lines[2].amount_cents), (4, 5));
}

#[test]
fn csv_invalid_utf8_names_the_line() {
    let e = err_of(parse_csv(fixture!("invalid_utf8.csv"), &english_mapping()));
    assert_eq!((e.code, e.line), (code::ENCODING, Some(3)));
}

#[test]
fn csv_unknown_column() {
    let mut mapping = french_mapping();
    mapping.label_column = "Intitulé".into();
    let e = err_of(parse_csv(fixture!("bank_fr_cp1252.csv"), &mapping));
    assert_eq!(
        (e.code, e.line, e.detail.as_str()),
        (code::COLUMN_UNKNOWN, Some(4), "Intitulé")
    );
    let mut mapping = english_mapping();
    mapping.amount = AmountColumns::Single("#5".into());
    let e = err_of(parse_csv(fixture!("bank_en_utf8.csv"), &mapping));
    assert_eq!((e.code, e.detail.as_str()), (code::COLUMN_UNKNOWN, "#5"));
}

#[test]
fn csv_wrong_field_count() {
    let csv = "date,amount,description,reference\n2026-04-01,1.00,a,\n2026-04-02,2.00,b\n";
    let e = err_of(parse_csv(csv.as_bytes(), &english_mapping()));
    assert_eq!((e.code, e.line), (code::CSV_FIELDS, Some(3)));
    // With skipped preamble lines, the line is still the file's.
    let mut mapping = english_mapping();
    mapping.skip_rows = 2;
    let e = err_of(parse_csv(
        format!("Bank X\nexport\n{csv}").as_bytes(),
        &mapping,
    ));
    assert_eq!((e.code, e.line), (code::CSV_FIELDS, Some(5)));
}

#[test]
fn csv_empty_files() {
    let e = err_of(parse_csv(b"", &english_mapping()));
    assert_eq!((e.code, e.line), (code::EMPTY, Some(1)));
    let e = err_of(parse_csv(
        b"date,amount,description,reference\r\n\r\n\r\n",
        &english_mapping(),
    ));
    assert_eq!((e.code, e.line), (code::EMPTY, Some(1)));
    let e = err_of(parse_csv(b"\xEF\xBB\xBF\n\n", &english_mapping()));
    assert_eq!(e.code, code::EMPTY);
}

#[test]
fn csv_bad_cells() {
    let bad_date = "date,amount,description,reference\n2026-04-01,1.00,a,\n01/04/2026,2.00,b,\n";
    let e = err_of(parse_csv(bad_date.as_bytes(), &english_mapping()));
    assert_eq!((e.code, e.line), (code::DATE, Some(3)));
    let bad_amount = "date,amount,description,reference\n2026-04-01,1.005,a,\n";
    let e = err_of(parse_csv(bad_amount.as_bytes(), &english_mapping()));
    assert_eq!((e.code, e.line), (code::AMOUNT, Some(2)));
    let no_amount = "date,amount,description,reference\n2026-04-01,,a,\n";
    let e = err_of(parse_csv(no_amount.as_bytes(), &english_mapping()));
    assert_eq!((e.code, e.line), (code::AMOUNT, Some(2)));
    let mut mapping = english_mapping();
    mapping.separator = b'"';
    let e = err_of(parse_csv(bad_date.as_bytes(), &mapping));
    assert_eq!(e.code, code::MAPPING);
}

#[test]
fn csv_empty_label_falls_back() {
    let csv = "date,amount,description,reference\n2026-04-01,1.00,  ,\n";
    let s = parse_csv(csv.as_bytes(), &english_mapping()).unwrap();
    assert_eq!(s.lines[0].label, "—");
}

// ---------------------------------------------------------------- detection, codes

#[test]
fn detection() {
    assert_eq!(detect(fixture!("camt053_v02.xml")), Detected::Camt053);
    assert_eq!(detect(fixture!("camt053_v08.xml")), Detected::Camt053);
    assert_eq!(detect(fixture!("ofx102_sgml.ofx")), Detected::Ofx);
    assert_eq!(detect(fixture!("ofx220.ofx")), Detected::Ofx);
    assert_eq!(detect(fixture!("bank_fr_cp1252.csv")), Detected::Csv);
    assert_eq!(detect(fixture!("bank_en_utf8.csv")), Detected::Csv);
    assert_eq!(detect(b""), Detected::Csv);
}

#[test]
fn codes_and_mapping_codes_round_trip() {
    let codes = error_codes();
    let mut sorted = codes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "no duplicate code");
    assert!(codes.iter().all(|c| c.starts_with("bank_")));
    for e in [
        CsvEncoding::Utf8,
        CsvEncoding::Windows1252,
        CsvEncoding::Iso885915,
    ] {
        assert_eq!(CsvEncoding::parse(e.code()), Some(e));
    }
    for f in [
        DateFormat::DmySlash,
        DateFormat::Iso,
        DateFormat::DmyDash,
        DateFormat::DmyDot,
    ] {
        assert_eq!(DateFormat::parse(f.code()), Some(f));
    }
    assert_eq!(CsvEncoding::parse("UTF8"), Some(CsvEncoding::Utf8));
    assert_eq!(DateFormat::parse("MM/DD/YYYY"), None);
    let shown = BankError {
        line: Some(3),
        code: code::AMOUNT,
        detail: "x".into(),
    }
    .to_string();
    assert_eq!(shown, "bank_amount (line 3): x");
}

fn fixture_text(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
