package report

import (
	"runtime/debug"
	"testing"
)

// Ensure that two overlapping commands leave the process's collector
// settings as they found them, whichever ends first.
func TestSetGCPercent_Overlap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	for _, firstEndsFirst := range []bool{true, false} {
		a := setGCPercent(exportGCPercent)
		b := setGCPercent(exportGCPercent)
		if got := debug.SetGCPercent(exportGCPercent); got != exportGCPercent {
			t.Fatalf("while both run: GOGC %d, want %d", got, exportGCPercent)
		}
		if firstEndsFirst {
			a()
			b()
		} else {
			b()
			a()
		}
		if got := debug.SetGCPercent(400); got != 400 {
			t.Errorf("first ends first %v: GOGC %d after both, want the process's 400", firstEndsFirst, got)
		}
	}
}

// Ensure that overlapping certificate runs leave the memory limit as they
// found it.
func TestSetMemoryLimit_Overlap(t *testing.T) {
	const bot = 32 << 20
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(bot))
	a := setMemoryLimit(certificateMemoryLimit)
	b := setMemoryLimit(certificateMemoryLimit)
	a()
	b()
	if got := debug.SetMemoryLimit(-1); got != bot {
		t.Errorf("memory limit %d after both, want the process's %d", got, bot)
	}
}
