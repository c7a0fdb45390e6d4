package form_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that Text sanitizes what cannot be seen, keeps what people write,
// and checks length and content.
func TestText(t *testing.T) {
	tests := []struct {
		name, in string
		min, max int
		want     string
		code     form.Code
	}{
		{"plain", "Siti Aminah", 0, 0, "Siti Aminah", ""},
		{"apostrophe", "O'Neil", 3, 80, "O'Neil", ""},
		{"hyphen", "Siti Nur-Aini", 3, 80, "Siti Nur-Aini", ""},
		{"one letter", "Ñ", 0, 0, "Ñ", ""},
		{"arabic", "محمد", 3, 80, "محمد", ""},
		{"chinese", "王小明", 3, 80, "王小明", ""},
		{"digits", "Jl. Mawar 12", 3, 80, "Jl. Mawar 12", ""},
		{"html kept", "<b>Budi</b> & co", 3, 80, "<b>Budi</b> & co", ""},
		{"collapse", "  Budi \t\n  Santoso  ", 3, 80, "Budi Santoso", ""},
		{"newline", "Budi\r\nSantoso", 3, 80, "Budi Santoso", ""},
		{"nul", "Bu\x00di", 3, 80, "Budi", ""},
		{"controls", "\x1b[31mBudi\x7f\u0085", 3, 80, "[31mBudi", ""},
		{"zero width", "Bu\u200bd\u200ci\u200d\u2060", 3, 80, "Budi", ""},
		{"rtl override", "\u202eidub\u202c", 3, 80, "idub", ""},
		{"isolates", "\u2066Budi\u2069", 3, 80, "Budi", ""},
		{"bom soft hyphen", "\ufeffBu\u00addi", 3, 80, "Budi", ""},
		{"nbsp", "Budi\u00a0\u00a0Santoso", 3, 80, "Budi Santoso", ""},
		{"invalid utf8", "Bud\xffi", 3, 80, "Bud\ufffdi", ""},
		{"exact max", strings.Repeat("é", 80), 3, 80, strings.Repeat("é", 80), ""},
		{"default max", strings.Repeat("a", form.MaxText), 0, 0, strings.Repeat("a", form.MaxText), ""},

		{"empty", "", 3, 80, "", form.CodeEmpty},
		{"blank", " \t\n ", 3, 80, "", form.CodeEmpty},
		{"only invisible", "\u200b\u202e\ufeff\x00", 3, 80, "", form.CodeEmpty},
		{"too short", "Al", 3, 80, "", form.CodeTooShort},
		{"short after clean", "A\u200b\u200b\u200bl", 3, 80, "", form.CodeTooShort},
		{"too long", strings.Repeat("a", 81), 3, 80, "", form.CodeTooLong},
		{"default max exceeded", strings.Repeat("a", form.MaxText+1), 0, 0, "", form.CodeTooLong},
		{"10000 chars", strings.Repeat("Budi ", 2000), 3, 80, "", form.CodeTooLong},
		{"emoji only", "😀😀😀", 3, 80, "", form.CodeInvalidText},
		{"punctuation only", "...---!!!", 3, 80, "", form.CodeInvalidText},
		{"invalid utf8 only", "\xff\xfe\xfd", 3, 80, "", form.CodeInvalidText},
		{"hangul filler", "\u3164\u3164\u3164", 3, 80, "", form.CodeEmpty},
		{"combining only", "\u0301\u0301\u0301", 3, 80, "", form.CodeInvalidText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.Text(tt.in, tt.min, tt.max)
			check(t, tt.in, got, err, tt.want, tt.code)
		})
	}
}

// Ensure that Text never panics, accepts its own output unchanged, and returns
// only visible, single-spaced text within the bounds.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"Siti Nur-Aini", "O'Neil", "  a  b  ", "😀😀😀", "\u202eabc", "a\u200bb",
		"\xff\xfe", "a\x00b", "<script>", "محمد", "\u3164", "a\r\nb", "\u0301",
		strings.Repeat("x", 201),
	} {
		f.Add(s, 3, 80)
		f.Add(s, 0, 0)
	}
	f.Fuzz(func(t *testing.T, s string, min, max int) {
		out, err := form.Text(s, min, max)
		if err != nil {
			codeOf(t, err)
			leaks(t, s, err)
			return
		}
		if min <= 0 {
			min = 1
		}
		if max <= 0 {
			max = form.MaxText
		}
		if n := utf8.RuneCountInString(out); n < min || n > max {
			t.Fatalf("length %d outside [%d, %d]", n, min, max)
		}
		if !utf8.ValidString(out) || out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Fatalf("not clean: %q", out)
		}
		for _, r := range out {
			if unicode.In(r, unicode.Cc, unicode.Cf) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("%q contains %U", out, r)
			}
		}
		if again, err := form.Text(out, min, max); err != nil || again != out {
			t.Fatalf("Text(%q) = %q, %v; not idempotent", out, again, err)
		}
	})
}
