//! Properties of apportionment and ballot counting, on random cases: each method's defining
//! inequality checked exactly (by cross-multiplying whole numbers), Hamilton's quota, house
//! monotonicity for the divisor methods, ties never broken, and the count's rules.

use orgwork_domain::congress::{Apportion, Apportionment, Base, Count, Method, Votes, passes};
use proptest::prelude::*;

fn ask(method: Method, seats: u64, members: &[u64]) -> Apportion {
    Apportion {
        method,
        seats,
        min: 0,
        base: 0,
        per: 0,
        ex_officio: 0,
        units: members.iter().enumerate().map(|(i, m)| (format!("U{i}"), *m)).collect(),
    }
}

fn decided(a: &Apportionment) -> Vec<u64> {
    a.allocations.iter().map(|x| x.seats).collect()
}

/// The divisor of a method for a unit holding `s` seats, as a pair (numerator², denominator²)
/// squared so that Huntington-Hill's square root stays whole: d(s)² = num / den.
fn divisor_squared(method: Method, s: u64) -> (u128, u128) {
    let s = s as u128;
    match method {
        Method::Dhondt => ((s + 1) * (s + 1), 1),
        Method::SainteLague => ((2 * s + 1) * (2 * s + 1), 4),
        Method::HuntingtonHill => (s * (s + 1), 1),
        _ => unreachable!(),
    }
}

/// m_a / d(a) compared with m_b / d(b), squared: m_a² · d(b)² vs m_b² · d(a)². A zero divisor is
/// infinite; a unit without members is zero.
fn cmp_priority(method: Method, ma: u64, a: u64, mb: u64, b: u64) -> std::cmp::Ordering {
    let (na, da) = divisor_squared(method, a);
    let (nb, db) = divisor_squared(method, b);
    let (ma, mb) = (ma as u128, mb as u128);
    match (ma == 0, mb == 0, na == 0, nb == 0) {
        (true, true, _, _) => std::cmp::Ordering::Equal,
        (true, _, _, _) => std::cmp::Ordering::Less,
        (_, true, _, _) => std::cmp::Ordering::Greater,
        (_, _, true, true) => std::cmp::Ordering::Equal,
        (_, _, true, _) => std::cmp::Ordering::Greater,
        (_, _, _, true) => std::cmp::Ordering::Less,
        _ => (ma * ma * nb * da).cmp(&(mb * mb * na * db)),
    }
}

fn members() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(prop_oneof![1u64..50, 1u64..5_000, 100u64..2_000_000], 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// A divisor method's result: every unit's last seat won has a priority at least every
    /// unit's next seat; seats given and seats tied add up; the tied are equal at the cut.
    #[test]
    fn divisor_methods_meet_their_inequality(m in members(), seats in 1u64..120, which in 0usize..3) {
        let method = [Method::Dhondt, Method::SainteLague, Method::HuntingtonHill][which];
        let r = ask(method, seats, &m).run().unwrap();
        let s = decided(&r);
        let tied: u64 = r.ties.iter().map(|t| t.seats).sum();
        prop_assert_eq!(s.iter().sum::<u64>() + tied, seats);
        for i in 0..m.len() {
            if s[i] == 0 { continue; }
            for j in 0..m.len() {
                // last seat of i (priority at s_i - 1) ≥ next seat of j (priority at s_j)
                prop_assert!(cmp_priority(method, m[i], s[i] - 1, m[j], s[j]).is_ge(), "{:?} {:?}", m, s);
            }
        }
        if let Some(t) = r.ties.first() {
            prop_assert!(t.units.len() as u64 > t.seats && t.seats > 0);
            let idx: Vec<usize> = t.units.iter().map(|u| u[1..].parse().unwrap()).collect();
            for w in idx.windows(2) {
                prop_assert!(cmp_priority(method, m[w[0]], s[w[0]], m[w[1]], s[w[1]]).is_eq());
            }
        }
    }

    /// House monotonicity: one seat more never takes a decided seat away.
    #[test]
    fn divisor_methods_are_house_monotone(m in members(), seats in 1u64..100, which in 0usize..3) {
        let method = [Method::Dhondt, Method::SainteLague, Method::HuntingtonHill][which];
        let a = decided(&ask(method, seats, &m).run().unwrap());
        let b = decided(&ask(method, seats + 1, &m).run().unwrap());
        prop_assert!(a.iter().zip(&b).all(|(x, y)| x <= y), "{:?}: {:?} then {:?}", m, a, b);
    }

    /// Hamilton stays within quota: each unit gets its quota rounded down or up, and a tie
    /// holds the seats the decided ones leave.
    #[test]
    fn hamilton_stays_within_quota(m in members(), seats in 1u64..200) {
        let r = ask(Method::Hamilton, seats, &m).run().unwrap();
        let s = decided(&r);
        let total: u128 = m.iter().map(|x| *x as u128).sum();
        let tied: u64 = r.ties.iter().map(|t| t.seats).sum();
        prop_assert_eq!(s.iter().sum::<u64>() + tied, seats);
        for (x, mi) in s.iter().zip(&m) {
            let q = seats as u128 * *mi as u128;
            let lower = (q / total) as u64;
            let upper = lower + u64::from(!q.is_multiple_of(total));
            prop_assert!(*x >= lower && *x <= upper, "{} members: {} seats of quota {}/{}", mi, x, q, total);
        }
    }

    /// A floor holds and the rest is shared: everyone at least K, the seats add up.
    #[test]
    fn floors_and_bases_hold(m in members(), extra in 0u64..60, k in 1u64..4, which in 0usize..4, base in any::<bool>()) {
        let method = [Method::Hamilton, Method::Dhondt, Method::SainteLague, Method::HuntingtonHill][which];
        let seats = k * m.len() as u64 + extra;
        let mut a = ask(method, seats, &m);
        if base { a.base = k } else { a.min = k }
        let r = a.run().unwrap();
        let s = decided(&r);
        let tied: u64 = r.ties.iter().map(|t| t.seats).sum();
        prop_assert!(s.iter().all(|x| *x >= k));
        prop_assert_eq!(s.iter().sum::<u64>() + tied, seats);
        prop_assert_eq!((r.seats, r.decided, r.total), (seats, seats - tied, seats));
        // Each unit's quota is its floor or base and its share of the seats shared after it
        // (with a floor, the whole seats in proportion): the quotas sum to the seats.
        let q: f64 = r.allocations.iter().map(|x| x.quota).sum();
        if r.members > 0 {
            prop_assert!((q - seats as f64).abs() < 1e-6 * seats as f64, "quotas {q} for {seats} seats");
        }
    }

    /// The ratio rule: K each plus members ÷ N rounded, a remainder of exactly N/2 down.
    #[test]
    fn the_ratio_rule_rounds_half_down(m in members(), k in 0u64..20, per in 1u64..20_000) {
        let mut a = ask(Method::Ratio, 0, &m);
        a.base = k;
        a.per = per;
        let r = a.run().unwrap();
        for (x, mi) in decided(&r).iter().zip(&m) {
            let expect = k + mi / per + u64::from(2 * (mi % per) > per);
            prop_assert_eq!(*x, expect);
        }
        prop_assert!(r.ties.is_empty());
    }

    /// A count: the elected passed and are the most voted; a tie at the last seat elects none
    /// of the tied; the seats left go to the next round.
    #[test]
    fn counts_follow_the_rules(
        n in 1usize..9,
        seats in 1u64..5,
        raw in prop::collection::vec(prop::collection::vec(any::<bool>(), 9), 0..60),
        base in 0usize..4,
    ) {
        let ballots: Vec<Vec<bool>> = raw.into_iter().map(|b| b[..n].to_vec()).collect();
        let cast = ballots.len() as u64;
        let count = Count {
            seats,
            base: Base::ALL[base],
            convened: Some(cast + 3),
            present: Some(cast + 1),
            issued: None,
            candidates: (0..n).map(|i| format!("C{i}")).collect(),
            votes: Votes::Ballots(ballots.clone()),
        };
        let t = count.run().unwrap();
        let valid: Vec<&Vec<bool>> = ballots.iter().filter(|b| b.iter().filter(|x| **x).count() as u64 <= seats).collect();
        prop_assert_eq!(t.valid, valid.len() as u64);
        prop_assert_eq!(t.invalid, cast - valid.len() as u64);
        let expect_base = [cast + 3, cast + 1, valid.len() as u64, cast][base];
        prop_assert_eq!(t.base_count, expect_base);
        for (i, c) in t.candidates.iter().enumerate() {
            let v = valid.iter().filter(|b| b[i]).count() as u64;
            prop_assert_eq!(c.votes, v);
            prop_assert_eq!(c.passed, passes(v, expect_base));
            prop_assert!(!c.elected || c.passed);
        }
        prop_assert!(t.elected.len() as u64 <= seats);
        prop_assert_eq!(t.unfilled, seats - t.elected.len() as u64);
        let votes = |name: &str| t.candidates.iter().find(|c| c.name == name).unwrap().votes;
        let least_elected = t.elected.iter().map(|e| votes(e)).min();
        for c in t.candidates.iter().filter(|c| c.passed && !c.elected) {
            if let Some(l) = least_elected { prop_assert!(c.votes <= l); }
        }
        if !t.tied.is_empty() {
            let v = votes(&t.tied[0]);
            prop_assert!(t.tied.iter().all(|x| votes(x) == v));
            prop_assert!(t.elected.len() as u64 + t.tied.len() as u64 > seats);
            prop_assert!(t.elected.iter().all(|e| votes(e) > v));
        }
        let passed = t.candidates.iter().filter(|c| c.passed).count() as u64;
        if passed <= seats { prop_assert_eq!(t.elected.len() as u64, passed); }
    }
}

// ---------------------------------------------------------------------------------------------
// The schedule check

use chrono::NaiveDate;
use orgwork_domain::congress::{Breach, Slot, check_schedule};

/// A random two-level schedule: a parent and up to 12 children (some pilots), each child
/// with a day or none, the parent on a day; `days` are offsets from 1 March 2025.
fn schedule_case() -> impl Strategy<Value = (i64, Vec<(Option<i64>, bool)>)> {
    (0i64..120, prop::collection::vec((prop::option::of(0i64..120), any::<bool>()), 0..12))
}

fn build(
    parent_on: i64,
    kids: &[(Option<i64>, bool)],
    shift: i64,
) -> (Vec<Slot>, Vec<(String, Vec<orgwork_domain::congress::Below>)>) {
    let day = |o: i64| NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + chrono::Days::new((o + shift) as u64);
    let mut slots = vec![];
    let mut below = vec![];
    for (i, (on, pilot)) in kids.iter().enumerate() {
        if let Some(o) = on {
            slots.push(Slot { unit: format!("C{i}"), level: "1".into(), on: day(*o), pilot: *pilot });
        }
        below.push((format!("C{i}"), on.map(day)));
    }
    slots.push(Slot { unit: "P".into(), level: "0".into(), on: day(parent_on), pilot: false });
    (slots, vec![("P".to_string(), below)])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Moving every day by the same number of days changes no breach but its days; a larger
    /// margin breaks at least what a smaller one does; each breach names what it says.
    #[test]
    fn the_schedule_check_is_consistent((parent_on, kids) in schedule_case(), shift in 0i64..400, margin in 0u32..30) {
        let (slots, below) = build(parent_on, &kids, 0);
        let got = check_schedule(&slots, &below, margin);
        let (moved, below_moved) = build(parent_on, &kids, shift);
        let rules = |b: &[Breach]| b.iter().map(|x| (x.rule(), serde_json::to_value(x).unwrap()["unit"].clone())).collect::<Vec<_>>();
        prop_assert_eq!(rules(&got), rules(&check_schedule(&moved, &below_moved, margin)));
        let wider = check_schedule(&slots, &below, margin + 1);
        for b in &got {
            prop_assert!(wider.contains(b) || matches!(b, Breach::BeforeChild { .. }), "{:?}", b);
        }
        prop_assert!(wider.iter().filter(|b| b.rule() == "before_child").count()
            >= got.iter().filter(|b| b.rule() == "before_child").count());
        let on = |u: &str| slots.iter().find(|s| s.unit == u).map(|s| s.on);
        for b in &got {
            match b {
                Breach::BeforeChild { on: p, child, child_on, margin_days, .. } => {
                    prop_assert_eq!(on(child), Some(*child_on));
                    prop_assert!((*p - *child_on).num_days() < i64::from(*margin_days));
                }
                Breach::ChildWithout { child, .. } => prop_assert_eq!(on(child), None),
                Breach::PilotNotFirst { on: d, pilot, pilot_on, .. } => {
                    prop_assert!(d <= pilot_on);
                    prop_assert!(slots.iter().any(|s| s.unit == *pilot && s.pilot));
                }
            }
        }
        // A schedule with every child, no pilot sharing a day, the parent late enough: passes.
        let tidy: Vec<(Option<i64>, bool)> = kids.iter().enumerate().map(|(i, _)| (Some(i as i64 * 2 + 1), i == 0)).collect();
        let (slots, below) = build(200, &tidy, 0);
        prop_assert_eq!(check_schedule(&slots, &below, margin), vec![]);
    }
}

// ---------------------------------------------------------------------------------------------
// Rounds and decided ties

use orgwork_domain::congress::{
    Credentials, Round, RoundStatus, RoundTally, TieDecision, VoteEntry, count_round, decided_shares,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Rounds run as the system runs them (each next round the seats unfilled and the names
    /// not elected): every round elects at most its seats, none of the tied, nobody twice;
    /// the rounds end; in all they elect at most the election's seats.
    #[test]
    fn further_rounds_fill_what_is_left(
        seats in 1u64..6,
        names in 2usize..9,
        present in 5u64..40,
        // Each round's votes per name, as a share (0..=100 %) of the valid ballots.
        shares in proptest::collection::vec(proptest::collection::vec(0u64..=100, 9), 1..8),
    ) {
        let credentials = Credentials { convened: present, present, ..Credentials::default() };
        let mut round = Round {
            number: 1,
            seats,
            candidates: (0..names).map(|i| format!("C{i}")).collect(),
            status: RoundStatus::Open,
            issued: None,
            entry: VoteEntry::Tally,
            ballots: 0,
            tally: None,
            result: None,
        };
        let mut elected: Vec<String> = vec![];
        for share in &shares {
            let valid = present;
            // Votes a ballot of at most `seats` names could give: scaled down to fit.
            let mut votes: Vec<u64> = round.candidates.iter().enumerate().map(|(i, _)| valid * share[i] / 100).collect();
            let cap = valid * round.seats;
            while votes.iter().sum::<u64>() > cap {
                for v in votes.iter_mut() { *v /= 2; }
            }
            round.tally = Some(RoundTally { cast: present, valid, votes });
            let t = count_round(&round, vec![], Base::Convened, &credentials).unwrap();
            prop_assert!(t.elected.len() as u64 <= round.seats);
            prop_assert!(t.elected.iter().all(|e| !t.tied.contains(e)));
            prop_assert!(t.elected.iter().all(|e| !elected.contains(e)));
            prop_assert_eq!(t.unfilled, round.seats - t.elected.len() as u64);
            elected.extend(t.elected.iter().cloned());
            match t.next_round {
                None => { prop_assert!(t.unfilled == 0 || t.elected.len() == round.candidates.len()); break; }
                Some(next) => {
                    prop_assert_eq!(next.seats, t.unfilled);
                    let left: Vec<String> = round.candidates.iter().filter(|c| !t.elected.contains(c)).cloned().collect();
                    prop_assert_eq!(&next.candidates, &left);
                    round = Round { number: round.number + 1, seats: next.seats, candidates: next.candidates, ..round };
                }
            }
        }
        prop_assert!(elected.len() as u64 <= seats);
    }

    /// Deciding every tie (the first units of each) gives every seat: the decided shares sum
    /// to the seats, and no unit gains more than one seat per tie it is in.
    #[test]
    fn decided_ties_give_every_seat(m in members(), seats in 1u64..60, which in 0usize..4) {
        let method = [Method::Hamilton, Method::Dhondt, Method::SainteLague, Method::HuntingtonHill][which];
        let a = ask(method, seats, &m).run().unwrap();
        let made: Vec<TieDecision> = a
            .ties
            .iter()
            .enumerate()
            .map(|(i, t)| TieDecision {
                tie: i as u32 + 1,
                units: t.units.iter().take(t.seats as usize).cloned().collect(),
                reason: "bốc thăm".into(),
            })
            .collect();
        for (k, d) in made.iter().enumerate() {
            orgwork_domain::congress::check_decision(&a, &made[..k], d).unwrap();
        }
        let (shares, open) = decided_shares(&a, &made);
        prop_assert_eq!(open, 0);
        prop_assert_eq!(shares.iter().map(|s| s.seats).sum::<u64>(), seats);
        for (s, x) in shares.iter().zip(&a.allocations) {
            let ties_in = a.ties.iter().filter(|t| t.units.contains(&s.unit)).count() as u64;
            prop_assert!(s.seats >= x.seats && s.seats <= x.seats + ties_in);
        }
    }
}
