//! iCalendar files (RFC 5545) for appointments and workshops (issue 9): one event as an e-mail
//! invitation, or a whole calendar as a person's subscribed feed. Times are wall-clock times in
//! Europe/Paris, written with that time zone and its definition (so every calendar places them
//! right, summer and winter).

use time::{OffsetDateTime, PrimitiveDateTime};

/// One event of a calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Unique and stable across updates (`appointment-12@essaim.<coop>`), so a calendar replaces
    /// the event rather than adding a second one.
    pub uid: String,
    /// Grows with each change (RFC 5545 SEQUENCE).
    pub sequence: i64,
    pub starts_at: PrimitiveDateTime,
    pub ends_at: PrimitiveDateTime,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub cancelled: bool,
    /// When the event was last written.
    pub stamp: OffsetDateTime,
    pub organizer: Option<(String, String)>,
    /// (name, e-mail) of the people invited.
    pub attendees: Vec<(String, String)>,
}

/// What a calendar is for: an invitation (`METHOD:REQUEST`, or `CANCEL`) or a feed (`PUBLISH`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Publish,
    Request,
    Cancel,
}

const TZID: &str = "Europe/Paris";

/// The time zone's definition: CET in winter, CEST from the last Sunday of March to the last
/// Sunday of October.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Writes a calendar of `events` named `name`.
pub fn write(name: &str, method: Method, events: &[Event], out: &mut Vec<u8>) {
    let mut s = String::with_capacity(512 + events.len() * 400);
    line(&mut s, "BEGIN:VCALENDAR");
    line(&mut s, "VERSION:2.0");
    line(&mut s, "PRODID:-//Essaim//Essaim//FR");
    line(&mut s, "CALSCALE:GREGORIAN");
    line(
        &mut s,
        match method {
            Method::Publish => "METHOD:PUBLISH",
            Method::Request => "METHOD:REQUEST",
            Method::Cancel => "METHOD:CANCEL",
        },
    );
    line(&mut s, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut s, &format!("X-WR-TIMEZONE:{TZID}"));
    s.push_str(VTIMEZONE);
    for e in events {
        line(&mut s, "BEGIN:VEVENT");
        line(&mut s, &format!("UID:{}", escape(&e.uid)));
        line(&mut s, &format!("SEQUENCE:{}", e.sequence.max(0)));
        line(&mut s, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(
            &mut s,
            &format!("DTSTART;TZID={TZID}:{}", local(e.starts_at)),
        );
        line(&mut s, &format!("DTEND;TZID={TZID}:{}", local(e.ends_at)));
        line(&mut s, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(&mut s, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(&mut s, &format!("LOCATION:{}", escape(&e.location)));
        }
        line(
            &mut s,
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        if let Some((name, email)) = &e.organizer {
            line(
                &mut s,
                &format!("ORGANIZER;CN={}:mailto:{}", param(name), email),
            );
        }
        for (name, email) in &e.attendees {
            line(
                &mut s,
                &format!(
                    "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:{}",
                    param(name),
                    email
                ),
            );
        }
        line(&mut s, "END:VEVENT");
    }
    line(&mut s, "END:VCALENDAR");
    out.extend_from_slice(s.as_bytes());
}

fn local(t: PrimitiveDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// TEXT values: backslash, semicolon, comma and new lines escaped (RFC 5545 3.3.11).
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, without the characters a quoted value cannot hold.
fn param(v: &str) -> String {
    let clean: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event() -> Event {
        Event {
            uid: "appointment-7@essaim.test".into(),
            sequence: 2,
            starts_at: datetime!(2026 - 12 - 10 14:30),
            ends_at: datetime!(2026 - 12 - 10 15:30),
            summary: "Rendez-vous d'accompagnement, prix; devis".into(),
            description: "Ligne 1\nLigne 2 — « suivi »".repeat(5),
            location: "Salle 2, 12 rue Pasteur".into(),
            cancelled: false,
            stamp: datetime!(2026 - 12 - 07 09:00 UTC),
            organizer: Some(("Claire Coach".into(), "coach@test".into())),
            attendees: vec![("Emma \"E\" Entrepreneure".into(), "emma@test".into())],
        }
    }

    #[test]
    fn an_event_is_written_with_its_zone_escaped_and_folded() {
        let mut out = Vec::new();
        write("Mes rendez-vous", Method::Request, &[event()], &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART;TZID=Europe/Paris:20261210T143000\r\n"));
        assert!(text.contains("DTSTAMP:20261207T090000Z\r\n"));
        assert!(text.contains("SUMMARY:Rendez-vous d'accompagnement\\, prix\\; devis\r\n"));
        assert!(text.contains("ATTENDEE;CN=\"Emma E Entrepreneure\""));
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        // Unfolded, the description comes back whole.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("Ligne 1\\nLigne 2 — « suivi »Ligne 1"));
    }
}
