-- The contribution's policies (issue 6, PAY-10 to PAY-12), per cooperative (activity_id null) or
-- per activity (an override), each valid from a date; never edited once in force (a new version
-- is added), so the account levies every transaction with the version of its date (sqlite).
-- Bands as text: `limit_cents:rate;…` the last without a limit (`3500000:0.1;:0.06`).
create table contribution_policy (
    contribution_policy_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    activity_id bigint references activity (activity_id),
    valid_from date not null,
    base text not null,
    bands text not null,
    exemption_months bigint not null,
    monthly_fee_cents bigint not null,
    yearly_minimum_cents bigint not null,
    recorded_by bigint references user_account (user_id),
    recorded_at timestamp not null
);
create unique index contribution_policy_version on contribution_policy (cooperative_id, coalesce(activity_id, 0), valid_from);
