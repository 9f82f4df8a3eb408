//! Coaching (issue 9): appointments between a coach and entrepreneurs, the follow-up each
//! entrepreneur is owed (LIF-41), and the calendar they appear in. Pure: parsing, statuses,
//! overlaps and the follow-up rule; storage, e-mails and the ICS file are elsewhere.

pub mod appointment;
pub mod competence;
pub mod follow_up;
pub mod report;
pub mod training;
pub mod workshop;

/// The topics a cooperative starts with (code, French label); each cooperative renames, adds or
/// turns them off.
pub const DEFAULT_TOPICS: [(&str, &str); 8] = [
    ("project", "Projet et stratégie"),
    ("pricing", "Prix, devis et facturation"),
    ("customers", "Prospection et clients"),
    ("treasury", "Gestion et trésorerie"),
    ("pay", "Rémunération"),
    ("legal", "Juridique et assurances"),
    ("digital", "Communication et numérique"),
    ("membership", "Sociétariat et gouvernance"),
];

/// A topic's code: lowercase ASCII letters, digits and `_`, 2 to 30 characters.
pub fn topic_code(input: &str) -> Result<String, &'static str> {
    let t = input.trim();
    if t.len() < 2
        || t.len() > 30
        || !t
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err("topic_code_format");
    }
    Ok(t.to_owned())
}

/// A day and a minute of that day (as sessions and appointments are stored) as a wall-clock
/// time; a minute outside the day is held to its first or last minute.
pub fn wall_clock(day: time::Date, minute: i64) -> time::PrimitiveDateTime {
    let m = minute.clamp(0, 24 * 60 - 1);
    let time = time::Time::from_hms(
        u8::try_from(m / 60).unwrap_or(0),
        u8::try_from(m % 60).unwrap_or(0),
        0,
    )
    .unwrap_or(time::Time::MIDNIGHT);
    time::PrimitiveDateTime::new(day, time)
}

/// The wall clock of a French cooperative (Europe/Paris) at an instant: UTC+1, and UTC+2 from
/// the last Sunday of March to the last Sunday of October at 01:00 UTC (EU summer time).
/// Sessions and appointments are stored in wall-clock time; this tells whether one has started.
pub fn paris_wall_clock(at: time::OffsetDateTime) -> time::PrimitiveDateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let last_sunday = |month: time::Month| {
        let mut d =
            time::Date::from_calendar_date(utc.year(), month, 31).unwrap_or(time::Date::MIN);
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().unwrap_or(d);
        }
        time::PrimitiveDateTime::new(
            d,
            time::Time::from_hms(1, 0, 0).unwrap_or(time::Time::MIDNIGHT),
        )
    };
    let naive = time::PrimitiveDateTime::new(utc.date(), utc.time());
    let summer =
        naive >= last_sunday(time::Month::March) && naive < last_sunday(time::Month::October);
    naive + time::Duration::hours(if summer { 2 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_wall_clock_follows_french_summer_time() {
        assert_eq!(
            paris_wall_clock(datetime!(2026-12-08 09:00 UTC)),
            datetime!(2026-12-08 10:00)
        );
        assert_eq!(
            paris_wall_clock(datetime!(2026-07-01 09:00 UTC)),
            datetime!(2026-07-01 11:00)
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            paris_wall_clock(datetime!(2026-03-29 00:59 UTC)),
            datetime!(2026-03-29 01:59)
        );
        assert_eq!(
            paris_wall_clock(datetime!(2026-03-29 01:00 UTC)),
            datetime!(2026-03-29 03:00)
        );
        assert_eq!(
            paris_wall_clock(datetime!(2026-10-25 00:59 UTC)),
            datetime!(2026-10-25 02:59)
        );
        assert_eq!(
            paris_wall_clock(datetime!(2026-10-25 01:00 UTC)),
            datetime!(2026-10-25 02:00)
        );
        assert_eq!(
            paris_wall_clock(datetime!(2026-12-31 23:30 UTC)),
            datetime!(2027-01-01 00:30)
        );
    }
}
