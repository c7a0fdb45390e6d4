package bot_test

import (
	"runtime/debug"
	"testing"

	"github.com/daftar-bot/daftar/bot"
)

// Ensure that SetGC sets the bot's collector settings, leaves alone the
// one the environment names, and that its restore puts back what it found.
func TestSetGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	before := debug.SetMemoryLimit(-1)

	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	restore := bot.SetGC(getenv)
	if got := debug.SetGCPercent(bot.GCPercent); got != bot.GCPercent {
		t.Errorf("GC percent %d, want %d", got, bot.GCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != bot.GCMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, bot.GCMemoryLimit)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after restore %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit after restore %d, want %d", got, before)
	}

	env["GOGC"] = "150"
	debug.SetGCPercent(150)
	restore = bot.SetGC(getenv)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("with GOGC set: GC percent %d, want 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != bot.GCMemoryLimit {
		t.Errorf("with GOGC set: memory limit %d, want %d", got, bot.GCMemoryLimit)
	}
	restore()

	env["GOMEMLIMIT"] = "64MiB"
	debug.SetMemoryLimit(64 << 20)
	restore = bot.SetGC(getenv)
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("with GOMEMLIMIT set: memory limit %d, want %d", got, 64<<20)
	}
	restore()
}
