package bot

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
	worldOf := func(withContact bool) world {
		c := testCourse("angkatan-2", "angkatan-3")
		if withContact {
			c.Contact = "WhatsApp 0812-3456-7890"
		}
		return testWorld(c)
	}
	summary := at(stSummary, 0)
	summary.Batch = "angkatan-2"
	done := store.Conversation{UserID: 7, Lang: "id", State: stDone, Seq: 9}
	settled := func(c store.Conversation, e effect, err error) func(world) []reply {
		return func(w world) []reply {
			o, serr := settle(c, w, e, result{err: err})
			if serr != nil {
				t.Fatalf("settle %v: %v", err, serr)
			}
			return o.replies
		}
	}
	for _, tc := range []struct {
		name, says string
		run        func(world) []reply
	}{
		{"full", "sudah penuh", settled(summary, effect{kind: effConfirm}, store.ErrBatchFull)},
		{"closed", "baru saja ditutup", settled(summary, effect{kind: effConfirm}, store.ErrBatchClosed)},
		{"started", "", settled(summary, effect{kind: effConfirm}, store.ErrBatchStarted)},
		{"overlap", "bertabrakan", settled(summary, effect{kind: effConfirm}, store.ErrOverlap)},
		{"offer accepted, batch closed", "sudah ditutup oleh panitia", settled(done, effect{kind: effAccept, batch: "angkatan-2"}, store.ErrBatchClosed)},
		{"offer gone", "tidak berlaku", settled(done, effect{kind: effAccept, batch: "angkatan-2"}, store.ErrNoOffer)},
		{"batch not taking anyone", "tidak menerima pendaftaran", func(w world) []reply {
			c := at(stBatch, 0)
			return next(c, press(c, actBatch, "angkatan-1"), w).replies
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
