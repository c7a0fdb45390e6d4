package report

import "runtime/debug"

// The collector's settings are the process's, and commands that change
// them can overlap: an export while /statistik runs, certificates while
// an export runs. Each of these saves what it found and puts it back at
// its end, so the later of two overlapping ones would find the earlier's
// value and, ending last, leave it for good (a running bot stuck at the
// export's GOGC 40, costing every conversation step more collection).
// A command that finds its own value already set therefore puts nothing
// back: the process's own setting returns when the first one ends, and the
// second runs on at that setting.

// setGCPercent sets the collector's target percentage to p and returns
// the function that puts back the one it found, unless that was p.
func setGCPercent(p int) (restore func()) {
	was := debug.SetGCPercent(p)
	if was == p {
		return func() {}
	}
	return func() { debug.SetGCPercent(was) }
}

// setMemoryLimit is setGCPercent of the soft memory limit.
func setMemoryLimit(n int64) (restore func()) {
	was := debug.SetMemoryLimit(n)
	if was == n {
		return func() {}
	}
	return func() { debug.SetMemoryLimit(was) }
}
