//! Outgoing e-mail: through SMTP when configured (`ESSAIM_SMTP_URL`), otherwise written to the
//! server log so a first install still works. Messages are built here, sent by the job runner.

use essaim_domain::account::Locale;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// A message ready to send, as stored in a job's payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// An iCalendar invitation sent with the message (issue 9), as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// A file sent with a message.
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Subject and body without the recipient.
pub struct MailContent {
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
pub enum Mailer {
    /// No SMTP server configured: messages go to the server log (`tracing`, target `essaim::mail`).
    Log { from: String },
    Smtp {
        from: String,
        transport: AsyncSmtpTransport<Tokio1Executor>,
    },
}

impl Mailer {
    /// `smtp_url`: `smtp://user:pass@host:587?tls=required`, `smtps://…:465`, or `smtp://127.0.0.1:2525` (no TLS).
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        match smtp_url {
            None | Some("") => Ok(Mailer::Log {
                from: from.to_owned(),
            }),
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| e.to_string())?
                    .build();
                Ok(Mailer::Smtp {
                    from: from.to_owned(),
                    transport,
                })
            }
        }
    }

    /// Whether messages really leave the server (the pages say so when they don't).
    pub fn delivers(&self) -> bool {
        matches!(self, Mailer::Smtp { .. })
    }

    /// Sends a message with one attached file (a quote's or an invoice's PDF).
    pub async fn send_with_attachment(
        &self,
        mail: &OutgoingMail,
        file: &Attachment,
    ) -> Result<(), String> {
        use lettre::message::{Attachment as Part, MultiPart, SinglePart};
        match self {
            Mailer::Log { from } => {
                tracing::info!(target: "essaim::mail", from = %from, to = %mail.to, subject = %mail.subject, attachment = %file.filename, bytes = file.bytes.len(), "no SMTP configured, e-mail written here instead:\n{}", mail.body);
                Ok(())
            }
            Mailer::Smtp { from, transport } => {
                let from: Mailbox = from.parse().map_err(|e| format!("from address: {e}"))?;
                let to: Mailbox = mail.to.parse().map_err(|e| format!("to address: {e}"))?;
                let content_type =
                    ContentType::parse(&file.content_type).map_err(|e| e.to_string())?;
                let message = Message::builder()
                    .from(from)
                    .to(to)
                    .subject(&mail.subject)
                    .multipart(
                        MultiPart::mixed()
                            .singlepart(SinglePart::plain(mail.body.clone()))
                            .singlepart(
                                Part::new(file.filename.clone())
                                    .body(file.bytes.clone(), content_type),
                            ),
                    )
                    .map_err(|e| e.to_string())?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), String> {
        match self {
            Mailer::Log { from } => {
                tracing::info!(target: "essaim::mail", from = %from, to = %mail.to, subject = %mail.subject, "no SMTP configured, e-mail written here instead:\n{}", mail.body);
                Ok(())
            }
            Mailer::Smtp { from, transport } => {
                let from: Mailbox = from.parse().map_err(|e| format!("from address: {e}"))?;
                let to: Mailbox = mail.to.parse().map_err(|e| format!("to address: {e}"))?;
                let message = Message::builder()
                    .from(from)
                    .to(to)
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|e| e.to_string())?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

fn minutes(d: std::time::Duration) -> u64 {
    d.as_secs() / 60
}

/// The password-reset message, in the person's language.
pub fn reset_message(
    locale: Locale,
    name: &str,
    link: &str,
    ttl: std::time::Duration,
) -> MailContent {
    match locale {
        Locale::Fr => MailContent {
            subject: "Essaim : réinitialiser votre mot de passe".into(),
            body: format!(
                "Bonjour {name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les {} minutes :\n\n{link}\n\nLe lien ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n",
                minutes(ttl)
            ),
        },
        Locale::En => MailContent {
            subject: "Essaim: reset your password".into(),
            body: format!(
                "Hello {name},\n\nTo choose a new password, open this link within {} minutes:\n\n{link}\n\nThe link works once. If you did not ask for it, ignore this message: your password stays the same.\n",
                minutes(ttl)
            ),
        },
    }
}

/// The invitation sent to a person added to a cooperative who has no password yet.
pub fn invitation_message(
    locale: Locale,
    name: &str,
    cooperative: &str,
    link: &str,
) -> MailContent {
    match locale {
        Locale::Fr => MailContent {
            subject: format!("Essaim : votre accès à {cooperative}"),
            body: format!(
                "Bonjour {name},\n\n{cooperative} vous a ouvert un accès à Essaim. Choisissez votre mot de passe avec ce lien (valable 7 jours, une seule fois) :\n\n{link}\n"
            ),
        },
        Locale::En => MailContent {
            subject: format!("Essaim: your access to {cooperative}"),
            body: format!(
                "Hello {name},\n\n{cooperative} opened an Essaim account for you. Choose your password with this link (valid 7 days, once):\n\n{link}\n"
            ),
        },
    }
}
