//! camt.053 parser throughput: builds a 10,000-entry statement in memory and times the parse.
//!
//! `cargo run --release -p essaim-exchange --example camt_speed`

use essaim_exchange::parse_camt053;
use std::fmt::Write as _;
use std::time::Instant;

const ENTRIES: usize = 10_000;

fn statement() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n\
         <BkToCstmrStmt><GrpHdr><MsgId>SPEED</MsgId></GrpHdr><Stmt><Id>SPEED</Id>\n\
         <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\n",
    );
    for i in 0..ENTRIES {
        let (ind, party) = if i % 3 == 0 {
            ("DBIT", "Cdtr")
        } else {
            ("CRDT", "Dbtr")
        };
        let _ = write!(
            xml,
            "<Ntry>\n  <NtryRef>{i}</NtryRef>\n  <Amt Ccy=\"EUR\">{}.{:02}</Amt>\n  <CdtDbtInd>{ind}</CdtDbtInd>\n  <Sts>BOOK</Sts>\n\
             <BookgDt><Dt>2026-{:02}-{:02}</Dt></BookgDt>\n  <ValDt><Dt>2026-{:02}-{:02}</Dt></ValDt>\n\
             <AcctSvcrRef>REF{i:010}</AcctSvcrRef>\n  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n\
             <NtryDtls><TxDtls>\n    <Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>\n    <AmtDtls><TxAmt><Amt Ccy=\"EUR\">1.00</Amt></TxAmt></AmtDtls>\n\
             <RltdPties><{party}><Nm>Partenaire coopératif n°{i}</Nm><PstlAdr><Ctry>FR</Ctry></PstlAdr></{party}></RltdPties>\n\
             <RmtInf><Ustrd>Facture 2026-AB-{i:05} &amp; acompte</Ustrd></RmtInf>\n  </TxDtls></NtryDtls>\n\
             <AddtlNtryInf>VIR SEPA</AddtlNtryInf>\n</Ntry>\n",
            i % 10_000,
            i % 100,
            i % 12 + 1,
            i % 28 + 1,
            i % 12 + 1,
            i % 28 + 1,
        );
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    xml
}

fn main() {
    let xml = statement();
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..5 {
        let started = Instant::now();
        match parse_camt053(xml.as_bytes()) {
            Ok(statement) => count = statement.lines.len(),
            Err(e) => {
                eprintln!("parse failed: {e}");
                std::process::exit(1);
            }
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "parse_camt053: {count} entries, {:.1} MB, best of 5: {:.1} ms",
        xml.len() as f64 / 1e6,
        best * 1e3
    );
}
