package store

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of a batch's Eligibility, returned by Tx.CheckIntake.
var (
	// ErrTooYoung is returned when the person is younger than
	// Eligibility.MinAge on the batch's first day.
	ErrTooYoung = errors.New("younger than the batch's minimum age")
	// ErrTooOld is returned when the person is older than
	// Eligibility.MaxAge on the batch's first day.
	ErrTooOld = errors.New("older than the batch's maximum age")
	// ErrRegion is returned when the NIK's region code starts with none of
	// Eligibility.Regions.
	ErrRegion = errors.New("the nik's region is not among the batch's regions")
	// ErrRecentlyTrained is returned when the NIK (or the account) attended
	// a batch of the course that ended less than Eligibility.ExcludeMonths
	// months before this batch starts.
	ErrRecentlyTrained = errors.New("attended this course recently")
)

// Eligibility is who a batch takes, beside the course's Intake: the
// course's min_age, max_age, nik_regions and exclude_months with the
// batch's own values in place of those it sets. The zero value takes
// everyone.
type Eligibility struct {
	// MinAge and MaxAge bound the age in full years on the batch's first
	// day, from the birth-date answer, else from the NIK; 0 is no bound.
	MinAge, MaxAge int
	// Regions are region-code prefixes of 4 digits (regency or city) or
	// 6 (district) a NIK must start with; none: any region.
	Regions []string
	// ExcludeMonths refuses a person who attended (held a seat in) a batch
	// of the course that ended less than this many months before the
	// batch starts; 0 refuses nobody. A registration the retention period
	// already deleted is not known any more.
	ExcludeMonths int
}

// On reports whether e refuses anybody.
func (e Eligibility) On() bool {
	return e.MinAge > 0 || e.MaxAge > 0 || len(e.Regions) > 0 || e.ExcludeMonths > 0
}

// check applies the rules that depend on the answers alone to a person
// whose NIK is nik ("" when the form has none or it is not answered yet).
// A rule whose deciding answer is not there yet passes: the conversation
// asks again once it is, and the seat transaction has every answer.
func (e Eligibility) check(in Intake, b Batch, answers map[string]string, nik string) error {
	if e.MinAge > 0 || e.MaxAge > 0 {
		if born, ok := in.birth(answers, nik, b.Start); ok {
			switch a := Age(born, b.Start); {
			case e.MinAge > 0 && a < e.MinAge:
				return ErrTooYoung
			case e.MaxAge > 0 && a > e.MaxAge:
				return ErrTooOld
			}
		}
	}
	if len(e.Regions) > 0 && nik != "" && !e.inRegion(nik) {
		return ErrRegion
	}
	return nil
}

func (e Eligibility) inRegion(nik string) bool {
	for _, r := range e.Regions {
		if strings.HasPrefix(nik, r) {
			return true
		}
	}
	return false
}

// trainedRecently reports whether a registration with status in batch
// past, of the same course, is an attendance that ExcludeMonths refuses
// for batch b at now: a seat in a batch that has ended, less than
// ExcludeMonths months before b starts.
func (e Eligibility) trainedRecently(past Batch, status Status, b Batch, now time.Time) bool {
	return e.ExcludeMonths > 0 && past.ID != b.ID && status == StatusRegistered && past.Ended(now) &&
		past.End().AddDate(0, e.ExcludeMonths, 0).After(b.Start)
}

// birth returns the person's birth date: the birth-date answer, else the
// one the NIK encodes.
func (in Intake) birth(answers map[string]string, nik string, at time.Time) (time.Time, bool) {
	if in.BirthField != "" {
		if d, err := time.ParseInLocation(time.DateOnly, answers[in.BirthField], at.Location()); err == nil {
			return d, true
		}
	}
	return NIKBirth(nik, at)
}

// NIKBirth returns the birth date a NIK encodes in digits 7–12 (DDMMYY,
// 40 added to the day for women), in at's time zone. The two-digit year
// is taken as the latest year not after at's. ok is false when nik is not
// 16 digits or its date does not exist.
func NIKBirth(nik string, at time.Time) (time.Time, bool) {
	if len(nik) != 16 || strings.Trim(nik, "0123456789") != "" {
		return time.Time{}, false
	}
	two := func(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
	day, month, yy := two(nik[6:8]), two(nik[8:10]), two(nik[10:12])
	if day > 40 {
		day -= 40
	}
	year := at.Year()/100*100 + yy
	if year > at.Year() {
		year -= 100
	}
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, at.Location())
	if month < 1 || month > 12 || day < 1 || d.Day() != day {
		return time.Time{}, false
	}
	return d, true
}

// Age is how many full years someone born on birth has on day.
func Age(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		y--
	}
	return y
}

// ParseRegion reads one nik_regions entry: a region code of 4 digits
// (province and regency or city, "3509" for Kabupaten Jember) or 6 (and
// district, "350901"), written with or without dots ("35.09.01") and
// spaces. It returns the digits.
func ParseRegion(s string) (string, error) {
	d := strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, s)
	if len(d) != 4 && len(d) != 6 || strings.Trim(d, "0123456789") != "" {
		return "", fmt.Errorf("want a region code of 4 digits (regency or city, like \"3509\") or 6 (district, like \"350901\")")
	}
	if d[0:2] == "00" || d[2:4] == "00" || len(d) == 6 && d[4:6] == "00" {
		return "", fmt.Errorf("no region code has \"00\" as its province, regency or district")
	}
	return d, nil
}

// IntakeRefused reports whether err is a refusal by the intake rules: the
// course's (one NIK one place) or a batch's Eligibility.
func IntakeRefused(err error) bool {
	for _, e := range []error{ErrNIKTaken, ErrTooManyPlaces, ErrTooYoung, ErrTooOld, ErrRegion, ErrRecentlyTrained} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
