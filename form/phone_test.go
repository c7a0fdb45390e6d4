package form_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that Phone accepts the ways people write or share a mobile number,
// returns it in E.164, and rejects everything else.
func TestPhone(t *testing.T) {
	tests := []struct {
		name, in, want string
		code           form.Code
		foreign        bool // the field takes foreign numbers
	}{
		{"dashes", "0812-3456-7890", "+6281234567890", "", false},
		{"spaces", "0812 3456 7890", "+6281234567890", "", false},
		{"dots", "0812.3456.7890", "+6281234567890", "", false},
		{"international", "+62 812 3456 7890", "+6281234567890", "", false},
		{"international with 0", "+62 0812 3456 7890", "+6281234567890", "", false},
		{"no plus", "6281234567890", "+6281234567890", "", false},
		{"no prefix", "81234567890", "+6281234567890", "", false},
		{"parentheses", "(0812) 3456-7890", "+6281234567890", "", false},
		{"shared contact", "+6281234567890", "+6281234567890", "", false},
		{"telkomsel 11 digits", "0811-234-5678", "+628112345678", "", false},
		{"bidi marks from a copied contact", "\u202a+62 812-3456-7890\u202c", "+6281234567890", "", false},
		{"zero width", "0812\u200b3456\u200b7890", "+6281234567890", "", false},
		{"malaysia", "+60 12-345 6789", "+60123456789", "", true},
		{"singapore", "+65 9123 4567", "+6591234567", "", true},
		{"foreign landline", "+60 3-2161 2345", "", form.CodePhoneNotMobile, true},
		{"indonesian, foreign allowed", "0812-3456-7890", "+6281234567890", "", true},
		{"malaysia not allowed", "+60 12-345 6789", "", form.CodePhoneForeign, false},
		{"singapore shared with plus, not allowed", "+6591234567", "", form.CodePhoneForeign, false},

		{"empty", "  ", "", form.CodeEmpty, false},
		{"jakarta landline", "021-555-1234", "", form.CodePhoneNotMobile, false},
		{"jember landline", "(0331) 487 123", "", form.CodePhoneNotMobile, false},
		{"too short", "0812", "", form.CodePhoneInvalid, false},
		{"too long", "0812345678901234", "", form.CodePhoneInvalid, false},
		{"letters", "0812-FLOWERS", "", form.CodePhoneInvalid, false},
		{"words", "nomor saya 0812 3456 7890", "", form.CodePhoneInvalid, false},
		{"extension", "0812 3456 7890 ext 5", "", form.CodePhoneInvalid, false},
		{"plus inside", "0812+34567890", "", form.CodePhoneInvalid, false},
		{"double plus", "++6281234567890", "", form.CodePhoneInvalid, false},
		{"only punctuation", "+-().", "", form.CodePhoneInvalid, false},
		{"arabic-indic digits", "٠٨١٢٣٤٥٦٧٨٩٠", "", form.CodePhoneInvalid, false},
		{"over 40 chars", "0812 3456 7890" + strings.Repeat(" ", 30) + "-", "", form.CodePhoneInvalid, false},
		{"10000 digits", strings.Repeat("8", 10000), "", form.CodePhoneInvalid, false},
		{"nul", "0812\x003456\x007890x", "", form.CodePhoneInvalid, false},
		{"invalid utf8", "0812\xff34567890", "", form.CodePhoneInvalid, false},
		{"emoji", "📞0812", "", form.CodePhoneInvalid, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.Phone(tt.in, tt.foreign)
			check(t, tt.in, got, err, tt.want, tt.code)
		})
	}
}

// Ensure that Phone never panics and that what it returns is E.164 that it
// accepts again unchanged.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{
		"0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890",
		"(0812) 3456 7890", "021-555-1234", "+60123456789", "+6591234567",
		"+1 202 555 0123", "0812 ext 5", "++62", "+", "0", "\u202a0812\u202c",
		"08123456789012345678901234567890123456789",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := form.Phone(s, true)
		if err != nil {
			codeOf(t, err)
			leaks(t, s, err)
			return
		}
		if len(out) < 2 || out[0] != '+' || strings.Trim(out[1:], "0123456789") != "" {
			t.Fatalf("Phone(%q) = %q, not E.164", s, out)
		}
		if again, err := form.Phone(out, true); err != nil || again != out {
			t.Fatalf("Phone(%q) = %q, %v; not idempotent", out, again, err)
		}
		// Without foreign numbers: the same number when Indonesian,
		// CodePhoneForeign when not.
		id, err := form.Phone(s, false)
		if indonesian := strings.HasPrefix(out, "+62"); indonesian && (err != nil || id != out) || !indonesian && codeOf(t, err) != form.CodePhoneForeign {
			t.Fatalf("Phone(%q, false) = %q, %v; with foreign numbers %q", s, id, err, out)
		}
	})
}
