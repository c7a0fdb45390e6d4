package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Tally is a participant without the answers: what counting them needs.
// Decoding it costs a fraction of a Participant, which matters for
// statistics over thousands of people.
type Tally struct {
	UserID       int64     `json:"user_id"`
	Batch        string    `json:"batch"`
	Status       Status    `json:"status"`
	RegisteredAt time.Time `json:"registered_at"`
}

// Tallies returns every registration's tally, ordered by batch id, then
// user id.
func (tx *Tx) Tallies() ([]Tally, error) {
	var out []Tally
	err := tx.tx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
		var t Tally
		if err := json.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("decode participant %x: %w", k, err)
		}
		out = append(out, t)
		return nil
	})
	return out, err
}
