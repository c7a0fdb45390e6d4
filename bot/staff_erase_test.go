package bot_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that an organiser erases a walk-in's data at the desk with Hapus
// data and Ya, hapus: the registration and the claim link are gone, /log
// records the deletion by the organiser without the person, a second
// press changes nothing; and that an account's detail screen has no such
// button and a forged press on an account erases nothing.
func TestStaff_EraseWalkIn(t *testing.T) {
	e, seated, _ := deskEnv(t)
	e.text(rina, "/daftarkan")
	e.deskForm(rina, "Setuju", "Sri Wahyuni", "081234567890", "3509124507920003", "05-07-1992", "Sudah bisa")
	m := claimLink.FindStringSubmatch(last(t, e.press(rina, "Konfirmasi")).Text)
	if m == nil {
		t.Fatal("no claim link")
	}
	detail := e.openDetail(rina, "angkatan-4", "1. Sri Wahyuni")
	if got := labels(detail); !slices.Equal(got, []string{"Batalkan", "Pindahkan", "Hapus data", "Kembali"}) {
		t.Fatalf("walk-in detail buttons %q", got)
	}
	ask := lastEdit(t, e.press(rina, "Hapus data"))
	if !strings.Contains(ask.Text, "Hapus semua data Sri Wahyuni") || !strings.Contains(ask.Text, "tidak bisa dibatalkan") ||
		!slices.Equal(labels(ask), []string{"Ya, hapus", "Kembali"}) {
		t.Fatalf("confirmation %q %q", ask.Text, labels(ask))
	}
	yes := buttonData(t, ask, "Ya, hapus")
	done := lastEdit(t, e.press(rina, "Ya, hapus"))
	if !strings.Contains(done.Text, "Data Sri Wahyuni sudah dihapus") {
		t.Errorf("after Ya, hapus: %q", done.Text)
	}
	for _, p := range e.participants() {
		if p.Batch == "angkatan-4" || p.Answers["nik"] == "3509124507920003" {
			t.Errorf("still stored after the erasure: %+v", p)
		}
	}
	if got := last(t, e.text(sri, "/start "+m[1])); !strings.Contains(got.Text, "Tautan ini tidak berlaku") {
		t.Errorf("the claim link after the erasure: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "Rina (#910001): data seorang peserta dihapus atas permintaannya") || strings.Contains(got.Text, "Sri") {
		t.Errorf("/log:\n%s", got.Text)
	}
	if toast, _ := toast(e.forge(rina, ask.MessageID, yes)); toast != "Peserta ini sudah tidak terdaftar." {
		t.Errorf("Ya, hapus pressed again: toast %q, want that the person is gone", toast)
	}
	// A forged press naming an account (Seq 2u, base 36) of angkatan-2, with the
	// stamp tag of its registration: refused, nothing erased.
	acct := e.openDetail(rina, "angkatan-2", "1. Peserta 001")
	tag := strings.SplitN(strings.Split(buttonData(t, acct, "Batalkan"), ":")[2], "_", 2)[1]
	forged := strconv.FormatInt(2*seated[0].id, 36) + ":dy:angkatan-2_" + tag
	if toast, _ := toast(e.forge(rina, acct.MessageID, forged)); toast != "Tombol ini sudah tidak berlaku." {
		t.Errorf("a forged Ya, hapus on an account: toast %q, want the stale answer", toast)
	}
	if toast, _ := toast(e.forge(rina, acct.MessageID, strings.Replace(forged, ":dy:", ":de:", 1))); toast != "Tombol ini sudah tidak berlaku." {
		t.Errorf("a forged Hapus data on an account: toast %q, want the stale answer", toast)
	}
	if p := e.status(seated[0].id, "angkatan-2"); p.Status != store.StatusRegistered {
		t.Errorf("a forged erasure of an account: %+v", p)
	}
	if !slices.Contains(labels(acct), "Batalkan") || slices.Contains(labels(acct), "Hapus data") {
		t.Errorf("an account's detail buttons %q", labels(acct))
	}
	e.assertIdle()
}
