-- People followed by the cooperative, their path events, and the configurable lists (PostgreSQL).
create table reference_item (
    reference_item_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    list text not null,
    code text not null,
    label text not null,
    position bigint not null,
    active boolean not null,
    unique (cooperative_id, list, code)
);

create table person (
    person_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint references user_account (user_id),
    referent_user_id bigint references user_account (user_id),
    first_name text not null,
    last_name text not null,
    email text,
    phone text,
    address text,
    postcode text,
    commune text,
    birth_date date,
    gender text not null,
    situation text,
    prescriber text,
    education text,
    antenna text,
    qpv boolean not null,
    rural boolean not null,
    naf text,
    search_text text not null,
    status text not null,
    suspended boolean not null,
    cape_end_on date,
    trial_end_on date,
    associate_deadline_on date,
    created_at timestamptz not null,
    anonymized_at timestamptz,
    unique (cooperative_id, user_id)
);
create index person_coop_status on person (cooperative_id, status, last_name, first_name);
create index person_coop_name on person (cooperative_id, last_name, first_name);
create index person_coop_deadline on person (cooperative_id, associate_deadline_on);
create index person_referent on person (referent_user_id);

create table person_event (
    person_event_id bigint generated always as identity primary key,
    person_id bigint not null references person (person_id),
    kind text not null,
    on_date date not null,
    end_date date,
    text1 text,
    text2 text,
    text3 text,
    recorded_at timestamptz not null,
    recorded_by bigint references user_account (user_id)
);
create index person_event_person on person_event (person_id, person_event_id);

-- Roles of existing cooperatives receive the new permissions their kind has by default.
insert into role_grant (role_id, permission, scope)
    select role_id, 'person.read', 'cooperative' from role where kind in ('administrator', 'validation', 'accounting', 'payroll', 'coaching')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'person.manage', 'cooperative' from role where kind in ('administrator', 'coaching')
    on conflict (role_id, permission) do nothing;
