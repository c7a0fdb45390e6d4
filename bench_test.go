package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// benchAdmin is the organiser of testdata/config-one-course.toml
// (telegram.admins).
var benchAdmin = telegramtest.User{ID: 123456789, FirstName: "Panitia", LanguageCode: "id"}

// BenchmarkResidentMemory builds the real daftar binary, runs it
// ("daftar run -config FILE") on a database with 10,000 participants
// against a fake Telegram, and reads its resident memory (VmRSS of
// /proc/PID/status) after start-up, after 100 people at once started
// registering, ten times over (benchTalk), after an organiser's /statistik and
// after /ekspor (XLSX and CSV sent as documents), and the peak (VmHWM)
// of the whole run and of each command alone (the peak is reset before
// it, see benchResetPeak); the target is under 60 MB. It also reports the time from starting the process to its first
// getUpdates, and how long /statistik and /ekspor took end to end, from
// the organiser's message to the last file arriving. Linux only.
// DAFTAR_BENCH_WEBHOOK=100 (here and in BenchmarkResidentMemoryCourses)
// has the fake server push the updates to a webhook instead; start-up is
// then timed to setWebhook.
//
//	go test -run XXX -bench ResidentMemory -benchtime 3x .
func BenchmarkResidentMemory(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	dir := b.TempDir()
	bin := benchBuild(b, dir)
	filled := filepath.Join(dir, "filled.db")
	benchFillMain(b, filled, 10_000)
	benchResident(b, dir, bin, filled, benchConfig, 6, true, "/statistik", "/ekspor")
}

// BenchmarkResidentMemoryCourses is BenchmarkResidentMemory with 10
// courses of 5 batches and 1,000 people in each batch (50,000 in all):
// start-up to the first getUpdates, and one course's /statistik and
// /ekspor (5,000 people), named in the command as an organiser of every
// course does. Targets as there: first getUpdates within 300 ms, under
// 60 MB resident.
//
//	go test -run XXX -bench ResidentMemoryCourses -benchtime 3x .
func BenchmarkResidentMemoryCourses(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	dir := b.TempDir()
	bin := benchBuild(b, dir)
	filled := filepath.Join(dir, "filled.db")
	var batches []string
	for c := range benchCourses {
		for n := range benchBatches {
			batches = append(batches, benchBatchID(c, n))
		}
	}
	benchFill(b, filled, batches, 1000)
	// Menus: three languages, for everybody and for each of the 11
	// organisers (one of every course, one per course).
	benchResident(b, dir, bin, filled, benchCoursesConfig, 3*(1+1+benchCourses), false, "/statistik kursus-3", "/ekspor kursus-3")
}

// benchBuild builds the daftar binary into dir.
func benchBuild(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(dir, "daftar")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// benchResident runs the binary bin on copies of the database filled
// with the config that config writes, and measures start-up, the
// organiser's stats and export commands and the memory (see
// BenchmarkResidentMemory); start-up is over when menus command menus
// are set.
func benchResident(b *testing.B, dir, bin, filled string, config func(*testing.B, string, string, string) string, menus int, talk bool, statsCmd, exportCmd string) {

	const token = "888:resident-memory-bench"
	verbose := os.Getenv("DAFTAR_BENCH_VERBOSE") != ""
	var startMs, statsMs, exportMs float64
	var atStart, atTalk, atStats, atExport benchMemory
	var peakTalk, peakStats, peakExport float64
	for i := 0; b.Loop(); i++ {
		srv := telegramtest.NewServer(token)
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		data, err := os.ReadFile(filled)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		benchUncache(b, path)
		cfg := config(b, dir, path, srv.URL())

		t0 := time.Now()
		cmd := exec.Command(bin, "run", "-config", cfg)
		cmd.Env = []string{"TELEGRAM_BOT_TOKEN=" + token, "DAFTAR_API_URL=" + srv.URL(), "HOME=" + dir, "TZ=UTC", "GODEBUG=" + os.Getenv("DAFTAR_BENCH_GODEBUG")}
		if limit := os.Getenv("DAFTAR_BENCH_GOMEMLIMIT"); limit != "" {
			cmd.Env = append(cmd.Env, "GOMEMLIMIT="+limit)
		}
		if percent := os.Getenv("DAFTAR_BENCH_GOGC"); percent != "" {
			// The bot's own GC settings (bot.SetGC) yield to the operator's.
			cmd.Env = append(cmd.Env, "GOGC="+percent)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if verbose {
			cmd.Stderr = io.MultiWriter(&stderr, os.Stderr)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		fail := func(format string, args ...any) {
			b.Helper()
			_ = cmd.Process.Kill()
			<-exited
			srv.Close()
			b.Fatalf(format+"\nbot log:\n%s", append(args, stderr.String())...)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		// With a webhook (DAFTAR_BENCH_WEBHOOK) the bot takes updates once
		// it registered it.
		first := "getUpdates"
		if os.Getenv("DAFTAR_BENCH_WEBHOOK") != "" {
			first = "setWebhook"
		}
		if err := srv.WaitRequests(ctx, first, 1); err != nil {
			fail("no %s: %v", first, err)
		}
		startMs += float64(time.Since(t0).Microseconds()) / 1000
		// Start-up is over when the command menus are set: three
		// languages, for everybody and for the one organiser.
		if err := srv.WaitRequests(ctx, "setMyCommands", menus); err != nil {
			fail("setMyCommands: %v", err)
		}
		atStart = benchMax(atStart, benchProcMemory(b, cmd.Process.Pid))
		if verbose {
			benchSmaps(b, cmd.Process.Pid, "after start-up")
		}

		if talk {
			benchResetPeak(b, cmd.Process.Pid)
			if err := benchTalk(srv, int64(40_000_000+i*benchTalkers*benchTalkRounds)); err != nil {
				fail("%v", err)
			}
			m := benchProcMemory(b, cmd.Process.Pid)
			atTalk, peakTalk = benchMax(atTalk, m), max(peakTalk, m.hwm)
			if verbose {
				benchSmaps(b, cmd.Process.Pid, "after the conversations")
			}
		}

		benchResetPeak(b, cmd.Process.Pid)
		t1 := time.Now()
		after := srv.LastSeq()
		srv.SendText(benchAdmin, statsCmd)
		if _, err := srv.WaitSent(ctx, after, func(m telegramtest.Message) bool {
			return m.ChatID == benchAdmin.ID && m.Method == "sendPhoto"
		}); err != nil {
			fail("/statistik: no chart: %v", err)
		}
		statsMs += float64(time.Since(t1).Microseconds()) / 1000
		m := benchProcMemory(b, cmd.Process.Pid)
		atStats, peakStats = benchMax(atStats, m), max(peakStats, m.hwm)
		if verbose {
			benchSmaps(b, cmd.Process.Pid, "after /statistik")
		}

		benchResetPeak(b, cmd.Process.Pid)
		t2 := time.Now()
		after = srv.LastSeq()
		srv.SendText(benchAdmin, exportCmd)
		docs := 0
		if _, err := srv.WaitSent(ctx, after, func(m telegramtest.Message) bool {
			if m.ChatID == benchAdmin.ID && m.Method == "sendDocument" {
				docs++
			}
			return docs == 2
		}); err != nil {
			fail("/ekspor: %d of 2 files: %v", docs, err)
		}
		exportMs += float64(time.Since(t2).Microseconds()) / 1000
		m = benchProcMemory(b, cmd.Process.Pid)
		atExport, peakExport = benchMax(atExport, m), max(peakExport, m.hwm)
		if verbose {
			benchSmaps(b, cmd.Process.Pid, "after /ekspor")
		}
		cancel()

		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			fail("the bot did not stop within 15 s of SIGTERM")
		}

		srv.Close()
		os.Remove(path)
	}
	n := float64(b.N)
	b.ReportMetric(atStart.rss, "rss-start-MB")
	if talk {
		b.ReportMetric(atTalk.rss, "rss-talk-MB")
		b.ReportMetric(peakTalk, "peak-talk-MB")
	}
	b.ReportMetric(atStats.rss, "rss-stats-MB")
	b.ReportMetric(atStats.anon, "anon-stats-MB")
	b.ReportMetric(atExport.rss, "rss-export-MB")
	b.ReportMetric(atExport.anon, "anon-export-MB")
	b.ReportMetric(atExport.hwm, "peak-rss-MB")
	b.ReportMetric(peakStats, "peak-stats-MB")
	b.ReportMetric(peakExport, "peak-export-MB")
	b.ReportMetric(startMs/n, "start-to-getUpdates-ms")
	b.ReportMetric(statsMs/n, "statistik-ms")
	b.ReportMetric(exportMs/n, "ekspor-ms")
}

// benchMemory is what /proc/PID/status says about a process's resident
// memory, in MB: VmRSS, its anonymous part (Go heap, stacks) and its
// file-backed part (the binary, the mapped database file: clean pages
// of the page cache), and the peak VmHWM.
// How many people benchTalk has talking at once, and how many times over.
const benchTalkers, benchTalkRounds = 100, 10

// benchTalk has benchTalkers people at once, benchTalkRounds times over
// (new people each round, ids from first), go through the first four steps
// of the registration: /start, Daftar, Setuju and their name, the
// conversation's garbage at its busiest, so that the peak shows what the
// collector's settings let the heap grow to.
func benchTalk(srv *telegramtest.Server, first int64) error {
	for r := range benchTalkRounds {
		var wg sync.WaitGroup
		errs := make(chan error, benchTalkers)
		for i := range benchTalkers {
			p := person{srv, telegramtest.User{ID: first + int64(r*benchTalkers+i), FirstName: "Peserta", LanguageCode: "id"}}
			wg.Go(func() {
				for _, err := range []func() error{
					func() error { return p.text("/start", "Tekan Daftar") },
					func() error { return p.press("Daftar", "Apakah Anda setuju?") },
					func() error { return p.press("Setuju", "Pertanyaan 1 dari 6") },
					func() error { return p.text("Peserta Bicara", "Pertanyaan 2 dari 6") },
				} {
					if err := err(); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

type benchMemory struct{ rss, anon, file, hwm float64 }

func benchProcMemory(b *testing.B, pid int) benchMemory {
	b.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var m benchMemory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM" && name != "RssAnon" && name != "RssFile") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			b.Fatalf("%s: %q: %v", name, rest, err)
		}
		switch name {
		case "VmRSS":
			m.rss = kb / 1024
		case "VmHWM":
			m.hwm = kb / 1024
		case "RssAnon":
			m.anon = kb / 1024
		case "RssFile":
			m.file = kb / 1024
		}
	}
	return m
}

// benchResetPeak resets the peak resident memory (VmHWM) of pid to its
// present resident memory, so that the next reading is the peak of what
// happens in between: "5" written to /proc/PID/clear_refs (Linux 4.0 on).
// Where that fails, VmHWM stays the peak of the whole run.
func benchResetPeak(b *testing.B, pid int) {
	b.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		b.Logf("reset the peak: %v (peak-stats-MB and peak-export-MB are the peak of the run)", err)
	}
}

// benchMax is the larger of each figure of m and n.
func benchMax(m, n benchMemory) benchMemory {
	return benchMemory{max(m.rss, n.rss), max(m.anon, n.anon), max(m.file, n.file), max(m.hwm, n.hwm)}
}

// benchSmaps logs the resident memory of pid by mapping: the binary,
// the database file, anonymous memory (the Go heap, stacks).
func benchSmaps(b *testing.B, pid int, when string) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		b.Fatal(err)
	}
	byPath := map[string]float64{}
	path := ""
	for line := range strings.Lines(string(data)) {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			path = "[anon]"
			if len(fields) >= 6 {
				path = fields[5]
			}
		case len(fields) == 3 && fields[0] == "Rss:":
			kb, _ := strconv.ParseFloat(fields[1], 64)
			byPath[path] += kb / 1024
		}
	}
	var parts []string
	for p, mb := range byPath {
		if mb >= 0.5 {
			parts = append(parts, fmt.Sprintf("%s %.1f MB", filepath.Base(p), mb))
		}
	}
	slices.Sort(parts)
	b.Logf("%s: %s", when, strings.Join(parts, ", "))
}

// benchConfig writes testdata/config-one-course.toml with the database at
// db, the fake server's URL and room for everybody in Angkatan 2.
func benchConfig(b *testing.B, dir, db, apiURL string) string {
	b.Helper()
	one, err := os.ReadFile("testdata/config-one-course.toml")
	if err != nil {
		b.Fatal(err)
	}
	cfg := string(one)
	for _, r := range [][2]string{
		{`api_url = "https://api.telegram.org"`, benchAPI(b, apiURL)},
		{`path = "daftar.db"`, `path = "` + db + `"`},
		{"id = \"angkatan-2\"\nname = \"Angkatan 2\"\nstart = 2027-02-01\ndays = 7\ncapacity = 16", "id = \"angkatan-2\"\nname = \"Angkatan 2\"\nstart = 2027-02-01\ndays = 7\ncapacity = 20000"},
	} {
		if !strings.Contains(cfg, r[0]) {
			b.Fatalf("testdata/config-one-course.toml has no %q", r[0])
		}
		cfg = strings.Replace(cfg, r[0], r[1], 1)
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// The shape of BenchmarkResidentMemoryCourses.
const (
	benchCourses = 10
	benchBatches = 5
)

func benchBatchID(course, n int) string { return fmt.Sprintf("k%d-angkatan-%d", course, n+1) }

// benchAPI is the config's line for the fake server at apiURL and, with
// DAFTAR_BENCH_WEBHOOK=N, the lines for updates pushed to a webhook on
// loopback, N at once.
func benchAPI(b *testing.B, apiURL string) string {
	api := fmt.Sprintf("api_url = %q", apiURL)
	n := os.Getenv("DAFTAR_BENCH_WEBHOOK")
	if n == "" {
		return api
	}
	addr, err := telegramtest.FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	return api + fmt.Sprintf("\nwebhook_url = %q\nwebhook_listen = %q\nwebhook_max_connections = %s", "http://"+addr+"/telegram", addr, n)
}

// benchCoursesConfig writes a config of benchCourses courses of
// benchBatches batches each, shaped as the example's sewing course (its
// form), with room for everybody, the database at db and the fake
// server's URL.
func benchCoursesConfig(b *testing.B, dir, db, apiURL string) string {
	b.Helper()
	one, err := os.ReadFile("testdata/config-one-course.toml")
	if err != nil {
		b.Fatal(err)
	}
	form := string(one)[strings.Index(string(one), "[[form.fields]]"):]
	form = strings.ReplaceAll(form, "[[form.fields]]", "[[courses.form.fields]]")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[telegram]\n%s\nadmins = [%d]\n\n[store]\npath = %q\n\n", benchAPI(b, apiURL), benchAdmin.ID, db)
	for c := range benchCourses {
		fmt.Fprintf(&cfg, "[[courses]]\nid = \"kursus-%d\"\ntitle = \"Pelatihan %d\"\nvenue = \"UPT BLK Jember\"\nadmins = [%d]\n\n", c, c+1, 800_000+c)
		for n := range benchBatches {
			fmt.Fprintf(&cfg, "[[courses.batches]]\nid = %q\nname = \"Angkatan %d\"\nstart = 2027-%02d-01\ndays = 7\ncapacity = 20000\n\n", benchBatchID(c, n), n+1, n+2)
		}
		cfg.WriteString(form + "\n")
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchFillMain writes a database with n people registered in Angkatan 2
// (the example's six answers), their conversations, three days of
// attendance and two sent reminders each.
func benchFillMain(b *testing.B, path string, n int) {
	benchFill(b, path, []string{"angkatan-2"}, n)
}

// benchFill is benchFillMain with n people in each of batches, each
// person in one batch.
func benchFill(b *testing.B, path string, batches []string, n int) {
	b.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for bi, batch := range batches {
		for from := 0; from < n; from += 1000 {
			err := db.Update(func(tx *store.Tx) error {
				for i := from; i < min(from+1000, n); i++ {
					id := int64(5_000_000 + bi*n + i)
					answers := map[string]string{
						"name": fmt.Sprintf("Peserta Nomor %d", i+1), "phone": fmt.Sprintf("+62812%08d", i),
						"nik": fmt.Sprintf("35090145019%05d", i), "birth_date": "1990-08-17",
						"address": fmt.Sprintf("Jl. Mawar No. %d, Sumbersari", i%1000), "experience": "Pemula",
					}
					if _, err := tx.ConfirmSeat(store.Participant{
						UserID: id, ChatID: id, Batch: batch, Answers: answers, Lang: "id",
						ConsentAt: at, RegisteredAt: at.Add(time.Duration(i) * time.Minute),
					}, 1<<30); err != nil {
						return err
					}
					if err := tx.PutConversation(store.Conversation{
						UserID: id, ChatID: id, Lang: "id", State: "done", Batch: batch,
						Answers: answers, ConsentAt: at, Seq: 12, UpdatedAt: at,
					}); err != nil {
						return err
					}
					for day := 1; day <= 3; day++ {
						if err := tx.SetAttendance(batch, id, day, i%7 != 0, benchAdmin.ID, at); err != nil {
							return err
						}
					}
					for _, slot := range []store.Slot{store.Evening, store.Morning} {
						if _, err := tx.Enqueue(store.ReminderEntry(store.ReminderPayload{Batch: batch, Day: 1, Slot: slot},
							store.Participant{UserID: id, ChatID: id}, at)); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatalf("fill: %v", err)
			}
		}
	}
	queued, err := db.Queued(at, 1<<30, nil)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	work := make(chan uint64)
	for range 200 {
		wg.Go(func() {
			for id := range work {
				if err := db.MarkSent(id, 1, at); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, e := range queued {
		work <- e.ID
	}
	close(work)
	wg.Wait()
}

// benchUncache drops the copied database from the page cache. Written in
// one go, the copy is cached in large folios (up to 2 MB on ext4 and a
// recent kernel), and every fault of the bot's mmap then maps a whole
// folio: the bot would look as if it held far more of the file than it
// reads. A database that bbolt wrote page by page, or one read after a
// reboot, is cached by the page; dropping the copy makes the benchmark
// see that.
func benchUncache(b *testing.B, path string) {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	const fadvDontNeed = 4 // POSIX_FADV_DONTNEED
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0); errno != 0 {
		b.Logf("fadvise: %v (the file stays cached; memory figures will be higher)", errno)
	}
}
