package report

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// peakMB returns this process's peak resident memory (VmHWM) in MB, 0
// where /proc does not tell.
func peakMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeak sets VmHWM to the current resident memory (Linux 4.0 on), so
// that peakMB measures from here.
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkCertificates makes what "daftar certificates" and Kirim make
// for a batch of 1,000 people (target: under 10 s, under 100 MB): one
// PDF per person and the combined PDF of all. peak-MB is the process's
// peak resident memory during the run, test binary included.
func BenchmarkCertificates(b *testing.B) {
	names := make([]string, 1000)
	for i := range names {
		names[i] = "Peserta Nomor " + strconv.Itoa(i+1) + " Nur'aini Çahyaningrum"
	}
	benchmarkCertificates(b, names)
}

// BenchmarkCertificates_Unicode is BenchmarkCertificates with every
// tenth name drawn by the fallback fonts: an emoji in a Latin name
// (emoji: DejaVu Sans and Symbola are read), then a name of each script
// of uniNames (all-scripts: Chinese, Arabic, Javanese, …, every fallback
// font read). The fonts are read once per process, so emoji runs first.
func BenchmarkCertificates_Unicode(b *testing.B) {
	for _, tc := range []struct {
		name  string
		names []string
	}{{"emoji", []string{"Siti 🌸 Aminah"}}, {"all-scripts", uniNames}} {
		b.Run(tc.name, func(b *testing.B) {
			names := make([]string, 1000)
			for i := range names {
				names[i] = "Peserta Nomor " + strconv.Itoa(i+1) + " Nur'aini Çahyaningrum"
				if i%10 == 0 {
					names[i] = tc.names[i/10%len(tc.names)] + " " + strconv.Itoa(i+1)
				}
			}
			benchmarkCertificates(b, names)
		})
	}
}

func benchmarkCertificates(b *testing.B, names []string) {
	c, bt := paperCourse()
	certs := testCerts(bt, names...)
	p := testPaper
	logo, err := PrepareLogo(testLogo(b))
	if err != nil {
		b.Fatal(err)
	}
	p.Logo = logo
	runtime.GC()
	resetPeak()
	cpu0, wall0 := cpuTime(), time.Now()
	b.ResetTimer()
	var size int64
	for b.Loop() {
		size = 0
		cw := &countWriter{}
		err := WriteCertificateFiles(c, bt, certs, p, func(_ store.Certificate, data []byte) error {
			size += int64(len(data))
			return nil
		}, cw)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(cw.n)/1e6, "combined-MB")
	}
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu-%")
	b.ReportMetric(float64(size)/1e3/float64(len(certs)), "kB/person")
	b.ReportMetric(peakMB(), "peak-MB")
}

// BenchmarkAttendanceList makes the attendance sheet of 100 people over
// 7 days, marked (target: under 1 s).
func BenchmarkAttendanceList(b *testing.B) {
	c, bt := paperCourse()
	people := seatHolders(bt, 100)
	marks := map[int64]map[int]bool{}
	for _, p := range people {
		marks[p.UserID] = map[int]bool{1: true, 2: true, 3: p.UserID%3 != 0, 4: true, 5: true, 6: true, 7: true}
	}
	var n int
	for b.Loop() {
		cw := &countWriter{}
		if err := WriteAttendanceList(cw, c, bt, people, marks, testPaper, time.Date(2025, 10, 26, 16, 0, 0, 0, paperLoc)); err != nil {
			b.Fatal(err)
		}
		n = int(cw.n)
	}
	b.ReportMetric(float64(n)/1e3, "kB")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
