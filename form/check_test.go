package form_test

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that Check asks the name for a letter, a birth date for an age of
// 10 to 100 at the batch start, and a NIK and a birth date to agree,
// rejecting the one answered last.
func TestCheck(t *testing.T) {
	course := store.Course{Fields: []store.Field{
		{Key: "name", Kind: store.KindText},
		{Key: "address", Kind: store.KindText},
		{Key: "nik", Kind: store.KindNIK},
		{Key: "birth_date", Kind: store.KindDate},
		{Key: "age", Kind: store.KindNumber},
	}}
	field := func(key string) store.Field { return course.Fields[course.FieldIndex(key)] }
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, now.Location())
	// 3509015708900001: born 17 August 1990 (57 = 17 + 40, a woman).
	woman, man := "3509015708900001", "3509011708900001"
	tests := []struct {
		name    string
		key, v  string
		answers map[string]string
		code    form.Code
	}{
		{"a name", "name", "Siti Aminah", nil, ""},
		{"a name with an apostrophe", "name", "Ma'ruf", nil, ""},
		{"a name in another script", "name", "Сергей", nil, ""},
		{"a name of digits", "name", "12345", nil, form.CodeNameLetters},
		{"a name of signs", "name", "!!! ...", nil, form.CodeNameLetters},
		{"digits in another text", "address", "12345", nil, ""},
		{"skipped", "name", "", nil, ""},

		{"aged 36", "birth_date", "1990-08-17", nil, ""},
		{"10 on the first day", "birth_date", "2017-02-01", nil, ""},
		{"10 the day after", "birth_date", "2017-02-02", nil, form.CodeAgeRange},
		{"100 on the first day", "birth_date", "1926-02-02", nil, ""},
		{"101 on the first day", "birth_date", "1926-02-01", nil, form.CodeAgeRange},
		{"born 1905", "birth_date", "1905-01-01", nil, form.CodeAgeRange},

		{"birth date agrees with a woman's NIK", "birth_date", "1990-08-17", map[string]string{"nik": woman}, ""},
		{"birth date agrees with a man's NIK", "birth_date", "1990-08-17", map[string]string{"nik": man}, ""},
		{"birth date after the NIK, other day", "birth_date", "1990-08-18", map[string]string{"nik": woman}, form.CodeDateNIK},
		{"birth date after the NIK, other century", "birth_date", "1990-08-17", map[string]string{"nik": "3509011708000001"}, form.CodeDateNIK},
		{"birth date, NIK skipped", "birth_date", "1990-08-18", map[string]string{"nik": ""}, ""},
		{"NIK after the birth date", "nik", woman, map[string]string{"birth_date": "1990-08-17"}, ""},
		{"NIK after another birth date", "nik", woman, map[string]string{"birth_date": "1991-08-17"}, form.CodeNIKBirth},
		{"NIK, other month", "nik", "3509011709900001", map[string]string{"birth_date": "1990-08-17"}, form.CodeNIKBirth},
		{"NIK, birth date not given", "nik", woman, map[string]string{"name": "Siti"}, ""},
		{"number", "age", "5", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := form.Check(course, field(tt.key), tt.v, tt.answers, start)
			if c := codeOf(t, err); c != tt.code {
				t.Fatalf("Check(%s = %q) = %q, want %q", tt.key, tt.v, c, tt.code)
			}
			if err != nil {
				leaks(t, tt.v, err)
				if e := err.(*form.Error); e.Field != tt.key {
					t.Errorf("error names field %q, want %q", e.Field, tt.key)
				}
			}
		})
	}
	// Without a field keyed "name" the first text field is the name, as
	// for store.Course.DisplayName.
	course.Fields = course.Fields[1:]
	if c := codeOf(t, form.Check(course, course.Fields[0], "12", nil, start)); c != form.CodeNameLetters {
		t.Errorf("first text field without a name field: %q, want %q", c, form.CodeNameLetters)
	}
}
