package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrDayOutOfRange is returned when an attendance day is not in 1..MaxDay.
var ErrDayOutOfRange = errors.New("attendance day out of range")

// MaxDay is the highest session day attendance can be kept for: the day is
// one byte of the key.
const MaxDay = 255

// bucketAttendance holds one mark per batch, participant and session day:
// batch + 0x00 + 8-byte user id + 1-byte day → attendanceMark. Keys of one
// batch are contiguous and, within it, ordered by user, then day.
var bucketAttendance = []byte("attendance")

// attendanceMark is the last roll-call tap on a participant's day. A mark
// that was set and then cleared stays, with Present false: it tells "marked
// absent" from "never called".
type attendanceMark struct {
	Present bool      `json:"present"`
	By      int64     `json:"by"` // the organiser's user id
	At      time.Time `json:"at"`
}

func attendancePrefix(batch string, userID int64) []byte {
	return participantKey(batch, userID)
}

func attendanceKey(batch string, userID int64, day int) []byte {
	return append(attendancePrefix(batch, userID), byte(day))
}

func checkDay(day int) error {
	if day < 1 || day > MaxDay {
		return fmt.Errorf("day %d: %w", day, ErrDayOutOfRange)
	}
	return nil
}

// SetAttendance records whether userID was present on session day (1-based)
// of batch, marked by the organiser by at the given time. Setting the same
// value again only updates who marked it and when.
//
// It returns ErrNotFound when userID has no registration in batch (in any
// status: a person who cancelled after a roll call keeps their marks) and
// ErrDayOutOfRange when day is not in 1..MaxDay. It does not check day
// against the batch's length: the store does not know the config, the
// caller does.
func (tx *Tx) SetAttendance(batch string, userID int64, day int, present bool, by int64, at time.Time) error {
	if err := checkDay(day); err != nil {
		return err
	}
	if tx.tx.Bucket(bucketParticipants).Get(participantKey(batch, userID)) == nil {
		return fmt.Errorf("attendance of %s day %d: %w", batch, day, ErrNotFound)
	}
	m := attendanceMark{Present: present, By: by, At: at}
	if err := putJSON(tx.tx.Bucket(bucketAttendance), attendanceKey(batch, userID, day), m); err != nil {
		return fmt.Errorf("attendance of %s day %d: %w", batch, day, err)
	}
	return nil
}

// ToggleAttendance flips userID's mark on day of batch (no mark yet counts
// as absent, so the first toggle marks present) and returns the new value.
//
// The read and the write happen in tx, and bbolt runs one write
// transaction at a time: two organisers tapping at once, on the same
// person or on different people, never lose a tap, whether they use
// DB.Update or DB.Batch. (A Batch function may run twice when another
// function of the batch fails; the retry runs in a fresh transaction that
// does not hold the first run's toggle, so the toggle still happens once.)
// Errors as for SetAttendance.
func (tx *Tx) ToggleAttendance(batch string, userID int64, day int, by int64, at time.Time) (present bool, err error) {
	if err := checkDay(day); err != nil {
		return false, err
	}
	var m attendanceMark
	if _, err := getJSON(tx.tx.Bucket(bucketAttendance), attendanceKey(batch, userID, day), &m); err != nil {
		return false, err
	}
	present = !m.Present
	return present, tx.SetAttendance(batch, userID, day, present, by, at)
}

// Attendance returns the marks of batch: user id → day → present. A
// participant appears only once marked, and a day only once that
// participant was marked on it; false means marked and then unmarked
// (absent). A day nobody of the batch was marked on has had no roll call.
// The maps are the caller's: they stay valid after the transaction.
func (tx *Tx) Attendance(batch string) (map[int64]map[int]bool, error) {
	out := map[int64]map[int]bool{}
	prefix := append([]byte(batch), 0)
	c := tx.tx.Bucket(bucketAttendance).Cursor()
	for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+9 {
			continue
		}
		present, err := markPresent(v)
		if err != nil {
			return nil, fmt.Errorf("decode attendance of %s: %w", batch, err)
		}
		user := int64(binary.BigEndian.Uint64(k[len(prefix):]))
		day := int(k[len(k)-1])
		if out[user] == nil {
			out[user] = map[int]bool{}
		}
		out[user][day] = present
		tx.walked(k, v)
	}
	return out, nil
}

// DaysPresent returns on how many days of batch userID was marked present.
func (tx *Tx) DaysPresent(batch string, userID int64) (int, error) {
	n := 0
	prefix := attendancePrefix(batch, userID)
	c := tx.tx.Bucket(bucketAttendance).Cursor()
	for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+1 {
			continue
		}
		present, err := markPresent(v)
		if err != nil {
			return 0, fmt.Errorf("decode attendance of %s: %w", batch, err)
		}
		if present {
			n++
		}
	}
	return n, nil
}

// DeleteAttendance removes every mark of userID in batch, for a person
// whose data is deleted on request.
func (tx *Tx) DeleteAttendance(batch string, userID int64) error {
	prefix := attendancePrefix(batch, userID)
	c := tx.tx.Bucket(bucketAttendance).Cursor()
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// markPresent reads the present flag of a stored mark. encoding/json
// writes a struct's fields in order, so a mark this store wrote starts
// with it; reading a whole roll call of a large batch then costs no JSON
// decoding. Anything else is decoded in full.
func markPresent(v []byte) (bool, error) {
	switch {
	case bytes.HasPrefix(v, markTrue):
		return true, nil
	case bytes.HasPrefix(v, markFalse):
		return false, nil
	}
	var m attendanceMark
	err := json.Unmarshal(v, &m)
	return m.Present, err
}

var (
	markTrue  = []byte(`{"present":true,`)
	markFalse = []byte(`{"present":false,`)
)

func hasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}
