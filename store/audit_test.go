package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that audit entries get increasing ids, come back newest first up
// to the limit, and commit or roll back with the transaction that writes
// them.
func TestTx_Audit(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for i := 1; i <= 5; i++ {
			e := store.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), By: 9, Action: store.AuditAttendance, Batch: "b1", Subject: int64(i), Day: 2, Detail: "present"}
			if err := tx.Audit(e); err != nil {
				return err
			}
		}
		return nil
	})
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.Audit(store.AuditEntry{At: at, By: 9, Action: store.AuditExport}); err != nil {
			return err
		}
		return fmt.Errorf("the action failed")
	})
	if err == nil {
		t.Fatal("the failing transaction committed")
	}
	if err := db.Update(func(tx *store.Tx) error { return tx.Audit(store.AuditEntry{By: 9}) }); err == nil {
		t.Error("an entry without an action is accepted")
	}

	var got []store.AuditEntry
	err = db.View(func(tx *store.Tx) error {
		var err error
		got, err = tx.AuditLog(3)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("AuditLog(3) returned %d entries", len(got))
	}
	for i, e := range got {
		if wantID := uint64(5 - i); e.ID != wantID || e.Subject != int64(wantID) || e.Action != store.AuditAttendance || e.Detail != "present" {
			t.Errorf("entry %d: %+v, want id %d", i, e, wantID)
		}
	}
}

// Ensure that ForgetAuditSubject leaves the entries but not the person.
func TestTx_ForgetAuditSubject(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, e := range []store.AuditEntry{
			{At: at, By: 9, ByName: "Rina", Action: store.AuditAttendance, Subject: 7, Day: 1, Detail: "present"},
			{At: at, By: 9, ByName: "Rina", Action: store.AuditAttendance, Subject: 8, Day: 1, Detail: "present"},
			{At: at, By: 7, Action: store.AuditDataDeleted, Subject: 7},
		} {
			if err := tx.Audit(e); err != nil {
				return err
			}
		}
		return tx.ForgetAuditSubject(7)
	})
	var got []store.AuditEntry
	if err := db.View(func(tx *store.Tx) error { var err error; got, err = tx.AuditLog(10); return err }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d entries, want 3", len(got))
	}
	if e := got[0]; e.By != 0 || e.Subject != 0 || e.Action != store.AuditDataDeleted {
		t.Errorf("deletion entry %+v: the person is still there", e)
	}
	if e := got[1]; e.Subject != 8 || e.By != 9 || e.ByName != "Rina" {
		t.Errorf("another person's entry changed: %+v", e)
	}
	if e := got[2]; e.Subject != 0 || e.By != 9 {
		t.Errorf("entry %+v: the subject is still there", e)
	}
}
