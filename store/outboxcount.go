package store

import (
	"encoding/json"
	"strconv"
)

// OutboxCountsOf returns how many outbox entries of each status concern
// what an organiser may see: an entry about a batch (a reminder, an
// offer, a notice, a certificate, a survey) when batch says so of its
// batch, an announcement's copy when audience says so of the
// announcement's audience. A course's organisers see their course's
// backlog, not the whole bot's (OutboxCounts).
func (db *DB) OutboxCountsOf(batch func(id string) bool, audience func(Audience) bool) (map[OutboxStatus]int, error) {
	counts := map[OutboxStatus]int{}
	err := db.View(func(tx *Tx) error {
		seen := map[string]bool{} // announcement id → reached
		return tx.tx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
			var e struct {
				Kind   OutboxKind        `json:"kind"`
				Status OutboxStatus      `json:"status"`
				Data   map[string]string `json:"data"`
			}
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			mine := false
			if e.Kind == KindAnnouncement {
				id := e.Data["announcement"]
				reached, ok := seen[id]
				if !ok {
					if n, err := strconv.ParseUint(id, 10, 64); err == nil {
						if a, err := tx.Announcement(n); err == nil {
							reached = audience(a.Audience)
						}
					}
					seen[id] = reached
				}
				mine = reached
			} else {
				mine = batch(e.Data["batch"])
			}
			if mine {
				counts[e.Status]++
			}
			return nil
		})
	})
	return counts, err
}
