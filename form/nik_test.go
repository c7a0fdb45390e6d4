package form_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that NIK checks the structure of the number and returns its digits.
func TestNIK(t *testing.T) {
	tests := []struct {
		name, in, want string
		code           form.Code
	}{
		{"woman from Jember", "3509014501900001", "3509014501900001", ""},
		{"man", "3509010508900001", "3509010508900001", ""},
		{"spaces", "3509 0145 0190 0001", "3509014501900001", ""},
		{"dots and dashes", "35.09.01-450190-0001", "3509014501900001", ""},
		{"aceh", "1101010101000001", "1101010101000001", ""},
		{"kepulauan riau", "2171010101000001", "2171010101000001", ""},
		{"papua barat daya", "9601010101000001", "9601010101000001", ""},
		{"papua pegunungan", "9501010101000001", "9501010101000001", ""},
		{"29 february", "3509012902010001", "3509012902010001", ""},
		{"woman 31 december", "3509017112990001", "3509017112990001", ""},
		{"zero width inside", "3509\u200b014501900001", "3509014501900001", ""},

		{"empty", " - ", "", form.CodeEmpty},
		{"15 digits", "350901450190000", "", form.CodeNIKLength},
		{"17 digits", "35090145019000011", "", form.CodeNIKLength},
		{"10000 digits", strings.Repeat("3", 10000), "", form.CodeNIKLength},
		{"letter", "35090145019O0001", "", form.CodeNIKDigits},
		{"nul", "350901450190000\x00", "", form.CodeNIKLength},
		{"slash", "3509014501900/01", "", form.CodeNIKDigits},
		{"invalid utf8", "350901450190000\xff", "", form.CodeNIKDigits},
		{"arabic-indic digit", "350901450190000٣", "", form.CodeNIKDigits},
		{"province 00", "0009014501900001", "", form.CodeNIKRegion},
		{"province 20", "2009014501900001", "", form.CodeNIKRegion},
		{"province 54", "5409014501900001", "", form.CodeNIKRegion},
		{"province 99", "9909014501900001", "", form.CodeNIKRegion},
		{"regency 00", "3500014501900001", "", form.CodeNIKRegion},
		{"district 00", "3509004501900001", "", form.CodeNIKRegion},
		{"day 00", "3509010001900001", "", form.CodeNIKDate},
		{"day 32", "3509013201900001", "", form.CodeNIKDate},
		{"day 40", "3509014001900001", "", form.CodeNIKDate},
		{"day 72", "3509017201900001", "", form.CodeNIKDate},
		{"month 00", "3509010100900001", "", form.CodeNIKDate},
		{"month 13", "3509010113900001", "", form.CodeNIKDate},
		{"30 february", "3509013002900001", "", form.CodeNIKDate},
		{"woman 31 april", "3509017104900001", "", form.CodeNIKDate},
		{"serial 0000", "3509014501900000", "", form.CodeNIKSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.NIK(tt.in)
			check(t, tt.in, got, err, tt.want, tt.code)
		})
	}
}

// Ensure that NIK never panics and returns 16 digits that it accepts again.
func FuzzNIK(f *testing.F) {
	for _, s := range []string{
		"3509014501900001", "3509 0145 0190 0001", "35.09.01-450190-0001",
		"9601010101000001", "3509012902010001", "3509013002900001",
		"3509014501900000", "0009014501900001", "35090145019O0001",
		"350901450190000\xff", "\u200b3509014501900001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := form.NIK(s)
		if err != nil {
			codeOf(t, err)
			leaks(t, s, err)
			return
		}
		if len(out) != 16 || strings.Trim(out, "0123456789") != "" {
			t.Fatalf("NIK(%q) = %q, not 16 digits", s, out)
		}
		if again, err := form.NIK(out); err != nil || again != out {
			t.Fatalf("NIK(%q) = %q, %v; not idempotent", out, again, err)
		}
	})
}
