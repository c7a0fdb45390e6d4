package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// secretsOrganiser is the organiser of TestRun_SecretsStayOut: their
// name is personal data too.
var secretsOrganiser = telegramtest.User{ID: 9300001, FirstName: "Kusumawardani", LastName: "Prameswari", LanguageCode: "id"}

// secretsCheck fails when out shows the token or any personal datum of
// the session: siti's answers in every form they were typed or stored in
// (checkNoSecrets), her names, the organiser's, and the announcement.
// Telegram ids are no secret here: the log names chats by chat_id.
func secretsCheck(t *testing.T, what, out string) {
	t.Helper()
	checkNoSecrets(t, what, out)
	for _, s := range []string{"Siti", "Rahayu", "Kaliwates", "Kusumawardani", "Prameswari", "Rahasia-Pengumuman"} {
		if strings.Contains(out, s) {
			t.Errorf("%s shows %q:\n%s", what, s, out)
		}
	}
}

// Ensure that a whole session — a registration, an announcement and an
// export through /ekspor — while Telegram drops connections and refuses
// requests (errors that carry the request URL, token included), logged at
// debug level (-v), shows neither the token nor any personal datum; and
// that the database, the backups of `daftar backup` and of the scheduler
// (its directory too) are readable by their owner only.
func TestRun_SecretsStayOut(t *testing.T) {
	cfg, dbPath := writeTestConfig(t, 0, func(s string) string {
		s = replaceOnce(t, s, "admins = [123456789]", "admins = ["+strconv.FormatInt(secretsOrganiser.ID, 10)+"]")
		return replaceOnce(t, s, "send_rate = 28", "send_rate = 30")
	})
	srv := telegramtest.NewServer(testToken)
	defer srv.Close()
	w := &loadWorld{srv: srv, box: newLoadMailbox(t, srv), patience: time.Minute, limit: 30 * time.Second}
	b := startBot(t, srv, botEnv(srv), "run", "-config", cfg, "-v")
	for _, f := range []struct {
		method string
		fault  telegramtest.Fault
	}{
		{"getUpdates", telegramtest.Fault{Drop: true, Times: 1}},
		{"getUpdates", telegramtest.Fault{Status: 409, Times: 1}},
		{"sendMessage", telegramtest.Fault{Drop: true, Times: 1}},
		{"sendMessage", telegramtest.Fault{Status: 502, Times: 1}},
		{"answerCallbackQuery", telegramtest.Fault{Status: 400, Description: "Bad Request: query is too old", Times: 1}},
		{"editMessageReplyMarkup", telegramtest.Fault{Drop: true, Times: 1}},
		{"copyMessage", telegramtest.Fault{Status: 502, Times: 1}},
		{"copyMessage", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1}},
		{"sendDocument", telegramtest.Fault{Drop: true, Times: 1}},
		{"editMessageText", telegramtest.Fault{Status: 500, Times: 1}},
	} {
		srv.Inject(f.method, f.fault)
	}

	registerSiti(t, srv)
	// A wrong answer with personal data in it goes through the error paths.
	p := person{srv, telegramtest.User{ID: 5550002, FirstName: "Siti", LastName: "Rahayu", LanguageCode: "id"}}
	if err := p.text("/start", "Tekan Daftar"); err != nil {
		t.Fatal(err)
	}
	if err := p.press("Daftar", "Apakah Anda setuju?"); err != nil {
		t.Fatal(err)
	}
	if err := p.press("Setuju", "Pertanyaan 1 dari 6"); err != nil {
		t.Fatal(err)
	}
	if err := p.text("Siti Aminah Rahayu 3509015708900001 Jl. Mawar 5, Kaliwates", "Pertanyaan 2 dari 6"); err != nil {
		t.Fatal(err)
	}
	if err := p.text("+62 812-3456-7890 (Siti)", "Nomor itu tidak bisa kami baca"); err != nil {
		t.Fatal(err)
	}

	if n, err := loadAnnounce(w, secretsOrganiser, "Rahasia-Pengumuman untuk Siti Aminah Rahayu, NIK 3509015708900001"); err != nil || n != 1 {
		t.Fatalf("announcement to %d: %v", n, err)
	}
	after := srv.LastSeq()
	srv.SendText(secretsOrganiser, "/ekspor")
	csv, ok := w.box.wait(secretsOrganiser.ID, after, func(m telegramtest.Message) bool {
		return m.Method == "sendDocument" && strings.HasSuffix(m.FileName, ".csv")
	}, w.limit)
	if !ok {
		t.Fatal("/ekspor sent no CSV")
	}
	if !bytes.Contains(csv.FileData, []byte("Siti Aminah Rahayu")) {
		t.Errorf("the CSV does not hold the registration:\n%s", csv.FileData)
	}
	if err := b.stop(); err != nil {
		t.Fatalf("run: %v", err)
	}

	log := b.stderr.String()
	for _, want := range []string{"level=DEBUG", "level=WARN", "level=ERROR", "msg=\"send document\""} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s: the faults did not reach the error paths:\n%s", want, log)
		}
	}
	secretsCheck(t, "the log", log)
	checkMode(t, dbPath, 0o600)

	// daftar backup.
	out := filepath.Join(t.TempDir(), "backup.db")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"backup", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	checkMode(t, out, 0o600)
	secretsCheck(t, "backup's output", stdout.String()+stderr.String())

	// The scheduler's backups: the daily one into a new directory, and
	// Backup over a temporary file a crash left world-readable.
	c, err := loadConfig(cfg, mapEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := filepath.Join(t.TempDir(), "backups")
	path, err := scheduler.New(db, c.catalog(), scheduler.Options{BackupDir: dir}).Backup(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	checkMode(t, path, 0o600)
	checkMode(t, dir, 0o700)
	again := filepath.Join(t.TempDir(), "daftar-copy.db")
	if err := os.WriteFile(filepath.Join(filepath.Dir(again), "."+filepath.Base(again)+".tmp"), []byte("left by a crash"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(again); err != nil {
		t.Fatal(err)
	}
	checkMode(t, again, 0o600)
}
