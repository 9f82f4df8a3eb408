//! Documents: accepted types, stored by hash and checked on read, served as attachments, read
//! only by those who may read the person's file or the activity.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

async fn multipart(
    c: &mut Client,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> essaim_testkit::Reply {
    let token = c.form_token().await;
    let boundary = "docboundary";
    let mut body = Vec::new();
    let mut all: Vec<(&str, &str)> = vec![("_csrf", &token)];
    all.extend_from_slice(fields);
    for (k, v) in all {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", file.0).as_bytes());
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = axum::http::Request::post(path).header(
        "content-type",
        format!("multipart/form-data; boundary={boundary}"),
    );
    let mut cookies = vec![];
    if let Some(s) = &c.session {
        cookies.push(format!("essaim_session={s}"));
    }
    req = req.header("cookie", cookies.join("; "));
    c.send(req.body(axum::body::Body::from(body)).unwrap())
        .await
}

#[tokio::test]
async fn documents_are_kept_by_hash_checked_and_read_only_by_those_allowed() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let file = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[("first_name", "Emma"), ("last_name", "Doc")],
        )
        .await
        .location()
        .to_owned();
    coach
        .post_form(
            &format!("{file}/account"),
            &[("account_email", &email_for(RoleKind::Entrepreneur))],
        )
        .await;
    let other = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[("first_name", "Autre"), ("last_name", "Doc")],
        )
        .await
        .location()
        .to_owned();
    let upload = format!("{file}/documents");
    let r = multipart(
        &mut coach,
        &upload,
        &[
            ("kind", "insurance"),
            ("title", "RC Pro"),
            ("expires_on", "2027-01-15"),
        ],
        ("virus.exe", b"MZ\x90\0"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = coach.get(r.location()).await;
    assert!(
        page.body
            .contains("Ce fichier n&#39;est ni un PDF ni une photo")
            || page
                .body
                .contains("Ce fichier n'est ni un PDF ni une photo")
    );
    let pdf = b"%PDF-1.4\n% Essaim test\n";
    let r = multipart(
        &mut coach,
        &upload,
        &[
            ("kind", "insurance"),
            ("title", "RC Pro"),
            ("expires_on", "2027-01-15"),
        ],
        ("../../rc pro;.pdf", pdf),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = coach.get(&file).await;
    assert!(page.body.contains("RC Pro") && page.body.contains("expire le 15/01/2027"));
    let start = page
        .body
        .find(&format!("/c/{}/documents/", app.coop_a))
        .unwrap();
    let href = page.body[start..].split('"').next().unwrap().to_owned();
    let d = coach.get(&href).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.headers.get("content-type").unwrap(), "application/pdf");
    assert_eq!(
        d.headers.get("content-disposition").unwrap(),
        "attachment; filename=\"rc pro.pdf\""
    );
    assert_eq!(d.body.as_bytes(), pdf);
    // The person reads their own document; another entrepreneur's file stays closed.
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(me.get(&href).await.status, StatusCode::OK);
    assert_eq!(
        multipart(
            &mut me,
            &upload,
            &[("kind", "other"), ("title", "x")],
            ("x.pdf", pdf)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let other_doc = multipart(
        &mut coach,
        &format!("{other}/documents"),
        &[("kind", "identity"), ("title", "Carte d'identité")],
        ("id.jpg", &[0xff, 0xd8, 0xff, 0xe0, 1, 2]),
    )
    .await;
    assert_eq!(other_doc.status, StatusCode::SEE_OTHER);
    let other_page = coach.get(&other).await;
    let s = other_page
        .body
        .find(&format!("/c/{}/documents/", app.coop_a))
        .unwrap();
    let other_href = other_page.body[s..].split('"').next().unwrap().to_owned();
    assert_eq!(me.get(&other_href).await.status, StatusCode::FORBIDDEN);
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    assert_eq!(
        b.get(&href.replace(&app.coop_a, &app.coop_b)).await.status,
        StatusCode::NOT_FOUND
    );
    // The expiring insurance shows on the deadlines page.
    let deadlines = coach.get(&format!("/c/{}/deadlines", app.coop_a)).await;
    assert!(deadlines.body.contains("Doc Emma — RC Pro") && deadlines.body.contains("15/01/2027"));
    // A file altered on disk is refused rather than served.
    let sha = essaim_app::secret::sha256_hex(pdf);
    let stored = app.app.config.files_dir.join(&sha[..2]).join(&sha);
    std::fs::write(&stored, b"%PDF-1.4 altered").unwrap();
    assert_eq!(
        coach.get(&href).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}
