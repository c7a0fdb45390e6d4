package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Migration is a migration for tests of the mechanism (see migration).
type Migration struct {
	To   int
	Name string
	Fn   func(tx *bolt.Tx) error
}

// SetMigrations replaces the migration list with ms until the test ends.
// Tests that call it must not run in parallel with others of the package.
func SetMigrations(tb testing.TB, ms ...Migration) {
	tb.Helper()
	saved := migrations
	tb.Cleanup(func() { migrations = saved })
	migrations = make([]migration, len(ms))
	for i, m := range ms {
		fn := m.Fn
		migrations[i] = migration{to: m.To, name: m.Name, fn: func(tx *bolt.Tx, _ Options) error { return fn(tx) }}
	}
}

// MigrationTargets returns the version each real migration leads to, in
// list order, and their names.
func MigrationTargets() (to []int, names []string) {
	for _, m := range migrations {
		to = append(to, m.to)
		names = append(names, m.name)
	}
	return to, names
}

// LatestVersion is the schema version Open brings a file to.
func LatestVersion() int { return latestVersion() }
