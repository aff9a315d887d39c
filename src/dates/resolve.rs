//! Calendar arithmetic for values: weekdays relative to a reference date, ISO weeks, month shifts.

use jiff::civil::Date;

/// `YYYY-MM-DD`.
pub(super) fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `d` shifted by `n` days.
pub(super) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

/// ISO weekday of `d`, Monday = 1 ... Sunday = 7.
fn iso_weekday(d: Date) -> i64 {
    i64::from(d.weekday().to_monday_one_offset())
}

/// The most recent day `wd` (ISO number) before `r`; `r` itself counts unless `strict`.
pub(super) fn weekday_before(r: Date, wd: u8, strict: bool) -> Option<Date> {
    let mut back = (iso_weekday(r) - i64::from(wd)).rem_euclid(7);
    if back == 0 && strict {
        back = 7;
    }
    add_days(r, -back)
}

/// The next day `wd` after `r`; `r` itself counts unless `strict`.
pub(super) fn weekday_after(r: Date, wd: u8, strict: bool) -> Option<Date> {
    let mut fwd = (i64::from(wd) - iso_weekday(r)).rem_euclid(7);
    if fwd == 0 && strict {
        fwd = 7;
    }
    add_days(r, fwd)
}

/// A bare weekday: the day `wd` in the window `r - 4 ..= r + 2`. News uses a bare weekday mostly
/// for the last few days ("أعلن الكرملين، الخميس") and for the next two days of an announced event.
pub(super) fn weekday_near(r: Date, wd: u8) -> Option<Date> {
    let fwd = (i64::from(wd) - iso_weekday(r)).rem_euclid(7);
    add_days(r, if fwd <= 2 { fwd } else { fwd - 7 })
}

/// `YYYY-Www` of the ISO week holding `d`.
pub(super) fn iso_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// `(year, month)` shifted by `delta` months.
pub(super) fn add_months(year: i64, month: i64, delta: i64) -> (i64, i64) {
    let idx = year * 12 + (month - 1) + delta;
    (idx.div_euclid(12), idx.rem_euclid(12) + 1)
}

/// Whether `day` exists in `month` of `year` (any leap year when the year is unknown).
pub(super) fn valid_day(year: Option<i64>, month: u8, day: u8) -> bool {
    let y = year.unwrap_or(2024);
    match (i16::try_from(y), i8::try_from(month), i8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weekdays() {
        let thu = date(2023, 7, 27);
        assert_eq!(weekday_before(thu, 3, true), Some(date(2023, 7, 26)));
        assert_eq!(weekday_before(thu, 4, true), Some(date(2023, 7, 20)));
        assert_eq!(weekday_before(thu, 4, false), Some(thu));
        assert_eq!(weekday_after(thu, 4, true), Some(date(2023, 8, 3)));
        assert_eq!(weekday_near(thu, 7), Some(date(2023, 7, 23)));
        assert_eq!(weekday_near(thu, 6), Some(date(2023, 7, 29)));
        assert_eq!(iso_week(thu), "2023-W30");
        assert_eq!(add_months(2024, 1, -1), (2023, 12));
        assert!(!valid_day(Some(2023), 2, 29));
        assert!(valid_day(None, 2, 29));
    }
}
