package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// OrphanBatch is a batch that registrations in the store name but the
// config no longer lists (an organiser removed it).
type OrphanBatch struct {
	ID string
	// Last is the latest registration or cancellation in it: the batch
	// ended no later than that as far as anyone can tell, so the retention
	// counts from there.
	Last time.Time
}

// OrphanBatches returns the batches of stored registrations that are not
// in known, so that the retention reaches them too.
func (tx *Tx) OrphanBatches(known map[string]bool) ([]OrphanBatch, error) {
	last := map[string]time.Time{}
	var order []string
	err := tx.tx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
		defer tx.walked(k, v) // once decoded: a release drops the page v is on
		var p struct {
			Batch        string    `json:"batch"`
			RegisteredAt time.Time `json:"registered_at"`
			CancelledAt  time.Time `json:"cancelled_at"`
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode participant: %w", err)
		}
		if known[p.Batch] {
			return nil
		}
		t, seen := last[p.Batch]
		if !seen {
			order = append(order, p.Batch)
		}
		last[p.Batch] = maxTime(t, maxTime(p.RegisteredAt, p.CancelledAt))
		return nil
	})
	out := make([]OrphanBatch, len(order))
	for i, id := range order {
		out[i] = OrphanBatch{ID: id, Last: last[id]}
	}
	return out, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
