-- In-app notifications, each sent once (SQLite).
create table notification (
    notification_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    user_id bigint not null references user_account (user_id),
    dedup_key text not null,
    message text not null,
    link text not null,
    created_at timestamp not null,
    read_at timestamp,
    unique (user_id, dedup_key)
);
create index notification_user on notification (user_id, read_at);
