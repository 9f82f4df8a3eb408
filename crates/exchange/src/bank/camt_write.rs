//! Writing a statement as ISO 20022 camt.053.001.02: what a bank sends, for the demo data, the
//! benchmarks and the tests (the parser reads it back).

use super::Statement;
use std::fmt::Write;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn amount(cents: i64) -> String {
    let c = cents.unsigned_abs();
    format!("{}.{:02}", c / 100, c % 100)
}

/// The statement as a camt.053.001.02 document; `id` names the message and the statement.
pub fn write_camt053(st: &Statement, id: &str) -> String {
    let mut s = String::with_capacity(600 + st.lines.len() * 600);
    let ccy = st.currency.as_deref().unwrap_or("EUR");
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\
         <BkToCstmrStmt><GrpHdr><MsgId>{id}</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>\n\
         <Stmt><Id>{id}</Id><CreDtTm>2026-01-01T00:00:00</CreDtTm><Acct><Id><IBAN>{}</IBAN></Id><Ccy>{ccy}</Ccy></Acct>\n",
        escape(st.iban.as_deref().unwrap_or(""))
    );
    for l in &st.lines {
        let (side, party) = if l.amount_cents >= 0 {
            ("CRDT", "Dbtr")
        } else {
            ("DBIT", "Cdtr")
        };
        let _ = write!(
            s,
            "<Ntry><Amt Ccy=\"{ccy}\">{}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{}</Dt></BookgDt>",
            amount(l.amount_cents),
            l.booked_on
        );
        if let Some(v) = l.value_on {
            let _ = write!(s, "<ValDt><Dt>{v}</Dt></ValDt>");
        }
        if let Some(r) = &l.bank_ref {
            let _ = write!(s, "<AcctSvcrRef>{}</AcctSvcrRef>", escape(r));
        }
        s.push_str("<NtryDtls><TxDtls>");
        if let Some(r) = &l.reference {
            let _ = write!(s, "<Refs><EndToEndId>{}</EndToEndId></Refs>", escape(r));
        }
        if let Some(p) = &l.counterparty {
            let _ = write!(
                s,
                "<RltdPties><{party}><Nm>{}</Nm></{party}></RltdPties>",
                escape(p)
            );
        }
        let _ = writeln!(
            s,
            "<RmtInf><Ustrd>{}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
            escape(&l.label)
        );
    }
    s.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{StatementLine, parse_camt053};
    use time::macros::date;

    #[test]
    fn a_written_statement_reads_back_the_same() {
        let st = Statement {
            iban: Some("FR7630006000011234567890189".into()),
            currency: Some("EUR".into()),
            opening_cents: None,
            closing_cents: None,
            lines: vec![
                StatementLine {
                    source_line: 0,
                    booked_on: date!(2026 - 11 - 02),
                    value_on: Some(date!(2026 - 11 - 03)),
                    amount_cents: 129_000,
                    label: "Facture F2026-00042 <& co>".into(),
                    counterparty: Some("Menuiserie Durand".into()),
                    reference: Some("E2E-1".into()),
                    bank_ref: Some("BANK-1".into()),
                },
                StatementLine {
                    source_line: 0,
                    booked_on: date!(2026 - 11 - 05),
                    value_on: None,
                    amount_cents: -1_250,
                    label: "Frais".into(),
                    counterparty: None,
                    reference: None,
                    bank_ref: Some("BANK-2".into()),
                },
            ],
        };
        let back = parse_camt053(write_camt053(&st, "M1").as_bytes()).unwrap();
        assert_eq!(back.iban, st.iban);
        assert_eq!(back.lines.len(), 2);
        assert_eq!(back.lines[0].amount_cents, 129_000);
        assert_eq!(back.lines[0].label, "Facture F2026-00042 <& co>");
        assert_eq!(
            back.lines[0].counterparty.as_deref(),
            Some("Menuiserie Durand")
        );
        assert_eq!(back.lines[1].amount_cents, -1_250);
        assert_eq!(back.lines[1].bank_ref.as_deref(), Some("BANK-2"));
    }
}
