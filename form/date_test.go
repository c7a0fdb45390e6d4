package form_test

import (
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that Date reads the ways people write a date and rejects days that
// do not exist, are in the future or are before 1900.
func TestDate(t *testing.T) {
	tests := []struct {
		name, in, want string
		code           form.Code
	}{
		{"dashes", "17-08-1990", "1990-08-17", ""},
		{"slashes", "17/08/1990", "1990-08-17", ""},
		{"dots", "17.08.1990", "1990-08-17", ""},
		{"spaces", "17 8 1990", "1990-08-17", ""},
		{"single digits", "1-2-1990", "1990-02-01", ""},
		{"iso", "1990-08-17", "1990-08-17", ""},
		{"indonesian month", "17 Agustus 1990", "1990-08-17", ""},
		{"indonesian abbreviation", "17 Agu 1990", "1990-08-17", ""},
		{"english month", "17 August 1990", "1990-08-17", ""},
		{"english abbreviation", "17 aug 1990", "1990-08-17", ""},
		{"upper case", "17 AGUSTUS 1990", "1990-08-17", ""},
		{"comma", "17 Agustus, 1990", "1990-08-17", ""},
		{"mei", "1 Mei 2000", "2000-05-01", ""},
		{"pebruari", "3 Pebruari 1985", "1985-02-03", ""},
		{"leap day", "29-02-2000", "2000-02-29", ""},
		{"today", "20-10-2025", "2025-10-20", ""},
		{"1900", "01-01-1900", "1900-01-01", ""},
		{"extra spaces", "  17   08  1990 ", "1990-08-17", ""},
		{"rtl override", "\u202e17-08-1990", "1990-08-17", ""},

		{"empty", "\u200b", "", form.CodeEmpty},
		{"two-digit year", "17-08-90", "", form.CodeDateInvalid},
		{"no leap day", "29-02-1999", "", form.CodeDateInvalid},
		{"31 april", "31 April 1990", "", form.CodeDateInvalid},
		{"month 13", "01-13-1990", "", form.CodeDateInvalid},
		{"day 0", "00-01-1990", "", form.CodeDateInvalid},
		{"american order", "08/17/1990", "", form.CodeDateInvalid},
		{"iso with month name", "1990-Agustus-17", "", form.CodeDateInvalid},
		{"unknown month", "17 Agst0 1990", "", form.CodeDateInvalid},
		{"two parts", "17-08", "", form.CodeDateInvalid},
		{"four parts", "17-08-1990-1", "", form.CodeDateInvalid},
		{"before 1900", "31-12-1899", "", form.CodeDateInvalid},
		{"words", "kemarin", "", form.CodeDateInvalid},
		{"signed", "+1-08-1990", "", form.CodeDateInvalid},
		{"nul", "17-08\x00-1990x", "", form.CodeDateInvalid},
		{"invalid utf8", "17-\xff-1990", "", form.CodeDateInvalid},
		{"10000 chars", strings.Repeat("1-", 5000), "", form.CodeDateInvalid},
		{"tomorrow", "21-10-2025", "", form.CodeDateFuture},
		{"year 9999", "31-12-9999", "", form.CodeDateFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.Date(tt.in, now)
			check(t, tt.in, got.Format(form.DateLayout), err, tt.want, tt.code)
			if err == nil && (got.Location() != now.Location() || got.Hour() != 0) {
				t.Fatalf("Date = %v, want midnight in %v", got, now.Location())
			}
		})
	}
}

// Ensure that Date never panics and that a date it returns, written as Parse
// stores it, reads back as the same day.
func FuzzDate(f *testing.F) {
	for _, s := range []string{
		"17-08-1990", "17/08/1990", "17.08.1990", "17 8 1990", "1990-08-17",
		"17 Agustus 1990", "17 Aug 1990", "29-02-2000", "31-04-1990", "17-08-90",
		"21-10-2025", "01-01-1900", "\u202e1-1-2000", "1 mei 2000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := form.Date(s, now)
		if err != nil {
			codeOf(t, err)
			leaks(t, s, err)
			return
		}
		if d.After(now) || d.Year() < 1900 {
			t.Fatalf("Date(%q) = %v, outside [1900, now]", s, d)
		}
		out := d.Format(form.DateLayout)
		if again, err := form.Date(out, now); err != nil || !again.Equal(d) {
			t.Fatalf("Date(%q) = %v, %v; want %v", out, again, err, d)
		}
		if again, err := form.Date(d.Format("02-01-2006"), now); err != nil || !again.Equal(d) {
			t.Fatalf("Date(%q) = %v, %v; want %v", d.Format("02-01-2006"), again, err, d)
		}
	})
}

// Ensure that the date of today is accepted until the end of the day, in the
// location of now.
func TestDate_Today(t *testing.T) {
	late := time.Date(2025, 10, 20, 23, 59, 0, 0, now.Location())
	if _, err := form.Date("20-10-2025", late); err != nil {
		t.Fatal(err)
	}
	early := time.Date(2025, 10, 20, 0, 0, 0, 0, now.Location())
	if _, err := form.Date("20-10-2025", early); err != nil {
		t.Fatal(err)
	}
}
