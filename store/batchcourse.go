package store

import "slices"

// Which course a batch belonged to is recorded while the config lists it
// (RecordBatchCourses, at every start of the bot), so that its
// registrations stay in that course's export after the batch is removed
// from the config (FormerBatches). Nothing else in the store names a
// course: a batch names its course through the config.

// bucketBatchCourses maps a batch id to the id of the course the config
// last listed it under. Made on first use: an older file without it
// simply has no records yet.
var bucketBatchCourses = []byte("batch_courses")

// RecordBatchCourses records the course of every batch of cat, keeping
// the records of batches cat no longer lists.
func (db *DB) RecordBatchCourses(cat Catalog) error {
	return db.Update(func(tx *Tx) error {
		var stale bool
		if b := tx.tx.Bucket(bucketBatchCourses); b != nil {
			for _, c := range cat.Courses {
				for _, bt := range c.Batches {
					stale = stale || string(b.Get([]byte(bt.ID))) != c.ID
				}
			}
		} else {
			stale = true
		}
		if !stale {
			return nil // the usual start: nothing to write
		}
		b, err := tx.tx.CreateBucketIfNotExists(bucketBatchCourses)
		if err != nil {
			return err
		}
		for _, c := range cat.Courses {
			for _, bt := range c.Batches {
				if string(b.Get([]byte(bt.ID))) == c.ID {
					continue
				}
				if err := b.Put([]byte(bt.ID), []byte(c.ID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// FormerBatches returns, in id order, the batches the store holds seats,
// places or counts of that cat no longer lists and that were last listed
// under course; with unknown also those of no course cat lists (removed
// with their course, or removed before any start recorded them).
func (tx *Tx) FormerBatches(cat Catalog, course string, unknown bool) ([]string, error) {
	recorded := tx.tx.Bucket(bucketBatchCourses)
	var out []string
	err := tx.tx.Bucket(bucketBatches).ForEach(func(k, _ []byte) error {
		id := string(k)
		if _, _, listed := cat.Batch(id); listed {
			return nil
		}
		var of string
		if recorded != nil {
			of = string(recorded.Get(k))
		}
		_, known := cat.Course(of)
		if (known && of == course) || (!known && unknown) {
			out = append(out, id)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}
