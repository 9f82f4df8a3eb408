//! The CESA contract (LIF-20) and its amendments (LIF-23).

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{TestApp, email_for};

fn terms<'a>(on: &'a str, summary: &'a str, fixed: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("effective_on", on),
        ("summary", summary),
        ("objectives", "2 000 € HT de chiffre d'affaires par mois"),
        ("support", "Un entretien par mois, la comptabilité, la paie"),
        ("contribution_rate", "11"),
        ("contribution_base", "collected"),
        ("fixed_monthly_gross", fixed),
        (
            "variable_method",
            "Solde annuel après contribution et charges",
        ),
        ("statutes_reference", "Statuts du 12 juin 2024"),
        (
            "guarantees",
            "La clientèle reste attachée à l'entrepreneur·e",
        ),
        (
            "associate_procedure",
            "Candidature au conseil, décision sous 3 mois",
        ),
    ]
}

#[tokio::test]
async fn lif_20_lif_23_the_contract_is_recorded_clause_by_clause_then_amended() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let file = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[("first_name", "Nora"), ("last_name", "Contrat")],
        )
        .await
        .location()
        .to_owned();
    let contract = format!("{file}/contract");
    // Before the CESA, no contract.
    let r = coach
        .post_form(&contract, &terms("2026-03-01", "Contrat signé", "1823,03"))
        .await;
    assert!(
        r.body
            .contains("Le contrat s&#39;enregistre une fois le CESA signé")
            || r.body
                .contains("Le contrat s'enregistre une fois le CESA signé")
    );
    for f in [
        vec![("kind", "information_meeting"), ("on", "2026-01-05")],
        vec![("kind", "admitted"), ("on", "2026-01-15")],
        vec![("kind", "cesa_signed"), ("on", "2026-03-01")],
    ] {
        assert_eq!(
            coach.post_form(&format!("{file}/events"), &f).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let mut bad = terms("2026-03-01", "", "mille");
    bad.retain(|(k, _)| *k != "guarantees");
    let r = coach.post_form(&contract, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Écrivez un montant"));
    assert!(r.body.contains("aria-describedby=\"e-guarantees\""));
    assert_eq!(
        coach
            .post_form(&contract, &terms("2026-03-01", "Contrat signé", "1823,03"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = coach.get(&contract).await;
    assert!(
        page.body
            .contains("11 % du chiffre d&#39;affaires HT encaissé")
            || page.body.contains("11 % du chiffre d'affaires HT encaissé")
    );
    assert!(page.body.contains("1\u{202f}823,03\u{a0}€"));
    // An amendment takes effect after the version in force, and is a step of the path.
    let r = coach
        .post_form(
            &contract,
            &terms("2026-02-01", "Avenant : part fixe", "2100"),
        )
        .await;
    assert!(
        r.body
            .contains("Un avenant prend effet après la version en vigueur.")
    );
    assert_eq!(
        coach
            .post_form(
                &contract,
                &terms("2026-09-01", "Avenant : part fixe", "2100")
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = coach.get(&contract).await;
    assert!(
        page.body.contains("2\u{202f}100,00\u{a0}€")
            && page.body.contains("Version 1 du 01/03/2026")
            && page.body.contains("Version 2 du 01/09/2026")
    );
    assert!(coach.get(&file).await.body.contains("Avenant au CESA"));
    // The person reads it; another entrepreneur does not; only managers record.
    coach
        .post_form(
            &format!("{file}/account"),
            &[("account_email", &email_for(RoleKind::Entrepreneur))],
        )
        .await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mine = me.get(&contract).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(!mine.body.contains("Enregistrer un avenant"));
    assert_eq!(
        me.post_form(&contract, &terms("2026-10-01", "x", "1"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    assert_eq!(member.get(&contract).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lif_20_the_contract_downloads_as_a_pdf_from_the_cooperatives_editable_template() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let file = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[("first_name", "Nora"), ("last_name", "Pdf")],
        )
        .await
        .location()
        .to_owned();
    for f in [
        vec![("kind", "information_meeting"), ("on", "2026-01-05")],
        vec![("kind", "admitted"), ("on", "2026-01-15")],
        vec![("kind", "cesa_signed"), ("on", "2026-03-01")],
    ] {
        coach.post_form(&format!("{file}/events"), &f).await;
    }
    let pdf = format!("{file}/contract.pdf");
    assert_eq!(
        coach.get(&pdf).await.status,
        StatusCode::NOT_FOUND,
        "no terms yet"
    );
    coach
        .post_form(
            &format!("{file}/contract"),
            &terms("2026-03-01", "Contrat signé", "1823,03"),
        )
        .await;
    let r = coach.get(&pdf).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get("content-type").unwrap(), "application/pdf");
    assert!(r.body.starts_with("%PDF-"));
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    assert_eq!(member.get(&pdf).await.status, StatusCode::FORBIDDEN);
    // The administration edits the template; a broken one is refused with Typst's message.
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let tpl = format!("/c/{}/templates/contract", app.coop_a);
    assert!(
        admin.get(&tpl).await.body.contains("modèle d&#39;Essaim")
            || admin.get(&tpl).await.body.contains("modèle d'Essaim")
    );
    let r = admin
        .post_form(
            &tpl,
            &[(
                "source",
                "#let d = json(\"/data.json\")\n#d.nothing_here.deeper",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce modèle ne produit pas de document"));
    let custom = "#let d = json(\"/data.json\")\n= Contrat de #d.person\n#for c in d.clauses [ *#c.title* : #c.text \\ ]";
    assert_eq!(
        admin.post_form(&tpl, &[("source", custom)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(admin.get(&tpl).await.body.contains("son propre modèle"));
    let r = coach.get(&pdf).await;
    assert!(r.body.starts_with("%PDF-"));
    assert_eq!(
        coach.post_form(&tpl, &[("source", custom)]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin.post_form(&format!("{tpl}/reset"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!admin.get(&tpl).await.body.contains("son propre modèle"));
}

#[tokio::test]
async fn gdp_02_a_person_downloads_their_data_as_a_readable_pdf() {
    let app = TestApp::spawn().await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let r = me.get("/account/export.pdf").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get("content-type").unwrap(), "application/pdf");
    assert!(r.body.starts_with("%PDF-"));
}
