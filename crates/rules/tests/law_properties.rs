//! Invariants of the pension calculation and the deadline calendar, over generated inputs.

use gennemgang_rules::calendar::days::closed_reason;
use gennemgang_rules::calendar::deadline::{Channel, Kind, deadline};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::pension::Quiet;
use gennemgang_rules::pension::fraction::{Fraction, ResidenceInput, residence_fraction};
use gennemgang_rules::pension::pl::{Facts, Household, compute, required};
use gennemgang_rules::pension::rates::{Item, RateTable};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn household() -> impl Strategy<Value = Household> {
    prop_oneof![
        Just(Household::Single),
        Just(Household::Cohabiting { partner_is_pensioner: true }),
        Just(Household::Cohabiting { partner_is_pensioner: false }),
    ]
}

fn fraction() -> impl Strategy<Value = Fraction> {
    prop_oneof![
        Just(Fraction::FULL),
        (1_i64..=40).prop_map(|n| Fraction { numerator: n, denominator: 40 }),
        (1_i64..=100).prop_map(|n| Fraction { numerator: n, denominator: 100 }),
    ]
}

fn facts() -> impl Strategy<Value = (i16, Facts)> {
    (2003_i16..=2025, household(), 0_i64..1_500_000, 0_i64..1_000_000, 0_i64..1_000_000, fraction()).prop_map(
        |(year, household, own, partner, work, fraction)| {
            let (partner, work) = if household == Household::Single { (0, 0) } else { (partner, work) };
            (year, Facts { household, own_income: own, partner_income: partner, partner_work_income: work, fraction })
        },
    )
}

fn day() -> impl Strategy<Value = Date> {
    (0_i64..365 * 30).prop_map(|n| date(2008, 1, 1).checked_add(n.days()).unwrap_or(date(2008, 1, 1)))
}

proptest! {
    // About a third of the drawn years lack a rate the household needs and are rejected: 2,000 cases
    // come near proptest's default of 1,024 rejects, so a run could stop on chance alone.
    #![proptest_config(ProptestConfig { cases: 2_000, max_global_rejects: 20_000, ..ProptestConfig::default() })]

    /// More income never gives more pension — own, partner's or partner's wages.
    #[test]
    fn pension_never_rises_when_income_rises((year, facts) in facts(), more in 1_i64..400_000, which in 0_u8..3) {
        let rates = RateTable::builtin().year(year);
        let (items, rules) = required(facts.household);
        prop_assume!(rates.require(items, rules).is_ok());
        let mut richer = facts;
        match which {
            0 => richer.own_income += more,
            1 if facts.household != Household::Single => richer.partner_income += more,
            2 if facts.household != Household::Single => richer.partner_work_income += more,
            _ => richer.own_income += more,
        }
        let before = compute(&rates, &facts, &mut Quiet).expect("rates checked");
        let after = compute(&rates, &richer, &mut Quiet).expect("rates checked");
        prop_assert!(after.yearly <= before.yearly, "{year}: {facts:?} → {} but {richer:?} → {}", before.yearly, after.yearly);
        prop_assert!(after.monthly <= before.monthly);
    }

    /// The pension is never negative and never above the full rate; the monthly amount is a twelfth of it.
    #[test]
    fn pension_lies_between_zero_and_the_full_rate((year, facts) in facts()) {
        let rates = RateTable::builtin().year(year);
        let (items, rules) = required(facts.household);
        prop_assume!(rates.require(items, rules).is_ok());
        let full = rates.get(if facts.household == Household::Single { Item::FullSingle } else { Item::FullOther });
        let out = compute(&rates, &facts, &mut Quiet).expect("rates checked");
        prop_assert!(out.yearly >= 0);
        prop_assert!(Some(out.yearly) <= full);
        prop_assert!((out.monthly * 12 - out.yearly).abs() <= 6, "{} vs {}", out.monthly, out.yearly);
    }

    /// The fraction never exceeds 1, and more residence never gives a smaller fraction.
    #[test]
    fn fraction_never_exceeds_one_and_grows_with_residence(
        birth in (0_i64..365 * 60).prop_map(|n| date(1940, 1, 1).checked_add(n.days()).unwrap_or(date(1940, 1, 1))),
        years_after_15 in 3_i64..45,
        share_permille in 0_u32..=1000,
        extra in 0_u32..60,
    ) {
        let awarded_on = birth.checked_add((15 + years_after_15).years()).unwrap_or(birth);
        let period = u32::try_from(years_after_15 * 12).unwrap_or(0);
        let residence = period * share_permille / 1000;
        let table = RateTable::builtin();
        let input = ResidenceInput { birth_date: birth, awarded_on, residence_months: residence, refugee_origin_months: 0 };
        let out = residence_fraction(table, &input).expect("valid");
        prop_assert!(out.fraction.numerator <= out.fraction.denominator);
        prop_assert!(out.fraction.numerator >= 0);
        let more = ResidenceInput { residence_months: (residence + extra).min(period), ..input };
        let out_more = residence_fraction(table, &more).expect("valid");
        prop_assert!(out_more.fraction.numerator * out.fraction.denominator >= out.fraction.numerator * out_more.fraction.denominator);
    }

    /// No deadline ever ends on a closed day, and a complaint deadline is at least 4 weeks after sending.
    #[test]
    fn deadlines_never_end_on_a_closed_day(from in day(), physical in any::<bool>(), which in 0_u8..5, days in 1_u16..60) {
        let params = CalendarParams::builtin();
        let kind = match which {
            0 => Kind::Complaint { sent: from, channel: if physical { Channel::Physical } else { Channel::Digital } },
            1 => Kind::Reassessment { from },
            2 => Kind::Board { from, prepare_days: None },
            3 => Kind::FileAccess { from },
            _ => Kind::Hearing { from, days: Some(days) },
        };
        let d = deadline(params, &params.board, kind).expect("covered");
        prop_assert_eq!(closed_reason(params, d.date).expect("covered"), None, "{:?} → {}", kind, d.date);
        prop_assert!(d.date > from);
        if which == 0 {
            prop_assert!(d.date >= from.checked_add(28.days()).expect("in range"));
        }
    }

    /// A physical letter is never received earlier than a digital one sent the same day.
    #[test]
    fn physical_is_never_earlier_than_digital(sent in day()) {
        let params = CalendarParams::builtin();
        let digital = deadline(params, &params.board, Kind::Complaint { sent, channel: Channel::Digital }).expect("covered");
        let physical = deadline(params, &params.board, Kind::Complaint { sent, channel: Channel::Physical }).expect("covered");
        prop_assert!(physical.date >= digital.date);
    }
}
