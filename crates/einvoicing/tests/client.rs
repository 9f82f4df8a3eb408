//! The client against the conformance platform (issue 20): signing in, depositing once even when
//! an answer is lost, the standard's errors read as what they mean, searches page by page, and
//! the directory's answer on whether a company can receive e-invoices (EIN-41).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the test loudly

use essaim_einvoicing::conformance::{Fault, Sandbox, Setup, Target};
use essaim_einvoicing::wire::{
    AckStatus, DirectoryLine, FlowDirection, FlowInfo, FlowSyntax, FlowType, LegalUnit,
    ProcessingRule, SearchFilters,
};
use essaim_einvoicing::{Client, PaError, Reachability};
use sha2::{Digest, Sha256};
use std::time::Duration;

fn invoice(tracking: &str, bytes: &[u8]) -> FlowInfo {
    FlowInfo {
        tracking_id: Some(tracking.into()),
        name: format!("{tracking}.pdf"),
        processing_rule: Some(ProcessingRule::B2b),
        flow_syntax: FlowSyntax::FacturX,
        flow_profile: None,
        sha256: Some(hex::encode(Sha256::digest(bytes))),
    }
}

async fn started(setup: Setup) -> (Sandbox, Client) {
    let pa = Sandbox::start(setup).await.unwrap();
    let client = Client::new(pa.connection()).unwrap();
    (pa, client)
}

#[tokio::test]
async fn a_deposit_is_signed_in_accepted_and_kept_as_sent() {
    let (pa, client) = started(Setup::default()).await;
    client.healthcheck().await.unwrap();
    let file = b"%PDF-1.7 facture".to_vec();
    let full = client
        .deposit(&invoice("essaim-1-42", &file), &file, "application/pdf")
        .await
        .unwrap();
    assert_eq!(full.info.tracking_id.as_deref(), Some("essaim-1-42"));
    let flow = client.flow(&full.flow_id).await.unwrap();
    assert_eq!(flow.flow_direction, Some(FlowDirection::Out));
    assert_eq!(flow.flow_type, Some(FlowType::CustomerInvoice));
    assert_eq!(flow.acknowledgement.map(|a| a.status), Some(AckStatus::Ok));
    assert_eq!(client.download(&full.flow_id).await.unwrap(), file);
    let held = pa.deposits();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].file, file);
    // One token for all of it.
    let tokens = pa
        .log()
        .iter()
        .filter(|(_, path, _)| path == "/oauth2/token")
        .count();
    assert_eq!(tokens, 1);
}

#[tokio::test]
async fn wrong_credentials_are_said_plainly() {
    let pa = Sandbox::start(Setup::default()).await.unwrap();
    let mut connection = pa.connection();
    connection.client_secret = "wrong".into();
    let client = Client::new(connection).unwrap();
    assert_eq!(client.healthcheck().await, Err(PaError::Unauthorized));
    assert!(!format!("{:?}", pa.connection()).contains("conformance-secret"));
}

#[tokio::test]
async fn an_expired_token_is_asked_again_once() {
    let (pa, client) = started(Setup::default()).await;
    client.healthcheck().await.unwrap();
    pa.expire_tokens();
    client.healthcheck().await.unwrap();
    let log = pa.log();
    let tokens = log.iter().filter(|(_, p, _)| p == "/oauth2/token").count();
    assert_eq!(tokens, 2, "{log:?}");
}

#[tokio::test]
async fn the_standards_errors_are_read_as_what_they_mean() {
    let (pa, client) = started(Setup {
        max_file: 64,
        ..Setup::default()
    })
    .await;
    let file = b"%PDF-1.7 facture".to_vec();
    let info = invoice("essaim-1-1", &file);
    pa.inject(Target::Deposit, Fault::RateLimit(7));
    let e = client
        .deposit(&info, &file, "application/pdf")
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert!(e.retryable());
    pa.inject(Target::Deposit, Fault::Status(503));
    let e = client
        .deposit(&info, &file, "application/pdf")
        .await
        .unwrap_err();
    assert_eq!(e, PaError::Unavailable { status: 503 });
    assert!(e.retryable());
    pa.inject(Target::Deposit, Fault::Status(422));
    let e = client
        .deposit(&info, &file, "application/pdf")
        .await
        .unwrap_err();
    assert!(matches!(e, PaError::Refused { status: 422, .. }), "{e:?}");
    assert!(!e.retryable());
    // Too large: refused by the platform itself, with its code.
    let big = vec![b'x'; 100];
    let e = client
        .deposit(&invoice("essaim-1-2", &big), &big, "application/pdf")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PaError::Refused { status: 413, code, .. } if code == "FILE_SIZE_EXCEEDED"),
        "{e:?}"
    );
    // Nothing was kept of the refused attempts.
    assert!(pa.deposits().is_empty());
    // A platform slower than the client's patience is a timeout.
    let mut slow = pa.connection();
    slow.timeout = Duration::from_millis(300);
    let impatient = Client::new(slow).unwrap();
    impatient.healthcheck().await.unwrap();
    pa.inject(Target::Read, Fault::Delay(Duration::from_secs(2)));
    assert_eq!(impatient.flow("flow-000001").await, Err(PaError::Timeout));
    assert_eq!(client.flow("flow-999999").await, Err(PaError::NotFound));
}

#[tokio::test]
async fn a_deposit_whose_answer_was_lost_is_not_deposited_twice() {
    let (pa, client) = started(Setup::default()).await;
    let file = b"%PDF-1.7 facture".to_vec();
    let info = invoice("essaim-1-7", &file);
    // The platform keeps the flow but the answer never comes back.
    pa.inject(Target::Deposit, Fault::LoseAnswer);
    assert!(
        client
            .deposit_once(&info, &file, "application/pdf")
            .await
            .is_err()
    );
    // Tried again with the same tracking id: the flow already there is found, not deposited again.
    let flow = client
        .deposit_once(&info, &file, "application/pdf")
        .await
        .unwrap();
    assert_eq!(flow.tracking_id.as_deref(), Some("essaim-1-7"));
    assert_eq!(pa.deposits().len(), 1);
    // A plain deposit of the same tracking id is refused as a duplicate (409).
    assert_eq!(
        client.deposit(&info, &file, "application/pdf").await,
        Err(PaError::Duplicate)
    );
    // A first attempt deposits without searching; should the platform hold the tracking id all
    // the same, its flow is returned, not a second one.
    let searches = |pa: &Sandbox| {
        pa.log()
            .iter()
            .filter(|(_, p, _)| p.ends_with("/search"))
            .count()
    };
    let before = searches(&pa);
    let other = invoice("essaim-1-8", &file);
    let first = client
        .deposit_first(&other, &file, "application/pdf")
        .await
        .unwrap();
    assert_eq!(searches(&pa), before, "no search on a first attempt");
    let again = client
        .deposit_first(&info, &file, "application/pdf")
        .await
        .unwrap();
    assert_eq!(again.flow_id, flow.flow_id);
    assert_ne!(first.flow_id, flow.flow_id);
    assert_eq!(pa.deposits().len(), 2);
}

#[tokio::test]
async fn a_wrong_checksum_or_an_invalid_file_is_acknowledged_in_error() {
    let (_pa, client) = started(Setup {
        checker: Some(std::sync::Arc::new(|_: &FlowInfo, bytes: &[u8]| {
            if bytes.starts_with(b"%PDF") {
                Ok(())
            } else {
                Err("not a PDF/A-3".to_owned())
            }
        })),
        ..Setup::default()
    })
    .await;
    let file = b"%PDF-1.7 facture".to_vec();
    let mut info = invoice("essaim-1-3", &file);
    info.sha256 = Some("0".repeat(64));
    let full = client
        .deposit(&info, &file, "application/pdf")
        .await
        .unwrap();
    let ack = client
        .flow(&full.flow_id)
        .await
        .unwrap()
        .acknowledgement
        .unwrap();
    assert_eq!(ack.status, AckStatus::Error);
    assert_eq!(ack.details[0].reason_code, "ChecksumMismatch");
    let text = b"bonjour".to_vec();
    let full = client
        .deposit(&invoice("essaim-1-4", &text), &text, "application/pdf")
        .await
        .unwrap();
    let ack = client
        .flow(&full.flow_id)
        .await
        .unwrap()
        .acknowledgement
        .unwrap();
    assert_eq!(ack.status, AckStatus::Error);
    assert_eq!(ack.details[0].reason_message, "not a PDF/A-3");
}

#[tokio::test]
async fn incoming_flows_are_read_page_after_page_each_once() {
    let (pa, client) = started(Setup::default()).await;
    for i in 0..230 {
        pa.arrive(
            &format!("facture-{i}.xml"),
            FlowSyntax::Cii,
            FlowType::SupplierInvoice,
            format!("<invoice n=\"{i}\"/>").into_bytes(),
        );
    }
    let file = b"%PDF".to_vec();
    client
        .deposit(&invoice("essaim-1-9", &file), &file, "application/pdf")
        .await
        .unwrap();
    let incoming = client
        .search_all(&SearchFilters {
            flow_direction: vec![FlowDirection::In],
            ..SearchFilters::default()
        })
        .await
        .unwrap();
    assert_eq!(incoming.len(), 230);
    let mut ids: Vec<&str> = incoming.iter().map(|f| f.flow_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 230);
    let searches = pa
        .log()
        .iter()
        .filter(|(_, p, _)| p.ends_with("/search"))
        .count();
    assert!(searches <= 3, "three pages of 100 at most: {searches}");
    let first = client.download(&incoming[0].flow_id).await.unwrap();
    assert_eq!(first, b"<invoice n=\"0\"/>");
    // Only what is new since a date.
    let since = incoming[199].updated_at.clone();
    let newer = client
        .search_all(&SearchFilters {
            flow_direction: vec![FlowDirection::In],
            updated_after: Some(since),
            ..SearchFilters::default()
        })
        .await
        .unwrap();
    assert_eq!(newer.len(), 30);
}

#[tokio::test]
async fn ein_41_the_directory_says_whether_and_where_a_company_receives() {
    let (pa, client) = started(Setup::default()).await;
    let unit = |siren: &str, status: &str, kind: &str| LegalUnit {
        siren: siren.into(),
        business_name: Some("Client".into()),
        entity_type: Some(kind.into()),
        administrative_status: Some(status.into()),
    };
    let line = |address: &str, siren: &str, siret: Option<&str>, status: &str| DirectoryLine {
        addressing_identifier: address.into(),
        siren: Some(siren.into()),
        siret: siret.map(Into::into),
        routing_identifier: None,
        addressing_suffix: None,
        directory_line_status: Some(status.into()),
        platform_type: Some("WK".into()),
        platform: None,
    };
    pa.add_legal_unit(unit("732829320", "A", "PrivateVatRegistered"));
    pa.add_directory_line(line("732829320", "732829320", None, "Enabled"));
    pa.add_directory_line(line(
        "732829320_73282932000074",
        "732829320",
        Some("73282932000074"),
        "Enabled",
    ));
    pa.add_legal_unit(unit("552100554", "A", "PrivateVatRegistered"));
    pa.add_directory_line(line("552100554", "552100554", None, "Disabled"));
    pa.add_legal_unit(unit("443061841", "C", "PrivateVatRegistered"));
    assert_eq!(
        client
            .reachability("732829320", Some("73282932000074"))
            .await
            .unwrap(),
        Reachability::Reachable {
            address: "732829320_73282932000074".into(),
            public: false
        },
        "the establishment's own line is the more precise"
    );
    assert_eq!(
        client.reachability("732829320", None).await.unwrap(),
        Reachability::Reachable {
            address: "732829320".into(),
            public: false
        }
    );
    assert_eq!(
        client.reachability("552100554", None).await.unwrap(),
        Reachability::NotReachable
    );
    assert_eq!(
        client.reachability("443061841", None).await.unwrap(),
        Reachability::Closed
    );
    assert_eq!(
        client.reachability("356000000", None).await.unwrap(),
        Reachability::Unknown
    );
    pa.inject(Target::Directory, Fault::Status(500));
    assert!(
        client
            .reachability("732829320", None)
            .await
            .unwrap_err()
            .retryable()
    );
}
