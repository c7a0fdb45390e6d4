package form_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that Number reads integers with thousands separators, returns them
// in canonical decimal and checks the bounds.
func TestNumber(t *testing.T) {
	tests := []struct {
		name, in string
		min, max int
		want     string
		code     form.Code
	}{
		{"plain", "25", 0, 0, "25", ""},
		{"dot thousands", "1.000", 0, 0, "1000", ""},
		{"space thousands", "1 000 000", 0, 0, "1000000", ""},
		{"dots millions", "12.500.000", 0, 0, "12500000", ""},
		{"leading zeros", "007", 0, 0, "7", ""},
		{"plus", "+5", 0, 0, "5", ""},
		{"minus", "-5", 0, 0, "-5", ""},
		{"minus zero", "-0", 0, 0, "0", ""},
		{"min inclusive", "15", 15, 70, "15", ""},
		{"max inclusive", "70", 15, 70, "70", ""},
		{"only max", "-100", 0, 10, "-100", ""},
		{"surrounding space", "  42 ", 0, 0, "42", ""},
		{"int64 max", "9223372036854775807", 0, 0, "9223372036854775807", ""},

		{"empty", "", 0, 0, "", form.CodeEmpty},
		{"below", "14", 15, 70, "", form.CodeNumberRange},
		{"above", "71", 15, 70, "", form.CodeNumberRange},
		{"negative below", "-1", 1, 0, "", form.CodeNumberMin},
		{"only min", "16", 17, 0, "", form.CodeNumberMin},
		{"only max", "71", 0, 70, "", form.CodeNumberMax},
		{"overflow", "9223372036854775808", 0, 0, "", form.CodeNumberInvalid},
		{"overflow above max", "9223372036854775808", 15, 70, "", form.CodeNumberRange},
		{"overflow below min", "-9223372036854775809", 15, 0, "", form.CodeNumberMin},
		{"negative overflow under max", "-9223372036854775809", 0, 70, "", form.CodeNumberInvalid},
		{"10000 digits", strings.Repeat("9", 10000), 0, 10, "", form.CodeNumberMax},
		{"decimal", "1.5", 0, 0, "", form.CodeNumberInvalid},
		{"comma decimal", "1,5", 0, 0, "", form.CodeNumberInvalid},
		{"bad group", "1.00", 0, 0, "", form.CodeNumberInvalid},
		{"long first group", "1000.000", 0, 0, "", form.CodeNumberInvalid},
		{"double dot", "1..000", 0, 0, "", form.CodeNumberInvalid},
		{"trailing dot", "1000.", 0, 0, "", form.CodeNumberInvalid},
		{"leading dot", ".100", 0, 0, "", form.CodeNumberInvalid},
		{"sign only", "-", 0, 0, "", form.CodeNumberInvalid},
		{"double sign", "--5", 0, 0, "", form.CodeNumberInvalid},
		{"space after sign", "- 5", 0, 0, "", form.CodeNumberInvalid},
		{"words", "dua puluh", 0, 0, "", form.CodeNumberInvalid},
		{"unit", "25 tahun", 0, 0, "25", ""},
		{"unit without space", "30tahun", 0, 0, "30", ""},
		{"unit after thousands", "1.500 orang", 0, 0, "1500", ""},
		{"unit out of range", "80 tahun", 17, 70, "", form.CodeNumberRange},
		{"unit only", "tahun", 0, 0, "", form.CodeNumberInvalid},
		{"unit first", "tahun 25", 0, 0, "", form.CodeNumberInvalid},
		{"two words", "25 tahun lalu", 0, 0, "", form.CodeNumberInvalid},
		{"unit after a dot", "25. tahun", 0, 0, "", form.CodeNumberInvalid},
		{"arabic-indic", "٢٥", 0, 0, "", form.CodeNumberInvalid},
		{"nul", "2\x005", 0, 0, "25", ""},
		{"invalid utf8", "2\xff5", 0, 0, "", form.CodeNumberInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.Number(tt.in, tt.min, tt.max)
			check(t, tt.in, got, err, tt.want, tt.code)
		})
	}
}

// Ensure that Number never panics and returns a canonical integer within the
// bounds that it accepts again unchanged.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{
		"25", "1.000", "1 000 000", "-5", "+5", "007", "1.5", "1..000", "-",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"30 tahun", "5kg", "1.000 orang",
	} {
		f.Add(s, 0, 0)
		f.Add(s, 15, 70)
	}
	f.Fuzz(func(t *testing.T, s string, min, max int) {
		out, err := form.Number(s, min, max)
		if err != nil {
			// The explanation names exactly the bounds in force.
			want := map[[2]bool]form.Code{{true, true}: form.CodeNumberRange, {true, false}: form.CodeNumberMin, {false, true}: form.CodeNumberMax}[[2]bool{min != 0, max != 0}]
			switch c := codeOf(t, err); c {
			case form.CodeNumberRange, form.CodeNumberMin, form.CodeNumberMax:
				if c != want {
					t.Fatalf("Number(%q, %d, %d): %s, want %q", s, min, max, c, want)
				}
			}
			leaks(t, s, err)
			return
		}
		n, perr := strconv.ParseInt(out, 10, 64)
		if perr != nil || strconv.FormatInt(n, 10) != out {
			t.Fatalf("Number(%q) = %q, not canonical", s, out)
		}
		if (min != 0 && n < int64(min)) || (max != 0 && n > int64(max)) {
			t.Fatalf("Number(%q) = %d, outside [%d, %d]", s, n, min, max)
		}
		if again, err := form.Number(out, min, max); err != nil || again != out {
			t.Fatalf("Number(%q) = %q, %v; not idempotent", out, again, err)
		}
	})
}
