package store

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotWalkIn is returned by StaffErase for a registration of a Telegram
// account: such a person erases their own data (/hapusdata), an
// organiser does not do it for them.
var ErrNotWalkIn = errors.New("not a walk-in without Telegram")

// StaffErase erases walk-in userID (IsWalkIn) at the desk, on their
// request in person, as Erase does: every registration and place of
// theirs goes, the seats they held are offered to the people waiting (the
// offers are returned), the claim link stops working, and only an
// anonymous count per batch remains. Their registration in batch must
// still have stamp (ErrChanged when not, ErrNotFound when it is gone);
// any status will do, a cancelled registration's data too. by is the
// audit entry of the organiser (By, ByName); it is recorded as
// AuditDataDeleted, without the person. Call DB.Scrub after the
// transaction commits.
func (tx *Tx) StaffErase(seats []Seats, batch string, userID int64, stamp string, by AuditEntry, now time.Time) ([]Offer, error) {
	if !IsWalkIn(userID) {
		return nil, fmt.Errorf("staff erase %s: %w", batch, ErrNotWalkIn)
	}
	p, err := tx.Participant(batch, userID)
	if err != nil {
		return nil, fmt.Errorf("staff erase %s: %w", batch, err)
	}
	if p.Stamp() != stamp {
		return nil, fmt.Errorf("staff erase %s: %w", batch, ErrChanged)
	}
	by.At, by.Action, by.Batch, by.Subject = now, AuditDataDeleted, "", 0
	return tx.erase(seats, userID, by, now)
}
