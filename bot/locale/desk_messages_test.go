package locale

import "testing"

// Ensure that every language has the desk texts, none empty, their
// verbs agreeing with Indonesian's, also with a course's own batch word.
func TestDeskMessages(t *testing.T) {
	for _, c := range languages.list {
		if c.Desk == nil {
			t.Errorf("language %s has no desk catalogue", c.Code)
		}
	}
	for _, word := range []string{"", "Kelas"} {
		id := *Worded("id", word).Desk
		for _, c := range languages.list {
			checkCatalogues(t, id, *Worded(c.Code, word).Desk)
		}
	}
	if got := Worded("xx", "").Desk.BtnMove; got != "Pindahkan" {
		t.Errorf("an unknown language's Move button is %q, want Indonesian's", got)
	}
}
