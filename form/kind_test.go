package form_test

import (
	"testing"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that the table has each kind once, complete, and that Of treats an
// unknown kind as text.
func TestKinds(t *testing.T) {
	seen := map[store.FieldKind]bool{}
	for _, k := range form.Kinds() {
		if k.Kind == "" || k.Parse == nil || seen[k.Kind] {
			t.Errorf("kind %q: empty, without Parse or listed twice", k.Kind)
		}
		seen[k.Kind] = true
		if got, ok := form.Lookup(k.Kind); !ok || got.Kind != k.Kind {
			t.Errorf("Lookup(%q) = %q, %v", k.Kind, got.Kind, ok)
		}
		if k.Options != (k.Keyboard == form.KeyboardOptions) {
			t.Errorf("kind %q: options without their buttons, or buttons without options", k.Kind)
		}
	}
	for _, k := range []store.FieldKind{store.KindText, store.KindPhone, store.KindNIK, store.KindDate, store.KindChoice, store.KindNumber} {
		if !seen[k] {
			t.Errorf("kind %q is not in the table", k)
		}
	}
	if _, ok := form.Lookup("colour"); ok {
		t.Error("Lookup found an unknown kind")
	}
	if k := form.Of(store.Field{Kind: "colour"}); k.Kind != store.KindText {
		t.Errorf("Of(unknown) = %q, want text", k.Kind)
	}
}

// Ensure that Show renders a choice in the reader's language and a date
// with the month's name, and anything else as stored.
func TestShow(t *testing.T) {
	months := [12]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
	tests := []struct {
		f       store.Field
		lang, v string
		want    string
	}{
		{fields[store.KindChoice], "en", "Pemula", "Beginner"},
		{fields[store.KindChoice], "id", "Pemula", "Pemula"},
		{fields[store.KindChoice], "en", "Mahir", "Mahir"},
		{fields[store.KindDate], "id", "1990-08-17", "17 Agu 1990"},
		{fields[store.KindDate], "id", "kemarin", "kemarin"},
		{fields[store.KindPhone], "en", "+6281234567890", "+6281234567890"},
	}
	for _, tt := range tests {
		if got := form.Show(tt.f, tt.lang, tt.v, &months); got != tt.want {
			t.Errorf("Show(%s, %q) = %q, want %q", tt.f.Kind, tt.v, got, tt.want)
		}
	}
}
