-- Activities ("enseignes") and the entrepreneurs who run them, with their share (SQLite).
create table activity (
    activity_id integer primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    name text not null,
    description text,
    naf text,
    analytic_code text not null,
    start_on date not null,
    end_on date,
    referent_user_id bigint references user_account (user_id),
    agreement text,
    created_at timestamp not null,
    unique (cooperative_id, analytic_code)
);
create index activity_coop_name on activity (cooperative_id, name);

create table activity_member (
    activity_id bigint not null references activity (activity_id),
    user_id bigint not null references user_account (user_id),
    share_basis_points bigint not null,
    primary key (activity_id, user_id)
);
create index activity_member_user on activity_member (user_id);

-- Roles of existing cooperatives receive the new permissions their kind has by default.
insert into role_grant (role_id, permission, scope)
    select role_id, 'activity.read', 'cooperative' from role where kind in ('administrator', 'validation', 'accounting', 'payroll', 'coaching')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'activity.manage', 'cooperative' from role where kind in ('administrator', 'coaching')
    on conflict (role_id, permission) do nothing;
insert into role_grant (role_id, permission, scope)
    select role_id, 'activity.read', 'own_activities' from role where kind = 'entrepreneur'
    on conflict (role_id, permission) do nothing;
