package desk

import "testing"

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
