package form_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that Choice accepts an option's text in either language or its
// number, and always returns the Indonesian option.
func TestChoice(t *testing.T) {
	f := fields[store.KindChoice]
	numbered := store.Field{Key: "n", Kind: store.KindChoice, Options: []string{"3", "2", "1"}}
	clash := store.Field{Key: "c", Kind: store.KindChoice,
		Options: []string{"Tidak", "Ya"}, OptionLabels: map[string][]string{"en": {"Ya", "Tidak"}}}
	noEN := store.Field{Key: "e", Kind: store.KindChoice, Options: []string{"Pagi", "Siang"}}
	tests := []struct {
		name string
		f    store.Field
		lang string
		in   string
		want string
		code form.Code
	}{
		{"indonesian", f, "id", "Pemula", "Pemula", ""},
		{"english", f, "en", "Can sew", "Sudah bisa", ""},
		{"english asked in indonesian", f, "id", "never", "Belum pernah", ""},
		{"indonesian asked in english", f, "en", "sudah bisa", "Sudah bisa", ""},
		{"case and spaces", f, "id", "  BELUM   pernah ", "Belum pernah", ""},
		{"number", f, "id", "2", "Pemula", ""},
		{"number with spaces", f, "en", " 3 ", "Sudah bisa", ""},
		{"text wins over number", numbered, "id", "1", "1", ""},
		{"language first", clash, "en", "Ya", "Tidak", ""},
		{"language first id", clash, "id", "Ya", "Ya", ""},
		{"no english options", noEN, "en", "siang", "Siang", ""},
		{"zero width", f, "id", "Pe\u200bmula", "Pemula", ""},

		{"empty", f, "id", " ", "", form.CodeEmpty},
		{"unknown", f, "id", "Mahir", "", form.CodeChoiceInvalid},
		{"prefix", f, "id", "Pem", "", form.CodeChoiceInvalid},
		{"zero", f, "id", "0", "", form.CodeChoiceInvalid},
		{"too big", f, "id", "4", "", form.CodeChoiceInvalid},
		{"signed", f, "id", "+1", "", form.CodeChoiceInvalid},
		{"negative", f, "id", "-1", "", form.CodeChoiceInvalid},
		{"no options", store.Field{Kind: store.KindChoice}, "id", "1", "", form.CodeChoiceInvalid},
		{"10000 chars", f, "id", strings.Repeat("Pemula", 1700), "", form.CodeChoiceInvalid},
		{"invalid utf8", f, "id", "Pemul\xff", "", form.CodeChoiceInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := form.Choice(tt.f, tt.lang, tt.in)
			check(t, tt.in, got, err, tt.want, tt.code)
		})
	}
}
