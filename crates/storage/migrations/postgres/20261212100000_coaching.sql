-- Coaching (issue 9; postgres): appointments between a coach and entrepreneurs, with the topics the
-- cooperative offers, the coach's private notes, a shared summary and next actions; a secret
-- calendar feed per person.

create table coaching_topic (
    cooperative_id bigint not null references cooperative (cooperative_id),
    code text not null,
    label text not null,
    active boolean not null default true,
    primary key (cooperative_id, code)
);

create table appointment (
    appointment_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    coach_user_id bigint not null references user_account (user_id),
    -- Wall-clock time in the cooperative's time zone: the day and the minute of the day.
    starts_on date not null,
    start_minute bigint not null,
    minutes bigint not null,
    mode text not null,
    place text,
    -- The topics' codes, separated by commas.
    topics text not null default '',
    -- Read only by holders of the coaching permission (issue 9, point 7).
    private_notes text,
    summary text,
    status text not null,
    created_by bigint not null references user_account (user_id),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index appointment_coop on appointment (cooperative_id, starts_on, start_minute);
create index appointment_coach on appointment (coach_user_id, starts_on, start_minute);

create table appointment_person (
    appointment_id bigint not null references appointment (appointment_id),
    person_id bigint not null references person (person_id),
    primary key (appointment_id, person_id)
);
create index appointment_person_person on appointment_person (person_id, appointment_id);

create table appointment_action (
    appointment_id bigint not null references appointment (appointment_id),
    position bigint not null,
    label text not null,
    due_on date,
    done_at timestamptz,
    primary key (appointment_id, position)
);

create table calendar_feed (
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    token_hash text not null unique,
    created_at timestamptz not null,
    primary key (cooperative_id, user_id)
);

-- The coaching permission's holders may now manage appointments.
insert into role_grant (role_id, permission, scope)
    select role_id, 'coaching.manage', 'cooperative' from role where kind in ('administrator', 'coaching')
    on conflict (role_id, permission) do nothing;
