-- The payroll bridge (issue 6, point 5), postgres: each month's variables per person, reviewed then
-- locked and exported for the payroll bureau; the payslips it returns, posted to the books.
create table payroll_month (
    payroll_month_id bigint generated always as identity primary key,
    cooperative_id bigint not null references cooperative (cooperative_id),
    month text not null,
    status text not null,
    locked_by bigint references user_account (user_id),
    locked_at timestamptz,
    imported_by bigint references user_account (user_id),
    imported_at timestamptz,
    created_at timestamptz not null,
    unique (cooperative_id, month)
);

create table payroll_variable (
    payroll_month_id bigint not null references payroll_month (payroll_month_id),
    user_id bigint not null references user_account (user_id),
    fixed_gross_cents bigint not null,
    variable_cents bigint not null,
    expenses_cents bigint not null,
    absence_days text not null,
    note text not null,
    updated_by bigint references user_account (user_id),
    updated_at timestamptz not null,
    primary key (payroll_month_id, user_id)
);

create table payslip (
    payroll_month_id bigint not null references payroll_month (payroll_month_id),
    user_id bigint not null references user_account (user_id),
    gross_cents bigint not null,
    employee_cents bigint not null,
    employer_cents bigint not null,
    reductions_cents bigint not null,
    net_cents bigint not null,
    simulated_cost_cents bigint not null,
    entry_id bigint not null references entry (entry_id),
    primary key (payroll_month_id, user_id)
);

insert into role_grant (role_id, permission, scope)
    select role_id, 'payroll.manage', 'cooperative' from role where kind in ('administrator', 'payroll')
    on conflict (role_id, permission) do nothing;
