//! Days and units counted from the reference date: weekdays (الخميس الماضي, يوم الأربعاء, last
//! Friday), day words (أمس, غدا, صباح اليوم) and relative units (الشهر الماضي, هذا العام, next week).

use super::{Cand, Cx};
use crate::dates::lookup::View;
use crate::dates::resolve::{
    add_days, add_months, iso_week, weekday_after, weekday_before, weekday_near, ymd,
};
use crate::rules::dates::{Meaning, Rel, Unit};

/// The word before a weekday: none, a day word (اليوم, أمس, غدا), يوم, or a relative word (last).
#[derive(Clone, Copy, PartialEq)]
enum Lead {
    None,
    Day(i8),
    Marker,
    Rel(Rel),
}

impl Cx<'_> {
    /// [يوم|اليوم|أمس|غدا|last|next] weekday [الماضي|المقبل|السابق] [, day month year].
    pub(super) fn weekday_phrase(&self, i: usize) -> Option<Cand> {
        let (lead, lead_start, j) = self.weekday_lead(i);
        let view = if lead == Lead::None {
            View::Clitic
        } else {
            View::Exact
        };
        let w = self.lex(j, view, |m| match m {
            Meaning::Weekday { num, ambiguous } => Some((num, ambiguous)),
            _ => None,
        })?;
        let (num, ambiguous) = w.v;
        let start = lead_start.unwrap_or(w.start);
        let (rel, end) = match lead {
            Lead::Rel(r) => (Some(r), w.end),
            _ => match self.lex(w.end, View::Exact, |m| match m {
                Meaning::After(r) => Some(r),
                _ => None,
            }) {
                Some(r) => (Some(r.v), r.end),
                None => (None, w.end),
            },
        };
        if lead == Lead::None && !self.lone_weekday(i, w.end, end, ambiguous && rel.is_none()) {
            return None;
        }
        // "يوم الخميس 27 يوليو 2023": the calendar date is the value.
        let k = if self.tok(end) == "," { end + 1 } else { end };
        if let Some(c) = self
            .month_date(k, false)
            .filter(|c| c.rule == "date/day-month")
        {
            return Some(Cand {
                start,
                end: c.end,
                value: c.value,
                rule: "date/weekday-date",
                conf: 0.95,
            });
        }
        Some(Cand {
            start,
            end,
            value: self.weekday_value(num, rel, lead),
            rule: "date/weekday",
            conf: match (lead, rel, ambiguous) {
                (Lead::None, None, true) => 0.7,
                (Lead::None, None, false) => 0.8,
                _ => 0.9,
            },
        })
    }

    /// The word at token `i` before a weekday, its start byte and the weekday's token; `Lead::None`
    /// (and token `i`) when no weekday follows one.
    fn weekday_lead(&self, i: usize) -> (Lead, Option<usize>, usize) {
        let lead = self.lex(i, View::Clitic, |m| match m {
            Meaning::Day { offset, .. } => Some(Lead::Day(offset)),
            Meaning::DayMarker => Some(Lead::Marker),
            Meaning::Before(r) if r != Rel::Anaphoric => Some(Lead::Rel(r)),
            _ => None,
        });
        match lead {
            Some(l) if self.has(l.end, View::Exact, |m| matches!(m, Meaning::Weekday { .. })) => {
                (l.v, Some(l.start), l.end)
            }
            _ => (Lead::None, None, i),
        }
    }

    /// Whether a weekday with no word before it, at token `i`, is a date (`w_end`: the token after
    /// it; `end`: after its relative word, if any). Never after or before a blocking word ("بين
    /// الاثنين", "الأحد عشر"); when `needs_cue` (an ambiguous weekday without a relative word:
    /// الاثنين is also "the two"), only next to punctuation, before a cue word ("الاثنين إن") or
    /// after another weekday.
    fn lone_weekday(&self, i: usize, w_end: usize, end: usize, needs_cue: bool) -> bool {
        let blocked = self.prev_has(i, View::Lax, |m| m == Meaning::WeekdayBlockAfter)
            || self.has(w_end, View::Exact, |m| m == Meaning::WeekdayBlockBefore);
        if blocked {
            return false;
        }
        !needs_cue
            || self.boundary_before(i)
            || self.boundary(end)
            || self.has(end, View::Exact, |m| m == Meaning::WeekdayCue)
            || self.prev_has(i, View::Exact, |m| matches!(m, Meaning::Weekday { .. }))
    }

    /// `YYYY-MM-DD` of weekday `num` from the reference: before it after أمس or with a past word,
    /// after it after غدا or with a next word, on or before it after اليوم, near it when bare.
    fn weekday_value(&self, num: u8, rel: Option<Rel>, lead: Lead) -> String {
        let Some(r) = self.r else {
            return String::new();
        };
        let day = match (rel, lead) {
            (Some(Rel::Anaphoric), _) => None,
            (Some(Rel::Past), _) => weekday_before(r, num, true),
            (Some(Rel::Next), _) => weekday_after(r, num, true),
            (_, Lead::Day(0)) => weekday_before(r, num, false),
            (_, Lead::Day(o)) if o < 0 => weekday_before(r, num, true),
            (_, Lead::Day(_)) => weekday_after(r, num, true),
            _ => weekday_near(r, num),
        };
        day.map(ymd).unwrap_or_default()
    }

    /// أمس، يوم أمس، غدا، yesterday, today; "اليوم" only after a part of the day ("صباح اليوم").
    pub(super) fn day_word(&self, i: usize) -> Option<Cand> {
        let l = self.lex(i, View::Clitic, |m| match m {
            Meaning::Day { offset, alone } => Some((offset, alone)),
            _ => None,
        })?;
        let (offset, alone) = l.v;
        if !alone && !self.prev_has(i, View::Lax, |m| m == Meaning::DayPart) {
            return None;
        }
        let value = self
            .r
            .and_then(|r| add_days(r, i64::from(offset)))
            .map(ymd)
            .unwrap_or_default();
        Some(Cand {
            start: l.start,
            end: l.end,
            value,
            rule: "date/day-word",
            conf: 0.85,
        })
    }

    /// الشهر الماضي، الأسبوع المقبل، العام الجاري، اليوم السابق، هذا العام، last week, next year.
    pub(super) fn relative_unit(&self, i: usize) -> Option<Cand> {
        let unit = |m: Meaning| match m {
            Meaning::Unit(u) => Some(u),
            _ => None,
        };
        let (start, end, u, rel) = if let Some(b) = self.lex(i, View::Clitic, |m| match m {
            Meaning::Before(r) => Some(r),
            _ => None,
        }) {
            let un = self
                .lex(b.end, View::Exact, unit)
                .filter(|u| u.v != Unit::Day)?;
            (b.start, un.end, un.v, b.v)
        } else {
            let un = self.lex(i, View::Clitic, unit)?;
            let r = self.lex(un.end, View::Exact, |m| match m {
                Meaning::After(r) => Some(r),
                _ => None,
            })?;
            if un.v == Unit::Year && self.prev_has(i, View::Lax, |m| m == Meaning::YearUnitBlock) {
                return None;
            }
            (un.start, r.end, un.v, r.v)
        };
        Some(Cand {
            start,
            end,
            value: self.unit_value(u, rel),
            rule: "date/relative",
            conf: 0.85,
        })
    }

    /// The value of unit `u` qualified by `rel`: a day, an ISO week, a month or a year from the
    /// reference.
    fn unit_value(&self, u: Unit, rel: Rel) -> String {
        let delta = match rel {
            Rel::Anaphoric => return String::new(),
            Rel::Past => -1,
            Rel::Next => 1,
            Rel::Current => 0,
        };
        let Some(r) = self.r else {
            return String::new();
        };
        match u {
            Unit::Day | Unit::Night => add_days(r, delta).map(ymd).unwrap_or_default(),
            Unit::Week => add_days(r, 7 * delta).map(iso_week).unwrap_or_default(),
            Unit::Month => {
                let (y, m) = add_months(i64::from(r.year()), i64::from(r.month()), delta);
                format!("{y:04}-{m:02}")
            }
            Unit::Year => format!("{:04}", i64::from(r.year()) + delta),
        }
    }
}
