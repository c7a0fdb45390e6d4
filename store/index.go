package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Indexes by person, so that what concerns one person (their data page,
// their erasure) is found by a seek, not by reading every record: an
// erasure costs the same in a course's twelfth month as in its first.
// Each is written in the transaction that writes what it points to.
var (
	bucketParticipantsByUser = []byte("participants_by_user") // user id, batch → nil
	bucketOutboxByUser       = []byte("outbox_by_user")       // user id, outbox id → nil
	bucketAuditByPerson      = []byte("audit_by_person")      // user id, audit id → nil: entries naming them
)

func userKey(userID int64, rest []byte) []byte {
	return append(binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(rest)), uint64(userID)), rest...)
}

// putParticipant stores p and indexes it under its person.
func (tx *Tx) putParticipant(p Participant) error {
	pk := participantKey(p.Batch, p.UserID)
	if err := putJSON(tx.tx.Bucket(bucketParticipants), pk, p); err != nil {
		return err
	}
	if err := tx.indexNIK(pk, p.NIK); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketParticipantsByUser).Put(userKey(p.UserID, []byte(p.Batch)), nil)
}

// deleteParticipant deletes the registration of userID in batch and its
// index entry.
func (tx *Tx) deleteParticipant(batch string, userID int64) error {
	pk := participantKey(batch, userID)
	if err := tx.tx.Bucket(bucketParticipants).Delete(pk); err != nil {
		return err
	}
	if err := tx.indexNIK(pk, ""); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketParticipantsByUser).Delete(userKey(userID, []byte(batch)))
}

// byUser calls fn with the rest of each key of index under userID.
func (tx *Tx) byUser(index []byte, userID int64, fn func(rest []byte) error) error {
	prefix := userKey(userID, nil)
	c := tx.tx.Bucket(index).Cursor()
	var rests [][]byte
	for k, _ := c.Seek(prefix); k != nil && len(k) >= 8 && string(k[:8]) == string(prefix); k, _ = c.Next() {
		rests = append(rests, append([]byte(nil), k[8:]...))
	}
	// fn may change the bucket: the keys are collected first.
	for _, r := range rests {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// auditPeople are the people an audit entry names: the person it
// concerns and a person acting on their own behalf (organisers, who carry
// a name, keep theirs).
func auditPeople(e AuditEntry) []int64 {
	var out []int64
	if e.Subject != 0 {
		out = append(out, e.Subject)
	}
	if e.By != 0 && e.ByName == "" && e.By != e.Subject {
		out = append(out, e.By)
	}
	return out
}

// indexAll builds the indexes from the records of a file written before
// they existed (migration to schema version 2).
func indexAll(tx *bolt.Tx, _ Options) error {
	pu := tx.Bucket(bucketParticipantsByUser)
	err := tx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
		var p struct {
			UserID int64  `json:"user_id"`
			Batch  string `json:"batch"`
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode participant: %w", err)
		}
		return pu.Put(userKey(p.UserID, []byte(p.Batch)), nil)
	})
	if err != nil {
		return err
	}
	ou := tx.Bucket(bucketOutboxByUser)
	err = tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		var e struct {
			UserID int64 `json:"user_id"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decode outbox entry: %w", err)
		}
		return ou.Put(userKey(e.UserID, k), nil)
	})
	if err != nil {
		return err
	}
	ap := tx.Bucket(bucketAuditByPerson)
	return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decode audit entry: %w", err)
		}
		for _, u := range auditPeople(e) {
			if err := ap.Put(userKey(u, k), nil); err != nil {
				return err
			}
		}
		return nil
	})
}
