package bot

import "runtime/debug"

// The garbage collector's settings for a running bot (daftar run; see
// SetGC). A conversation step allocates about 50 kB in the bot (some 640
// objects: requests, answers decoded, transactions), garbage within
// milliseconds, while little stays live (the whole anonymous memory is
// 8 MB after start-up with 10,000 participants), so at Go's default
// GOGC=100 the collector took about a fifth of the CPU of 100 people
// registering at once (README, "Conversation throughput").
//
// GCPercent lets the heap grow to five times what is live between
// collections; GCMemoryLimit is the ceiling that keeps that growth within
// the resident-memory budget (60 MB with 10,000 participants, of which
// the binary's own pages are about 21 MB): near it the runtime collects
// sooner, whatever GCPercent says. The exports and statistics lower the
// percentage while they run (report/export.go), the certificates raise
// the ceiling (report/certificate.go); both restore these afterwards.
const (
	GCPercent     = 400
	GCMemoryLimit = 32 << 20
)

// SetGC applies GCPercent and GCMemoryLimit to the process and returns the
// function that restores the settings it found. An operator's GOGC or
// GOMEMLIMIT in the environment (getenv) wins over the constant it names.
func SetGC(getenv func(string) string) (restore func()) {
	var undo []func()
	if getenv("GOGC") == "" {
		was := debug.SetGCPercent(GCPercent)
		undo = append(undo, func() { debug.SetGCPercent(was) })
	}
	if getenv("GOMEMLIMIT") == "" {
		was := debug.SetMemoryLimit(GCMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(was) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}
