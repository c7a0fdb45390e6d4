package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Audit actions. Persisted: only add.
const (
	AuditAnnouncementSent = "announcement_sent" // Ref: the announcement; Detail: its audience
	AuditBatchOpened      = "batch_opened"
	AuditBatchClosed      = "batch_closed"
	AuditAttendance       = "attendance" // Subject, Day; Detail "present" or "absent"
	AuditExport           = "export"     // Batch empty for every batch (Course set: of that course); Detail: the formats
	AuditDataDeleted      = "data_deleted"
	AuditCertificatesSent = "certificates_sent" // Batch; Detail: how many
)

// AuditEntry is one organiser action (or a deletion on a person's
// request), recorded in the transaction that carries the action out.
// Detail holds no personal data: ids and words like "present", never
// names, phone numbers or message text.
type AuditEntry struct {
	ID      uint64    `json:"id"` // set by Audit, increasing
	At      time.Time `json:"at"`
	By      int64     `json:"by"`                // who did it: an organiser's user id, or the person's own
	ByName  string    `json:"by_name,omitempty"` // an organiser's first name, to read the log by
	Action  string    `json:"action"`
	Batch   string    `json:"batch,omitempty"`
	Course  string    `json:"course,omitempty"`  // a course's export: the course (a batch names its own)
	Subject int64     `json:"subject,omitempty"` // the person the action concerns
	Day     int       `json:"day,omitempty"`     // a session day
	Ref     uint64    `json:"ref,omitempty"`     // an announcement id
	Detail  string    `json:"detail,omitempty"`
}

var bucketAudit = []byte("audit") // id → AuditEntry

// Audit records e in tx. Call it in the transaction of the action, so that
// the action and its record commit together.
func (tx *Tx) Audit(e AuditEntry) error {
	if e.Action == "" {
		return errors.New("audit: empty action")
	}
	b := tx.tx.Bucket(bucketAudit)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.ID = id
	if err := putJSON(b, u64(id), e); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	for _, u := range auditPeople(e) {
		if err := tx.tx.Bucket(bucketAuditByPerson).Put(userKey(u, u64(id)), nil); err != nil {
			return err
		}
	}
	return nil
}

// AuditLog returns up to limit entries, newest first.
func (tx *Tx) AuditLog(limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	c := tx.tx.Bucket(bucketAudit).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("decode audit entry: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// ForgetAuditSubject removes userID from the entries about them (Subject
// becomes 0, By too when they acted themselves), for a person whose data
// is deleted on request: the log keeps that something happened, not to
// whom.
func (tx *Tx) ForgetAuditSubject(userID int64) error {
	b := tx.tx.Bucket(bucketAudit)
	return tx.byUser(bucketAuditByPerson, userID, func(id []byte) error {
		if err := tx.tx.Bucket(bucketAuditByPerson).Delete(userKey(userID, id)); err != nil {
			return err
		}
		var e AuditEntry
		found, err := getJSON(b, id, &e)
		if err != nil || !found {
			return err
		}
		// An organiser's own actions keep who did them (ByName is set only
		// for organisers): erasing one's participant data does not rewrite
		// the organisers' record of what was done.
		if e.Subject == userID {
			e.Subject = 0
		}
		if e.By == userID && e.ByName == "" {
			e.By = 0
		}
		return putJSON(b, id, e)
	})
}
