-- In-app notifications, each sent once (PostgreSQL).
create table notification (
    notification_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    dedup_key text not null,
    message text not null,
    link text not null,
    created_at timestamptz not null,
    read_at timestamptz,
    unique (user_id, dedup_key)
);
create index notification_user on notification (user_id, read_at);
