package bot

import "testing"

// Ensure that every language has the desk texts, none empty, their
// verbs agreeing with Indonesian's, also with a course's own batch word.
func TestDeskMessages(t *testing.T) {
	for _, c := range languages.list {
		if _, ok := deskCatalogues[c.Code]; !ok {
			t.Errorf("language %s has no desk catalogue", c.Code)
		}
	}
	for _, word := range []string{"", "Kelas"} {
		id := *deskMessages("id", word)
		for _, c := range languages.list {
			checkCatalogues(t, id, *deskMessages(c.Code, word))
		}
	}
	if got := deskMessages("xx", "").BtnMove; got != "Pindahkan" {
		t.Errorf("an unknown language's Move button is %q, want Indonesian's", got)
	}
}

// Ensure that a user id, an account's or a walk-in's, comes back from a
// callback's Seq, which is never negative.
func TestSubjectSeq(t *testing.T) {
	for _, u := range []int64{0, 1, 2, 910001, 1 << 52, -1, -2, -3, -(1 << 40)} {
		s := subjectSeq(u)
		if s < 0 || seqSubject(s) != u {
			t.Errorf("subjectSeq(%d) = %d, read back as %d", u, s, seqSubject(s))
		}
	}
}
