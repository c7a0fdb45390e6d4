package form_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// now is the fixed clock of the tests: the first day of the first batch.
var now = time.Date(2025, 10, 20, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// codeOf returns the code of err, "" for nil, and fails the test for an
// error that is not an *form.Error.
func codeOf(tb testing.TB, err error) form.Code {
	tb.Helper()
	if err == nil {
		return ""
	}
	var e *form.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not a *form.Error", err, err)
	}
	return e.Code
}

// check compares a result with the wanted value or code, and makes sure the
// error message does not repeat the input.
func check(tb testing.TB, input, got string, err error, want string, code form.Code) {
	tb.Helper()
	if c := codeOf(tb, err); c != code {
		tb.Fatalf("code = %q, want %q", c, code)
	}
	if err == nil && got != want {
		tb.Fatalf("value = %q, want %q", got, want)
	}
	if err != nil {
		leaks(tb, input, err)
	}
}

// leaks fails when the message of err contains a telling part of input.
func leaks(tb testing.TB, input string, err error) {
	tb.Helper()
	in := strings.TrimSpace(input)
	if len(in) >= 4 && strings.Contains(err.Error(), in) {
		tb.Fatalf("error %q contains the input", err)
	}
}

var fields = map[store.FieldKind]store.Field{
	store.KindText:   {Key: "name", Kind: store.KindText, Min: 3, Max: 80},
	store.KindPhone:  {Key: "phone", Kind: store.KindPhone},
	store.KindNIK:    {Key: "nik", Kind: store.KindNIK},
	store.KindDate:   {Key: "born", Kind: store.KindDate},
	store.KindNumber: {Key: "age", Kind: store.KindNumber, Min: 15, Max: 70},
	store.KindChoice: {Key: "experience", Kind: store.KindChoice,
		Options:      []string{"Belum pernah", "Pemula", "Sudah bisa"},
		OptionLabels: map[string][]string{"en": {"Never", "Beginner", "Can sew"}}},
}

// Ensure that Parse dispatches on the kind, stores normalised values, and
// names the field in its errors.
func TestParse(t *testing.T) {
	tests := []struct {
		kind  store.FieldKind
		lang  string
		input string
		want  string
		code  form.Code
	}{
		{store.KindText, "id", "  Siti   Nur-Aini ", "Siti Nur-Aini", ""},
		{store.KindText, "id", "Al", "", form.CodeTooShort},
		{store.KindText, "id", strings.Repeat("a", 81), "", form.CodeTooLong},
		{store.KindPhone, "id", "0812-3456-7890", "+6281234567890", ""},
		{store.KindNIK, "id", "3509 0145 0190 0001", "3509014501900001", ""},
		{store.KindDate, "id", "17 Agustus 1990", "1990-08-17", ""},
		{store.KindDate, "en", "20-10-2025", "2025-10-20", ""},
		{store.KindDate, "en", "21-10-2025", "", form.CodeDateFuture},
		{store.KindNumber, "id", "25", "25", ""},
		{store.KindNumber, "id", "14", "", form.CodeNumberRange},
		{store.KindChoice, "en", "beginner", "Pemula", ""},
		{store.KindChoice, "id", "3", "Sudah bisa", ""},
		{"unknown", "id", "Jember", "Jember", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.input, func(t *testing.T) {
			f := fields[tt.kind]
			if tt.kind == "unknown" {
				f = store.Field{Key: "x", Kind: tt.kind}
			}
			got, err := form.Parse(f, tt.lang, tt.input, now)
			check(t, tt.input, got, err, tt.want, tt.code)
			var e *form.Error
			if errors.As(err, &e) && e.Field != f.Key {
				t.Fatalf("Field = %q, want %q", e.Field, f.Key)
			}
		})
	}
}

// Ensure that an answer with nothing visible in it is empty, whatever the
// kind of field.
func TestParse_Empty(t *testing.T) {
	for kind, f := range fields {
		for _, in := range []string{"", "   ", "\n\t", "\u200b\u200d", "\u202e \ufeff", "\x00"} {
			t.Run(string(kind), func(t *testing.T) {
				_, err := form.Parse(f, "id", in, now)
				if c := codeOf(t, err); c != form.CodeEmpty {
					t.Fatalf("Parse(%q) code = %q, want empty", in, c)
				}
			})
		}
	}
}

// Ensure that the message of an error names the field and the code, and the
// bounds when they matter.
func TestError_Error(t *testing.T) {
	tests := []struct {
		err  *form.Error
		want string
	}{
		{&form.Error{Code: form.CodeEmpty}, "form: empty"},
		{&form.Error{Code: form.CodeNIKDate, Field: "nik"}, "form: field nik: nik_date"},
		{&form.Error{Code: form.CodeTooLong, Field: "name", Min: 3, Max: 80}, "form: field name: too_long (min 3, max 80)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.err.Code), func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
