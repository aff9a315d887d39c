//! Month names: day + month + year, month + year, a month alone or with a relative word, in
//! Arabic and English; and Hijri dates.
//!
//! A Gregorian month date is read in steps: what stands before the name ([`Before`]: يوم, a day
//! number, a relative word, شهر), the name and another name of the same month in a pair
//! ("يونيو/حزيران"), an English day after it ("June 19"), what follows ([`Tail`]: a year, a
//! relative year or word), then whether a month with nothing dated around it is a month at all.

use super::{Cand, Cx, View};
use crate::dates::resolve::valid_day;
use crate::rules::dates::{Meaning, Rel, Unit};

/// A Gregorian month name.
#[derive(Clone, Copy)]
struct MonthName {
    num: u8,
    /// Also a common word or a name (ماي, آب, May): a month only in a date context.
    ambiguous: bool,
    english: bool,
}

fn month_name(m: Meaning) -> Option<MonthName> {
    match m {
        Meaning::Month {
            num,
            ambiguous,
            english,
        } => Some(MonthName {
            num,
            ambiguous,
            english,
        }),
        _ => None,
    }
}

/// What stands before a month name.
#[derive(Default)]
struct Before {
    /// Where the span starts, when it starts before the name.
    start: Option<usize>,
    /// A day number ("19", "الـ19 من", "السابع من").
    day: Option<u8>,
    /// A relative word before the name ("last June").
    rel: Option<Rel>,
    /// "شهر" before the name.
    marker: bool,
    /// The token of the name.
    name: usize,
}

/// What follows a month name (and its day).
struct Tail {
    year: Option<i64>,
    /// A relative year ("من العام الماضي": -1).
    year_off: Option<i64>,
    /// A relative word after the month ("الماضي").
    rel: Option<Rel>,
    /// The token after the match.
    end: usize,
}

/// How the token where a span may start is read: with proclitics when the match starts there
/// (`first`, and nothing `started` before it), as it is otherwise.
fn start_view(first: bool, started: bool) -> View {
    if first && !started {
        View::Clitic
    } else {
        View::Exact
    }
}

impl Cx<'_> {
    /// [يوم] [19 [من]] [شهر] month [/month | (month)] [19] [, 2024 | من عام 2024 | من العام الماضي |
    /// الماضي | هذا العام]; English "last June", "June 19, 2024", "19th of June".
    pub(super) fn month_date(&self, i: usize, first: bool) -> Option<Cand> {
        let before = self.before_month(i, first)?;
        let view = start_view(first, before.start.is_some());
        let m = self.lex(before.name, view, month_name)?;
        let start = before.start.unwrap_or(m.start);
        let MonthName { num, english, .. } = m.v;
        let paired_end = self.month_pair(num, m.end);
        let paired = paired_end.is_some();
        let ambiguous = m.v.ambiguous && !paired;
        let mut j = paired_end.unwrap_or(m.end);
        let mut day = before.day;
        let mut day_after = false;
        if day.is_none() && english {
            if let Some((d, e)) = self.english_day(j, paired) {
                day = Some(d);
                day_after = true;
                j = e;
            }
        }
        let tail = self.month_tail(j, day_after);
        let rel = tail.rel.or(before.rel);
        let dated =
            day.is_some() || tail.year.is_some() || tail.year_off.is_some() || rel.is_some();
        // A month with nothing dated around it needs a context of its own.
        if !(dated || paired || before.marker || self.lone_month(i, tail.end, ambiguous, english)) {
            return None;
        }
        if let Some(d) = day {
            if !valid_day(tail.year, num, d) {
                return None;
            }
        }
        let value = match (self.month_year(num, &tail, rel), day) {
            (Some(y), Some(d)) if valid_day(Some(y), num, d) => format!("{y:04}-{num:02}-{d:02}"),
            (Some(_), Some(_)) => String::new(),
            (Some(y), None) => format!("{y:04}-{num:02}"),
            (None, _) => String::new(),
        };
        let conf = if tail.year.is_some() {
            0.95
        } else if dated || paired {
            0.9
        } else if ambiguous {
            0.7
        } else {
            0.8
        };
        Some(Cand {
            start,
            end: tail.end,
            value,
            rule: if day.is_some() {
                "date/day-month"
            } else {
                "date/month"
            },
            conf,
        })
    }

    /// What stands before a month name from token `i`: يوم + a day number, a day number (before
    /// a name or شهر + a name), or a relative word; then شهر. `None` when يوم and a day number are
    /// not followed by a month.
    fn before_month(&self, i: usize, first: bool) -> Option<Before> {
        let mut b = Before {
            name: i,
            ..Before::default()
        };
        // يوم + day number
        if let Some(m) = self.lex(i, start_view(first, false), |m| {
            (m == Meaning::DayMarker).then_some(())
        }) {
            if self.day_at(m.end, false).is_some() {
                b.start = Some(m.start);
                b.name = m.end;
            }
        }
        if let Some((d, s, k)) = self.day_before_month(b.name, first && b.start.is_none()) {
            if self.lex(k, View::Exact, month_name).is_some()
                || (self.has(k, View::Exact, |m| m == Meaning::MonthMarker) && k + 1 < self.len())
            {
                b.day = Some(d);
                b.start.get_or_insert(s);
                b.name = k;
            } else if b.start.is_some() {
                return None;
            }
        }
        if b.start.is_none() {
            if let Some(r) = self.lex(b.name, start_view(first, false), |m| match m {
                Meaning::Before(r) if r != Rel::Anaphoric => Some(r),
                _ => None,
            }) {
                if self.lex(r.end, View::Exact, month_name).is_some() {
                    b.rel = Some(r.v);
                    b.start = Some(r.start);
                    b.name = r.end;
                }
            }
        }
        let view = start_view(first, b.start.is_some());
        if let Some(mm) = self.lex(b.name, view, |m| (m == Meaning::MonthMarker).then_some(())) {
            if self.lex(mm.end, View::Exact, month_name).is_some() {
                b.marker = true;
                b.start.get_or_insert(mm.start);
                b.name = mm.end;
            }
        }
        Some(b)
    }

    /// A day before a month: a number ("19", "الـ19"), optionally followed by "من"/"of", or a
    /// written-out ordinal that must be followed by "من" ("السابع من"). Returns (day, start, token
    /// after the day and its "من").
    fn day_before_month(&self, i: usize, first: bool) -> Option<(u8, usize, usize)> {
        let of = |k: usize| {
            self.lex(k, View::Exact, |m| (m == Meaning::Of).then_some(()))
                .map(|o| o.end)
        };
        if let Some((d, s, e)) = self.day_at(i, first) {
            return Some((d, s, of(e).unwrap_or(e)));
        }
        let view = if first { View::Clitic } else { View::Exact };
        let o = self.lex(i, view, |m| match m {
            Meaning::Ordinal(d) => Some(d),
            _ => None,
        })?;
        Some((o.v, o.start, of(o.end)?))
    }

    /// The token after another name of month `num` paired with the name ending before token `j`:
    /// "يونيو/حزيران", "يونيو-حزيران", "يونيو (حزيران)".
    fn month_pair(&self, num: u8, j: usize) -> Option<usize> {
        let same = |k: usize| {
            self.lex(k, View::Exact, month_name)
                .filter(|m| m.v.num == num)
        };
        match self.tok(j) {
            "/" | "-" => same(j + 1).map(|m| m.end),
            "(" => same(j + 1)
                .filter(|m| self.tok(m.end) == ")")
                .map(|m| m.end + 1),
            _ => None,
        }
    }

    /// An English day after the month name ending before token `j` ("June 19", "Jan. 15"), not a
    /// count ("June 5 soldiers"): (day, token after it).
    fn english_day(&self, j: usize, paired: bool) -> Option<(u8, usize)> {
        let k = if self.tok(j) == "." && !paired {
            j + 1
        } else {
            j
        };
        let (d, _, e) = self.day_at(k, false)?;
        (!self.has(e, View::Exact, |m| m == Meaning::Count)).then_some((d, e))
    }

    /// What follows a month (and its day) from token `j`: a year ("2024", ", 2024" after an
    /// English day, "عام 2024"), "من" + a year or a relative year ("من العام الماضي"), a relative
    /// word ("الماضي"), or a relative year ("هذا العام").
    fn month_tail(&self, j: usize, day_after: bool) -> Tail {
        let mut tail = Tail {
            year: None,
            year_off: None,
            rel: None,
            end: j,
        };
        let k = if day_after && self.tok(j) == "," {
            j + 1
        } else {
            j
        };
        let marked = self
            .lex(k, View::Exact, |m| (m == Meaning::YearMarker).then_some(()))
            .map(|l| l.end);
        if let Some((y, e)) = self
            .tail_year(k)
            .or_else(|| marked.and_then(|k| self.tail_year(k)))
        {
            (tail.year, tail.end) = (Some(y), e);
        } else if let Some(of) = self.lex(j, View::Exact, |m| (m == Meaning::Of).then_some(())) {
            let k = self
                .lex(of.end, View::Exact, |m| {
                    (m == Meaning::YearMarker).then_some(())
                })
                .map_or(of.end, |l| l.end);
            if let Some((y, e)) = self.tail_year(k) {
                (tail.year, tail.end) = (Some(y), e);
            } else if let Some((o, e)) = self.relative_year(of.end) {
                (tail.year_off, tail.end) = (Some(o), e);
            }
        } else if let Some(r) = self.lex(j, View::Exact, |m| match m {
            Meaning::After(r) if r != Rel::Anaphoric => Some(r),
            _ => None,
        }) {
            (tail.rel, tail.end) = (Some(r.v), r.end);
        } else if let Some((o, e)) = self.relative_year(j) {
            (tail.year_off, tail.end) = (Some(o), e);
        }
        tail
    }

    /// A plain year at token `k` after a month: four digits, 1000-2100, not AH, not a count
    /// ("2000 جندي"). (year, token after it).
    #[inline]
    fn tail_year(&self, k: usize) -> Option<(i64, usize)> {
        self.year_at(k, false)
            .filter(|y| y.digits == 4 && !y.ah && (1000..=2100).contains(&y.y))
            .filter(|y| !self.has(y.end, View::Exact, |m| m == Meaning::Count))
            .map(|y| (y.y, y.end))
    }

    /// A relative year at token `k`: "العام الماضي" (-1), "العام المقبل" (+1), "هذا العام" (0).
    /// (offset, token after it).
    fn relative_year(&self, k: usize) -> Option<(i64, usize)> {
        let off = |r: Rel| match r {
            Rel::Past => -1,
            Rel::Next => 1,
            _ => 0,
        };
        if let Some(u) = self.lex(k, View::Exact, |m| {
            (m == Meaning::Unit(Unit::Year)).then_some(())
        }) {
            let r = self.lex(u.end, View::Exact, |m| match m {
                Meaning::After(r) if r != Rel::Anaphoric => Some(r),
                _ => None,
            })?;
            return Some((off(r.v), r.end));
        }
        let b = self.lex(k, View::Exact, |m| match m {
            Meaning::Before(r) if r != Rel::Anaphoric => Some(r),
            _ => None,
        })?;
        let u = self.lex(b.end, View::Exact, |m| {
            (m == Meaning::Unit(Unit::Year)).then_some(())
        })?;
        Some((off(b.v), u.end))
    }

    /// Whether a month name at token `i` with nothing dated around it (no day, year, relative
    /// word, pair or شهر; the match ends before token `end`) is a month: an ambiguous name needs a
    /// time preposition before it and punctuation (or the end) after it ("في مارس،"), an English
    /// one a preposition ("in June").
    fn lone_month(&self, i: usize, end: usize, ambiguous: bool, english: bool) -> bool {
        if !ambiguous && !english {
            return true;
        }
        let prep = self.prev_has(i, View::Lax, |m| m == Meaning::Prep);
        prep && (!ambiguous || self.boundary(end))
    }

    /// The year of month `num`: the one the text gives, else (with a reference) the reference
    /// year moved by a relative year, or for الماضي the most recent such month strictly before
    /// the reference month, for المقبل the next one strictly after.
    fn month_year(&self, num: u8, tail: &Tail, rel: Option<Rel>) -> Option<i64> {
        if tail.year.is_some() {
            return tail.year;
        }
        let r = self.r?;
        let (ry, rm) = (i64::from(r.year()), i64::from(r.month()));
        let m = i64::from(num);
        Some(match (tail.year_off, rel) {
            (Some(o), _) => ry + o,
            (None, Some(Rel::Past)) => ry - i64::from(m >= rm),
            (None, Some(Rel::Next)) => ry + i64::from(m <= rm),
            _ => ry,
        })
    }

    /// [19] [شهر] رمضان [1445 [هـ]]: needs a day or a year. Value `AH1445-09-19`.
    pub(super) fn hijri(&self, i: usize) -> Option<Cand> {
        let hijri = |m: Meaning| match m {
            Meaning::Hijri(n) => Some(n),
            _ => None,
        };
        let mut j = i;
        let mut start = None;
        let mut day = None;
        if let Some((d, s, k)) = self.day_before_month(i, true) {
            if self.lex(k, View::Exact, hijri).is_some() {
                day = Some(d);
                start = Some(s);
                j = k;
            }
        }
        let view = start_view(true, start.is_some());
        if let Some(mm) = self.lex(j, view, |m| (m == Meaning::MonthMarker).then_some(())) {
            if self.lex(mm.end, View::Exact, hijri).is_some() {
                start.get_or_insert(mm.start);
                j = mm.end;
            }
        }
        let m = self.lex(j, start_view(true, start.is_some()), hijri)?;
        let start = start.unwrap_or(m.start);
        j = m.end;
        let marked = self
            .lex(j, View::Exact, |m| (m == Meaning::YearMarker).then_some(()))
            .map_or(j, |l| l.end);
        let year = self
            .year_at(marked, false)
            .filter(|y| ((1..=1600).contains(&y.y) && !y.marked) || y.ah);
        if let Some(y) = year {
            j = y.end;
        }
        if day.is_none() && year.is_none() {
            return None;
        }
        if day.is_some_and(|d| d > 30) {
            return None;
        }
        let value = match (year, day) {
            (Some(y), Some(d)) => format!("AH{:04}-{m:02}-{d:02}", y.y, m = m.v),
            (Some(y), None) => format!("AH{:04}-{:02}", y.y, m.v),
            (None, _) => String::new(),
        };
        Some(Cand {
            start,
            end: j,
            value,
            rule: "date/hijri",
            conf: 0.9,
        })
    }
}
