-- The cooperative's pay-planner policy (issue 6; postgres): the reserve kept out of an activity's
-- forecast before a salary is suggested (PAY-21, a decimal fraction as text) and how far below
-- zero the forecast may go before pay or a refund needs a reasoned override (PAY-24, in cents).
-- No row: 10 % and no tolerance.
create table pay_planner (
    cooperative_id bigint primary key references cooperative (cooperative_id),
    reserve text not null,
    tolerance_cents bigint not null,
    updated_at timestamptz not null
);
