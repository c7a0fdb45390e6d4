package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that /tutup hands out no more seats, through the real client: its
// confirmation says that an offer is outstanding, closing withdraws it
// and tells its holder, who keeps her waiting place; her old Terima is
// refused with the reason, the contact and what is open; /buka offers
// her the seat again and she takes it.
func TestBot_OfferAfterClose(t *testing.T) {
	e := newEnv(t)
	e.course.Batches[1].Capacity = 1
	e.course.Contact = "WA 0812-3456-7890"
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID}; o.ClaimWindow = 24 * time.Hour }
	e.start()
	ana, citra, dewi := newPerson(101, "Ana Lestari"), newPerson(103, "Citra Dewi"), newPerson(104, "Dewi Sartika")
	e.register(ana)
	for _, p := range []person{citra, dewi} {
		e.register(p)
		e.press(p.user, "Masuk daftar tunggu")
	}
	seq := e.srv.LastSeq()
	e.act(ana.user, says("/status", "kursi nomor 1"))
	e.act(ana.user, presses("Batalkan pendaftaran", "Yakin"))
	e.act(ana.user, presses("Batalkan pendaftaran", "sudah dibatalkan"))
	offer := e.waitFor(seq, citra.user.ID, "Ada kursi kosong di Angkatan 2")

	ask := last(t, e.text(rina, "/tutup angkatan-2"))
	if !strings.Contains(ask.Text, "1 orang sedang ditawari kursi") {
		t.Fatalf("/tutup with an offer outstanding asks %q", ask.Text)
	}
	seq = e.srv.LastSeq()
	if got := lastEdit(t, e.press(rina, "Ya, tutup")); !strings.Contains(got.Text, "ditutup") || !strings.Contains(got.Text, "1 tawaran kursi ditarik") {
		t.Fatalf("after Ya, tutup: %q", got.Text)
	}
	notice := e.waitFor(seq, citra.user.ID, "tawaran kursi untuk Anda ditarik")
	if !strings.Contains(notice.Text, "WA 0812-3456-7890") {
		t.Errorf("the withdrawal notice has no contact: %q", notice.Text)
	}
	if p := e.status(citra.user.ID, "angkatan-2"); p.Status != store.StatusWaiting {
		t.Fatalf("Citra after /tutup: %+v, want still waiting", p)
	}

	ms := e.step(citra.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(citra.user, offer.MessageID, "Terima"); return id })
	if said(ms, "Pendaftaran berhasil") || !said(ms, "sudah ditutup oleh panitia") || !said(ms, "urutan ke-1") ||
		!said(ms, "WA 0812-3456-7890") || !said(ms, "pendaftaran ditutup") {
		t.Fatalf("Terima after /tutup got %q", texts(ms))
	}
	if p := e.status(citra.user.ID, "angkatan-2"); p.Status != store.StatusWaiting {
		t.Fatalf("Citra after pressing Terima: %+v, want still waiting", p)
	}

	e.text(rina, "/buka angkatan-2")
	seq = e.srv.LastSeq()
	if got := lastEdit(t, e.press(rina, "Ya, buka")); !strings.Contains(got.Text, "1 kursi kosong ditawarkan") {
		t.Fatalf("after Ya, buka: %q", got.Text)
	}
	again := e.waitFor(seq, citra.user.ID, "Ada kursi kosong di Angkatan 2")
	ms = e.step(citra.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(citra.user, again.MessageID, "Terima"); return id })
	if !said(ms, "Pendaftaran berhasil") {
		t.Fatalf("Terima after /buka got %q", texts(ms))
	}
	if n := countSent(e.srv, dewi.user.ID, "Ada kursi kosong"); n != 0 {
		t.Errorf("Dewi, second in line, got %d offers", n)
	}
	e.assertIdle()
}

// Ensure that a capacity raised in the config while people wait lets them
// in when the bot starts again: the new seats are offered in order.
func TestBot_CapacityRaisedAtStart(t *testing.T) {
	e := newEnv(t)
	e.course.Batches[1].Capacity = 1
	e.start()
	ana, citra, dewi, eka := newPerson(101, "Ana Lestari"), newPerson(103, "Citra Dewi"), newPerson(104, "Dewi Sartika"), newPerson(105, "Eka Putri")
	e.register(ana)
	for _, p := range []person{citra, dewi, eka} {
		e.register(p)
		e.press(p.user, "Masuk daftar tunggu")
	}
	seq := e.srv.LastSeq()
	e.course.Batches[1].Capacity = 3
	e.restart()
	e.waitFor(seq, citra.user.ID, "Ada kursi kosong di Angkatan 2")
	offer := e.waitFor(seq, dewi.user.ID, "Ada kursi kosong di Angkatan 2")
	ms := e.step(dewi.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(dewi.user, offer.MessageID, "Terima"); return id })
	if !said(ms, "Pendaftaran berhasil") {
		t.Fatalf("Dewi accepting got %q", texts(ms))
	}
	if n := countSent(e.srv, eka.user.ID, "Ada kursi kosong"); n != 0 {
		t.Errorf("Eka, third in line for two new seats, got %d offers", n)
	}
}
