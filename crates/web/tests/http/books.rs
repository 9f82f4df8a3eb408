//! The books (issue 7): validated invoices, payments and credit notes post balanced entries
//! (ACC-01…03); closed periods refuse manual entries and move automatic ones; bank statements
//! import once, match open invoices and are refused whole when hostile; only the accounting roles
//! read the books (GDP-04). Each scenario runs on SQLite and, when configured, PostgreSQL.

use axum::http::StatusCode;
use essaim_app::books::{self, bank, views};
use essaim_app::selling::docs::{DocInput, PaymentInput};
use essaim_app::selling::{self, docs};
use essaim_app::{AppError, CoopActor};
use essaim_domain::access::RoleKind;
use essaim_domain::ids::SaleDocId;
use essaim_domain::selling::{DocKind, LineInput};
use essaim_testkit::{TestApp, backends, email_for};
use std::collections::BTreeMap;
use time::Duration;
use time::macros::date;

use crate::selling::activities;

fn item(label: &str, qty: &str, price: &str, vat: &str) -> LineInput {
    LineInput {
        label: label.into(),
        quantity: qty.into(),
        unit: "HUR".into(),
        unit_price: price.into(),
        vat: vat.into(),
        ..Default::default()
    }
}

/// 10 h at 80 € (20 %) and 2 h at 150 € (10 %): 1 100 HT, 190 VAT, 1 290 TTC, validated now.
async fn invoice(
    app: &TestApp,
    admin: &CoopActor,
    activity: essaim_domain::ids::ActivityId,
) -> (SaleDocId, String) {
    let customer = selling::create_customer(&app.app, admin, activity, &crate::selling::company())
        .await
        .unwrap();
    let input = DocInput {
        customer_id: customer.to_string(),
        lines: vec![
            item("Pose", "10", "80", "fr20"),
            item("Conseil", "2", "150", "fr10"),
        ],
        ..Default::default()
    };
    let id = docs::create(&app.app, admin, activity, DocKind::Invoice, &input)
        .await
        .unwrap();
    let number = docs::validate(&app.app, admin, id).await.unwrap();
    (id, number)
}

/// Account → (debit, credit) over the entries of a sale document and its payments.
async fn totals_of(app: &TestApp, actor: &CoopActor, doc: SaleDocId) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for e in views::of_sale_doc(&app.app, actor, doc.get())
        .await
        .unwrap()
    {
        for l in views::entry(&app.app, actor, e.entry_id)
            .await
            .unwrap()
            .lines
        {
            *out.entry(l.account).or_insert(0) += l.debit_cents - l.credit_cents;
        }
    }
    out
}

#[tokio::test]
async fn sales_and_payments_post_balanced_entries_and_closed_periods_hold() {
    for backend in backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        postings(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn postings(app: TestApp) {
    let (activity, _) = activities(&app).await;
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let accounting = app
        .coop_actor(&email_for(RoleKind::Accounting), &app.coop_a)
        .await;

    // An invoice validated on 20 October: D 411 | C 706 | C 44574x per rate (VAT on receipts).
    app.clock.advance(-Duration::days(40));
    let (id, number) = invoice(&app, &admin, activity).await;
    let entries = views::of_sale_doc(&app.app, &accounting, id.get())
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.journal.as_str(), e.entry_date, e.piece_ref.as_str()),
        ("VT", date!(2026 - 10 - 20), number.as_str())
    );
    assert_eq!(e.number.as_deref(), Some("VT2026-000001"));
    let lines = views::entry(&app.app, &accounting, e.entry_id)
        .await
        .unwrap()
        .lines;
    let got: Vec<(&str, i64, i64, Option<&str>)> = lines
        .iter()
        .map(|l| {
            (
                l.account.as_str(),
                l.debit_cents,
                l.credit_cents,
                l.analytic.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("411000", 129_000, 0, Some("BOIS")),
            ("706000", 0, 110_000, Some("BOIS")),
            ("445741", 0, 16_000, None),
            ("445742", 0, 3_000, None),
        ]
    );
    assert!(
        lines[0]
            .aux_code
            .as_deref()
            .is_some_and(|c| c.starts_with('C'))
    );
    assert_eq!(lines[0].aux_label.as_deref(), Some("Menuiserie Durand"));

    // October is closed on 29 November; a payment received on 25 October is booked on
    // 1 November, the first open day, and moves its VAT from pending to collected.
    app.clock.advance(Duration::days(40));
    assert_eq!(
        books::close_month(&app.app, &accounting, date!(2026 - 10 - 01))
            .await
            .unwrap(),
        date!(2026 - 10 - 31)
    );
    assert!(matches!(
        books::close_month(&app.app, &accounting, date!(2026 - 10 - 01)).await,
        Err(AppError::Invalid(_))
    ));
    let pay = PaymentInput {
        paid_on: "2026-10-25".into(),
        amount: "645,00".into(),
        mode: "transfer".into(),
        reference: "VIR 1".into(),
    };
    docs::record_payment(&app.app, &admin, id, &pay)
        .await
        .unwrap();
    let entries = views::of_sale_doc(&app.app, &accounting, id.get())
        .await
        .unwrap();
    let payment = entries.iter().find(|e| e.journal == "BQ").unwrap();
    assert_eq!(payment.entry_date, date!(2026 - 11 - 01));
    let t = totals_of(&app, &accounting, id).await;
    assert_eq!(t["411000"], 64_500);
    assert_eq!(t["512000"], 64_500);
    assert_eq!(t["445741"] + t["445711"], -16_000);
    assert_eq!(
        t["445711"], -8_000,
        "half the 20 % VAT is collected with half the payment"
    );

    // Manual entries: refused in the closed month, with their errors named; numbered once validated.
    let manual = |date: &str, debit: &str, credit: &str| books::ManualEntryInput {
        journal: "OD".into(),
        date: date.into(),
        piece_ref: "FRAIS-1".into(),
        label: "Frais bancaires".into(),
        lines: vec![
            books::ManualLineInput {
                account: "627000".into(),
                analytic: "STRUCTURE".into(),
                debit: debit.into(),
                ..Default::default()
            },
            books::ManualLineInput {
                account: "512000".into(),
                credit: credit.into(),
                ..Default::default()
            },
        ],
    };
    let err = |r: Result<i64, AppError>| match r {
        Err(AppError::Invalid(e)) => e.0.iter().map(|f| (f.path(), f.code)).collect::<Vec<_>>(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        err(books::create_manual(&app.app, &accounting, &manual("2026-10-15", "12", "12")).await),
        vec![("date".to_owned(), "period_closed")]
    );
    assert_eq!(
        err(
            books::create_manual(&app.app, &accounting, &manual("2026-11-10", "12", "12,01")).await
        ),
        vec![("lines".to_owned(), "entry_unbalanced")]
    );
    let mut no_analytic = manual("2026-11-10", "12", "12");
    no_analytic.lines[0].analytic.clear();
    assert_eq!(
        err(books::create_manual(&app.app, &accounting, &no_analytic).await),
        vec![("lines[0].analytic".to_owned(), "entry_analytic_required")]
    );
    let draft = books::create_manual(&app.app, &accounting, &manual("2026-11-10", "12", "12"))
        .await
        .unwrap();
    let tb_before = views::trial_balance(
        &app.app,
        &accounting,
        views::Span {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 12 - 31),
        },
    )
    .await
    .unwrap();
    assert!(
        !tb_before.rows.iter().any(|r| r.account == "627000"),
        "a draft is not in the books"
    );
    assert_eq!(
        books::validate_manual(&app.app, &accounting, draft)
            .await
            .unwrap(),
        "OD2026-000001"
    );
    assert!(
        books::delete_manual(&app.app, &accounting, draft)
            .await
            .is_err(),
        "a validated entry is locked"
    );
    assert!(
        books::create_manual(&app.app, &admin, &manual("2026-11-10", "1", "1"))
            .await
            .is_ok()
    );

    // A second invoice fully credited nets to zero on every account.
    let (second, _) = invoice(&app, &admin, activity).await;
    let credit = docs::create_credit_note(&app.app, &admin, second)
        .await
        .unwrap();
    docs::validate(&app.app, &admin, credit).await.unwrap();
    let mut net = totals_of(&app, &accounting, second).await;
    for (k, v) in totals_of(&app, &accounting, credit).await {
        *net.entry(k).or_insert(0) += v;
    }
    assert!(net.values().all(|v| *v == 0), "{net:?}");

    // The trial balance balances; the entrepreneur and other cooperatives see nothing.
    let tb = views::trial_balance(
        &app.app,
        &accounting,
        views::Span {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 12 - 31),
        },
    )
    .await
    .unwrap();
    assert_eq!(tb.debit_cents, tb.credit_cents);
    assert_eq!(
        tb.rows
            .iter()
            .find(|r| r.account == "627000")
            .map(|r| r.debit_cents),
        Some(1_200)
    );
    let entrepreneur = app
        .coop_actor(&email_for(RoleKind::Entrepreneur), &app.coop_a)
        .await;
    assert!(matches!(
        views::trial_balance(&app.app, &entrepreneur, tb_span()).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        books::close_month(&app.app, &entrepreneur, date!(2026 - 10 - 01)).await,
        Err(AppError::Forbidden)
    ));
    let mut ent = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let a = &app.coop_a;
    assert_eq!(
        ent.get(&format!("/api/v1/cooperatives/{a}/books/balance"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ent.get(&format!("/api/v1/cooperatives/{a}/books/fec?year=2026"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut other = app.api_client(essaim_testkit::ADMIN_B_EMAIL).await;
    assert_eq!(
        other
            .get(&format!("/api/v1/cooperatives/{a}/books/balance"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The API: balance and entries as JSON, the FEC as a file named after the SIREN.
    let mut acc = app.api_client(&email_for(RoleKind::Accounting)).await;
    let r = acc
        .get(&format!(
            "/api/v1/cooperatives/{a}/books/balance?from=2026-01-01&to=2026-12-31"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(j["debit"]["cents"], j["credit"]["cents"]);
    assert!(
        j["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["account"] == "411000")
    );
    let r = acc
        .get(&format!(
            "/api/v1/cooperatives/{a}/books/entries?journal=vt&from=2026-01-01&to=2026-12-31"
        ))
        .await;
    assert_eq!(r.json()["total"], 3, "{}", r.body);
    let r = acc
        .get(&format!("/api/v1/cooperatives/{a}/books/fec?year=2026"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .starts_with("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum"),
        "{}",
        &r.body[..80.min(r.body.len())]
    );
    assert!(r.body.contains("VT2026-000001\t20261020\t411000"));
    let r = acc
        .get(&format!(
            "/api/v1/cooperatives/{a}/books/entries?from=2026-13-01"
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "from");

    // A later fiscal year's months wait for this one's closing (its opening entry comes first).
    app.clock.advance(Duration::days(400));
    assert_eq!(
        err(
            books::close_month(&app.app, &accounting, date!(2027 - 01 - 01))
                .await
                .map(|_| 0)
        ),
        vec![("month".to_owned(), "previous_year_open")]
    );
    app.clock.advance(-Duration::days(400));

    // The fiscal year 2025 closes once its months are (October 2026 closed them); only once.
    books::close_year(&app.app, &accounting, date!(2025 - 12 - 31))
        .await
        .unwrap();
    assert!(matches!(
        books::close_year(&app.app, &accounting, date!(2025 - 12 - 31)).await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        books::close_year(&app.app, &accounting, date!(2026 - 12 - 31)).await,
        Err(AppError::Invalid(_))
    ));
}

fn tb_span() -> views::Span {
    views::Span {
        from: date!(2026 - 01 - 01),
        to: date!(2026 - 12 - 31),
    }
}

fn camt(entries: &[(&str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-29T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2026-11-29T08:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
"#,
    );
    for (i, (amount, side, text, name)) in entries.iter().enumerate() {
        s.push_str(&format!(
            "<Ntry><NtryRef>R{i}</NtryRef><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-29</Dt></BookgDt><ValDt><Dt>2026-11-29</Dt></ValDt>\
             <AcctSvcrRef>BANK-{i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
        ));
    }
    s.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    s
}

#[tokio::test]
async fn bank_statements_import_once_match_open_invoices_and_refuse_hostile_files() {
    for backend in backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        bank_scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn bank_scenario(app: TestApp) {
    let (activity, _) = activities(&app).await;
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let accounting = app
        .coop_actor(&email_for(RoleKind::Accounting), &app.coop_a)
        .await;
    let (id, number) = invoice(&app, &admin, activity).await;
    let (other, _) = invoice(&app, &admin, activity).await;
    let file = camt(&[
        (
            "1290.00",
            "CRDT",
            &format!("Facture {number}"),
            "MENUISERIE DURAND",
        ),
        ("12.50", "DBIT", "FRAIS TENUE DE COMPTE", "BANQUE"),
        ("5000.00", "CRDT", "VIREMENT INCONNU", "X"),
    ]);

    // Imported once: the same file again adds nothing.
    let s = bank::import(&app.app, &accounting, "releve.xml", file.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        (s.format, s.lines, s.new_lines, s.duplicates),
        ("camt053", 3, 3, 0)
    );
    let s = bank::import(&app.app, &accounting, "releve.xml", file.as_bytes())
        .await
        .unwrap();
    assert_eq!((s.new_lines, s.duplicates), (0, 3));
    let entrepreneur = app
        .coop_actor(&email_for(RoleKind::Entrepreneur), &app.coop_a)
        .await;
    assert!(matches!(
        bank::import(&app.app, &entrepreneur, "r.xml", file.as_bytes()).await,
        Err(AppError::Forbidden)
    ));

    // Through the page, a statement of several megabytes is read (not refused at a 2 MB default).
    let big: Vec<(String, &str, String, &str)> = (0..7_000)
        .map(|i| {
            (
                format!("{}.{:02}", 10 + i % 500, i % 100),
                "CRDT",
                format!("Virement client numero {i} reference longue"),
                "CLIENT",
            )
        })
        .collect();
    let big_refs: Vec<(&str, &str, &str, &str)> = big
        .iter()
        .map(|(a, s, t, n)| (a.as_str(), *s, t.as_str(), *n))
        .collect();
    let big_file = camt(&big_refs)
        .replace("<NtryRef>R", "<NtryRef>BIG")
        .replace("BANK-", "BIG-");
    assert!(big_file.len() > 2_500_000, "{}", big_file.len());
    let mut page = app.signed_in(&email_for(RoleKind::Accounting)).await;
    let r = page
        .post_file(
            &format!("/c/{}/books/bank/import", app.coop_a),
            "file",
            "gros-releve.xml",
            big_file.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, waiting) = bank::queue(&app.app, &accounting, 1, 0).await.unwrap();
    assert_eq!(waiting, 3 + 7_000);
    let r = page
        .post_file(
            &format!("/c/{}/books/bank/import", app.coop_a),
            "file",
            "t.xml",
            &big_file.as_bytes()[..big_file.len() / 3],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ligne "), "the page names the line");

    // Hostile or broken files are refused whole, with the line.
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n<Document>&lol2;</Document>";
    assert!(matches!(
        bank::import(&app.app, &accounting, "x.xml", laughs.as_bytes()).await,
        Err(AppError::BadFile {
            code: "bank_xml_doctype",
            ..
        })
    ));
    let truncated = &file[..file.len() / 2];
    match bank::import(&app.app, &accounting, "t.xml", truncated.as_bytes()).await {
        Err(AppError::BadFile { code, line }) => {
            assert_eq!(code, "bank_xml_malformed");
            assert!(line.is_some());
        }
        other => panic!("{other:?}"),
    }
    match bank::import(
        &app.app,
        &accounting,
        "r.csv",
        b"Date;Montant\n01/11/2026;12\n",
    )
    .await
    {
        Err(AppError::BadFile { code, .. }) => assert_eq!(code, "bank_csv_mapping_missing"),
        other => panic!("{other:?}"),
    }

    // A CSV statement is read with the saved column mapping; a file in another encoding than the
    // mapping says, or without a mapped column, is refused with its line, and nothing is kept.
    let mapping = bank::CsvMappingInput {
        separator: ";".into(),
        encoding: "utf-8".into(),
        skip_rows: "0".into(),
        date_column: "Date".into(),
        date_format: "DD/MM/YYYY".into(),
        debit_column: "Débit".into(),
        credit_column: "Crédit".into(),
        label_column: "Libellé".into(),
        decimal_comma: true,
        ..Default::default()
    };
    assert!(matches!(
        bank::save_csv_mapping(&app.app, &entrepreneur, &mapping).await,
        Err(AppError::Forbidden)
    ));
    let mut bad_mapping = mapping.clone();
    bad_mapping.date_format = "MM/DD".into();
    assert!(matches!(
        bank::save_csv_mapping(&app.app, &accounting, &bad_mapping).await,
        Err(AppError::Invalid(_))
    ));
    bank::save_csv_mapping(&app.app, &accounting, &mapping)
        .await
        .unwrap();
    let latin1: &[u8] = b"Date;Libell\xe9;D\xe9bit;Cr\xe9dit\n28/11/2026;Frais;3,50;\n";
    match bank::import(&app.app, &accounting, "releve.csv", latin1).await {
        Err(AppError::BadFile { code, line }) => {
            assert_eq!((code, line), ("bank_encoding", Some(1)))
        }
        other => panic!("{other:?}"),
    }
    let unknown = "Date;Libellé;Montant\n28/11/2026;Frais;-3,50\n";
    match bank::import(&app.app, &accounting, "releve.csv", unknown.as_bytes()).await {
        Err(AppError::BadFile { code, .. }) => assert_eq!(code, "bank_column_unknown"),
        other => panic!("{other:?}"),
    }
    let good = "Date;Libellé;Débit;Crédit\n28/11/2026;Frais de virement;3,50;\n";
    let s = bank::import(&app.app, &accounting, "releve.csv", good.as_bytes())
        .await
        .unwrap();
    assert_eq!((s.format, s.new_lines), ("csv", 1));

    // The queue proposes the invoice whose number and amount the transfer carries.
    let (queue, count) = bank::queue(&app.app, &accounting, 8_000, 0).await.unwrap();
    assert_eq!(count, 4 + 7_000);
    let transfer = queue
        .iter()
        .find(|q| q.line.amount_cents == 129_000)
        .unwrap();
    assert_eq!(transfer.proposals[0].sale_doc_id, id.get());
    assert_eq!(transfer.proposals[0].score, 100);
    let unknown = queue
        .iter()
        .find(|q| q.line.amount_cents == 500_000)
        .unwrap();
    let fees = queue
        .iter()
        .find(|q| q.line.amount_cents == -1_250)
        .unwrap();
    assert!(fees.proposals.is_empty());

    // A batch with one impossible match is refused whole: the good match stays open too.
    let r = bank::confirm(
        &app.app,
        &accounting,
        &[
            (transfer.line.bank_line_id, id.get()),
            (unknown.line.bank_line_id, other.get()),
        ],
    )
    .await;
    assert!(matches!(r, Err(AppError::Invalid(_))), "{r:?}");
    assert_eq!(
        bank::queue(&app.app, &accounting, 50, 0).await.unwrap().1,
        4 + 7_000
    );

    bank::confirm(
        &app.app,
        &accounting,
        &[(transfer.line.bank_line_id, id.get())],
    )
    .await
    .unwrap();
    let view = docs::view(&app.app, &admin, id).await.unwrap();
    assert_eq!(view.doc.paid_cents, view.doc.grand_total_cents);
    let t = totals_of(&app, &accounting, id).await;
    assert_eq!(
        (t["411000"], t["512000"], t["445741"], t["445711"]),
        (0, 129_000, 0, -16_000)
    );
    assert!(
        bank::confirm(
            &app.app,
            &accounting,
            &[(transfer.line.bank_line_id, other.get())]
        )
        .await
        .is_err(),
        "a line settles once"
    );
    // Settled: the customer lines of the invoice and of its payment are lettered together.
    let fec = essaim_app::books::exports::fec(&app.app, &accounting, 2026)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&fec.bytes).into_owned();
    let lettered: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| l.split('\t').nth(13).is_some_and(|c| !c.is_empty()))
        .collect();
    assert_eq!(lettered.len(), 2, "{text}");
    assert!(lettered.iter().all(|l| l.contains("\t411000\t")
        && l.split('\t').nth(13) == Some("A")
        && l.split('\t').nth(14) == Some("20261129")));

    // Bank fees are booked straight to an account; the unknown transfer waits.
    let bad = bank::book(
        &app.app,
        &accounting,
        fees.line.bank_line_id,
        &bank::BookInput {
            account: "627000".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        matches!(bad, Err(AppError::Invalid(_))),
        "charges need their analytic code (ACC-01)"
    );
    bank::book(
        &app.app,
        &accounting,
        fees.line.bank_line_id,
        &bank::BookInput {
            account: "627000".into(),
            analytic: "STRUCTURE".into(),
            label: String::new(),
        },
    )
    .await
    .unwrap();
    let (queue, count) = bank::queue(&app.app, &accounting, 8_000, 0).await.unwrap();
    assert_eq!(count, 2 + 7_000);
    assert!(queue.iter().any(|q| q.line.amount_cents == 500_000));
    let tb = views::trial_balance(&app.app, &accounting, tb_span())
        .await
        .unwrap();
    let bank_row = tb.rows.iter().find(|r| r.account == "512000").unwrap();
    assert_eq!(
        bank_row.debit_cents - bank_row.credit_cents,
        129_000 - 1_250
    );
}
