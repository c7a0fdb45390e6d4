package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CopiesQueued reports whether a copy of sent announcement a is still
// queued, from the outbox's queue alone (one seek, whatever the number of
// copies), so that the progress loop learns that the last copy went
// without reading them all. known is false for an announcement whose
// copies' ids are not recorded (FirstCopy): its AnnouncementReport tells.
func (tx *Tx) CopiesQueued(a Announcement) (queued, known bool) {
	if a.FirstCopy == 0 {
		return false, false
	}
	k, _ := tx.tx.Bucket(bucketOutboxQueue).Cursor().Seek(u64(a.FirstCopy))
	return k != nil && binary.BigEndian.Uint64(k) <= a.LastCopy, true
}

// AnnouncementReport is how an announcement's copies stand, counted from
// its outbox entries.
type AnnouncementReport struct {
	Total         int
	Sent          int // delivered: Telegram accepted the copy
	Undeliverable int // the person blocked the bot or is gone
	Failed        int
	Skipped       int
	Queued        int            // still to go
	Reasons       map[string]int // why copies failed, by reason
}

// Finished reports whether no copy is still to go.
func (r AnnouncementReport) Finished() bool { return r.Queued == 0 }

// Done returns how many copies are finished, whatever the outcome.
func (r AnnouncementReport) Done() int { return r.Total - r.Queued }

// ReasonsByCount returns the reasons copies failed for, the most frequent
// first, then by name.
func (r AnnouncementReport) ReasonsByCount() []string {
	reasons := slices.Collect(maps.Keys(r.Reasons))
	slices.SortFunc(reasons, func(x, y string) int {
		return cmp.Or(cmp.Compare(r.Reasons[y], r.Reasons[x]), strings.Compare(x, y))
	})
	return reasons
}

// AnnouncementReport counts the outbox entries of announcement id.
func (tx *Tx) AnnouncementReport(id uint64) (AnnouncementReport, error) {
	r := AnnouncementReport{Reasons: map[string]int{}}
	prefix := []byte(fmt.Sprintf("announcement/%d/", id))
	all := tx.tx.Bucket(bucketOutbox)
	c := tx.tx.Bucket(bucketOutboxKeys).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e struct {
			Status OutboxStatus `json:"status"`
			Error  string       `json:"error"`
		}
		data := all.Get(v)
		if data == nil {
			continue
		}
		if err := json.Unmarshal(data, &e); err != nil {
			return r, fmt.Errorf("decode outbox %d: %w", binary.BigEndian.Uint64(v), err)
		}
		r.Total++
		switch e.Status {
		case OutboxQueued:
			r.Queued++
		case OutboxSent:
			r.Sent++
		case OutboxUndeliverable:
			r.Undeliverable++
		case OutboxFailed:
			r.Failed++
			r.Reasons[e.Error]++
		case OutboxSkipped:
			r.Skipped++
		}
	}
	return r, nil
}
