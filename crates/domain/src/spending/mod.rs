//! Spending: what entrepreneurs spend for their activity and the cooperative refunds (EXP).
//! Reports of expenses paid by entrepreneurs (EXP-04, EXP-05) and kilometric allowances
//! (EXP-01, EXP-02).

pub mod category;
pub mod mileage;
pub mod report;
pub mod supplier;
