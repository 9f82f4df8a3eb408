//! Notifications (LIF-31): every day a background job finds the deadlines that entered an alert
//! band and tells each person's referent, once per deadline and band, in the app and by e-mail.

use crate::people::{DeadlineKind, deadlines_of};
use crate::{Actor, App, AppError, jobs};
use essaim_domain::account::Locale;
use essaim_domain::ids::UserId;
use essaim_domain::path::DeadlineBand;
use essaim_storage::job as job_store;
use essaim_storage::notification::{self as store, NotificationRow};
use essaim_storage::{account, cooperative};

pub const KIND_DEADLINE_SCAN: &str = "deadline_scan";

fn what_text(locale: Locale, what: DeadlineKind) -> &'static str {
    match (locale, what) {
        (Locale::Fr, DeadlineKind::Associate) => "échéance pour devenir associé·e",
        (Locale::Fr, DeadlineKind::CapeEnd) => "fin du CAPE",
        (Locale::Fr, DeadlineKind::TrialEnd) => "fin de la période d'essai",
        (Locale::En, DeadlineKind::Associate) => "deadline to become a member",
        (Locale::En, DeadlineKind::CapeEnd) => "end of the CAPE",
        (Locale::En, DeadlineKind::TrialEnd) => "end of the trial period",
    }
}

fn band_text(locale: Locale, band: DeadlineBand) -> &'static str {
    match (locale, band) {
        (Locale::Fr, DeadlineBand::Overdue) => "dépassée",
        (Locale::Fr, DeadlineBand::WithinOneMonth) => "dans moins d'un mois",
        (Locale::Fr, DeadlineBand::WithinThreeMonths) => "dans moins de trois mois",
        (Locale::Fr, DeadlineBand::WithinSixMonths) => "dans moins de six mois",
        (Locale::En, DeadlineBand::Overdue) => "passed",
        (Locale::En, DeadlineBand::WithinOneMonth) => "within a month",
        (Locale::En, DeadlineBand::WithinThreeMonths) => "within three months",
        (Locale::En, DeadlineBand::WithinSixMonths) => "within six months",
    }
}

/// Enqueues today's daily jobs unless they already were (called by the worker loop): the
/// deadline scan and the workshops' reminders.
pub async fn schedule_daily(app: &App) -> Result<(), AppError> {
    for kind in [KIND_DEADLINE_SCAN, crate::workshops::KIND_REMINDERS] {
        schedule_today(app, kind).await?;
    }
    Ok(())
}

async fn schedule_today(app: &App, kind: &str) -> Result<(), AppError> {
    let payload = format!("{{\"day\":\"{}\"}}", app.clock.today());
    let mut tx = app.store.read().await?;
    let scheduled = job_store::exists(&mut tx, kind, &payload).await?;
    tx.commit().await?;
    if scheduled {
        return Ok(());
    }
    let mut tx = app.store.begin().await?;
    if !job_store::exists(&mut tx, kind, &payload).await? {
        let now = app.clock.now();
        job_store::enqueue(
            &mut tx,
            &job_store::NewJob {
                cooperative: None,
                kind,
                payload: &payload,
                max_attempts: 3,
                run_at: now,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Notifies referents of the deadlines in an alert band, in every cooperative. Returns how many
/// notifications were new.
pub async fn scan_deadlines(app: &App) -> Result<usize, AppError> {
    let today = app.clock.today();
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let coops = cooperative::all_ids(&mut tx).await?;
    let mut sent = 0;
    for coop in coops {
        let Some(c) = cooperative::find(&mut tx, coop).await? else {
            continue;
        };
        for d in deadlines_of(&mut tx, coop, today).await? {
            let Some(referent) = d.person.referent_user_id.map(UserId::new) else {
                continue;
            };
            let Some(user) = account::find(&mut tx, referent).await? else {
                continue;
            };
            let name = format!("{} {}", d.person.first_name, d.person.last_name);
            let on = format!(
                "{:02}/{:02}/{}",
                d.on.day(),
                u8::from(d.on.month()),
                d.on.year()
            );
            let message = match user.locale {
                Locale::Fr => format!(
                    "{name} : {} le {on} ({}).",
                    what_text(Locale::Fr, d.what),
                    band_text(Locale::Fr, d.band)
                ),
                Locale::En => format!(
                    "{name}: {} on {on} ({}).",
                    what_text(Locale::En, d.what),
                    band_text(Locale::En, d.band)
                ),
            };
            let link = format!("/c/{}/people/{}", c.slug, d.person.person_id);
            let key = format!(
                "deadline:{}:{}:{}:{}",
                d.person.person_id,
                d.what.code(),
                d.on,
                d.band.code()
            );
            if store::insert_once(&mut tx, coop, referent, &key, &message, &link, now).await? {
                let url = format!("{}{link}", app.config.base_url.trim_end_matches('/'));
                let content = match user.locale {
                    Locale::Fr => crate::mail::MailContent {
                        subject: format!("Essaim : échéance pour {name}"),
                        body: format!(
                            "Bonjour {},\n\n{message}\n\nDossier : {url}\n",
                            user.display_name
                        ),
                    },
                    Locale::En => crate::mail::MailContent {
                        subject: format!("Essaim: deadline for {name}"),
                        body: format!("Hello {},\n\n{message}\n\nFile: {url}\n", user.display_name),
                    },
                };
                jobs::enqueue_email(&mut tx, app, Some(coop), user.email.as_str(), &content)
                    .await?;
                sent += 1;
            }
        }
        // People's documents expired or expiring within six months.
        let until = essaim_domain::path::add_months(today, 6);
        for e in essaim_storage::document::expiring(&mut tx, coop, until).await? {
            let (Some(referent), Some(on), Some(person_id)) = (
                e.referent_user_id.map(UserId::new),
                e.doc.expires_on,
                e.doc.person_id,
            ) else {
                continue;
            };
            let Some(user) = account::find(&mut tx, referent).await? else {
                continue;
            };
            let band = DeadlineBand::of(on, today).unwrap_or(DeadlineBand::WithinSixMonths);
            let date = format!("{:02}/{:02}/{}", on.day(), u8::from(on.month()), on.year());
            let message = match user.locale {
                Locale::Fr => format!(
                    "{} : le document « {} » expire le {date} ({}).",
                    e.person_name,
                    e.doc.title,
                    band_text(Locale::Fr, band)
                ),
                Locale::En => format!(
                    "{}: the document \"{}\" expires on {date} ({}).",
                    e.person_name,
                    e.doc.title,
                    band_text(Locale::En, band)
                ),
            };
            let link = format!("/c/{}/people/{person_id}", c.slug);
            let key = format!("document:{}:{}", e.doc.document_id, band.code());
            if store::insert_once(&mut tx, coop, referent, &key, &message, &link, now).await? {
                let url = format!("{}{link}", app.config.base_url.trim_end_matches('/'));
                let subject = match user.locale {
                    Locale::Fr => format!("Essaim : document à renouveler ({})", e.person_name),
                    Locale::En => format!("Essaim: document to renew ({})", e.person_name),
                };
                jobs::enqueue_email(
                    &mut tx,
                    app,
                    Some(coop),
                    user.email.as_str(),
                    &crate::mail::MailContent {
                        subject,
                        body: format!("{message}\n\n{url}\n"),
                    },
                )
                .await?;
                sent += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

pub async fn mine(app: &App, actor: &Actor) -> Result<Vec<NotificationRow>, AppError> {
    let mut tx = app.store.read().await?;
    let rows = store::list_for(&mut tx, actor.user.id, 200).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn unread(app: &App, actor: &Actor) -> Result<i64, AppError> {
    let mut tx = app.store.read().await?;
    let n = store::unread_count(&mut tx, actor.user.id).await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn mark_read(app: &App, actor: &Actor) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    store::mark_all_read(&mut tx, actor.user.id, app.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Tells these people something, in the app and by e-mail, once per person and `key`, each in
/// their own language: `about` is the notification's key and link, `words` gives the message and
/// the e-mail's subject.
pub(crate) async fn tell(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    people: &[essaim_domain::ids::UserId],
    about: (&str, &str),
    at: time::OffsetDateTime,
    words: impl Fn(essaim_domain::account::Locale) -> (String, String),
) -> Result<(), AppError> {
    let (key, link) = about;
    for user in people {
        let Some(account) = account::find(tx, *user).await? else {
            continue;
        };
        let (message, subject) = words(account.locale);
        if store::insert_once(tx, coop, *user, key, &message, link, at).await? {
            let url = format!("{}{link}", app.config.base_url.trim_end_matches('/'));
            jobs::enqueue_email(
                tx,
                app,
                Some(coop),
                account.email.as_str(),
                &crate::mail::MailContent {
                    subject: format!("Essaim : {subject}"),
                    body: format!("{message}\n\n{url}\n"),
                },
            )
            .await?;
        }
    }
    Ok(())
}
