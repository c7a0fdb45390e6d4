package bot_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that /ekspor sends the XLSX and the CSV as documents under their
// names and logs the export, and /statistik the text and the chart.
func TestOrganiser_ExportStatistics(t *testing.T) {
	e := orgEnv(t, false)
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 3)

	ms := e.text(rina, "/ekspor")
	docs := withMethod(ms, "sendDocument")
	want := []string{report.ExportFileName("", fixedNow, "xlsx"), report.ExportFileName("", fixedNow, "csv")}
	if len(docs) != 2 || docs[0].FileName != want[0] || docs[1].FileName != want[1] {
		t.Fatalf("documents %+v, want %q", docs, want)
	}
	if !strings.HasPrefix(string(docs[1].FileData), "\ufeffseat,batch,status") || !strings.Contains(string(docs[1].FileData), ps[2].name) {
		t.Errorf("CSV:\n%s", docs[1].FileData)
	}
	if !strings.HasPrefix(string(docs[0].FileData), "PK") {
		t.Error("the XLSX is not a zip file")
	}
	ms = e.text(rina, "/export angkatan-2")
	if docs := withMethod(ms, "sendDocument"); len(docs) != 2 || docs[0].FileName != report.ExportFileName("angkatan-2", fixedNow, "xlsx") {
		t.Errorf("batch export %+v", docs)
	}
	es := e.auditLog()
	if len(es) != 2 || es[0].Action != store.AuditExport || es[0].Batch != "angkatan-2" || es[1].Batch != "" {
		t.Errorf("audit %+v", es)
	}

	ms = e.text(rina, "/statistik")
	if len(sends(ms)) != 1 || len(withMethod(ms, "sendPhoto")) != 1 {
		t.Errorf("statistics: %q", methodsOf(ms))
	}
	if photo := withMethod(ms, "sendPhoto"); len(photo) == 1 && !strings.HasPrefix(string(photo[0].FileData), "\x89PNG") {
		t.Error("the chart is not a PNG")
	}
	e.assertIdle()
}

// Ensure that an export of an unknown batch says which batches there are
// and sends nothing.
func TestOrganiser_UnknownBatchExport(t *testing.T) {
	e := orgEnv(t, false)
	ms := e.text(rina, "/ekspor angkatan-9")
	if !said(ms, "tidak dikenal") || len(withMethod(ms, "sendDocument")) != 0 {
		t.Errorf("unknown batch export: %q", methodsOf(ms))
	}
	if es := e.auditLog(); len(es) != 0 {
		t.Errorf("audit %+v", es)
	}
	e.assertIdle()
}

// Ensure that in a bot of several courses a batch removed from the config
// stays in the export of its course (recorded while the config listed
// it), for that course's organisers and telegram.admins, and in no other
// course's.
func TestOrganiser_ExportFormerBatch(t *testing.T) {
	e := coursesEnv(t)
	err := e.db.Update(func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(store.Participant{UserID: 5001, ChatID: 5001, Batch: "las-0", Answers: map[string]string{"name": "Wawan Las"}, RegisteredAt: fixedNow}, 10)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.more[0].Batches = e.more[0].Batches[1:] // las-0 leaves the config
	e.restart()
	csvOf := func(u telegramtest.User, arg string) string {
		t.Helper()
		docs := withMethod(e.text(u, "/ekspor "+arg), "sendDocument")
		if len(docs) != 2 {
			t.Fatalf("/ekspor %s by %s sent %d documents", arg, u.FirstName, len(docs))
		}
		return string(docs[1].FileData)
	}
	if got := csvOf(lala, "las"); !strings.Contains(got, "las-0,registered,Wawan Las") {
		t.Errorf("the welding export lacks the removed batch:\n%s", got)
	}
	if got := csvOf(rina, "las"); !strings.Contains(got, "Wawan Las") {
		t.Errorf("telegram.admin's welding export lacks the removed batch:\n%s", got)
	}
	if got := csvOf(joko, "menjahit"); strings.Contains(got, "Wawan") {
		t.Errorf("the sewing export has the welding course's removed batch:\n%s", got)
	}
}
