//! A person's path through the cooperative (LIF-01): a list of dated events, from the information
//! meeting to associé or exit. The status is a fold of the events (GEN-04); each new event is
//! checked against the current state and the legal limits of CAPE (LIF-10), trial period (LIF-21)
//! and associé deadline (LIF-30), read from the dated parameter table (GEN-01).
//! Knows nothing of storage or pages.

use crate::params::{self, MissingParam, Param};
use time::{Date, Duration, Month};

/// One CAPE period: from `start` to `end`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// Days covered, both ends included.
    pub fn days(self) -> i64 {
        (self.end - self.start).whole_days() + 1
    }
}

/// What can happen on a person's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathEvent {
    InformationMeeting {
        on: Date,
    },
    DiagnosticInterview {
        on: Date,
    },
    Admitted {
        on: Date,
    },
    NotAdmitted {
        on: Date,
        reason: String,
    },
    CapeSigned {
        period: Period,
    },
    CapeRenewed {
        period: Period,
    },
    /// The CAPE ends (at its term or earlier) without a CESA following at once.
    CapeEnded {
        on: Date,
    },
    /// Hiring declaration (DPAE) before the CESA.
    HiringDeclared {
        on: Date,
    },
    CesaSigned {
        start: Date,
        trial_end: Option<Date>,
    },
    /// An amendment (avenant) to the CESA (LIF-23).
    CesaAmended {
        on: Date,
        summary: String,
    },
    AssociateAdmitted {
        on: Date,
    },
    SuspensionStarted {
        on: Date,
        reason: String,
    },
    SuspensionEnded {
        on: Date,
    },
    Exited {
        on: Date,
        exit_type: String,
        reason: String,
        destination: String,
    },
}

impl PathEvent {
    /// The date the event happened (its first day for periods).
    pub fn date(&self) -> Date {
        match self {
            PathEvent::InformationMeeting { on }
            | PathEvent::DiagnosticInterview { on }
            | PathEvent::Admitted { on }
            | PathEvent::NotAdmitted { on, .. }
            | PathEvent::CapeEnded { on }
            | PathEvent::HiringDeclared { on }
            | PathEvent::CesaAmended { on, .. }
            | PathEvent::AssociateAdmitted { on }
            | PathEvent::SuspensionStarted { on, .. }
            | PathEvent::SuspensionEnded { on }
            | PathEvent::Exited { on, .. } => *on,
            PathEvent::CapeSigned { period } | PathEvent::CapeRenewed { period } => period.start,
            PathEvent::CesaSigned { start, .. } => *start,
        }
    }

    /// Stable code stored with the event: `cape_signed`…
    pub fn kind(&self) -> &'static str {
        match self {
            PathEvent::InformationMeeting { .. } => "information_meeting",
            PathEvent::DiagnosticInterview { .. } => "diagnostic_interview",
            PathEvent::Admitted { .. } => "admitted",
            PathEvent::NotAdmitted { .. } => "not_admitted",
            PathEvent::CapeSigned { .. } => "cape_signed",
            PathEvent::CapeRenewed { .. } => "cape_renewed",
            PathEvent::CapeEnded { .. } => "cape_ended",
            PathEvent::HiringDeclared { .. } => "hiring_declared",
            PathEvent::CesaSigned { .. } => "cesa_signed",
            PathEvent::CesaAmended { .. } => "cesa_amended",
            PathEvent::AssociateAdmitted { .. } => "associate_admitted",
            PathEvent::SuspensionStarted { .. } => "suspension_started",
            PathEvent::SuspensionEnded { .. } => "suspension_ended",
            PathEvent::Exited { .. } => "exited",
        }
    }

    pub const KINDS: [&'static str; 14] = [
        "information_meeting",
        "diagnostic_interview",
        "admitted",
        "not_admitted",
        "cape_signed",
        "cape_renewed",
        "cape_ended",
        "hiring_declared",
        "cesa_signed",
        "cesa_amended",
        "associate_admitted",
        "suspension_started",
        "suspension_ended",
        "exited",
    ];
}

/// Where a person stands (LIF-01 states).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Prospect,
    Candidate,
    Admitted,
    NotAdmitted,
    InCape,
    Cesa,
    Associate,
    Exited,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Prospect,
        Status::Candidate,
        Status::Admitted,
        Status::NotAdmitted,
        Status::InCape,
        Status::Cesa,
        Status::Associate,
        Status::Exited,
    ];

    /// Whether the person is being supported by the cooperative as an entrepreneur (CAPE, CESA,
    /// or associé): the people LIF-41's interviews are owed to.
    pub fn is_supported(self) -> bool {
        matches!(self, Status::InCape | Status::Cesa | Status::Associate)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Prospect => "prospect",
            Status::Candidate => "candidate",
            Status::Admitted => "admitted",
            Status::NotAdmitted => "not_admitted",
            Status::InCape => "cape",
            Status::Cesa => "cesa",
            Status::Associate => "associate",
            Status::Exited => "exited",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why an event cannot be added; each code has a sentence in the UI catalogs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Events are recorded in order: nothing before the last one.
    BeforeLastEvent,
    /// The event does not fit the current status (e.g. a CESA for a prospect).
    NotNow { status: Status },
    /// An end date before its start.
    EndBeforeStart,
    /// LIF-10: a CAPE period longer than the legal maximum.
    CapeTooLong { max_months: u32 },
    /// LIF-10: more renewals than allowed.
    TooManyRenewals { max: u32 },
    /// A renewal must follow the previous period without gap or overlap.
    RenewalNotContiguous { expected_start: Date },
    /// A CAPE ends within its current period.
    CapeEndOutsidePeriod,
    /// LIF-21: the trial period exceeds 8 months minus prior CAPE time.
    TrialTooLong { latest_end: Option<Date> },
    /// A legal figure has no value on the date.
    MissingParam(MissingParam),
}

impl PathError {
    pub fn code(&self) -> &'static str {
        match self {
            PathError::BeforeLastEvent => "path_before_last_event",
            PathError::NotNow { .. } => "path_not_now",
            PathError::EndBeforeStart => "end_before_start",
            PathError::CapeTooLong { .. } => "cape_too_long",
            PathError::TooManyRenewals { .. } => "cape_too_many_renewals",
            PathError::RenewalNotContiguous { .. } => "cape_renewal_not_contiguous",
            PathError::CapeEndOutsidePeriod => "cape_end_outside_period",
            PathError::TrialTooLong { .. } => "trial_too_long",
            PathError::MissingParam(_) => "param_missing",
        }
    }
    /// The field of the event form the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            PathError::EndBeforeStart | PathError::CapeTooLong { .. } => "end",
            PathError::TrialTooLong { .. } => "trial_end",
            PathError::RenewalNotContiguous { .. }
            | PathError::BeforeLastEvent
            | PathError::CapeEndOutsidePeriod => "on",
            _ => "kind",
        }
    }
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
impl std::error::Error for PathError {}

impl From<MissingParam> for PathError {
    fn from(m: MissingParam) -> Self {
        PathError::MissingParam(m)
    }
}

/// `date` plus `months` calendar months, the day clamped to the month's length.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1
        + i32::try_from(months).unwrap_or(0);
    let year = total.div_euclid(12);
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// The associé-deadline alert bands of LIF-31.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeadlineBand {
    Overdue,
    WithinOneMonth,
    WithinThreeMonths,
    WithinSixMonths,
}

impl DeadlineBand {
    pub fn code(self) -> &'static str {
        match self {
            DeadlineBand::Overdue => "overdue",
            DeadlineBand::WithinOneMonth => "1_month",
            DeadlineBand::WithinThreeMonths => "3_months",
            DeadlineBand::WithinSixMonths => "6_months",
        }
    }
    /// The band a deadline falls in on `today`, if it is within six months or past.
    pub fn of(deadline: Date, today: Date) -> Option<DeadlineBand> {
        if deadline < today {
            Some(DeadlineBand::Overdue)
        } else if deadline <= add_months(today, 1) {
            Some(DeadlineBand::WithinOneMonth)
        } else if deadline <= add_months(today, 3) {
            Some(DeadlineBand::WithinThreeMonths)
        } else if deadline <= add_months(today, 6) {
            Some(DeadlineBand::WithinSixMonths)
        } else {
            None
        }
    }
}

/// The events of one person, in the order they were recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    events: Vec<PathEvent>,
}

/// What the events say now: the projection stored beside the person for lists (GEN-04).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathSummary {
    pub status: Status,
    pub suspended: bool,
    pub cape_end: Option<Date>,
    pub trial_end: Option<Date>,
    pub associate_deadline: Option<Date>,
}

impl Path {
    pub fn new(events: Vec<PathEvent>) -> Path {
        Path { events }
    }

    pub fn events(&self) -> &[PathEvent] {
        &self.events
    }

    /// The current status: a fold of the events (GEN-04).
    pub fn status(&self) -> Status {
        self.events
            .iter()
            .fold(Status::Prospect, |status, e| match e {
                PathEvent::InformationMeeting { .. } | PathEvent::DiagnosticInterview { .. }
                    if status == Status::Prospect =>
                {
                    Status::Candidate
                }
                PathEvent::Admitted { .. } => Status::Admitted,
                PathEvent::NotAdmitted { .. } => Status::NotAdmitted,
                PathEvent::CapeSigned { .. } | PathEvent::CapeRenewed { .. } => Status::InCape,
                PathEvent::CapeEnded { .. } => Status::Admitted,
                PathEvent::CesaSigned { .. } => Status::Cesa,
                PathEvent::AssociateAdmitted { .. } => Status::Associate,
                PathEvent::Exited { .. } => Status::Exited,
                _ => status,
            })
    }

    pub fn suspended(&self) -> bool {
        self.events.iter().fold(false, |s, e| match e {
            PathEvent::SuspensionStarted { .. } => true,
            PathEvent::SuspensionEnded { .. } | PathEvent::Exited { .. } => false,
            _ => s,
        })
    }

    /// The CAPE periods as lived: a period stops at its early end or the day before a CESA.
    pub fn cape_periods(&self) -> Vec<Period> {
        let mut out: Vec<Period> = Vec::new();
        for e in &self.events {
            match e {
                PathEvent::CapeSigned { period } | PathEvent::CapeRenewed { period } => {
                    out.push(*period)
                }
                PathEvent::CapeEnded { on } => {
                    if let Some(last) = out.last_mut() {
                        last.end = last.end.min(*on);
                    }
                }
                PathEvent::CesaSigned { start, .. } => {
                    if let (Some(last), Some(before)) = (out.last_mut(), start.previous_day()) {
                        last.end = last.end.min(before);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// LIF-12: days of CAPE before the CESA, deducted from the trial period and the associé deadline.
    pub fn prior_cape_days(&self) -> i64 {
        self.cape_periods().iter().map(|p| p.days().max(0)).sum()
    }

    fn cesa_start(&self) -> Option<(Date, Option<Date>)> {
        self.events.iter().find_map(|e| match e {
            PathEvent::CesaSigned { start, trial_end } => Some((*start, *trial_end)),
            _ => None,
        })
    }

    /// LIF-30: CESA start + 3 years − prior CAPE time. None before a CESA.
    pub fn associate_deadline(&self) -> Result<Option<Date>, MissingParam> {
        let Some((start, _)) = self.cesa_start() else {
            return Ok(None);
        };
        let years = params::whole(Param::AssociateDeadlineYears, start)?;
        Ok(Some(
            add_months(start, years * 12) - Duration::days(self.prior_cape_days()),
        ))
    }

    /// LIF-21: the last day a trial period may end for a CESA starting on `start`, given the
    /// CAPE time already spent; None when that time leaves no trial period at all.
    pub fn latest_trial_end(&self, start: Date) -> Result<Option<Date>, MissingParam> {
        let months = params::whole(Param::CesaTrialMaxMonths, start)?;
        let prior = Path {
            events: {
                let mut evs = self.events.clone();
                evs.push(PathEvent::CesaSigned {
                    start,
                    trial_end: None,
                });
                evs
            },
        }
        .prior_cape_days();
        let last = add_months(start, months) - Duration::days(1 + prior);
        Ok((last >= start).then_some(last))
    }

    /// The status-dependent dates lists and dashboards show.
    pub fn summary(&self) -> Result<PathSummary, MissingParam> {
        let status = self.status();
        let active = !matches!(status, Status::Exited | Status::NotAdmitted);
        let cape_end = if status == Status::InCape {
            self.cape_periods().last().map(|p| p.end)
        } else {
            None
        };
        let trial_end = if status == Status::Cesa || status == Status::Associate {
            self.cesa_start().and_then(|(_, t)| t)
        } else {
            None
        };
        let associate_deadline = if status == Status::Cesa && active {
            self.associate_deadline()?
        } else {
            None
        };
        Ok(PathSummary {
            status,
            suspended: self.suspended(),
            cape_end,
            trial_end,
            associate_deadline,
        })
    }

    /// Checks that `event` may follow the recorded ones: order, state, and legal limits.
    pub fn check(&self, event: &PathEvent) -> Result<(), PathError> {
        let status = self.status();
        if self
            .events
            .last()
            .is_some_and(|last| event.date() < last.date())
        {
            return Err(PathError::BeforeLastEvent);
        }
        let not_now = Err(PathError::NotNow { status });
        match event {
            PathEvent::InformationMeeting { .. } | PathEvent::DiagnosticInterview { .. } => {
                if !matches!(status, Status::Prospect | Status::Candidate) {
                    return not_now;
                }
            }
            PathEvent::Admitted { .. } | PathEvent::NotAdmitted { .. } => {
                if status != Status::Candidate {
                    return not_now;
                }
            }
            PathEvent::CapeSigned { period } => {
                if status != Status::Admitted || !self.cape_periods().is_empty() {
                    return not_now;
                }
                check_cape_period(*period)?;
            }
            PathEvent::CapeRenewed { period } => {
                if status != Status::InCape {
                    return not_now;
                }
                let periods = self.cape_periods();
                let max = params::whole(Param::CapeMaxRenewals, period.start)?;
                if periods.len() > usize::try_from(max).unwrap_or(0) {
                    return Err(PathError::TooManyRenewals { max });
                }
                if let Some(expected_start) = periods.last().and_then(|p| p.end.next_day())
                    && period.start != expected_start
                {
                    return Err(PathError::RenewalNotContiguous { expected_start });
                }
                check_cape_period(*period)?;
            }
            PathEvent::CapeEnded { on } => {
                if status != Status::InCape {
                    return not_now;
                }
                if self
                    .cape_periods()
                    .last()
                    .is_some_and(|p| *on < p.start || *on > p.end)
                {
                    return Err(PathError::CapeEndOutsidePeriod);
                }
            }
            PathEvent::HiringDeclared { .. } => {
                if !matches!(status, Status::Admitted | Status::InCape) {
                    return not_now;
                }
            }
            PathEvent::CesaSigned { start, trial_end } => {
                if !matches!(status, Status::Admitted | Status::InCape) {
                    return not_now;
                }
                if let Some(end) = trial_end {
                    if end < start {
                        return Err(PathError::EndBeforeStart);
                    }
                    let latest = self.latest_trial_end(*start)?;
                    if latest.is_none_or(|l| *end > l) {
                        return Err(PathError::TrialTooLong { latest_end: latest });
                    }
                }
            }
            PathEvent::CesaAmended { .. } => {
                if !matches!(status, Status::Cesa | Status::Associate) {
                    return not_now;
                }
            }
            PathEvent::AssociateAdmitted { .. } => {
                if status != Status::Cesa {
                    return not_now;
                }
            }
            PathEvent::SuspensionStarted { .. } => {
                if !matches!(status, Status::InCape | Status::Cesa | Status::Associate)
                    || self.suspended()
                {
                    return not_now;
                }
            }
            PathEvent::SuspensionEnded { .. } => {
                if !self.suspended() {
                    return not_now;
                }
            }
            PathEvent::Exited { .. } => {
                if matches!(status, Status::Exited | Status::NotAdmitted) {
                    return not_now;
                }
            }
        }
        Ok(())
    }

    /// The kinds of event the current status allows next (what the event form offers).
    pub fn possible_kinds(&self) -> Vec<&'static str> {
        let on = self.events.last().map(|e| e.date()).unwrap_or(Date::MIN);
        let end = on + Duration::days(1);
        let period = Period {
            start: self
                .cape_periods()
                .last()
                .and_then(|p| p.end.next_day())
                .unwrap_or(on),
            end,
        };
        let period = Period {
            end: period.start + Duration::days(1),
            ..period
        };
        let s = String::new;
        let samples = [
            PathEvent::InformationMeeting { on },
            PathEvent::DiagnosticInterview { on },
            PathEvent::Admitted { on },
            PathEvent::NotAdmitted { on, reason: s() },
            PathEvent::CapeSigned { period },
            PathEvent::CapeRenewed { period },
            PathEvent::CapeEnded {
                on: self
                    .cape_periods()
                    .last()
                    .map(|p| p.end.max(on))
                    .unwrap_or(on),
            },
            PathEvent::HiringDeclared { on },
            PathEvent::CesaSigned {
                start: on,
                trial_end: None,
            },
            PathEvent::CesaAmended { on, summary: s() },
            PathEvent::AssociateAdmitted { on },
            PathEvent::SuspensionStarted { on, reason: s() },
            PathEvent::SuspensionEnded { on },
            PathEvent::Exited {
                on,
                exit_type: s(),
                reason: s(),
                destination: s(),
            },
        ];
        samples
            .iter()
            .filter(|e| {
                !matches!(
                    self.check(e),
                    Err(PathError::NotNow { .. }) | Err(PathError::TooManyRenewals { .. })
                )
            })
            .map(|e| e.kind())
            .collect()
    }

    /// GDP-01: the first day the person's identity may be erased. A person who was employed
    /// (CESA) keeps their HR file for 5 years after the exit; a candidate who was not admitted or
    /// left before any contract, 2 years after the last contact. None while the person is active.
    pub fn erasable_from(&self) -> Result<Option<Date>, MissingParam> {
        let Some(last) = self.events.last() else {
            return Ok(None);
        };
        let employed = self.cesa_start().is_some();
        let ended = matches!(self.status(), Status::Exited | Status::NotAdmitted);
        if !ended {
            return Ok(None);
        }
        let on = last.date();
        let param = if employed {
            Param::HrFileRetentionYears
        } else {
            Param::CandidateRetentionYears
        };
        let years = params::whole(param, on)?;
        Ok(Some(add_months(on, years * 12)))
    }

    /// Checks then appends the event; returns the path with it (nothing is edited, GEN-03/04).
    pub fn record(mut self, event: PathEvent) -> Result<Path, PathError> {
        self.check(&event)?;
        self.events.push(event);
        Ok(self)
    }
}

/// LIF-10: a CAPE period ends after it starts and lasts at most the legal maximum.
fn check_cape_period(period: Period) -> Result<(), PathError> {
    if period.end < period.start {
        return Err(PathError::EndBeforeStart);
    }
    let max_months = params::whole(Param::CapePeriodMaxMonths, period.start)?;
    if period.end >= add_months(period.start, max_months) {
        return Err(PathError::CapeTooLong { max_months });
    }
    Ok(())
}

/// What the event form sends: the kind and the fields it uses.
#[derive(Clone, Debug, Default)]
pub struct PathEventInput {
    pub kind: String,
    pub on: String,
    pub end: String,
    pub trial_end: String,
    pub reason: String,
    pub exit_type: String,
    pub destination: String,
    pub summary: String,
}

impl PathEventInput {
    /// Builds the event, reporting each invalid field. Reason codes are checked by the caller
    /// against the cooperative's lists.
    pub fn parse(&self) -> Result<PathEvent, crate::FieldErrors> {
        use crate::person::{parse_date, parse_optional_date};
        use crate::validation::required_text;
        let mut e = crate::FieldErrors::new();
        let on = e.check("on", parse_date(&self.on));
        let mut text = |field: &'static str, value: &str| e.check(field, required_text(value, 300));
        let built = match self.kind.as_str() {
            "information_meeting" => on.map(|on| PathEvent::InformationMeeting { on }),
            "diagnostic_interview" => on.map(|on| PathEvent::DiagnosticInterview { on }),
            "admitted" => on.map(|on| PathEvent::Admitted { on }),
            "not_admitted" => {
                let reason = text("reason", &self.reason);
                on.zip(reason)
                    .map(|(on, reason)| PathEvent::NotAdmitted { on, reason })
            }
            "cape_signed" | "cape_renewed" => {
                let end = e.check("end", parse_date(&self.end));
                on.zip(end).map(|(start, end)| {
                    let period = Period { start, end };
                    if self.kind == "cape_signed" {
                        PathEvent::CapeSigned { period }
                    } else {
                        PathEvent::CapeRenewed { period }
                    }
                })
            }
            "cape_ended" => on.map(|on| PathEvent::CapeEnded { on }),
            "hiring_declared" => on.map(|on| PathEvent::HiringDeclared { on }),
            "cesa_signed" => {
                let trial_end = e.check("trial_end", parse_optional_date(&self.trial_end));
                on.zip(trial_end)
                    .map(|(start, trial_end)| PathEvent::CesaSigned { start, trial_end })
            }
            "cesa_amended" => {
                let summary = text("summary", &self.summary);
                on.zip(summary)
                    .map(|(on, summary)| PathEvent::CesaAmended { on, summary })
            }
            "associate_admitted" => on.map(|on| PathEvent::AssociateAdmitted { on }),
            "suspension_started" => {
                let reason = text("reason", &self.reason);
                on.zip(reason)
                    .map(|(on, reason)| PathEvent::SuspensionStarted { on, reason })
            }
            "suspension_ended" => on.map(|on| PathEvent::SuspensionEnded { on }),
            "exited" => {
                let exit_type = text("exit_type", &self.exit_type);
                let reason = text("reason", &self.reason);
                let destination = text("destination", &self.destination);
                match (on, exit_type, reason, destination) {
                    (Some(on), Some(exit_type), Some(reason), Some(destination)) => {
                        Some(PathEvent::Exited {
                            on,
                            exit_type,
                            reason,
                            destination,
                        })
                    }
                    _ => None,
                }
            }
            _ => {
                e.add("kind", "choice_unknown");
                None
            }
        };
        e.finish(built)
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn an_event_form_becomes_a_typed_event() {
        let i = PathEventInput {
            kind: "cape_signed".into(),
            on: "2026-02-01".into(),
            end: "2027-01-31".into(),
            ..Default::default()
        };
        assert!(matches!(i.parse(), Ok(PathEvent::CapeSigned { .. })));
        let i = PathEventInput {
            kind: "exited".into(),
            on: "2026-02-01".into(),
            ..Default::default()
        };
        let e = i.parse().unwrap_err();
        assert_eq!(e.for_field("exit_type").map(|f| f.code), Some("required"));
        assert_eq!(e.for_field("destination").map(|f| f.code), Some("required"));
        let i = PathEventInput {
            kind: "nonsense".into(),
            on: "2026-02-31".into(),
            ..Default::default()
        };
        let e = i.parse().unwrap_err();
        assert_eq!(e.for_field("on").map(|f| f.code), Some("date_format"));
        assert_eq!(e.for_field("kind").map(|f| f.code), Some("choice_unknown"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn admitted(on: Date) -> Path {
        Path::new(vec![
            PathEvent::InformationMeeting { on },
            PathEvent::Admitted { on },
        ])
    }

    fn cape(start: Date, end: Date) -> PathEvent {
        PathEvent::CapeSigned {
            period: Period { start, end },
        }
    }

    #[test]
    fn gen_04_the_status_follows_the_events() {
        let mut p = Path::default();
        assert_eq!(p.status(), Status::Prospect);
        p = p
            .record(PathEvent::InformationMeeting {
                on: date!(2025 - 01 - 10),
            })
            .unwrap();
        assert_eq!(p.status(), Status::Candidate);
        p = p
            .record(PathEvent::Admitted {
                on: date!(2025 - 01 - 20),
            })
            .unwrap();
        p = p
            .record(cape(date!(2025 - 02 - 01), date!(2026 - 01 - 31)))
            .unwrap();
        assert_eq!(p.status(), Status::InCape);
        p = p
            .record(PathEvent::CesaSigned {
                start: date!(2025 - 09 - 01),
                trial_end: None,
            })
            .unwrap();
        assert_eq!(p.status(), Status::Cesa);
        p = p
            .record(PathEvent::AssociateAdmitted {
                on: date!(2027 - 06 - 01),
            })
            .unwrap();
        assert_eq!(p.status(), Status::Associate);
        p = p
            .record(PathEvent::Exited {
                on: date!(2028 - 01 - 01),
                exit_type: "x".into(),
                reason: "y".into(),
                destination: "z".into(),
            })
            .unwrap();
        assert_eq!(p.status(), Status::Exited);
    }

    #[test]
    fn lif_10_a_cape_period_lasts_at_most_twelve_months() {
        let p = admitted(date!(2026 - 01 - 05));
        assert!(
            p.check(&cape(date!(2026 - 02 - 01), date!(2027 - 01 - 31)))
                .is_ok()
        );
        assert_eq!(
            p.check(&cape(date!(2026 - 02 - 01), date!(2027 - 02 - 01))),
            Err(PathError::CapeTooLong { max_months: 12 })
        );
        assert_eq!(
            p.check(&cape(date!(2026 - 02 - 01), date!(2026 - 01 - 31))),
            Err(PathError::EndBeforeStart)
        );
    }

    #[test]
    fn lif_10_a_cape_is_renewed_at_most_twice_without_gap() {
        let mut p = admitted(date!(2023 - 01 - 05))
            .record(cape(date!(2023 - 02 - 01), date!(2024 - 01 - 31)))
            .unwrap();
        let renew = |start, end| PathEvent::CapeRenewed {
            period: Period { start, end },
        };
        assert_eq!(
            p.check(&renew(date!(2024 - 02 - 02), date!(2025 - 01 - 31))),
            Err(PathError::RenewalNotContiguous {
                expected_start: date!(2024 - 02 - 01)
            })
        );
        p = p
            .record(renew(date!(2024 - 02 - 01), date!(2025 - 01 - 31)))
            .unwrap();
        p = p
            .record(renew(date!(2025 - 02 - 01), date!(2026 - 01 - 31)))
            .unwrap();
        assert_eq!(
            p.check(&renew(date!(2026 - 02 - 01), date!(2026 - 06 - 30))),
            Err(PathError::TooManyRenewals { max: 2 })
        );
        assert_eq!(p.cape_periods().len(), 3);
    }

    #[test]
    fn lif_21_the_trial_period_is_shortened_by_prior_cape_time() {
        // Six months of CAPE (181 days) before a CESA on 1 August 2026.
        let p = admitted(date!(2026 - 01 - 05))
            .record(cape(date!(2026 - 02 - 01), date!(2027 - 01 - 31)))
            .unwrap();
        let start = date!(2026 - 08 - 01);
        let latest = p.latest_trial_end(start).unwrap().unwrap();
        // 8 months from 1 August ends 31 March 2027; minus 181 days of CAPE.
        assert_eq!(latest, date!(2027 - 03 - 31) - Duration::days(181));
        assert!(
            p.check(&PathEvent::CesaSigned {
                start,
                trial_end: Some(latest)
            })
            .is_ok()
        );
        assert_eq!(
            p.check(&PathEvent::CesaSigned {
                start,
                trial_end: latest.next_day()
            }),
            Err(PathError::TrialTooLong {
                latest_end: Some(latest)
            })
        );
    }

    #[test]
    fn lif_21_no_trial_period_is_left_after_eight_months_of_cape() {
        let p = admitted(date!(2025 - 01 - 05))
            .record(cape(date!(2025 - 02 - 01), date!(2026 - 01 - 31)))
            .unwrap();
        let start = date!(2025 - 11 - 01);
        assert_eq!(p.latest_trial_end(start), Ok(None));
        assert_eq!(
            p.check(&PathEvent::CesaSigned {
                start,
                trial_end: Some(start)
            }),
            Err(PathError::TrialTooLong { latest_end: None })
        );
        assert!(
            p.check(&PathEvent::CesaSigned {
                start,
                trial_end: None
            })
            .is_ok()
        );
    }

    #[test]
    fn lif_30_the_associate_deadline_is_three_years_after_the_cesa_minus_prior_cape_time() {
        let p = admitted(date!(2026 - 01 - 05))
            .record(cape(date!(2026 - 02 - 01), date!(2027 - 01 - 31)))
            .unwrap()
            .record(PathEvent::CesaSigned {
                start: date!(2026 - 06 - 01),
                trial_end: None,
            })
            .unwrap();
        // CAPE lived 1 February – 31 May 2026: 120 days.
        assert_eq!(p.prior_cape_days(), 120);
        assert_eq!(
            p.associate_deadline(),
            Ok(Some(date!(2029 - 06 - 01) - Duration::days(120)))
        );
        let direct = admitted(date!(2026 - 01 - 05))
            .record(PathEvent::CesaSigned {
                start: date!(2026 - 03 - 01),
                trial_end: None,
            })
            .unwrap();
        assert_eq!(direct.associate_deadline(), Ok(Some(date!(2029 - 03 - 01))));
    }

    #[test]
    fn lif_32_admission_as_associate_clears_the_deadline() {
        let p = admitted(date!(2026 - 01 - 05))
            .record(PathEvent::CesaSigned {
                start: date!(2026 - 03 - 01),
                trial_end: None,
            })
            .unwrap();
        assert!(p.summary().unwrap().associate_deadline.is_some());
        let p = p
            .record(PathEvent::AssociateAdmitted {
                on: date!(2027 - 03 - 01),
            })
            .unwrap();
        assert_eq!(p.summary().unwrap().associate_deadline, None);
    }

    #[test]
    fn lif_31_deadlines_fall_in_alert_bands() {
        let today = date!(2026 - 11 - 29);
        assert_eq!(
            DeadlineBand::of(date!(2026 - 11 - 28), today),
            Some(DeadlineBand::Overdue)
        );
        assert_eq!(
            DeadlineBand::of(date!(2026 - 12 - 29), today),
            Some(DeadlineBand::WithinOneMonth)
        );
        assert_eq!(
            DeadlineBand::of(date!(2027 - 02 - 28), today),
            Some(DeadlineBand::WithinThreeMonths)
        );
        assert_eq!(
            DeadlineBand::of(date!(2027 - 05 - 29), today),
            Some(DeadlineBand::WithinSixMonths)
        );
        assert_eq!(DeadlineBand::of(date!(2027 - 05 - 30), today), None);
    }

    #[test]
    fn events_that_do_not_fit_the_status_are_refused() {
        let p = Path::default();
        assert_eq!(
            p.check(&PathEvent::CesaSigned {
                start: date!(2026 - 01 - 01),
                trial_end: None
            }),
            Err(PathError::NotNow {
                status: Status::Prospect
            })
        );
        assert_eq!(
            p.check(&PathEvent::Admitted {
                on: date!(2026 - 01 - 01)
            }),
            Err(PathError::NotNow {
                status: Status::Prospect
            })
        );
        let p = admitted(date!(2026 - 01 - 05));
        assert_eq!(
            p.check(&PathEvent::InformationMeeting {
                on: date!(2026 - 01 - 01)
            }),
            Err(PathError::BeforeLastEvent)
        );
    }

    #[test]
    fn the_form_offers_only_what_the_status_allows() {
        assert_eq!(
            Path::default().possible_kinds(),
            vec!["information_meeting", "diagnostic_interview", "exited"]
        );
        let p = admitted(date!(2026 - 01 - 05));
        assert_eq!(
            p.possible_kinds(),
            vec!["cape_signed", "hiring_declared", "cesa_signed", "exited"]
        );
    }

    #[test]
    fn gdp_01_an_employees_file_is_kept_five_years_after_the_exit_a_candidates_two() {
        let exit = |on| PathEvent::Exited {
            on,
            exit_type: "t".into(),
            reason: "r".into(),
            destination: "d".into(),
        };
        let employee = admitted(date!(2020 - 01 - 05))
            .record(PathEvent::CesaSigned {
                start: date!(2020 - 02 - 01),
                trial_end: None,
            })
            .unwrap()
            .record(exit(date!(2023 - 06 - 30)))
            .unwrap();
        assert_eq!(employee.erasable_from(), Ok(Some(date!(2028 - 06 - 30))));
        let refused = Path::new(vec![
            PathEvent::InformationMeeting {
                on: date!(2024 - 03 - 01),
            },
            PathEvent::NotAdmitted {
                on: date!(2024 - 03 - 10),
                reason: "x".into(),
            },
        ]);
        assert_eq!(refused.erasable_from(), Ok(Some(date!(2026 - 03 - 10))));
        assert_eq!(
            admitted(date!(2026 - 01 - 05)).erasable_from(),
            Ok(None),
            "an active person is never erased"
        );
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 3), date!(2027 - 02 - 15));
        assert_eq!(add_months(date!(2024 - 02 - 29), 12), date!(2025 - 02 - 28));
    }

    /// A small deterministic generator, so the property test needs no extra crate.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn any_sequence_of_events_gives_a_status_or_a_typed_error_never_a_panic() {
        let mut g = Gen(0x2545_F491_4F6C_DD1D);
        for _ in 0..5_000 {
            let mut path = Path::default();
            let mut day = date!(2020 - 01 - 01);
            for _ in 0..g.next(12) {
                day += Duration::days(i64::try_from(g.next(400)).unwrap());
                let end =
                    day + Duration::days(i64::try_from(g.next(500)).unwrap()) - Duration::days(30);
                let event = match g.next(14) {
                    0 => PathEvent::InformationMeeting { on: day },
                    1 => PathEvent::DiagnosticInterview { on: day },
                    2 => PathEvent::Admitted { on: day },
                    3 => PathEvent::NotAdmitted {
                        on: day,
                        reason: "r".into(),
                    },
                    4 => PathEvent::CapeSigned {
                        period: Period { start: day, end },
                    },
                    5 => PathEvent::CapeRenewed {
                        period: Period { start: day, end },
                    },
                    6 => PathEvent::CapeEnded { on: day },
                    7 => PathEvent::HiringDeclared { on: day },
                    8 => PathEvent::CesaSigned {
                        start: day,
                        trial_end: (g.next(2) == 0).then_some(end),
                    },
                    9 => PathEvent::CesaAmended {
                        on: day,
                        summary: "s".into(),
                    },
                    10 => PathEvent::AssociateAdmitted { on: day },
                    11 => PathEvent::SuspensionStarted {
                        on: day,
                        reason: "r".into(),
                    },
                    12 => PathEvent::SuspensionEnded { on: day },
                    _ => PathEvent::Exited {
                        on: day,
                        exit_type: "t".into(),
                        reason: "r".into(),
                        destination: "d".into(),
                    },
                };
                let before = path.clone();
                match path.clone().record(event) {
                    Ok(next) => path = next,
                    Err(e) => {
                        assert!(!e.code().is_empty());
                        assert_eq!(path, before, "a refused event changes nothing");
                    }
                }
                let summary = path.summary().unwrap();
                // Invariants of the projection.
                assert!(summary.associate_deadline.is_none() || summary.status == Status::Cesa);
                assert!(summary.cape_end.is_none() || summary.status == Status::InCape);
                assert!(
                    path.cape_periods().len() <= 3,
                    "LIF-10 holds whatever the order"
                );
            }
        }
    }
}
