-- Trainings (issue 9, point 4; sqlite): when the cooperative is a declared training
-- organisation, courses delivered under its name (by an activity or by the cooperative itself),
-- their sessions, trainees and attendance; the yearly summary (BPF) is counted from them.

create table training_organisation (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    -- The numéro de déclaration d'activité (11 digits).
    declaration text not null,
    updated_by bigint not null references user_account (user_id),
    updated_at timestamp not null
);

create table training_course (
    course_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    -- The activity delivering it; null: the cooperative itself.
    activity_id bigint references activity (activity_id),
    title text not null,
    objectives text not null,
    -- BPF frame F-3: rncp, rs, cqp, professional, skills_assessment or vae.
    objective text not null,
    speciality text,
    planned_minutes bigint not null,
    -- internal or external (BPF frame E).
    trainer_kind text not null,
    trainer text not null,
    created_by bigint not null references user_account (user_id),
    created_at timestamp not null,
    updated_at timestamp not null
);
create index training_course_coop on training_course (cooperative_id, activity_id);

create table training_session (
    session_id integer primary key,
    course_id bigint not null references training_course (course_id),
    held_on date not null,
    start_minute bigint not null,
    end_minute bigint not null
);
create index training_session_course on training_session (course_id, held_on);

create table training_trainee (
    trainee_id integer primary key,
    course_id bigint not null references training_course (course_id),
    last_name text not null,
    first_name text not null,
    email text,
    -- BPF frame F-1: employee, apprentice, job_seeker, individual or other.
    category text not null,
    organisation text,
    created_at timestamp not null
);
create index training_trainee_course on training_trainee (course_id);

create table training_attendance (
    session_id bigint not null references training_session (session_id),
    trainee_id bigint not null references training_trainee (trainee_id),
    recorded_by bigint not null references user_account (user_id),
    recorded_at timestamp not null,
    primary key (session_id, trainee_id)
);
create index training_attendance_trainee on training_attendance (trainee_id);
