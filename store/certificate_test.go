package store_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

var certLoc = time.FixedZone("WIB", 7*3600)

// certCourse is a course of one three-day batch in October 2025 giving a
// certificate for two days present.
func certCourse() (store.Course, store.Batch) {
	b := store.Batch{
		ID: "angkatan-1", Name: "Angkatan 1", Days: 3, Capacity: 10,
		Start: time.Date(2025, 10, 20, 0, 0, 0, 0, certLoc), DailyStart: "08:00", DailyEnd: "15:00",
	}
	c := store.Course{Title: "Pelatihan Menjahit", Location: certLoc, CertificateMinDays: 2, Batches: []store.Batch{b}}
	return c, b
}

const certFormat = "{seq:03}/{batch}/BLK-JBR/{year}"

// seatNamed gives user a seat in b with a name answer and marks them
// present on days.
func seatNamed(tb testing.TB, db *store.DB, b store.Batch, user int64, name string, days ...int) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		p := store.Participant{UserID: user, ChatID: user, Batch: b.ID, Answers: map[string]string{"name": name}}
		if _, err := tx.ConfirmSeat(p, b.Capacity); err != nil {
			return err
		}
		for _, d := range days {
			if err := tx.SetAttendance(b.ID, user, d, true, 1, b.Day(d)); err != nil {
				return err
			}
		}
		return nil
	})
}

func issue(db *store.DB, c store.Course, b store.Batch, user int64, now time.Time) (store.Certificate, error) {
	var cert store.Certificate
	err := db.Update(func(tx *store.Tx) error {
		var err error
		cert, err = tx.IssueCertificate(c, b, user, certFormat, now)
		return err
	})
	return cert, err
}

func verify(tb testing.TB, db *store.DB, code string) (store.Certificate, error) {
	tb.Helper()
	var cert store.Certificate
	err := db.View(func(tx *store.Tx) error {
		var err error
		cert, err = tx.VerifyCertificate(code)
		return err
	})
	return cert, err
}

// sameCert reports whether a and b are the same certificate (the time
// read back from JSON has another *Location).
func sameCert(a, b store.Certificate) bool {
	ok := a.IssuedAt.Equal(b.IssuedAt)
	a.IssuedAt, b.IssuedAt = time.Time{}, time.Time{}
	return ok && a == b
}

// Ensure that a certificate is issued once per person and batch, only to
// those who earn it and only after the last session, keeps its number and
// code across a restart, verifies by its code, and is gone with an
// erasure.
func TestStore_IssueCertificate(t *testing.T) {
	c, b := certCourse()
	path := filepath.Join(t.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seatNamed(t, db, b, 1, "Siti Aminah", 1, 2, 3)
	seatNamed(t, db, b, 2, "Budi", 1)            // below the threshold
	seatNamed(t, db, b, 3, "Dewi Lestari", 1, 3) // exactly at it
	seatNamed(t, db, b, 4, "Cancelled", 1, 2, 3)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(store.Seats{Batch: b}, 4, b.Day(3))
		return err
	})

	during := b.SessionEnd(3).Add(-time.Minute)
	after := b.SessionEnd(3)
	if _, err := issue(db, c, b, 1, during); !errors.Is(err, store.ErrCertificateNotYet) {
		t.Errorf("IssueCertificate during the last session: %v, want ErrCertificateNotYet", err)
	}
	for _, u := range []int64{2, 4} {
		if _, err := issue(db, c, b, u, after); !errors.Is(err, store.ErrNotEligible) {
			t.Errorf("IssueCertificate(%d): %v, want ErrNotEligible", u, err)
		}
	}
	if _, err := issue(db, c, b, 99, after); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IssueCertificate of a stranger: %v, want ErrNotFound", err)
	}
	none := c
	none.CertificateMinDays = 0
	if _, err := issue(db, none, b, 1, after); !errors.Is(err, store.ErrNoCertificates) {
		t.Errorf("IssueCertificate without certificates: %v, want ErrNoCertificates", err)
	}

	first, err := issue(db, c, b, 3, after)
	if err != nil {
		t.Fatal(err)
	}
	if first.Number != "001/angkatan-1/BLK-JBR/2025" || first.Name != "Dewi Lestari" || first.DaysPresent != 2 {
		t.Errorf("first certificate %+v", first)
	}
	if len(first.Code) != store.CertificateCodeLen {
		t.Errorf("code %q is not %d characters", first.Code, store.CertificateCodeLen)
	}
	var all []store.Certificate
	mustUpdate(t, db, func(tx *store.Tx) error {
		all, err = tx.IssueCertificates(c, b, "changed {seq}", after.Add(time.Hour))
		return err
	})
	if len(all) != 2 || !sameCert(all[0], first) || all[1].UserID != 1 || all[1].Number != "changed 2" {
		t.Fatalf("IssueCertificates = %+v; want Dewi's unchanged, then Siti's numbered 2", all)
	}
	if all[0].Code == all[1].Code {
		t.Error("two certificates share a code")
	}

	// A restart: the same certificate, the same code.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenPath(t, path)
	again, err := issue(db, c, b, 3, after.AddDate(0, 0, 5))
	if err != nil || !sameCert(again, first) {
		t.Errorf("after a restart IssueCertificate = %+v, %v; want %+v", again, err, first)
	}
	got, err := verify(t, db, strings.ToUpper(first.Code[:4]+"-"+first.Code[4:]))
	if err != nil || !sameCert(got, first) {
		t.Errorf("VerifyCertificate(upper case, dashed) = %+v, %v", got, err)
	}
	for _, code := range []string{"", "0000000000000", "000000000000", first.Code + "0", "ü" + first.Code[1:]} {
		if _, err := verify(t, db, code); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("VerifyCertificate(%q) = %v, want ErrNotFound", code, err)
		}
	}

	// Erased: it no longer verifies, and its number is not given again.
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{{Batch: b}}, 3, after.AddDate(0, 0, 6))
		return err
	})
	if _, err := verify(t, db, first.Code); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("VerifyCertificate of an erased person = %v, want ErrNotFound", err)
	}
	if err := db.View(func(tx *store.Tx) error {
		_, err := tx.Certificate(b.ID, 3)
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Certificate of an erased person = %v, want ErrNotFound", err)
	}
	seatNamed(t, db, b, 5, "Late", 1, 2)
	late, err := issue(db, c, b, 5, after.AddDate(0, 0, 7))
	if err != nil || late.Seq != 3 {
		t.Errorf("certificate after an erasure = %+v, %v; want number 3", late, err)
	}

	// The retention takes the rest.
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.RetireBatch(b.ID)
		return err
	})
	if _, err := verify(t, db, late.Code); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("VerifyCertificate after the retention = %v, want ErrNotFound", err)
	}
}

// Ensure that number formats are read and checked as documented.
func TestStore_CertificateNumber(t *testing.T) {
	_, b := certCourse()
	for format, want := range map[string]string{
		"":                                "7",
		"{seq}":                           "7",
		"{seq:03}/{batch}/BLK-JBR/{year}": "007/angkatan-1/BLK-JBR/2025",
		"No. {seq:05}":                    "No. 00007",
	} {
		if err := store.CheckNumberFormat(format); err != nil {
			t.Errorf("CheckNumberFormat(%q) = %v", format, err)
		}
		if got := store.CertificateNumber(format, 7, b); got != want {
			t.Errorf("CertificateNumber(%q) = %q, want %q", format, got, want)
		}
	}
	for _, bad := range []string{"{batch}", "{seq", "seq}", "{seq:3}", "{seq:010}", "{name}/{seq}", "{{seq}}"} {
		if err := store.CheckNumberFormat(bad); err == nil {
			t.Errorf("CheckNumberFormat(%q) = nil, want an error", bad)
		}
	}
}

// Ensure that a code is read as people type it.
func TestStore_NormalizeCertificateCode(t *testing.T) {
	for in, want := range map[string]string{
		"abcd-efgh-jk01": "abcdefghjk01",
		"ABCD EFGH JKOL": "abcdefghjk01",
		" abcdefghjk0i ": "abcdefghjk01",
	} {
		if got, ok := store.NormalizeCertificateCode(in); !ok || got != want {
			t.Errorf("NormalizeCertificateCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "abc", "abcdefghjk0u", "abcdefghjk012", "abcdéfghjk01"} {
		if got, ok := store.NormalizeCertificateCode(bad); ok {
			t.Errorf("NormalizeCertificateCode(%q) = %q, want not a code", bad, got)
		}
	}
}

// Ensure that no typed code makes NormalizeCertificateCode panic, and that
// what it accepts is a stored form it accepts again unchanged.
func FuzzNormalizeCertificateCode(f *testing.F) {
	for _, s := range []string{"abcd-efgh-jk01", "ABCD EFGH JKOL", "", "ü", "0000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := store.NormalizeCertificateCode(s)
		if !ok {
			return
		}
		if len(code) != store.CertificateCodeLen {
			t.Fatalf("%q → %q: length %d", s, code, len(code))
		}
		if again, ok := store.NormalizeCertificateCode(code); !ok || again != code {
			t.Fatalf("%q → %q → %q, %v", s, code, again, ok)
		}
	})
}

// Ensure that a number format CheckNumberFormat accepts gives different
// numbers for different certificates, and that no format panics.
func FuzzCertificateNumber(f *testing.F) {
	for _, s := range []string{certFormat, "{seq}", "{", "}{", "{seq:0}", "{seq:09}"} {
		f.Add(s)
	}
	_, b := certCourse()
	f.Fuzz(func(t *testing.T, format string) {
		one, two := store.CertificateNumber(format, 1, b), store.CertificateNumber(format, 2, b)
		if store.CheckNumberFormat(format) == nil && one == two {
			t.Fatalf("format %q accepted but numbers 1 and 2 are both %q", format, one)
		}
	})
}
