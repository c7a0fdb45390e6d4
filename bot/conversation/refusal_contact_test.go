package conversation

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that every refusal a participant gets names the organisers'
// contact when the course sets one, and says nothing of it when not: a
// full batch, a batch closed or begun before Konfirmasi, an overlap, an
// accepted offer refused, an offer gone, a batch that takes nobody.
func TestRefusals_Contact(t *testing.T) {
	const contact = "Pertanyaan? Hubungi panitia: WhatsApp 0812-3456-7890"
	worldOf := func(withContact bool) World {
		c := testCourse("angkatan-2", "angkatan-3")
		if withContact {
			c.Contact = "WhatsApp 0812-3456-7890"
		}
		return testWorld(c)
	}
	summary := at(StateSummary, 0)
	summary.Batch = "angkatan-2"
	done := store.Conversation{UserID: 7, Lang: "id", State: StateDone, Seq: 9}
	settled := func(c store.Conversation, e Effect, err error) func(World) []reply {
		return func(w World) []reply {
			o, serr := Settle(c, w, e, Result{Err: err})
			if serr != nil {
				t.Fatalf("settle %v: %v", err, serr)
			}
			return o.Replies
		}
	}
	for _, tc := range []struct {
		name, says string
		run        func(World) []reply
	}{
		{"full", "sudah penuh", settled(summary, Effect{Kind: EffConfirm}, store.ErrBatchFull)},
		{"closed", "baru saja ditutup", settled(summary, Effect{Kind: EffConfirm}, store.ErrBatchClosed)},
		{"started", "", settled(summary, Effect{Kind: EffConfirm}, store.ErrBatchStarted)},
		{"overlap", "bertabrakan", settled(summary, Effect{Kind: EffConfirm}, store.ErrOverlap)},
		{"offer accepted, batch closed", "sudah ditutup oleh panitia", settled(done, Effect{Kind: EffAccept, Batch: "angkatan-2"}, store.ErrBatchClosed)},
		{"offer gone", "tidak berlaku", settled(done, Effect{Kind: EffAccept, Batch: "angkatan-2"}, store.ErrNoOffer)},
		{"batch not taking anyone", "tidak menerima pendaftaran", func(w World) []reply {
			c := at(StateBatch, 0)
			return Next(c, press(c, ActBatch, "angkatan-1"), w).Replies
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			with := tc.run(worldOf(true))
			if !said(with, contact) || (tc.says != "" && !said(with, tc.says)) {
				t.Errorf("with a contact: %q", replyTexts(with))
			}
			without := tc.run(worldOf(false))
			if said(without, "Hubungi panitia") || (tc.says != "" && !said(without, tc.says)) {
				t.Errorf("without a contact: %q", replyTexts(without))
			}
		})
	}
}

func replyTexts(rs []reply) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Text)
	}
	return strings.Join(s, " | ")
}
