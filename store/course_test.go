package store_test

import (
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a certificate needs a seat and CertificateMinDays days
// present, and that a course with CertificateMinDays 0 gives none.
func TestCourse_CertificateEligible(t *testing.T) {
	for _, tc := range []struct {
		min, days int
		status    store.Status
		want      bool
	}{
		{2, 2, store.StatusRegistered, true},
		{2, 3, store.StatusRegistered, true},
		{2, 1, store.StatusRegistered, false},
		{2, 2, store.StatusWaiting, false},
		{2, 2, store.StatusCancelled, false},
		{0, 0, store.StatusRegistered, false},
		{0, 5, store.StatusRegistered, false},
	} {
		c := store.Course{CertificateMinDays: tc.min}
		if got := c.CertificateEligible(tc.status, tc.days); got != tc.want {
			t.Errorf("min %d: CertificateEligible(%s, %d) = %v, want %v", tc.min, tc.status, tc.days, got, tc.want)
		}
	}
}
