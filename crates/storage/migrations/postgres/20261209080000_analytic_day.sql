-- The books' validated class 6 and 7 lines summed per analytic code, day and part of the account
-- (ACC-01: `7` revenue, `607` resale purchases, `64` salary cost, `6` other charges): the support
-- team's overview of every activity account reads these sums instead of every line (postgres).
-- An index of the journal, not a second bookkeeping: written only by the storage function that
-- validates lines (`books::add_to_analytic_days`), in the transaction that validates them; a
-- validated entry never changes (ACC-03), so the sums never need to be taken back.
create table analytic_day (
    cooperative_id bigint not null references cooperative (cooperative_id),
    analytic text not null,
    entry_date date not null,
    part text not null,
    cents bigint not null,
    primary key (cooperative_id, analytic, entry_date, part)
);
insert into analytic_day (cooperative_id, analytic, entry_date, part, cents)
select cooperative_id, analytic, entry_date,
    case when account like '7%' then '7' when account like '607%' then '607' when account like '64%' then '64' else '6' end,
    sum(credit_cents - debit_cents)
from entry_line
where validated = true and analytic is not null and substr(account, 1, 1) in ('6', '7')
group by cooperative_id, analytic, entry_date,
    case when account like '7%' then '7' when account like '607%' then '607' when account like '64%' then '64' else '6' end;
