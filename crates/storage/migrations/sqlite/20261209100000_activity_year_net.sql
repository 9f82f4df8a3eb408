-- What each activity's account carried out of a closed fiscal year (issue 6, PAY-01; sqlite): its
-- movements, the contributions they carried and the yearly minimum's top-up. Written when the
-- books close the year (the year's entries no longer change then), one row per activity, so the
-- overview of every account reads the current year's movements only.
create table activity_year_net (
    cooperative_id bigint not null references cooperative (cooperative_id),
    activity_id bigint not null references activity (activity_id),
    year_start date not null,
    net_cents bigint not null,
    computed_at timestamp not null,
    primary key (cooperative_id, activity_id, year_start)
);
