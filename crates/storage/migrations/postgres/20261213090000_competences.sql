-- Competence grids (issue 9, point 5; postgres): the competences a cooperative follows, its scale of
-- levels, and assessments by the entrepreneur or a coach at dates.

create table competence (
    cooperative_id bigint not null references cooperative (cooperative_id),
    code text not null,
    label text not null,
    position bigint not null,
    active boolean not null default true,
    primary key (cooperative_id, code)
);

create table competence_level (
    cooperative_id bigint not null references cooperative (cooperative_id),
    level bigint not null,
    label text not null,
    primary key (cooperative_id, level)
);

create table assessment (
    assessment_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    person_id bigint not null references person (person_id),
    assessed_on date not null,
    -- self or coach.
    assessor text not null,
    by_user bigint not null references user_account (user_id),
    comment text,
    created_at timestamptz not null
);
create index assessment_person on assessment (person_id, assessed_on);

create table assessment_score (
    assessment_id bigint not null references assessment (assessment_id),
    competence_code text not null,
    level bigint not null,
    primary key (assessment_id, competence_code)
);
