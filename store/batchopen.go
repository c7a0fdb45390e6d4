package store

import (
	"fmt"
	"slices"
	"time"
)

// batchOverride is an organiser's decision to open or close a batch's
// registration, which wins over the config's Open until changed again.
type batchOverride struct {
	Open bool      `json:"open"`
	By   int64     `json:"by"`
	At   time.Time `json:"at"`
}

var bucketBatchOpen = []byte("batch_open") // batch id → batchOverride

// SetBatchOpen opens or closes registration for batch, by organiser by at
// the given time, whatever the config says.
func (tx *Tx) SetBatchOpen(batch string, open bool, by int64, at time.Time) error {
	if batch == "" {
		return fmt.Errorf("set batch open: empty batch id")
	}
	return putJSON(tx.tx.Bucket(bucketBatchOpen), []byte(batch), batchOverride{Open: open, By: by, At: at})
}

// BatchOpen returns the organisers' decision on batch: overridden is
// false when they never made one (or it cannot be read), and the config
// decides.
func (tx *Tx) BatchOpen(batch string) (open, overridden bool) {
	var o batchOverride
	found, err := getJSON(tx.tx.Bucket(bucketBatchOpen), []byte(batch), &o)
	if err != nil || !found {
		return false, false
	}
	return o.Open, true
}

// WithBatchOverrides returns a copy of c whose batches' Open is what the
// organisers decided where they decided it. c is not changed.
func (tx *Tx) WithBatchOverrides(c Course) Course {
	c.Batches = slices.Clone(c.Batches)
	for i, b := range c.Batches {
		if open, ok := tx.BatchOpen(b.ID); ok {
			c.Batches[i].Open = open
		}
	}
	return c
}
