//! Coaching through the pages (issue 9): an appointment planned, its invitation, its status and
//! next actions; the entrepreneur's view without the private notes; the calendar file and feed
//! read back by an independent iCalendar parser; the follow-up dashboard (LIF-41); the refusals.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

pub(crate) fn person_form<'a>(first: &'a str, last: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", first),
        ("last_name", last),
        ("email", ""),
        ("phone", ""),
        ("address", ""),
        ("postcode", "69003"),
        ("commune", "Lyon"),
        ("birth_date", "1988-04-12"),
        ("gender", "female"),
        ("situation", ""),
        ("prescriber", ""),
        ("education", ""),
        ("antenna", ""),
        ("naf", ""),
        ("referent", ""),
    ]
}

/// A person in CAPE since April, whose account is the test entrepreneur's: (file path, id).
pub(crate) async fn entrepreneur_in_cape(app: &TestApp, coach: &mut Client) -> (String, i64) {
    let a = &app.coop_a;
    let r = coach
        .post_form(&format!("/c/{a}/people"), &person_form("Emma", "Martin"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = r.location().to_owned();
    let id: i64 = file.rsplit('/').next().unwrap().parse().unwrap();
    for fields in [
        vec![("kind", "information_meeting"), ("on", "2026-03-01")],
        vec![("kind", "diagnostic_interview"), ("on", "2026-03-10")],
        vec![("kind", "admitted"), ("on", "2026-03-20")],
        vec![
            ("kind", "cape_signed"),
            ("on", "2026-04-01"),
            ("end", "2027-03-31"),
        ],
    ] {
        let r = coach.post_form(&format!("{file}/events"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{fields:?}: {}", r.body);
    }
    let r = coach
        .post_form(
            &format!("{file}/account"),
            &[("account_email", &email_for(RoleKind::Entrepreneur))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (file, id)
}

fn appointment_form(person: i64, time: &str) -> Vec<(String, String)> {
    vec![
        ("date".into(), "2027-06-20".into()),
        ("time".into(), time.into()),
        ("duration".into(), "60".into()),
        ("mode".into(), "in_person".into()),
        ("place".into(), "Salle 2, 12 rue Pasteur".into()),
        ("topics".into(), "pricing".into()),
        ("topics".into(), "customers".into()),
        ("people".into(), person.to_string()),
        ("private_notes".into(), "secret-note-xyz: fatiguée".into()),
        (
            "summary".into(),
            "Revoir la grille de prix, relancer deux clients.".into(),
        ),
        ("a0.label".into(), "Envoyer trois devis".into()),
        ("a0.due_on".into(), "2027-07-01".into()),
        ("a1.label".into(), String::new()),
        ("a1.due_on".into(), String::new()),
    ]
}

async fn post(c: &mut Client, path: &str, fields: &[(String, String)]) -> essaim_testkit::Reply {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form(path, &refs).await
}

/// Parses a calendar with the `ical` crate: its events' (property name, value) lists.
pub(crate) fn events(text: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = reader
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(reader.next().is_none());
    assert_eq!(cal.timezones.len(), 1, "its time zone is defined");
    cal.events
        .into_iter()
        .map(|e| {
            e.properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect()
        })
        .collect()
}

pub(crate) fn prop<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

#[tokio::test]
async fn lif_41_a_coach_plans_an_appointment_and_the_entrepreneur_sees_it_without_private_notes() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let (_, person) = entrepreneur_in_cape(&app, &mut coach).await;

    // Seven months later, with no interview, she is late on the dashboard.
    app.clock.advance(time::Duration::days(200));
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let d = coach.get(&format!("/c/{a}/coaching")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let late = d
        .body
        .split("id=\"h-late\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap()
        .to_owned();
    assert!(late.contains("Martin Emma"), "{late}");
    assert!(late.contains("Jamais"));
    assert!(d.body.contains("Sans référent"));

    // A form with mistakes comes back with each error beside its field.
    let mut bad = appointment_form(person, "25h00");
    bad.retain(|(k, _)| k != "people");
    bad.push(("a1.due_on".into(), "demain".into()));
    let r = post(&mut coach, &format!("/c/{a}/appointments"), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Une heure comme 14:30."), "{}", r.body);
    assert!(r.body.contains("Choisissez au moins une personne."));

    let r = post(
        &mut coach,
        &format!("/c/{a}/appointments"),
        &appointment_form(person, "14:30"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().split('?').next().unwrap().to_owned();
    assert!(!r.location().contains("overlap"));
    let shown = coach.get(&page).await.body;
    assert!(
        shown.contains("secret-note-xyz"),
        "the coach reads the private notes"
    );
    assert!(shown.contains("Prix, devis et facturation"));

    // The invitation leaves by e-mail with its calendar, to the entrepreneur's address.
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &a)
        .await;
    let (jobs, _) = essaim_app::jobs::list(&app.app, &admin, None)
        .await
        .unwrap();
    let invitation = jobs
        .iter()
        .find(|j| j.payload.contains("BEGIN:VCALENDAR"))
        .expect("an invitation e-mail");
    assert!(
        invitation
            .payload
            .contains(&email_for(RoleKind::Entrepreneur))
    );
    assert!(!invitation.payload.contains("secret-note-xyz"));

    // A second appointment at an overlapping time is saved and flagged.
    let r = post(
        &mut coach,
        &format!("/c/{a}/appointments"),
        &appointment_form(person, "15:00"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("overlap=1"), "{}", r.location());
    assert!(
        coach
            .get(r.location())
            .await
            .body
            .contains("chevauche 1 autre")
    );

    // Held: she is no longer late.
    app.clock.advance(time::Duration::days(5));
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let r = coach
        .post_form(&format!("{page}/status"), &[("status", "held")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = coach
        .post_form(&format!("{page}/status"), &[("status", "cancelled")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let d = coach.get(&format!("/c/{a}/coaching")).await.body;
    let late = d
        .split("id=\"h-late\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap()
        .to_owned();
    assert!(!late.contains("Martin Emma"), "{late}");

    // The entrepreneur: summary and next actions, never the private notes.
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mine = ent.get(&format!("/c/{a}/my-appointments")).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.body.contains("Revoir la grille de prix"),
        "{}",
        mine.body
    );
    assert!(mine.body.contains("Envoyer trois devis"));
    assert!(!mine.body.contains("secret-note-xyz"));
    let own = ent.get(&page).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("secret-note-xyz"));
    assert!(!own.body.contains("Notes privées"));
    let r = ent
        .post_form(
            &format!("{page}/actions/0"),
            &[("done", "1"), ("back", "mine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        ent.get(&format!("/c/{a}/my-appointments"))
            .await
            .body
            .contains("<s>Envoyer trois devis</s>")
    );
    // Nor can she edit it or change its status.
    assert_eq!(
        ent.get(&format!("{page}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ent.post_form(&format!("{page}/status"), &[("status", "planned")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Someone not met, without the coaching permission, finds nothing.
    let mut validation = app.signed_in(&email_for(RoleKind::Validation)).await;
    assert_eq!(validation.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        validation.get(&format!("{page}/ics")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        validation.get(&format!("/c/{a}/coaching")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(
        &mut validation,
        &format!("/c/{a}/appointments"),
        &appointment_form(person, "9:00"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor does another cooperative's administrator.
    let mut admin_b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    let r = admin_b.get(&page).await;
    assert!(
        matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        r.status
    );

    // The appointment's calendar file, read back by an independent parser.
    let ics = ent.get(&format!("{page}/ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    let evs = events(&ics.body);
    assert_eq!(evs.len(), 1);
    assert_eq!(prop(&evs[0], "DTSTART"), "20270620T143000");
    assert_eq!(prop(&evs[0], "DTEND"), "20270620T153000");
    assert_eq!(prop(&evs[0], "LOCATION"), "Salle 2\\, 12 rue Pasteur");
    assert!(!ics.body.contains("secret-note-xyz"));

    // The personal feed: its address shown once, replaced, the old one dead.
    let r = ent
        .post_form(&format!("/c/{a}/my-appointments/feed"), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r
        .body
        .split("/calendar/")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let mut anonymous = app.client();
    let feed = anonymous.get(&format!("/calendar/{token}")).await;
    assert_eq!(feed.status, StatusCode::OK);
    let evs = events(&feed.body);
    assert_eq!(evs.len(), 2, "both appointments she takes part in");
    assert!(!feed.body.contains("secret-note-xyz"));
    let r = ent
        .post_form(&format!("/c/{a}/my-appointments/feed"), &[])
        .await;
    let token2 = r
        .body
        .split("/calendar/")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(token, token2);
    assert_eq!(
        anonymous.get(&format!("/calendar/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.get(&format!("/calendar/{token2}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        anonymous.get("/calendar/nope").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Attachments of an appointment: the coach adds them, the person met downloads them, nobody
/// else reaches them; an entrepreneur adds none.
#[tokio::test]
async fn an_appointment_s_attachments_reach_its_coach_and_the_people_met_only() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let (_, person) = entrepreneur_in_cape(&app, &mut coach).await;
    let r = coach
        .post_form(&format!("/c/{a}/people"), &person_form("Paul", "Durand"))
        .await;
    let paul: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let mut form = appointment_form(person, "10:00");
    let r = post(&mut coach, &format!("/c/{a}/appointments"), &form).await;
    let page = r.location().split('?').next().unwrap().to_owned();
    form.retain(|(k, _)| k != "people");
    form.push(("people".into(), paul.to_string()));
    let r = post(&mut coach, &format!("/c/{a}/appointments"), &form).await;
    let pauls = r.location().split('?').next().unwrap().to_owned();

    let pdf = b"%PDF-1.4\n% business plan\n";
    let r = coach
        .post_multipart(
            &format!("{page}/documents"),
            &[
                ("kind", "other"),
                ("title", "Prévisionnel revu"),
                ("expires_on", ""),
            ],
            ("file", "previsionnel.pdf", pdf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), page);
    let shown = coach.get(&page).await.body;
    assert!(shown.contains("Prévisionnel revu"));
    let href = shown
        .split(&format!("/c/{a}/documents/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|id| format!("/c/{a}/documents/{id}"))
        .expect("a link to the attachment");
    // A file that is no PDF nor image is refused, named on the page.
    let r = coach
        .post_multipart(
            &format!("{page}/documents"),
            &[("kind", "other"), ("title", "Script"), ("expires_on", "")],
            ("file", "x.exe", b"MZ\x90\x00"),
        )
        .await;
    assert!(r.location().contains("document_error="), "{}", r.location());

    // Emma, met, downloads it; she adds nothing.
    let mut emma = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert!(emma.get(&page).await.body.contains("Prévisionnel revu"));
    let r = emma.get(&href).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("%PDF"));
    let r = emma
        .post_multipart(
            &format!("{page}/documents"),
            &[("kind", "other"), ("title", "Mine"), ("expires_on", "")],
            ("file", "m.pdf", pdf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Paul's appointment and its files are not hers.
    let r = coach
        .post_multipart(
            &format!("{pauls}/documents"),
            &[
                ("kind", "other"),
                ("title", "Pour Paul"),
                ("expires_on", ""),
            ],
            ("file", "paul.pdf", b"%PDF-1.4\n% paul\n"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let pauls_doc = coach
        .get(&pauls)
        .await
        .body
        .split(&format!("/c/{a}/documents/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|id| format!("/c/{a}/documents/{id}"))
        .unwrap();
    let r = emma.get(&pauls_doc).await;
    assert!(
        r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
        "{}",
        r.status
    );
    assert!(!r.body.contains("% paul"));
}
