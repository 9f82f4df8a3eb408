//! Spending: what entrepreneurs spend for their activity and the cooperative refunds (EXP).
//! This module starts with the kilometric allowances (EXP-01, EXP-02).

pub mod mileage;
