-- Workshops (issue 9, point 3; sqlite): sessions on one day with a capacity, registrations in
-- order with a waiting list, attendance per person and half-day.

create table workshop (
    workshop_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    title text not null,
    description text,
    -- Wall-clock time in the cooperative's time zone.
    starts_on date not null,
    start_minute bigint not null,
    end_minute bigint not null,
    place text,
    video_link text,
    capacity bigint not null,
    -- An internal trainer (an account of the support team) or an external one, by name.
    trainer_user_id bigint references user_account (user_id),
    trainer_name text,
    -- Path stages it is offered to, separated by commas; empty: every entrepreneur supported.
    audience text not null default '',
    topics text not null default '',
    status text not null,
    created_by bigint not null references user_account (user_id),
    created_at timestamp not null,
    updated_at timestamp not null
);
create index workshop_coop on workshop (cooperative_id, starts_on, start_minute);

create table workshop_registration (
    workshop_id bigint not null references workshop (workshop_id),
    person_id bigint not null references person (person_id),
    -- registered, waiting or withdrawn.
    seat text not null,
    -- Order of arrival within the session: the waiting list moves up in this order.
    position bigint not null,
    registered_at timestamp not null,
    registered_by bigint not null references user_account (user_id),
    reminded_at timestamp,
    primary key (workshop_id, person_id)
);
create index workshop_registration_person on workshop_registration (person_id, workshop_id);

create table workshop_attendance (
    workshop_id bigint not null references workshop (workshop_id),
    person_id bigint not null references person (person_id),
    -- am or pm.
    half_day text not null,
    present boolean not null,
    recorded_by bigint not null references user_account (user_id),
    recorded_at timestamp not null,
    primary key (workshop_id, person_id, half_day)
);
